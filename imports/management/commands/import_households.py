"""`manage.py import_households FILE --commune 15016 [--dry-run] [--valid-only] [--full-list] [--confirm-head-changes]
[--user NAME]`

The same pipeline as the web page. The last line is always `created=N updated=N unchanged=N invalid=N`; the exit
status is non-zero when nothing was written because of errors (or the file could not be read).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from communes.models import Commune, CommuneAlias
from drugfree.text import compact_key
from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.planning import plan_import
from imports.reading import read_table
from imports.rows import INVALID, ImportPlan
from imports.table import SpreadsheetError
from imports.text_files import encoding_to_show
from imports.writing import ImportRefused


def _find_commune(text: str) -> Commune | None:
    """A 5-digit code, or a commune's name, current or from before the 2025 merger (CommuneAlias)."""
    if text.isdigit():
        return Commune.objects.filter(code=text).first()
    key = compact_key(text)
    by_name = [c for c in Commune.objects.filter(name__icontains=text.split()[-1]) if compact_key(c.name) == key]
    if len(by_name) == 1:
        return by_name[0]
    aliases = CommuneAlias.objects.filter(name_key=key).select_related("commune")
    communes = {alias.commune for alias in aliases}
    return communes.pop() if len(communes) == 1 else None


def _actor(username: str | None):
    """The user named with --user, written into the history; None without it."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"Không có người dùng {username}.") from exc


class Command(BaseCommand):
    help = "Nhập danh sách hộ gia đình từ tệp Excel/CSV/ODS vào một xã."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--commune", required=True, help="mã xã (5 chữ số), hoặc tên xã hiện nay hay tên cũ")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument("--valid-only", action="store_true", help="nhập các dòng hợp lệ, bỏ qua dòng lỗi")
        parser.add_argument(
            "--full-list", action="store_true", help="tệp là danh sách đầy đủ: báo các hộ không có trong tệp"
        )
        parser.add_argument(
            "--confirm-head-changes",
            action="store_true",
            help="đồng ý đổi chủ hộ của các hộ có mã trùng nhưng chủ hộ là người khác (thiếu cờ này: không ghi gì)",
        )
        parser.add_argument("--user", help="tên đăng nhập của người nhập (ghi vào lịch sử)")

    def handle(self, *args, file: Path, commune: str, dry_run: bool, valid_only: bool, full_list: bool, **options):
        unit = _find_commune(commune)
        if unit is None:
            raise CommandError(f"Không có xã mã {commune}.")
        actor = _actor(options.get("user"))
        try:
            table = read_table(file)
        except SpreadsheetError as exc:
            self.stderr.write(str(exc))
            self._counts(0, 0, 0, 0)
            raise SystemExit(1) from exc
        shown_encoding = encoding_to_show(table.text_encoding)
        if shown_encoding:
            self.stdout.write(f"đã đọc tệp theo mã {shown_encoding}")
        plan = plan_import(table, commune=unit, full_list=full_list)
        self._report(plan)
        counts = plan.counts
        confirmed = options["confirm_head_changes"]
        blocked = (counts[INVALID] and not valid_only) or (plan.head_changes and not confirmed)
        if dry_run:
            self.stdout.write("(chạy thử: không ghi gì)")
            self._counts(counts["new"], counts["changed"], counts["unchanged"], counts["invalid"])
            if blocked:
                raise SystemExit(1)
            return
        run = ImportRun(
            commune=unit, created_by=actor, source=ImportRun.Source.COMMAND, file_name=file.name, full_list=full_list
        )
        run.save()
        self._write(run, plan, actor=actor, valid_only=valid_only, confirmed=confirmed)

    def _report(self, plan: ImportPlan) -> None:
        """The rows' errors and warnings, the households missing from a full list, the changes of head."""
        for error in plan.errors:
            self.stderr.write(f"dòng {error.row_number}, cột “{error.column_label}”: {error.message}")
        for warning in plan.warnings:
            self.stderr.write(f"cảnh báo: dòng {warning.row_number}, cột “{warning.column_label}”: {warning.message}")
        for missing in plan.missing:
            self.stdout.write(f"không có trong tệp: {missing.code} – {missing.head_name} ({missing.hamlet})")
        for row in plan.head_changes:
            change = row.head_change
            self.stdout.write(
                f"đổi chủ hộ: dòng {row.row_number}, hộ {row.data.get('code') or row.data.get('head_cccd')}: "
                f"{change.old_name} ({change.old_cccd or 'không có CCCD'}) → "
                f"{row.data['head_name']} ({row.data.get('head_cccd') or 'không có CCCD'})"
            )

    def _write(self, run: ImportRun, plan: ImportPlan, *, actor, valid_only: bool, confirmed: bool) -> None:
        counts = plan.counts
        mode = ImportRun.Mode.VALID_ONLY if valid_only else ImportRun.Mode.ALL
        try:
            result = execute_run(run, mode=mode, actor=actor, plan=plan, confirm_head_changes=confirmed)
        except ImportRefused as exc:
            self.stderr.write(str(exc))
            if plan.head_changes and not confirmed:
                self.stderr.write(
                    "Kiểm tra danh sách đổi chủ hộ ở trên; nếu đúng, chạy lại với --confirm-head-changes."
                )
            self._counts(0, 0, counts["unchanged"], counts["invalid"])
            raise SystemExit(1) from exc
        except IntegrityError as exc:  # recorded on the run, the traceback logged
            self.stderr.write(f"{run.message} {run.failure_text}")
            self._counts(0, 0, 0, 0)
            raise SystemExit(1) from exc
        self.stdout.write(f"lần nhập #{run.pk}")
        for name, extension_counts in result.extensions.items():
            details = " ".join(f"{kind}={count}" for kind, count in sorted(extension_counts.items()))
            self.stdout.write(f"{name}: {details}")
        self._counts(result.created, result.updated, result.unchanged, result.invalid)
        if result.invalid and not result.wrote_anything:
            raise SystemExit(1)

    def _counts(self, created: int, updated: int, unchanged: int, invalid: int) -> None:
        self.stdout.write(f"created={created} updated={updated} unchanged={unchanged} invalid={invalid}")
