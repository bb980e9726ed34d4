"""Every change of an ImportRun's state: read, confirm (queue), start, finish, cancel, fail, stall, a job's delivery.

Each change locks the run's row (select_for_update) and checks, inside the lock, that `TRANSITIONS` allows it from
the state the row holds then, so a page loaded before a job reported, a double click, or a job delivered twice cannot
act on a state that is no longer there. Reading a page (GET) never writes: a stalled run is shown as failed
(`as_seen`) and recorded as failed by the next change asked for it or by the periodic job (`fail_stalled_runs`).
The work itself (reading, planning, writing) is the pipeline's (`previews.py`, `pipeline.py`), which asks this module
for each change.
"""

import logging
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drugfree.jobs import BackgroundUnavailable, enqueue

from .limits import capped
from .models import ImportRun
from .previews import create_run, preview_in_background, preview_run

logger = logging.getLogger(__name__)

Status = ImportRun.Status
# From each state, the states a run may go to; DONE and CANCELLED are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    # Its job read the file (PREVIEW), or could not (FAILED, also when the job died: a stall).
    Status.READING: frozenset({Status.PREVIEW, Status.FAILED}),
    # Read again with a corrected layout; confirmed; run at once (the command); cancelled.
    Status.PREVIEW: frozenset({Status.PREVIEW, Status.QUEUED, Status.RUNNING, Status.CANCELLED}),
    Status.QUEUED: frozenset({Status.RUNNING, Status.FAILED}),
    # A job delivered again after its worker died starts the run over (its first transaction never committed).
    Status.RUNNING: frozenset({Status.RUNNING, Status.DONE, Status.FAILED}),
    # A failed run whose file is still there waits for the user like a preview.
    Status.FAILED: frozenset({Status.PREVIEW, Status.QUEUED, Status.RUNNING, Status.CANCELLED}),
    Status.DONE: frozenset(),
    Status.CANCELLED: frozenset(),
}
IN_PROGRESS = (Status.READING, Status.QUEUED, Status.RUNNING)
# Where the user may confirm or cancel: the preview, or a failed run whose file is still there.
WAITING = (Status.PREVIEW, Status.FAILED)
STALLED = _("Lần nhập bị gián đoạn (mất kết nối hoặc tiến trình bị dừng); dữ liệu chưa bị thay đổi. "
            "Hãy xác nhận nhập lại.")  # fmt: skip
# A job delivered this many times died with its worker each time (a file that exhausts memory, …): stop there.
MAX_DELIVERIES = 3
# A run's message (a refusal, a reader's death) is kept whole up to this length.
MESSAGE_CHARS = 2000


class RunNotWaiting(Exception):
    """The run is no longer where the user saw it (confirmed or cancelled meanwhile, finished, file deleted)."""

    message = _("Lần nhập này không còn chờ xác nhận.")


class ImportSuperseded(Exception):
    """Another attempt at the same run (a job delivered again after its worker died, a second confirmation) has
    finished it or started after this one: this attempt wrote nothing."""


def may_go(run: ImportRun, status: str) -> bool:
    return status in TRANSITIONS[run.status]


def as_seen(run: ImportRun) -> ImportRun:
    """The run as a page shows it, without writing: a stalled one reads as failed (its page stops waiting)."""
    if run.is_stalled:
        run.status, run.message = Status.FAILED, str(STALLED)
    return run


def _locked(pk: int) -> ImportRun:
    return ImportRun.objects.select_for_update().select_related("commune").get(pk=pk)


def _record_stall(run: ImportRun) -> bool:
    """Inside the lock: a run silent for too long is failed; one that reported or finished meanwhile is not."""
    if not run.is_stalled:
        return False
    run.status, run.message, run.finished_at = Status.FAILED, str(STALLED), timezone.now()
    run.save(update_fields=["status", "message", "finished_at", "updated_at"])
    logger.warning("import run %s: no news from its job, recorded as interrupted", run.pk)
    return True


def record_stall(run: ImportRun) -> bool:
    """Record a stalled run as failed, so that the user may confirm it again; False when it is not stalled."""
    with transaction.atomic():
        return _record_stall(_locked(run.pk))


