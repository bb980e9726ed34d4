"""The state changes of an ImportRun that pages and jobs ask for: upload (read), queue (confirm), cancel, fail, stall.

Each change locks the run's row (select_for_update) and checks its state inside the lock, so a page loaded before a
job reported, a double click, or a job delivered twice cannot act on a state that is no longer there. Reading a
page (GET) never writes: a stalled run is shown as failed (`as_seen`) and recorded as failed by the next change
asked for it or by the periodic job (`fail_stalled_runs`).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drugfree.jobs import BackgroundUnavailable, enqueue

from .models import ImportRun
from .pipeline import cancel_run, create_run, fail_run, preview_in_background, preview_run

logger = logging.getLogger(__name__)

STALLED = _("Lần nhập bị gián đoạn (mất kết nối hoặc tiến trình bị dừng); dữ liệu chưa bị thay đổi. "
            "Hãy xác nhận nhập lại.")  # fmt: skip
# Where the user may confirm or cancel: the preview, or a failed run whose file is still there.
WAITING = (ImportRun.Status.PREVIEW, ImportRun.Status.FAILED)


class RunNotWaiting(Exception):
    """The run is no longer where the user saw it (confirmed or cancelled meanwhile, finished, file deleted)."""

    message = _("Lần nhập này không còn chờ xác nhận.")


def as_seen(run: ImportRun) -> ImportRun:
    """The run as a page shows it, without writing: a stalled one reads as failed (its page stops waiting)."""
    if run.is_stalled:
        run.status, run.message = ImportRun.Status.FAILED, str(STALLED)
    return run


def _locked(pk: int) -> ImportRun:
    return ImportRun.objects.select_for_update().select_related("commune").get(pk=pk)


def _record_stall(run: ImportRun) -> bool:
    """Inside the lock: a run silent for too long is failed; one that reported or finished meanwhile is not."""
    if not run.is_stalled:
        return False
    run.status, run.message, run.finished_at = ImportRun.Status.FAILED, str(STALLED), timezone.now()
    run.save(update_fields=["status", "message", "finished_at", "updated_at"])
    logger.warning("import run %s: no news from its job, recorded as interrupted", run.pk)
    return True


def record_stall(run: ImportRun) -> bool:
    """Record a stalled run as failed, so that the user may confirm it again; False when it is not stalled."""
    with transaction.atomic():
        return _record_stall(_locked(run.pk))


def fail_stalled_runs() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): runs whose worker or connection died are recorded as failed."""
    in_progress = (ImportRun.Status.READING, ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)
    candidates = ImportRun.objects.filter(status__in=in_progress).values_list("pk", flat=True)
    return sum(record_stall(ImportRun(pk=pk)) for pk in candidates)


def queue(run: ImportRun, *, mode: str) -> ImportRun:
    """Confirm the preview: the run waits for its import (RunNotWaiting when it no longer waits for one)."""
    with transaction.atomic():
        locked = _locked(run.pk)
        _record_stall(locked)
        if locked.status not in WAITING or not locked.file:
            raise RunNotWaiting
        locked.status, locked.mode, locked.processed_rows, locked.phase = ImportRun.Status.QUEUED, mode, 0, "queued"
        locked.save(update_fields=["status", "mode", "processed_rows", "phase", "updated_at"])
    return locked


def reread(run: ImportRun, **layout) -> ImportRun:
    """Read the file again with the sheet, header row or mapping the user corrected; the run is a preview again.

    The row stays locked while the file is read (seconds, in a child process), so a confirm or cancel sent meanwhile
    waits and then sees the new preview. SpreadsheetError leaves the run as it was; RunNotWaiting when it no longer
    waits for the user."""
    with transaction.atomic():
        locked = _locked(run.pk)
        _record_stall(locked)
        if locked.status not in WAITING or not locked.file:
            raise RunNotWaiting
        preview_run(locked, **layout)
        locked.status = ImportRun.Status.PREVIEW
        locked.save(update_fields=["status", "updated_at"])
    return locked


def cancel(run: ImportRun) -> bool:
    """The user gave up at the preview (or after a failure): nothing is written and the file is deleted."""
    with transaction.atomic():
        locked = _locked(run.pk)
        _record_stall(locked)
        if locked.status not in WAITING:
            return False
        cancel_run(locked)
    return True


def fail(run: ImportRun, message: str) -> None:
    """The run cannot go on (its job could not be queued, …); never over a finished run (pipeline locks it)."""
    fail_run(run, message)


def start_job(run: ImportRun, task, *args) -> str | None:
    """Queue a background job for the run and note its Celery id on the run (eager in-process without a broker).

    When the broker cannot take the job the run is failed with the reason at once (returned, for the page to say),
    rather than left waiting for a job that will never run; the user may try again from the run's page."""
    try:
        task_id = enqueue(task, *args)
    except BackgroundUnavailable as exc:
        fail(run, str(exc.message))
        return str(exc.message)
    ImportRun.objects.filter(pk=run.pk).update(task_id=task_id[:50])
    return None


def upload(*, actor, commune, uploaded, full_list: bool, source: str) -> tuple[ImportRun, str | None]:
    """Store an upload as a new run (the web page and the admin's "Nhập" button alike): a small file is read and
    previewed at once, a large one by a background job, so that no request parses a large file. Returns the run and
    the reason its job could not be queued, if so; SpreadsheetError when the file is refused at once."""
    from .tasks import preview_household_import  # tasks imports pipeline, as this module does

    background = preview_in_background(uploaded.size)
    run, _plan = create_run(
        actor=actor, commune=commune, uploaded=uploaded, source=source, full_list=full_list, background=background
    )
    problem = start_job(run, preview_household_import, run.pk) if background else None
    return run, problem
