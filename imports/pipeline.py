"""One import pipeline for the web page, the Django admin and the command: read → clean → plan → (confirm) → write.

An ImportRun carries the upload through its life: PREVIEW (counts, first rows, errors, mapping to confirm) →
QUEUED/RUNNING (progress) → DONE, FAILED or CANCELLED. The final state is saved inside the import's transaction,
so a run says "done" exactly when its rows are in the database.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from drugfree.integrity import describe_integrity_error
from drugfree.log import current_request_id
from imports.models import ImportRun

from .headers import FIELD_LABELS, HEAD_NAME
from .limits import capped
from .planning import plan_import
from .reading import list_sheets, read_table
from .rows import CHANGED, INVALID, KINDS, NEW, UNCHANGED, ImportPlan, PlannedRow
from .table import Source, SpreadsheetError, Table
from .writing import ImportRefused, ImportResult, apply_plan

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 10
IN_PROGRESS = (ImportRun.Status.READING, ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)
PREVIEW_MISSING = 200
# Sheet names offered in the mapping form (a workbook may declare thousands).
STORED_SHEETS = 100
# A run's message (a refusal, a reader's death) is kept whole up to this length.
MESSAGE_CHARS = 2000

__all__ = [
    "ImportRefused",
    "ImportSuperseded",
    "SpreadsheetError",
    "cancel_run",
    "create_run",
    "execute_run",
    "fail_run",
    "preview_in_background",
    "preview_run",
    "preview_stored_run",
    "read_run_table",
]


def _stored_errors_limit() -> int:
    return getattr(settings, "HOUSEHOLD_IMPORT_STORED_ERRORS", 2000)


def background_threshold() -> int:
    return getattr(settings, "HOUSEHOLD_IMPORT_BACKGROUND_ROWS", 3000)


def preview_in_background(size: int) -> bool:
    """Whether an upload of `size` bytes is read and previewed by a background job rather than in the request."""
    return size > getattr(settings, "HOUSEHOLD_IMPORT_BACKGROUND_BYTES", 256 * 1024)


def read_run_table(run: ImportRun, source: Source | None = None) -> Table:
    """The run's file read with the sheet, header row and column mapping the user confirmed (if any)."""
    mapping = run.column_mapping() or None
    if source is None:
        source = run_bytes(run)
    return read_table(
        source,
        filename=run.file_name,
        sheet=run.sheet_name or None,
        mapping=mapping,
        header_row_number=run.header_row_number if mapping else None,
    )


def _row_summary(plan: ImportPlan, row: PlannedRow) -> dict:
    data = row.data
    return {
        "row": row.row_number,
        "code": data.get("code") or "",
        "head_name": data.get(HEAD_NAME) or "",
        "head_cccd": data.get("head_cccd") or "",
        "hamlet": plan.hamlet_names.get(row.hamlet_id) or data.get("hamlet") or "",
        "members_count": data.get("members_count"),
        "changes": [[change.label, change.old, change.new] for change in row.changes],
        "errors": [error.message for error in row.errors],
        "warnings": [warning.message for warning in row.warnings],
    }


def _head_change_summary(plan: ImportPlan, row: PlannedRow) -> dict:
    data = row.data
    return {
        "row": row.row_number,
        "code": data.get("code") or data.get("head_cccd") or "",
        "hamlet": plan.hamlet_names.get(row.hamlet_id) or "",
        "old_name": row.head_change.old_name,
        "old_cccd": row.head_change.old_cccd,
        "new_name": data.get(HEAD_NAME) or "",
        "new_cccd": data.get("head_cccd") or "",
    }


def _check_head_changes(plan: ImportPlan, *, confirmed: bool, shown: list[dict] | None, shown_count: int) -> None:
    """A change of head is written only when confirmed, and only those the user was shown (`shown`: the preview's
    list, None for the command, whose flag confirms what it prints): a household whose head changed in the database
    after the preview needs a new look. ImportRefused otherwise."""
    changes = plan.head_changes
    if not changes:
        return
    if not confirmed:
        raise ImportRefused(
            _("%(count)d hộ sẽ đổi chủ hộ sang người khác: hãy xem danh sách đổi chủ hộ và xác nhận riêng.")
            % {"count": len(changes)}
        )
    if shown is None:
        return
    if len(shown) < shown_count:  # the stored list was cut short: compare the counts
        unseen = len(changes) > shown_count
    else:
        codes = {change["code"] for change in shown}
        unseen = any((row.data.get("code") or row.data.get("head_cccd")) not in codes for row in changes)
    if unseen:
        raise ImportRefused(
            _("Dữ liệu đã thay đổi từ lúc xem trước: có hộ đổi chủ hộ chưa được xác nhận. Hãy xem lại và xác nhận lại.")
        )


