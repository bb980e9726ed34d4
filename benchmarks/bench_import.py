"""Household import benchmark: a generated 100,000-row .xlsx confirmed end to end (read, clean, validate, write as
one stream), against PostgreSQL's own write time for the same rows (`import_floor`) and against django-import-export
configured for bulk imports on a 10,000-row file (`import_households`).

`.venv/bin/python -m benchmarks import`. Every measurement runs in its own process (the import's peak memory,
ru_maxrss, is its own) on a fresh file copy of one template database (`drugfree_bench_import_template`: migrated,
100,000 households of a seed commune already present), cloned as `drugfree_bench_import`. Generated files are cached
under the temp dir. BENCH_IMPORT_ROUNDS (2) rounds alternate each floor shape with an import (as many imports as
floors); the best of each is reported, and the medians.
"""

import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAME = "import"
BIG_ROWS = 100_000
STOCK_ROWS = 10_000
SEED_FIRST = 500_001
HAMLETS = 20
# Per BENCH_DB_SUFFIX, like the databases: two checkouts measuring at once would overwrite each other's floor rows.
CACHE = Path(tempfile.gettempdir()) / f"drugfree_bench_import{os.environ.get('BENCH_DB_SUFFIX', '')}"
HEADER = [
    "STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Thôn/Khu phố", "Địa chỉ",
    "Số nhân khẩu", "Đã ký cam kết",
]  # fmt: skip
FAMILY = ["Nguyễn", "Lê", "Hà", "Lò", "Phạm", "Trịnh", "Bùi", "Đinh", "Cầm", "Vi"]
MIDDLE = ["Văn", "Thị", "Đình", "Hồng", "Minh", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Sơn", "Tám", "Xuân", "Hùng", "Khăm"]
ETHNICITIES = ["Kinh", "Mường", "Thái", "Dao"]


def generate(rows: int, *, prefix: str, first: int = 1) -> Path:
    """A household list as the residence database exports it: dates as text, CCCD as numbers, a pledge column.
    CCCDs are numbered from `first` (the seed commune's are not the measured file's)."""
    from openpyxl import Workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"households_{prefix}_{rows}.xlsx"
    if path.exists():
        return path
    rng = random.Random(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sach")
    sheet.append(HEADER)
    for index in range(first, first + rows):
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


# --- databases: a template, cloned afresh for each measurement --------------------------------------------------------

TEMPLATE = f"{NAME}_template"  # drugfree_bench_import_template; each measurement runs in drugfree_bench_import
SEED_ROWS = 100_000


def _maintenance():
    import psycopg2

    from benchmarks.database import bench_database_url

    connection = psycopg2.connect(bench_database_url(NAME).rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    return connection


def build_template(seed: str) -> None:
    """Migrated, with the three communes, the acting administrator and a seed commune holding SEED_ROWS households
    written by the import itself (heads, pledges, history): every measurement starts on tables of the size the
    measured import writes, with the same rows already present. VACUUM ANALYZE leaves each clone alike."""
    from benchmarks.database import use_own_database

    use_own_database(TEMPLATE, fresh=True)
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from imports.planning import plan_import
    from imports.reading import read_table
    from imports.writing import apply_plan

    _setup_units("Benchmark", "90001")
    _setup_units("Stock", "90002")
    commune = _setup_units("Seed", "90003")
    actor, _ = get_user_model().objects.get_or_create(username="benchmark-admin", defaults={"role": "administrator"})
    result = apply_plan(plan_import(read_table(seed), commune=commune), actor=actor, reason="seed")
    assert result.created == SEED_ROWS, result
    print(json.dumps({"seeded": result.created}))
    connection.close()
    import psycopg2

    from benchmarks.database import bench_database_url

    vacuum = psycopg2.connect(bench_database_url(TEMPLATE))
    vacuum.autocommit = True
    with vacuum.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    vacuum.close()
    connections.close_all()


def fresh_clone() -> None:
    """drugfree_bench_import as a file copy of the template (the same table state for every measurement)."""
    from benchmarks.database import bench_database_url

    database = bench_database_url(NAME).rsplit("/", 1)[1]
    template = bench_database_url(TEMPLATE).rsplit("/", 1)[1]
    admin = _maintenance()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for attempt in range(10):
            try:
                cursor.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}" STRATEGY FILE_COPY')
                break
            except Exception:  # autovacuum visiting the template: wait and try again
                if attempt == 9:
                    raise
                time.sleep(1)
    admin.close()


# Tables the import writes, in an order their foreign keys accept, and how the floor selects the import's rows.
FLOOR_TABLES = (
    "residents_household", "residents_person", "pledges_householdpledge",
    "residents_historicalhousehold", "residents_historicalperson", "pledges_historicalhouseholdpledge",
)  # fmt: skip


def dump_written_rows(commune_code: str) -> dict[str, Path]:
    """The rows the measured import wrote (its commune's, with their history), as COPY CSV files: the floor writes
    exactly these."""
    import psycopg2

    from benchmarks.database import bench_database_url

    connection = psycopg2.connect(bench_database_url(NAME))
    paths = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM communes_commune WHERE code = %s", [commune_code])
        commune_id = cursor.fetchone()[0]
        for table in FLOOR_TABLES:
            paths[table] = CACHE / f"floor_{table}.csv"
            with paths[table].open("wb") as out:
                cursor.copy_expert(
                    f"COPY (SELECT * FROM {table} WHERE commune_id = {int(commune_id)} ORDER BY 1) TO STDOUT "
                    "WITH (FORMAT csv)",
                    out,
                )
    connection.close()
    return paths


# --- what is measured, each in its own process ----------------------------------------------------------------------


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def child_floor(shape: str) -> None:
    """PostgreSQL's own write time: the very rows the import writes (households, heads, pledges and the history of
    each), already formatted as COPY CSV in memory, written into a fresh clone in one transaction with the
    import's settings (foreign keys checked per statement) and a durable commit. No reading, cleaning, planning or
    formatting: what is left is PostgreSQL's work — constraints, triggers, indexes, WAL, commit.

    Two shapes, the floor being the faster: `single`, one COPY per table (history rows included); `batched`, the
    statements the import sends (per 5,000 households: a COPY of them, of their heads and of their pledges, each
    followed by its history rows copied inside the database, `INSERT … SELECT`)."""
    from benchmarks.database import use_own_database

    use_own_database(NAME, fresh=False)
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from imports import bulk
    from imports.planning import STREAM_BATCH
    from pledges.models import HouseholdPledge
    from residents.models import Household, Person

    streams = {table: (CACHE / f"floor_{table}.csv").read_bytes() for table in FLOOR_TABLES}
    rows = sum(data.count(b"\n") for data in streams.values())
    models = {"residents_household": Household, "residents_person": Person, "pledges_householdpledge": HouseholdPledge}
    batches = []  # per batch: (table, model, COPY text, ids)
    if shape == "batched":
        count = -(-streams["residents_household"].count(b"\n") // STREAM_BATCH)
        split = {}
        for table in models:
            lines = streams[table].splitlines(keepends=True)
            size = -(-len(lines) // count)
            split[table] = [lines[start : start + size] for start in range(0, len(lines), size)]
        for index in range(count):
            for table, model in models.items():
                chunk = split[table][index]
                batches.append((table, model, b"".join(chunk), [int(line.split(b",", 1)[0]) for line in chunk]))
    actor = get_user_model().objects.get(username="benchmark-admin")
    columns = {model: [model._meta.pk.attname] + [f.attname for f in model.history.model.tracked_fields
                                                  if f.attname != model._meta.pk.attname]
               for model in models.values()}  # fmt: skip
    now = timezone.now()
    backend = _backend_pid()
    server_before = _server_cpu_seconds(backend)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if shape == "single":
            for table, data in streams.items():
                cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", io.BytesIO(data))
        else:
            for table, model, data, ids in batches:
                cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", io.BytesIO(data))
                inserted = bulk.Inserted(model, columns[model], ids)
                bulk.history_rows(inserted, actor=actor, reason="benchmark", now=now)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    seconds = time.perf_counter() - started
    server_after = _server_cpu_seconds(backend)
    print(json.dumps({"seconds": seconds, "rows": rows, "shape": shape,
                      "server_cpu": None if server_before is None else server_after - server_before}))  # fmt: skip


def child_import(path: str) -> None:
    """The confirmed import of the 100,000-row file as a user's run goes (services, the stream, one transaction);
    prints seconds, rows, CPU and peak memory as JSON."""
    from benchmarks.database import use_own_database

    use_own_database(NAME, fresh=False)
    from django.contrib.auth import get_user_model
    from django.core.files import File

    from communes.models import Commune
    from imports import isolation
    from imports.models import ImportRun
    from imports.pipeline import execute_run
    from imports.reading import list_sheets

    commune = Commune.objects.get(code="90001")
    actor = get_user_model().objects.get(username="benchmark-admin")
    # The preview is not measured: a run waiting for confirmation, its file stored. The reading processes' server is
    # started first, as it is in a web or worker process that has read a file before.
    list_sheets(generate(10, prefix="WARM"))
    run = ImportRun(commune=commune, created_by=actor, file_name=Path(path).name, status=ImportRun.Status.PREVIEW)
    with open(path, "rb") as handle:
        run.file.save(Path(path).name, File(handle), save=True)
    backend = _backend_pid()
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    server_before = _server_cpu_seconds(backend)
    started = time.perf_counter()
    result = execute_run(run, mode=ImportRun.Mode.ALL, actor=actor)
    seconds = time.perf_counter() - started
    server_after = _server_cpu_seconds(backend)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    assert result.created == BIG_ROWS, result
    print(
        json.dumps({
            "rows": result.created,
            "seconds": seconds,
            "pledges": result.extensions.get("pledges", {}),
            "maxrss_mb": usage.ru_maxrss / 1024,
            "reader_maxrss_mb": (isolation.last_stream_peak_kb or 0) / 1024,
            # CPU seconds of this process: on a shared machine the wall time also counts waiting for a core.
            "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
            "server_cpu": None if server_before is None else server_after - server_before,
        })
    )  # fmt: skip


def child_stock(path: str) -> None:
    """django-import-export configured as its documentation advises for large imports ("Bulk imports":
    use_bulk with a batch_size, skip_diff; the instance looked up by the unique key (commune, code), which its
    index serves), importing the 10,000-row file through tablib."""
    from benchmarks.database import use_own_database

    use_own_database(NAME, fresh=False)
    import tablib
    from import_export import fields, resources, widgets

    from communes.models import Commune, Hamlet
    from residents.models import Household

    commune = Commune.objects.get(code="90002")

    class HamletWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Hamlet.objects.filter(commune=commune)

    class HouseholdResource(resources.ModelResource):
        commune = fields.Field(attribute="commune_id", column_name="commune", widget=widgets.IntegerWidget())
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
            import_id_fields = ("commune", "code")  # the unique key, served by its index
            fields = ("commune", "code", "head_name", "head_cccd", "ethnicity", "address", "members_count", "hamlet")
            use_bulk = True
            batch_size = 1000
            skip_diff = True

        def before_import(self, dataset, **kwargs):
            dataset.append_col([commune.id] * dataset.height, header="commune")

        def before_save_instance(self, instance, row, **kwargs):
            instance.head_cccd = str(instance.head_cccd or "").zfill(12)

    started = time.perf_counter()
    dataset = tablib.Dataset().load(Path(path).read_bytes(), format="xlsx")
    result = HouseholdResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    assert Household.objects.filter(commune=commune).count() == STOCK_ROWS
    print(json.dumps({"rows": result.totals["new"], "seconds": seconds}))


def _in_child(*arguments: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import", *arguments],
        capture_output=True, text=True, env=os.environ.copy(),
    )  # fmt: skip
    if run.returncode:
        sys.exit(f"benchmark import: {arguments[0]} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    from benchmarks.database import bench_line

    os.environ["MEDIA_ROOT"] = str(CACHE / "media")
    big = generate(BIG_ROWS, prefix="BIG")
    small = generate(STOCK_ROWS, prefix="STK")
    seed = generate(SEED_ROWS, prefix="SEED", first=SEED_FIRST)
    # In a process of its own: this one stays small, since a process started from it inherits its peak memory
    # (Linux carries ru_maxrss across fork and exec), which would then count in the import's figure.
    _in_child("--template", str(seed))
    rounds = int(os.environ.get("BENCH_IMPORT_ROUNDS", "2"))
    # A first import, not measured, gives the rows the floor writes.
    fresh_clone()
    _in_child("--import", str(big))
    dump_written_rows("90001")
    floors, imports = [], []
    for _round in range(rounds):  # alternated, so that a busy moment of the machine does not favour either
        # As many imports as floors (one per shape): the best of more runs is lower on a noisy host, so unequal
        # counts would favour the side measured more often.
        for shape in ("single", "batched"):
            fresh_clone()
            floors.append(_in_child("--floor", shape))
            fresh_clone()
            imports.append(_in_child("--import", str(big)))
    floor = min(floors, key=lambda m: m["seconds"])
    measured = min(imports, key=lambda m: m["seconds"])
    fresh_clone()
    stock_run = _in_child("--stock", str(small))
    load = os.getloadavg()[0]
    rate = measured["rows"] / measured["seconds"]
    runs = ", ".join(f"{m['seconds']:.1f}" for m in imports)
    floor_runs = ", ".join(f"{m['shape']} {m['seconds']:.1f}" for m in floors)
    print(
        f"pipeline: {measured['rows']} rows in {measured['seconds']:.1f} s (runs: {runs}), "
        f"pledges {measured['pledges']}, "
        f"peak memory {measured['maxrss_mb']:.0f} MB (reading process {measured['reader_maxrss_mb']:.0f} MB), "
        f"import process CPU {measured['cpu']:.1f} s, PostgreSQL backend CPU {_cpu(measured)}, load average {load:.1f}"
    )
    print(
        f"floor: PostgreSQL writing the same {floor['rows']} rows from COPY streams in memory: "
        f"{floor['seconds']:.1f} s "
        f"(runs: {floor_runs}), backend CPU {_cpu(floor)}"
    )
    stock_rate = stock_run["rows"] / stock_run["seconds"]
    print(
        f"django-import-export (bulk, skip_diff, unique key): {stock_run['rows']} rows in {stock_run['seconds']:.1f} s"
    )
    median_import = statistics.median(m["seconds"] for m in imports)
    median_floor = statistics.median(m["seconds"] for m in floors)
    print(f"medians: import {median_import:.1f} s, floor {median_floor:.1f} s = {median_import / median_floor:.2f}x")
    print(bench_line("import_floor", measured["seconds"], "s", floor["seconds"]))
    print(bench_line("import_households", rate, "rows/s", stock_rate))


def _cpu(measured: dict) -> str:
    return "n/a" if measured["server_cpu"] is None else f"{measured['server_cpu']:.1f} s"


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1].startswith("--"):
        children = {"--template": build_template, "--floor": child_floor, "--import": child_import}
        children["--stock"] = child_stock
        children[sys.argv[1]](*sys.argv[2:])
    else:
        main()
