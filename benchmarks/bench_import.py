"""Household import benchmark: a generated 100,000-row .xlsx imported end to end (read, clean, validate, write),
against the stock django-import-export path (a plain ModelResource through tablib) on a 10,000-row file.

`.venv/bin/python -m benchmarks import`. The big import runs in a child process so that its peak memory
(ru_maxrss) is the import's own. Generated files are cached under the temp dir.
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAME = "import"
BIG_ROWS = 100_000
STOCK_ROWS = 10_000
HAMLETS = 20
CACHE = Path(tempfile.gettempdir()) / "drugfree_bench_import"
HEADER = [
    "STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Thôn/Khu phố", "Địa chỉ",
    "Số nhân khẩu", "Đã ký cam kết",
]  # fmt: skip
FAMILY = ["Nguyễn", "Lê", "Hà", "Lò", "Phạm", "Trịnh", "Bùi", "Đinh", "Cầm", "Vi"]
MIDDLE = ["Văn", "Thị", "Đình", "Hồng", "Minh", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Sơn", "Tám", "Xuân", "Hùng", "Khăm"]
ETHNICITIES = ["Kinh", "Mường", "Thái", "Dao"]


def generate(rows: int, *, prefix: str) -> Path:
    """A household list as the residence database exports it: dates as text, CCCD as numbers, a pledge column."""
    from openpyxl import Workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"households_{prefix}_{rows}.xlsx"
    if path.exists():
        return path
    rng = random.Random(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sach")
    sheet.append(HEADER)
    for index in range(1, rows + 1):
        year = rng.randint(1940, 2004)
        female = rng.random() < 0.4
        century_sex = (0 if year < 2000 else 2) + (1 if female else 0)
        cccd = f"038{century_sex}{year % 100:02d}{index:06d}"
        name = f"{rng.choice(FAMILY)} {'Thị' if female else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
        sheet.append([
            index, f"{prefix}-{index:06d}", name, birth, "Nữ" if female else "Nam",
            int(cccd) if index % 3 else cccd, rng.choice(ETHNICITIES), f"Thôn {1 + index % HAMLETS}",
            f"Số {rng.randint(1, 300)}, thôn {1 + index % HAMLETS}", rng.randint(1, 8), "x" if index % 10 else "",
        ])  # fmt: skip
    workbook.save(path)
    return path


def _setup_units(prefix: str, code: str):
    from communes.models import Commune, Hamlet, Province

    province, _ = Province.objects.get_or_create(code="38", defaults={"name": "Thanh Hóa"})
    commune, _ = Commune.objects.get_or_create(code=code, defaults={"name": f"Xã {prefix}", "province": province})
    for number in range(1, HAMLETS + 1):
        Hamlet.objects.get_or_create(commune=commune, name=f"Thôn {number}")
    return commune


def _server_cpu_seconds(pid: int) -> float | None:
    """CPU seconds a PostgreSQL backend has used, when the server runs on this machine (else None): it shows how much
    of the write is the server's own work, which no change on the Python side can shorten."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(path: str) -> None:
    """The pipeline end to end in this process; prints seconds, rows and peak memory as JSON."""
    from benchmarks.database import use_own_database

    use_own_database(NAME, fresh=False)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from imports.planning import plan_import
    from imports.reading import read_table
    from imports.writing import apply_plan

    commune = _setup_units("Benchmark", "90001")
    # Imports from the page, the admin and Celery always have an acting user: every history row then refers to it
    # (one more foreign-key check per row than an anonymous command-line import).
    actor, _ = get_user_model().objects.get_or_create(username="benchmark-admin", defaults={"role": "administrator"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    table = read_table(path)
    rows = len(table.rows)
    read = time.perf_counter()
    plan = plan_import(table, commune=commune)
    planned = time.perf_counter()
    server_before = _server_cpu_seconds(backend)
    result = apply_plan(plan, actor=actor, reason="benchmark")
    finished = time.perf_counter()
    server_after = _server_cpu_seconds(backend)
    assert result.created == rows, (result, plan.counts)
    connection.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps({
            "rows": result.created,
            "seconds": finished - started,
            "read": read - started,
            "plan": planned - read,
            "write": finished - planned,
            "pledges": result.extensions.get("pledges", {}),
            "maxrss_mb": usage.ru_maxrss / 1024,
            # CPU seconds of this process: on a shared machine the wall time also counts waiting for a core.
            "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
            "server_cpu": None if server_before is None else server_after - server_before,
        })
    )  # fmt: skip


def stock(path: Path) -> tuple[int, float]:
    """django-import-export as documented: a ModelResource, tablib loading the workbook, import_data."""
    import tablib
    from import_export import fields, resources, widgets

    from communes.models import Hamlet
    from residents.models import Household

    commune = _setup_units("Stock", "90002")

    class HamletWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Hamlet.objects.filter(commune=commune)

    class HouseholdResource(resources.ModelResource):
        code = fields.Field(attribute="code", column_name="Mã hộ")
        head_name = fields.Field(attribute="head_name", column_name="Họ và tên chủ hộ")
        head_cccd = fields.Field(attribute="head_cccd", column_name="Số CCCD")
        ethnicity = fields.Field(attribute="ethnicity", column_name="Dân tộc")
        address = fields.Field(attribute="address", column_name="Địa chỉ")
        members_count = fields.Field(
            attribute="members_count", column_name="Số nhân khẩu", widget=widgets.IntegerWidget()
        )
        hamlet = fields.Field(attribute="hamlet", column_name="Thôn/Khu phố", widget=HamletWidget(Hamlet, "name"))

        class Meta:
            model = Household
            import_id_fields = ("code",)
            fields = ("code", "head_name", "head_cccd", "ethnicity", "address", "members_count", "hamlet")

        def before_save_instance(self, instance, row, **kwargs):
            instance.commune_id = commune.id
            instance.head_cccd = str(instance.head_cccd or "").zfill(12)

    started = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    result = HouseholdResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    return result.totals["new"], seconds


def main() -> None:
    from benchmarks.database import bench_line, use_own_database

    use_own_database(NAME, fresh=True)
    big = generate(BIG_ROWS, prefix="BIG")
    small = generate(STOCK_ROWS, prefix="STK")
    child_run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import", "--child", str(big)],
        capture_output=True, text=True, env=os.environ.copy(),
    )  # fmt: skip
    if child_run.returncode:
        sys.exit(f"benchmark import: the import process failed:\n{child_run.stderr[-3000:]}")
    measured = json.loads(child_run.stdout.strip().splitlines()[-1])
    rate = measured["rows"] / measured["seconds"]
    print(
        f"pipeline: {measured['rows']} rows in {measured['seconds']:.1f} s "
        f"(read {measured['read']:.1f} s, clean+plan {measured['plan']:.1f} s, write {measured['write']:.1f} s), "
        f"pledges {measured['pledges']}, peak memory {measured['maxrss_mb']:.0f} MB, "
        f"import process CPU {measured['cpu']:.1f} s ({measured['rows'] / measured['cpu']:.0f} rows per CPU second), "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if measured["server_cpu"] is not None:
        print(f"PostgreSQL backend CPU during the write: {measured['server_cpu']:.1f} s")
    stock_rows, stock_seconds = stock(small)
    stock_rate = stock_rows / stock_seconds
    print(f"stock django-import-export: {stock_rows} rows in {stock_seconds:.1f} s")
    print(bench_line("import_households", rate, "rows/s", stock_rate))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