def _store_plan(run: ImportRun, plan: ImportPlan, table: Table) -> None:
    counts = plan.counts
    run.sheet_name = table.sheet_name
    run.header_row_number = table.header_row_number
    run.headers = _stored_headers(table)
    run.mapping = _stored_mapping(table)
    run.total_rows = len(plan.rows)
    run.new_rows, run.changed_rows = counts[NEW], counts[CHANGED]
    run.unchanged_rows, run.invalid_rows = counts[UNCHANGED], counts[INVALID]
    errors = plan.errors
    run.error_count = len(errors)
    run.errors = capped([
        {"row": e.row_number, "field": e.field, "column": e.column_label, "message": e.message}
        for e in errors[: _stored_errors_limit()]
    ])  # fmt: skip
    run.missing_count = len(plan.missing)
    warnings = plan.warnings
    head_changes = plan.head_changes
    first: dict[str, list] = {kind: [] for kind in KINDS}
    for row in plan.rows:
        if len(first[row.kind]) < PREVIEW_ROWS:
            first[row.kind].append(_row_summary(plan, row))
    run.summary = capped({
        **run.summary,
        "first": first,
        "missing": [[m.code, m.head_name, m.hamlet] for m in plan.missing[:PREVIEW_MISSING]],
        "head_change_count": len(head_changes),
        "head_changes": [_head_change_summary(plan, row) for row in head_changes[: _stored_errors_limit()]],
        "warning_count": len(warnings),
        "warnings": [
            {"row": w.row_number, "field": w.field, "column": w.column_label, "message": w.message}
            for w in warnings[: _stored_errors_limit()]
        ],
        "extensions": plan.extension_counts,
        "encoding": table.encoding,
        "text_encoding": table.text_encoding,  # how a .csv/.txt file's bytes were decoded (`text_files.py`)
        # Column index (as text, JSON keys) -> the legacy encoding its cells were converted from.
        "column_encodings": {str(index): encoding for index, encoding in table.column_encodings.items()},
        "data_start_row": table.data_start_row_number,
    })  # fmt: skip


def _stored_width(table: Table) -> int:
    """Columns up to the last named or mapped one: a sheet may run on to column XFD with blank headers."""
    mapped = [index for index, field in table.columns.items() if field]
    named = [index for index, text in enumerate(table.headers) if text]
    return max(mapped + named, default=-1) + 1


def _stored_headers(table: Table) -> list[str]:
    return capped(table.headers[: _stored_width(table)])


def _stored_mapping(table: Table) -> dict[str, str | None]:
    """A column left out is None when read back (`headers.apply_mapping`)."""
    width = _stored_width(table)
    return {str(index): field for index, field in table.columns.items() if index < width}


def create_run(
    *,
    actor,
    commune: Commune,
    uploaded,
    file_name: str | None = None,
    source: str = ImportRun.Source.WEB,
    full_list: bool = False,
    today: date | None = None,
    background: bool = False,
) -> tuple[ImportRun, ImportPlan | None]:
    """Store the upload with a new run and compute its preview; SpreadsheetError when it is no readable spreadsheet.

    With `background`, only the file's container is checked here (not a spreadsheet, encrypted, too large: refused
    at once); the run is left READING for `preview_stored_run`, run by a job, and no plan is returned.
    """
    file_name = Path(file_name or getattr(uploaded, "name", "") or "").name
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read() if hasattr(uploaded, "read") else bytes(uploaded)
    table = None if background else read_table(data, filename=file_name)
    sheets = list_sheets(data, filename=file_name)
    run = ImportRun(commune=commune, created_by=actor, source=source, file_name=file_name, full_list=full_list)
    run.summary = {"sheets": capped(sheets[:STORED_SHEETS])}
    run.file.save(file_name, ContentFile(data), save=False)
    if table is None:
        run.status, run.phase = ImportRun.Status.READING, "reading"
        run.save()
        return run, None
    plan = plan_import(table, commune=commune, today=today, full_list=full_list)
    _store_plan(run, plan, table)
    run.save()
    return run, plan


def preview_stored_run(run: ImportRun, *, today: date | None = None) -> None:
    """Read and preview a run left READING by create_run: PREVIEW when done, FAILED with the message if the file
    cannot be read (the user may then pick another sheet or header row)."""
    report = _progress(run)
    try:
        table = read_run_table(run)
        ImportRun.objects.filter(pk=run.pk).update(total_rows=len(table.rows))
        plan = plan_import(table, commune=run.commune, today=today, full_list=run.full_list, on_progress=report)
    except SpreadsheetError as exc:
        _fail(run, exc.message)
        return
    except Exception:
        logger.exception("import #%s: the upload could not be previewed", run.pk)
        _fail(run, _("Không đọc được tệp do lỗi hệ thống. Hãy thử lại hoặc báo quản trị."), reason=_system_reason())
        raise
    _store_plan(run, plan, table)
    run.status, run.phase, run.processed_rows = ImportRun.Status.PREVIEW, "", 0
    run.save()


