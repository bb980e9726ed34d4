"""A run's preview: the upload stored with a new run, its file read and planned, the counts, first rows, errors and
changes of head the pages show. Nothing here changes a run's state (services.py does, under the run's lock)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from communes.models import Commune
from imports.models import ImportRun

from .headers import HEAD_NAME
from .limits import capped
from .planning import plan_import
from .reading import list_sheets, read_stream, read_table
from .rows import CHANGED, INVALID, KINDS, NEW, UNCHANGED, ImportPlan, MissingHousehold, PlannedRow
from .table import Source, Table

PREVIEW_ROWS = 10
PREVIEW_MISSING = 200
# Sheet names offered in the mapping form (a workbook may declare thousands).
# Sheet names offered in the mapping form (a workbook may declare thousands).
STORED_SHEETS = 100


def _stored_errors_limit() -> int:
    return getattr(settings, "HOUSEHOLD_IMPORT_STORED_ERRORS", 2000)


def background_threshold() -> int:
    return getattr(settings, "HOUSEHOLD_IMPORT_BACKGROUND_ROWS", 3000)


def preview_in_background(size: int) -> bool:
    """Whether an upload of `size` bytes is read and previewed by a background job rather than in the request."""
    return size > getattr(settings, "HOUSEHOLD_IMPORT_BACKGROUND_BYTES", 256 * 1024)


def read_run_table(run: ImportRun, source: Source | None = None, *, stream_for: date | None = None) -> Table:
    """The run's file read with the sheet, header row and column mapping the user confirmed (if any); with
    `stream_for` (the import's date) its rows are a stream, cleaned as they are read (`reading.read_stream`)."""
    mapping = run.column_mapping() or None
    if source is None:
        source = run_bytes(run)
    layout = {
        "filename": run.file_name,
        "sheet": run.sheet_name or None,
        "mapping": mapping,
        "header_row_number": run.header_row_number if mapping else None,
    }
    if stream_for is not None:
        return read_stream(source, **layout, today=stream_for)
    return read_table(source, **layout)


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


class PlanSummary:
    """What a run stores of a plan, gathered from the whole plan or batch by batch from a stream (the rows are not
    kept): counts, the first rows of each kind, errors, warnings and changes of head up to the stored limits."""

    def __init__(self):
        self.counts = dict.fromkeys(KINDS, 0)
        self.first: dict[str, list] = {kind: [] for kind in KINDS}
        self.errors: list[dict] = []
        self.error_count = 0
        self.warnings: list[dict] = []
        self.warning_count = 0
        self.head_changes: list[dict] = []
        self.head_change_codes: list[str] = []  # every one, to check against those the preview showed
        self.extension_counts: dict[str, dict[str, int]] = {}

    def add(self, plan: ImportPlan) -> None:
        limit = _stored_errors_limit()
        for kind, count in plan.counts.items():
            self.counts[kind] += count
        for row in plan.rows:
            if len(self.first[row.kind]) < PREVIEW_ROWS:
                self.first[row.kind].append(_row_summary(plan, row))
        for errors, stored, kept in ((plan.errors, "errors", "error_count"), (plan.warnings, "warnings",
                                                                               "warning_count")):  # fmt: skip
            setattr(self, kept, getattr(self, kept) + len(errors))
            room = limit - len(getattr(self, stored))
            getattr(self, stored).extend(
                {"row": e.row_number, "field": e.field, "column": e.column_label, "message": e.message}
                for e in errors[: max(room, 0)]
            )
        for row in plan.head_changes:
            self.head_change_codes.append(row.data.get("code") or row.data.get("head_cccd"))
            if len(self.head_changes) < limit:
                self.head_changes.append(_head_change_summary(plan, row))
        for name, counts in plan.extension_counts.items():
            total = self.extension_counts.setdefault(name, {})
            for kind, count in counts.items():
                total[kind] = total.get(kind, 0) + count

    def store(self, run: ImportRun, table: Table, missing: list[MissingHousehold]) -> None:
        counts = self.counts
        run.sheet_name = table.sheet_name
        run.header_row_number = table.header_row_number
        run.headers = _stored_headers(table)
        run.mapping = _stored_mapping(table)
        run.total_rows = sum(counts.values())
        run.new_rows, run.changed_rows = counts[NEW], counts[CHANGED]
        run.unchanged_rows, run.invalid_rows = counts[UNCHANGED], counts[INVALID]
        run.error_count = self.error_count
        run.errors = capped(self.errors)
        run.missing_count = len(missing)
        run.summary = capped({
            **run.summary,
            "first": self.first,
            "missing": [[m.code, m.head_name, m.hamlet] for m in missing[:PREVIEW_MISSING]],
            "head_change_count": len(self.head_change_codes),
            "head_changes": self.head_changes,
            "warning_count": self.warning_count,
            "warnings": self.warnings,
            "extensions": self.extension_counts,
            "encoding": table.encoding,
            "text_encoding": table.text_encoding,  # how a .csv/.txt file's bytes were decoded (`text_files.py`)
            # Column index (as text, JSON keys) -> the legacy encoding its cells were converted from.
            "column_encodings": {str(index): encoding for index, encoding in table.column_encodings.items()},
            "data_start_row": table.data_start_row_number,
        })  # fmt: skip


def store_plan(run: ImportRun, plan: ImportPlan, table: Table) -> None:
    summary = PlanSummary()
    summary.add(plan)
    summary.store(run, table, plan.missing)


def store_streamed_preview(
    run: ImportRun, *, today: date | None = None, on_progress: Callable[[str, int], None] | None = None
) -> None:
    """The run's preview made as its import is: the file read again as a stream (the reading child reads, picks
    and cleans the rows; `reading.read_stream`), planned batch by batch (`planning.PlanStream`) and gathered into
    what the run stores (`PlanSummary`). Only a batch of rows is held at a time, not the sheet and its plan; the
    batches are all planned against the database as it is (nothing is written), as the whole file would be.
    SpreadsheetError when the file cannot be read (raised before any row when no household header is found)."""
    today = today or timezone.localdate()
    table = read_run_table(run, stream_for=today)
    stream = plan_import(table, commune=run.commune, today=today, full_list=run.full_list)
    summary = PlanSummary()
    try:
        for batch in stream.batches():
            summary.add(batch)
            if on_progress is not None:
                on_progress("planning", sum(summary.counts.values()))
    finally:
        stream.close()
    summary.store(run, table, stream.missing())


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
    store_plan(run, plan, table)
    run.save()
    return run, plan


def preview_run(
    run: ImportRun,
    *,
    sheet: str | None = None,
    header_row_number: int | None = None,
    mapping: dict[int, str | None] | None = None,
    full_list: bool | None = None,
    today: date | None = None,
) -> None:
    """Re-read the run's file with a corrected sheet, header row or column mapping and store the new preview."""
    if sheet is not None and sheet != run.sheet_name:
        run.sheet_name, run.mapping, run.header_row_number = sheet, {}, None
    if header_row_number is not None and header_row_number != run.header_row_number:
        run.header_row_number = header_row_number
        run.mapping = {}
        if mapping is None:
            # A new header row: let the reader recognise its columns (the rows are not needed: the stream is left).
            table = read_stream(run_bytes(run), filename=run.file_name, sheet=run.sheet_name or None,
                                header_row_number=header_row_number)  # fmt: skip
            next(table.rows, None)  # started: closing a generator that never ran would not end the reading child
            table.rows.close()
            run.mapping = _stored_mapping(table)
    if mapping is not None:
        run.mapping = {str(index): field for index, field in mapping.items()}
    if full_list is not None:
        run.full_list = full_list
    store_streamed_preview(run, today=today)
    run.save()


def run_bytes(run: ImportRun) -> bytes:
    with run.file.open("rb") as handle:
        return handle.read()


def run_in_background(run: ImportRun) -> bool:
    return run.total_rows > background_threshold()
