"""Retention of uploaded household lists (Luật 91/2025; see residents.retention for the rest of the rule).

An import's uploaded file (a whole commune's names, CCCDs, birth dates) and the preview rows copied from it are
deleted IMPORT_FILE_RETENTION_DAYS after the run ended; a preview never confirmed or cancelled counts as ended when
it was last touched. Counts, errors (row, column, message) and the households written stay: they are the import's
record.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from imports.models import ImportRun

logger = logging.getLogger(__name__)

# A run still moving (reading, queued, running) is never touched, whatever its age.
_ENDED = [ImportRun.Status.DONE, ImportRun.Status.FAILED, ImportRun.Status.CANCELLED, ImportRun.Status.PREVIEW]


def import_files_due(now: datetime | None = None) -> QuerySet:
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    ended_before = Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, updated_at__lte=cutoff)
    # A cancelled run's file is already gone (services.cancel), but its preview rows are not.
    return ImportRun.objects.filter(ended_before, status__in=_ENDED, file_purged_at__isnull=True)


def purge_import_files(*, now: datetime | None = None, dry_run: bool = False) -> list[ImportRun]:
    """Delete the files (and copied preview rows) of runs past retention; each deletion is logged."""
    now = now or timezone.now()
    purged = []
    for run in import_files_due(now).select_related("commune"):
        if dry_run:
            purged.append(run)
            continue
        name = run.file.name
        if run.file:
            run.file.delete(save=False)  # from storage; a file already gone is not an error
        run.summary = {**run.summary, "first": {}, "missing": []}
        run.file_purged_at = now
        run.save(update_fields=["file", "summary", "file_purged_at", "updated_at"])
        logger.info("retention: import run #%s (%s) ended %s: deleted %s", run.pk, run.commune.code,
                    run.finished_at or run.updated_at, name)  # fmt: skip
        purged.append(run)
    return purged
