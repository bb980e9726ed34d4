"""Background jobs of household imports (Celery; eager in-process when no broker is configured).

Jobs are acknowledged late and rejected when their worker is lost (settings), so a job whose worker died is
delivered again. Each job therefore checks its run first: a run that no longer waits for it (finished, failed,
cancelled) is left alone, a run whose job killed its worker services.MAX_DELIVERIES times is failed rather than
retried forever, and two deliveries of one import cannot both write (services.sole_attempt).
"""

import contextlib

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from imports import services
from imports.models import ImportRun
from imports.pipeline import execute_run, preview_stored_run
from imports.table import SpreadsheetError
from imports.writing import ImportRefused


def _delivered(task, run_id: int, waiting: tuple[str, ...]) -> ImportRun | None:
    """This delivery of `task` counted on its run (services.count_delivery): the run, or None to stop."""
    return services.count_delivery(run_id, job_id=task.request.id or "", waiting=waiting)


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
    with contextlib.suppress(ImportRefused, SpreadsheetError, IntegrityError, services.ImportSuperseded):
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
    return services.fail_stalled_runs()


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
