"""Retention of personal data (Luật 91/2025): uploaded lists are deleted, ended management is flagged for review.

- An import's uploaded file and the preview rows copied from it are deleted after a while (imports.retention).
- People whose management ended MANAGEMENT_RECORD_RETENTION_YEARS ago are listed for a reviewer or an
  administrator to decide; nothing is deleted automatically, since a record may be needed for a case.
"""

import logging
from datetime import date

from django.conf import settings
from django.db.models import DateField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from residents.models import PostRehabManagement, Treatment, UserManagement
from residents.models.people import PersonStatus

logger = logging.getLogger(__name__)

_LONG_AGO = date(1900, 1, 1)


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