def preview_run(
    run: ImportRun,
    *,
    sheet: str | None = None,
    header_row_number: int | None = None,
    mapping: dict[int, str | None] | None = None,
    full_list: bool | None = None,
    today: date | None = None,
) -> ImportPlan:
    """Re-read the run's file with a corrected sheet, header row or column mapping and store the new preview."""
    if sheet is not None and sheet != run.sheet_name:
        run.sheet_name, run.mapping, run.header_row_number = sheet, {}, None
    if header_row_number is not None and header_row_number != run.header_row_number:
        run.header_row_number = header_row_number
        run.mapping = {}
        if mapping is None:
            # A new header row: let the reader recognise its columns.
            table = read_table(run_bytes(run), filename=run.file_name, sheet=run.sheet_name or None,
                               header_row_number=header_row_number)  # fmt: skip
            run.mapping = _stored_mapping(table)
    if mapping is not None:
        run.mapping = {str(index): field for index, field in mapping.items()}
    if full_list is not None:
        run.full_list = full_list
    table = read_run_table(run, run_bytes(run))
    plan = plan_import(table, commune=run.commune, today=today, full_list=run.full_list)
    _store_plan(run, plan, table)
    run.save()
    return plan


def run_bytes(run: ImportRun) -> bytes:
    with run.file.open("rb") as handle:
        return handle.read()


def _progress(run: ImportRun) -> Callable[[str, int], None]:
    def report(phase: str, processed: int) -> None:
        # Outside the import's transaction, so other requests (the progress bar) see it at once.
        ImportRun.objects.filter(pk=run.pk).update(phase=phase, processed_rows=processed, updated_at=timezone.now())

    return report


def reason_for(run: ImportRun) -> str:
    return _("Nhập danh sách hộ #%(number)s (%(file)s)") % {"number": run.pk, "file": run.file_name}


def execute_run(
    run: ImportRun,
    *,
    mode: str,
    actor,
    plan: ImportPlan | None = None,
    today: date | None = None,
    confirm_head_changes: bool = False,
) -> ImportResult:
    """Re-plan against today's database (it may have changed since the preview) and write in one transaction.

    `plan` skips the re-planning when the caller has just made one (the command reads, plans and writes at once).

    ImportRefused when invalid rows remain and `mode` is ALL, or when households would get another head and
    `confirm_head_changes` is not given (or the preview did not show them): the run is FAILED with the message,
    nothing written;
    any other exception marks the run FAILED with its reason (the rule a row broke, or a system error whose
    traceback goes to the log) and propagates, nothing written either.
    """
    run.mode = mode
    run.status = ImportRun.Status.RUNNING
    run.started_at = run.updated_at = timezone.now()
    run.message = run.failure_reason = run.failure_column = ""
    run.failure_row = None
    # Conditional: a second attempt must not reopen a run the first has just finished (its lock makes this wait).
    started = (
        ImportRun.objects.exclude(status__in=(ImportRun.Status.DONE, ImportRun.Status.CANCELLED))
        .filter(pk=run.pk)
        .update(mode=mode, status=run.status, started_at=run.started_at, message="", failure_reason="",
                failure_row=None, failure_column="", updated_at=run.updated_at)
    )  # fmt: skip
    if not started:
        run.refresh_from_db()
        raise ImportSuperseded(run.pk)
    report = _progress(run)
    try:
        if plan is None:
            report("reading", 0)
            table = read_run_table(run)
            plan = plan_import(table, commune=run.commune, today=today, full_list=run.full_list, on_progress=report)
        shown, shown_count = run.summary.get("head_changes"), run.summary.get("head_change_count", 0)
        _store_plan(run, plan, plan.table)
        _check_head_changes(plan, confirmed=confirm_head_changes, shown=shown, shown_count=shown_count)
        report("writing", len(plan.rows))

        def finish(result: ImportResult) -> None:
            run.status = ImportRun.Status.DONE
            run.phase = "done"
            run.processed_rows = run.total_rows
            run.created_count, run.updated_count = result.created, result.updated
            run.summary["result"] = {
                "people_created": result.people_created,
                "people_updated": result.people_updated,
                "extensions": result.extensions,
            }
            run.finished_at = timezone.now()
            run.save()

        with _sole_attempt(run):
            return apply_plan(
                plan, actor=actor, reason=reason_for(run), valid_only=mode == ImportRun.Mode.VALID_ONLY,
                before_commit=finish, import_run=run,
            )  # fmt: skip
    except ImportSuperseded:
        raise  # the other attempt owns the run's state
    except ImportRefused as exc:
        _fail(run, str(exc))
        raise
    except SpreadsheetError as exc:
        _fail(run, exc.message)
        raise
    except IntegrityError as exc:
        logger.exception("import #%s: a row broke a database rule; nothing written", run.pk)
        _fail(run, _("Nhập thất bại; dữ liệu chưa bị thay đổi."), **_integrity_reason(exc, plan))
        raise
    except Exception:
        logger.exception("import #%s failed; nothing written", run.pk)
        _fail(run, _("Nhập thất bại do lỗi hệ thống; dữ liệu chưa bị thay đổi."), reason=_system_reason())
        raise


