"""Retention of personal data (Luật 91/2025): uploaded lists are deleted, ended management is flagged for review.

- An import's uploaded file (a whole commune's names, CCCDs, birth dates) and the preview rows copied from it are
  deleted IMPORT_FILE_RETENTION_DAYS after the run ended; a preview never confirmed or cancelled counts as ended
  when it was last touched. Counts, errors (row, column, message) and the households written stay: they are the
  import's record.
- People whose management ended MANAGEMENT_RECORD_RETENTION_YEARS ago are listed for a reviewer or an
  administrator to decide; nothing is deleted automatically, since a record may be needed for a case.
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import DateField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from residents.models import ImportRun, PostRehabManagement, Treatment, UserManagement
from residents.models.people import PersonStatus

logger = logging.getLogger(__name__)

# A run still moving (reading, queued, running) is never touched, whatever its age.
_ENDED = [ImportRun.Status.DONE, ImportRun.Status.FAILED, ImportRun.Status.CANCELLED, ImportRun.Status.PREVIEW]
_LONG_AGO = date(1900, 1, 1)


def import_files_due(now: datetime | None = None) -> QuerySet:
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    ended_before = Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, updated_at__lte=cutoff)
    # A cancelled run's file is already gone (cancel_run), but its preview rows are not.
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


def _latest_end(model) -> Subquery:
    ends = model.objects.filter(person=OuterRef("pk")).order_by().values("person").annotate(last=Max("ended_on"))
    return Coalesce(Subquery(ends.values("last")), Value(_LONG_AGO), output_field=DateField())


def management_retention_cutoff(today: date) -> date:
    """Records whose management ended on or before this day have been kept the whole retention period."""
    years = settings.MANAGEMENT_RECORD_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def people_past_retention(people: QuerySet, today: date) -> QuerySet:
    """People no longer managed whose last management, treatment or post-rehab period ended long enough ago,
    annotated with `management_ended_on`."""
    ended = Greatest(_latest_end(UserManagement), _latest_end(Treatment), _latest_end(PostRehabManagement))
    return (
        people.filter(status=PersonStatus.ENDED)
        .annotate(management_ended_on=ended)
        .filter(management_ended_on__gt=_LONG_AGO, management_ended_on__lte=management_retention_cutoff(today))
    )