def fail_stalled_runs() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): runs whose worker or connection died are recorded as failed."""
    candidates = ImportRun.objects.filter(status__in=IN_PROGRESS).values_list("pk", flat=True)
    return sum(record_stall(ImportRun(pk=pk)) for pk in candidates)


@contextmanager
def _waiting(run: ImportRun, status: str, *, needs_file: bool = True):
    """The run locked, once a stall is recorded, if it still waits for the user and may go to `status`."""
    with transaction.atomic():
        locked = _locked(run.pk)
        _record_stall(locked)
        if locked.status not in WAITING or not may_go(locked, status) or (needs_file and not locked.file):
            raise RunNotWaiting
        yield locked


def queue(run: ImportRun, *, mode: str) -> ImportRun:
    """Confirm the preview: the run waits for its import (RunNotWaiting when it no longer waits for one)."""
    with _waiting(run, Status.QUEUED) as locked:
        locked.status, locked.mode, locked.processed_rows, locked.phase = Status.QUEUED, mode, 0, "queued"
        locked.save(update_fields=["status", "mode", "processed_rows", "phase", "updated_at"])
    return locked


def reread(run: ImportRun, **layout) -> ImportRun:
    """Read the file again with the sheet, header row or mapping the user corrected; the run is a preview again.

    The row stays locked while the file is read (seconds, in a child process), so a confirm or cancel sent meanwhile
    waits and then sees the new preview. SpreadsheetError leaves the run as it was; RunNotWaiting when it no longer
    waits for the user."""
    with _waiting(run, Status.PREVIEW) as locked:
        preview_run(locked, **layout)
        locked.status = Status.PREVIEW
        locked.save(update_fields=["status", "updated_at"])
    return locked


def cancel(run: ImportRun) -> bool:
    """The user gave up at the preview (or after a failure): nothing is written and the uploaded file (personal
    data) is deleted. False when the run no longer waits for the user."""
    try:
        with _waiting(run, Status.CANCELLED, needs_file=False) as locked:
            locked.status, locked.finished_at = Status.CANCELLED, timezone.now()
            if locked.file:
                locked.file.delete(save=False)
            locked.save()
    except RunNotWaiting:
        return False
    return True


def finish_reading(run: ImportRun) -> bool:
    """A background read is over: the run (its preview stored on it by the caller) waits for the user. False, and
    nothing saved, when the run moved on meanwhile (cancelled after it was recorded as stalled)."""
    with transaction.atomic():
        locked = _locked(run.pk)
        if not may_go(locked, Status.PREVIEW):
            logger.info("import run %s is %s: its preview is not stored", run.pk, locked.status)
            return False
        run.status, run.phase, run.processed_rows = Status.PREVIEW, "", 0
        run.save()
    return True


def start(run: ImportRun, *, mode: str) -> None:
    """The import begins: the run is RUNNING from now (`started_at` names this attempt). ImportSuperseded, with the
    run refreshed, when another attempt has finished it or the user cancelled it."""
    with transaction.atomic():
        locked = _locked(run.pk)
        if not may_go(locked, Status.RUNNING):
            run.refresh_from_db()
            raise ImportSuperseded(run.pk)
        run.mode, run.status, run.started_at = mode, Status.RUNNING, timezone.now()
        run.message = run.failure_reason = run.failure_column = ""
        run.failure_row = None
        fields = ["mode", "status", "started_at", "message", "failure_reason", "failure_row", "failure_column"]
        run.save(update_fields=[*fields, "updated_at"])


@contextmanager
def sole_attempt(run: ImportRun):
    """The import's transaction, entered only while this attempt is the run's latest (its `started_at`) and the run
    is still running. The row lock makes a second attempt wait until the first commits, then see it done. Yields
    the change to DONE, for the writer to make last, inside the transaction and under the lock (the run then says
    "done" exactly when its rows are in the database)."""
    with transaction.atomic():
        status, started_at = ImportRun.objects.select_for_update().values_list("status", "started_at").get(pk=run.pk)
        if status != Status.RUNNING or started_at != run.started_at:
            raise ImportSuperseded(run.pk)
        yield partial(_finish, run)


def _finish(run: ImportRun, result) -> None:
    run.status, run.phase, run.processed_rows = Status.DONE, "done", run.total_rows
    run.created_count, run.updated_count = result.created, result.updated
    run.summary["result"] = {
        "people_created": result.people_created,
        "people_updated": result.people_updated,
        "extensions": result.extensions,
    }
    run.finished_at = timezone.now()
    run.save()


def fail(run: ImportRun, message: str, *, reason: str = "", row: int | None = None, column: str = "") -> None:
    """The run cannot go on (a refused file, a broken rule, its job could not be queued…), with the reason shown on
    its page; never over a finished run (a second delivery of a job may fail after the first has finished)."""
    run.status = Status.FAILED
    run.message = capped(message, MESSAGE_CHARS)
    run.failure_reason, run.failure_row, run.failure_column = capped(reason, MESSAGE_CHARS), row, column[:255]
    run.created_count = run.updated_count = 0  # counted inside the transaction that was rolled back
    run.finished_at = timezone.now()
    try:
        with transaction.atomic():
            if may_go(_locked(run.pk), Status.FAILED):
                run.save()
    except Exception:  # the database itself may be what failed; the run then stays RUNNING with its old state
        logger.exception("import #%s: its failure could not be recorded", run.pk)


def count_delivery(run_id: int, *, job_id: str, waiting: tuple[str, ...]) -> ImportRun | None:
    """Count this delivery of a job on its run; the run when the job should go on, None when it should not (the run
    no longer waits for it, or the job killed its worker MAX_DELIVERIES times: the run is failed)."""
    with transaction.atomic():
        # Waits while another delivery of the job is writing, then sees the run it finished.
        run = _locked(run_id)
        if run.status not in waiting:
            logger.info("import run %s is %s: job %s has nothing to do", run_id, run.status, job_id)
            return None
        job = run.summary.get("job") or {}
        deliveries = (job.get("deliveries", 0) if job.get("id") == job_id else 0) + 1
        run.summary["job"] = {"id": job_id, "deliveries": deliveries}
        run.save(update_fields=["summary", "updated_at"])
    if deliveries > 1:
        logger.warning("import run %s: job %s delivered again (delivery %s), its worker died", run_id, job_id,
                       deliveries)  # fmt: skip
    if deliveries > MAX_DELIVERIES:
        fail(run, _("Tiến trình nền đã dừng đột ngột %(count)s lần khi xử lý lần nhập này (tệp có thể quá lớn "
                    "hoặc bị hỏng); dữ liệu chưa bị thay đổi. Hãy kiểm tra tệp hoặc báo quản trị.")
             % {"count": MAX_DELIVERIES})  # fmt: skip
        return None
    return run


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
    from .tasks import preview_household_import  # tasks imports the pipeline, which imports this module

    background = preview_in_background(uploaded.size)
    run, _plan = create_run(
        actor=actor, commune=commune, uploaded=uploaded, source=source, full_list=full_list, background=background
    )
    problem = start_job(run, preview_household_import, run.pk) if background else None
    return run, problem