class ImportSuperseded(Exception):
    """Another attempt at the same run (a job delivered again after its worker died, a second confirmation) has
    finished it or started after this one: this attempt wrote nothing."""


@contextmanager
def _sole_attempt(run: ImportRun):
    """The import's transaction, entered only while this attempt is the run's latest (its `started_at`) and the run
    is still running. The row lock makes a second attempt wait until the first commits, then see it done."""
    with transaction.atomic():
        status, started_at = ImportRun.objects.select_for_update().values_list("status", "started_at").get(pk=run.pk)
        if status != ImportRun.Status.RUNNING or started_at != run.started_at:
            raise ImportSuperseded(run.pk)
        yield


def _system_reason() -> str:
    """For a failure that is not the file's: where to find it in the log (the request's or the job's id)."""
    return _(
        "Lỗi hệ thống, không do dữ liệu trong tệp. Chi tiết đã được ghi vào nhật ký máy chủ (mã %(id)s): "
        "hãy thử lại hoặc báo quản trị kèm mã này."
    ) % {"id": current_request_id()}


# Model field -> the household list's fields it is written from, to name the column a database rule refused.
_COLUMNS_OF_FIELD = {
    "code": ("code",),
    "head_name": (HEAD_NAME,),
    "full_name": (HEAD_NAME,),
    "head_cccd": ("head_cccd",),
    "cccd": ("head_cccd",),
    "birth_date": ("head_birth", "head_birth_male", "head_birth_female"),
    "birth_year": ("head_birth", "head_birth_male", "head_birth_female"),
    "sex": ("head_sex",),
    "hamlet": ("hamlet",),
    "address": ("address",),
    "current_address": ("address",),
    "members_count": ("members_count",),
    "ethnicity": ("ethnicity",),
    "signed_on": ("pledge_signed_on", "pledge_signed"),
    "year": ("pledge_signed_on", "pledge_signed"),
}


def _integrity_reason(error: IntegrityError, plan: ImportPlan | None) -> dict:
    """The rule a row broke in the user's words, with the spreadsheet row (when the database or a check of the
    rows could say which) and the column as the file names it."""
    violation = describe_integrity_error(error)
    headers = plan.table.field_headers if plan is not None else {}
    column = ""
    for name in _COLUMNS_OF_FIELD.get(violation.field or "", ()):
        if name in headers:
            column = headers[name]
            break
    else:
        if violation.field:
            fields = _COLUMNS_OF_FIELD.get(violation.field, ())
            column = str(FIELD_LABELS[fields[0]]) if fields else violation.field_label
    return {"reason": violation.message, "row": getattr(error, "row_number", None), "column": column}


def _fail(run: ImportRun, message: str, *, reason: str = "", row: int | None = None, column: str = "") -> None:
    run.status = ImportRun.Status.FAILED
    run.message = capped(message, MESSAGE_CHARS)
    run.failure_reason, run.failure_row, run.failure_column = capped(reason, MESSAGE_CHARS), row, column[:255]
    run.created_count = run.updated_count = 0  # counted inside the transaction that was rolled back
    run.finished_at = timezone.now()
    try:
        with transaction.atomic():
            # Never over a finished run: a second delivery of the same job may fail after the first has finished.
            if ImportRun.objects.select_for_update().filter(pk=run.pk, status__in=IN_PROGRESS).exists():
                run.save()
    except Exception:  # the database itself may be what failed; the run then stays RUNNING with its old state
        logger.exception("import #%s: its failure could not be recorded", run.pk)


def fail_run(run: ImportRun, message: str) -> None:
    """Record that the run cannot go on (its job could not be queued, …), with the reason shown on its page."""
    _fail(run, message)


def cancel_run(run: ImportRun) -> None:
    """The user gave up at the preview: nothing was written; the uploaded file (personal data) is deleted."""
    run.status = ImportRun.Status.CANCELLED
    run.finished_at = timezone.now()
    if run.file:
        run.file.delete(save=False)
    run.save()


def run_in_background(run: ImportRun) -> bool:
    return run.total_rows > background_threshold()
