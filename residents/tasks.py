"""Background jobs of residents (Celery; eager in-process when no broker is configured)."""

import contextlib

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from residents.imports.pipeline import ImportRefused, SpreadsheetError, execute_run, preview_stored_run
from residents.models import ImportRun


@shared_task(acks_late=True)
def import_households(run_id: int, mode: str, actor_id: int | None, confirm_head_changes: bool = False) -> str:
    """Run a confirmed import (`confirm_head_changes`: the user also confirmed the changes of head the preview
    listed). With acks_late a killed worker's job is delivered again: the first attempt's transaction never
    committed, so the second starts from the same database."""
    run = ImportRun.objects.select_related("commune").get(pk=run_id)
    if run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
        return run.status  # already done, failed or cancelled
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    # Recorded on the run and shown on its page (a broken database rule also logged with its traceback).
    with contextlib.suppress(ImportRefused, SpreadsheetError, IntegrityError):
        execute_run(run, mode=mode, actor=actor, confirm_head_changes=confirm_head_changes)
    return ImportRun.objects.values_list("status", flat=True).get(pk=run_id)


@shared_task(acks_late=True)
def preview_household_import(run_id: int) -> str:
    """Read and check a large upload against the database; the run page polls until the preview is there."""
    run = ImportRun.objects.select_related("commune").get(pk=run_id)
    if run.status != ImportRun.Status.READING:
        return run.status
    preview_stored_run(run)
    return ImportRun.objects.values_list("status", flat=True).get(pk=run_id)
