"""Background jobs of household imports (Celery; eager in-process when no broker is configured).

Jobs are acknowledged late and rejected when their worker is lost (settings), so a job whose worker died is
delivered again. Each job therefore checks its run first: a run that no longer waits for it (finished, failed,
cancelled) is left alone, a run whose job killed its worker MAX_DELIVERIES times is failed rather than retried
forever, and two deliveries of one import cannot both write (pipeline._sole_attempt).
"""

import contextlib
import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from imports.models import ImportRun
from imports.pipeline import (
    ImportRefused,
    ImportSuperseded,
    SpreadsheetError,
    execute_run,
    fail_run,
    preview_stored_run,
)

log = logging.getLogger(__name__)

# A job delivered this many times died with its worker each time (a file that exhausts memory, …): stop there.
MAX_DELIVERIES = 3


def _delivered(task, run_id: int, waiting: tuple[str, ...]) -> ImportRun | None:
    """Count this delivery of `task` on its run; the run when the job should go on, None when it should not."""
    job_id = task.request.id or ""
    with transaction.atomic():
        # Waits while another delivery of the job is writing, then sees the run it finished.
        run = ImportRun.objects.select_for_update().select_related("commune").get(pk=run_id)
        if run.status not in waiting:
            log.info("import run %s is %s: job %s has nothing to do", run_id, run.status, job_id)
            return None
        job = run.summary.get("job") or {}
        deliveries = (job.get("deliveries", 0) if job.get("id") == job_id else 0) + 1
        run.summary["job"] = {"id": job_id, "deliveries": deliveries}
        run.save(update_fields=["summary", "updated_at"])
    if deliveries > 1:
        log.warning("import run %s: job %s delivered again (delivery %s), its worker died", run_id, job_id, deliveries)
    if deliveries > MAX_DELIVERIES:
        fail_run(run, _("Tiến trình nền đã dừng đột ngột %(count)s lần khi xử lý lần nhập này (tệp có thể quá lớn "
                        "hoặc bị hỏng); dữ liệu chưa bị thay đổi. Hãy kiểm tra tệp hoặc báo quản trị.")
                 % {"count": MAX_DELIVERIES})  # fmt: skip
        return None
    return run


_IMPORT_JOB = {"bind": True, "acks_late": True, "reject_on_worker_lost": True}


def _import_households(self, run_id: int, mode: str, actor_id: int | None, confirm_head_changes: bool = False) -> str:
    """Run a confirmed import (`confirm_head_changes`: the user also confirmed the changes of head the preview
    listed). A killed worker's job is delivered again: the first attempt's transaction never committed, so the
    second starts from the same database."""
    run = _delivered(self, run_id, (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING))
    if run is None:
        return ImportRun.objects.values_list("status", flat=True).get(pk=run_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    # Recorded on the run and shown on its page (a broken database rule also logged with its traceback); a
    # superseded attempt wrote nothing.
    with contextlib.suppress(ImportRefused, SpreadsheetError, IntegrityError, ImportSuperseded):
        execute_run(run, mode=mode, actor=actor, confirm_head_changes=confirm_head_changes)
    return ImportRun.objects.values_list("status", flat=True).get(pk=run_id)


def _preview_household_import(self, run_id: int) -> str:
    """Read and check a large upload against the database; the run page polls until the preview is there."""
    run = _delivered(self, run_id, (ImportRun.Status.READING,))
    if run is None:
        return ImportRun.objects.values_list("status", flat=True).get(pk=run_id)
    preview_stored_run(run)
    return ImportRun.objects.values_list("status", flat=True).get(pk=run_id)


def _purge_import_files() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): the retention rule for uploaded household lists."""
    from imports.retention import purge_import_files as purge

    return len(purge())


def _fail_stalled_imports() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): runs whose job died are recorded as failed (pages never write)."""
    from imports.services import fail_stalled_runs

    return fail_stalled_runs()


fail_stalled_imports = shared_task(name="imports.tasks.fail_stalled_imports")(_fail_stalled_imports)
import_households = shared_task(name="imports.tasks.import_households", **_IMPORT_JOB)(_import_households)
preview_household_import = shared_task(name="imports.tasks.preview_household_import", **_IMPORT_JOB)(
    _preview_household_import
)
purge_import_files = shared_task(name="imports.tasks.purge_import_files", acks_late=True)(_purge_import_files)

# The names these jobs had when they lived in residents.tasks: jobs an existing deployment queued before the move
# (and a beat schedule not yet reloaded) still find a worker. Nothing sends them any more.
shared_task(name="residents.tasks.import_households", **_IMPORT_JOB)(_import_households)
shared_task(name="residents.tasks.preview_household_import", **_IMPORT_JOB)(_preview_household_import)
shared_task(name="residents.tasks.purge_import_files", acks_late=True)(_purge_import_files)
