"""One import pipeline for the web page, the Django admin and the command: read → clean → plan → (confirm) → write.

An ImportRun carries the upload through its life: READING → PREVIEW (counts, first rows, errors, mapping to confirm;
`previews.py`) → QUEUED/RUNNING (progress) → DONE, FAILED or CANCELLED. This module does the background read and the
import; each change of the run's state is asked of `services.py`, which makes it under the run's lock. The final
state is saved inside the import's transaction, so a run says "done" exactly when its rows are in the database.
"""

import logging
from collections.abc import Callable
from datetime import date

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from drugfree.integrity import describe_integrity_error
from drugfree.log import current_request_id
from imports.models import ImportRun

from . import services
from .headers import FIELD_LABELS, HEAD_NAME
from .plan_ahead import can_plan_ahead
from .planning import PlanStream, plan_import
from .previews import PlanSummary, read_run_table, store_plan, store_streamed_preview
from .rows import ImportPlan
from .table import SpreadsheetError
from .writing import ImportRefused, ImportResult, apply_plan

logger = logging.getLogger(__name__)


def _check_head_changes(changes: list[str], *, confirmed: bool, shown: list[dict] | None, shown_count: int) -> None:
    """A change of head (`changes`: the household codes, or head CCCDs, whose head changes) is written only when
    confirmed, and only those the user was shown (`shown`: the preview's list, None for the command, whose flag
    confirms what it prints): a household whose head changed in the database after the preview needs a new look.
    ImportRefused otherwise."""
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
        unseen = any(code not in codes for code in changes)
    if unseen:
        raise ImportRefused(
            _("Dữ liệu đã thay đổi từ lúc xem trước: có hộ đổi chủ hộ chưa được xác nhận. Hãy xem lại và xác nhận lại.")
        )


def preview_stored_run(run: ImportRun, *, today: date | None = None) -> None:
    """Read and preview a run left READING by create_run: PREVIEW when done, FAILED with the message if the file
    cannot be read (the user may then pick another sheet or header row)."""
    report = _progress(run)
    try:
        # As a stream, like the import: the rows are counted as they are planned (the total is known at the end).
        store_streamed_preview(run, today=today, on_progress=report)
    except SpreadsheetError as exc:
        services.fail(run, exc.message)
        return
    except Exception:
        logger.exception("import #%s: the upload could not be previewed", run.pk)
        services.fail(
            run, _("Không đọc được tệp do lỗi hệ thống. Hãy thử lại hoặc báo quản trị."), reason=_system_reason()
        )
        raise
    services.finish_reading(run)


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
    services.start(run, mode=mode)
    report = _progress(run)
    try:
        if plan is None:
            # The file read again as a stream: rows are read, cleaned, planned and written batch by batch in the
            # import's one transaction (`reading.read_stream`, `planning.PlanStream`, `writing.apply_plan`).
            report("reading", 0)
            table = read_run_table(run, stream_for=today or timezone.localdate())
            plan = plan_import(table, commune=run.commune, today=today, full_list=run.full_list, on_progress=report)
        shown, shown_count = run.summary.get("head_changes"), run.summary.get("head_change_count", 0)
        if isinstance(plan, PlanStream):
            report("writing", 0)
            return _write_stream(run, plan, mode=mode, actor=actor, confirmed=confirm_head_changes,
                                 shown=shown, shown_count=shown_count)  # fmt: skip
        store_plan(run, plan, plan.table)
        codes = [row.data.get("code") or row.data.get("head_cccd") for row in plan.head_changes]
        _check_head_changes(codes, confirmed=confirm_head_changes, shown=shown, shown_count=shown_count)
        report("writing", len(plan.rows))

        with services.sole_attempt(run) as finish:
            return apply_plan(
                plan, actor=actor, reason=reason_for(run), valid_only=mode == ImportRun.Mode.VALID_ONLY,
                before_commit=finish, import_run=run,
            )  # fmt: skip
    except services.ImportSuperseded:
        raise  # the other attempt owns the run's state
    except ImportRefused as exc:
        services.fail(run, str(exc))
        raise
    except SpreadsheetError as exc:
        services.fail(run, exc.message)
        raise
    except IntegrityError as exc:
        logger.exception("import #%s: a row broke a database rule; nothing written", run.pk)
        services.fail(run, _("Nhập thất bại; dữ liệu chưa bị thay đổi."), **_integrity_reason(exc, plan))
        raise
    except Exception:
        logger.exception("import #%s failed; nothing written", run.pk)
        services.fail(run, _("Nhập thất bại do lỗi hệ thống; dữ liệu chưa bị thay đổi."), reason=_system_reason())
        raise


def _write_stream(
    run: ImportRun, plan: PlanStream, *, mode: str, actor, confirmed: bool, shown: list[dict] | None, shown_count: int
) -> ImportResult:
    """The stream written in one transaction. The run's preview is gathered batch by batch (PlanSummary) and stored
    at the end, with the run's state; a change of head not confirmed stops the writing at its batch (the rest is
    planned, for the stored preview) and refuses the import at the end, like rows found invalid in ALL mode:
    everything written is rolled back."""
    summary = PlanSummary()
    # Before the import's transaction opens: whether the next batch may be planned (through another connection)
    # while this one writes.
    plan.ahead = can_plan_ahead()

    def check_batch(batch: ImportPlan) -> bool:
        summary.add(batch)
        return bool(batch.head_changes) and not confirmed

    def check_end() -> None:
        summary.store(run, plan.table, plan.missing())
        _check_head_changes(summary.head_change_codes, confirmed=confirmed, shown=shown, shown_count=shown_count)

    try:
        with services.sole_attempt(run) as finish:
            return apply_plan(
                plan, actor=actor, reason=reason_for(run), valid_only=mode == ImportRun.Mode.VALID_ONLY,
                before_commit=finish, import_run=run, check_batch=check_batch, check_end=check_end,
            )  # fmt: skip
    finally:
        plan.close()


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
