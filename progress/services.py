"""Writes: taking monthly snapshots (immutable once taken) and marking a commune's month as reviewed."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_save
from accounts.scopes import require_review
from communes.models import Commune

from .metrics import Moment
from .models import CommuneSnapshot, Level, MonthReview, Programme
from .selectors import criteria_of, evaluate_communes, first_of_month, today


def previous_month(day: date) -> date:
    return first_of_month(first_of_month(day) - timedelta(days=1))


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@transaction.atomic
def take_snapshots(*, month: date, programmes=None) -> int:
    """Freeze every commune's figures for `month` for each active programme; returns the number of rows created.

    Idempotent: a (commune, month, criterion) already frozen is left as it is, so running it again changes nothing.
    The figures are today's, computed with the assessment windows ending on the month's last day (or today, for the
    current month): run it on the first day of the next month.
    """
    month = first_of_month(month)
    if month > first_of_month(today()):
        raise ValidationError(_("Không thể chốt số liệu cho tháng chưa đến."))
    moment = Moment(min(month_end(month), today()))
    created = 0
    # Only commune sets: a snapshot is a commune's figure (hamlet sets are assessed when a hamlet applies).
    for programme in programmes if programmes is not None else Programme.objects.active().at_level(Level.COMMUNE):
        criteria = criteria_of(programme)
        communes = Commune.objects.all()
        if programme.province_id:
            communes = communes.filter(province_id=programme.province_id)
        taken = set(
            CommuneSnapshot.objects.filter(month=month, criterion__in=criteria).values_list(
                "commune_id", "criterion_id"
            )
        )
        rows = [
            CommuneSnapshot(
                commune=row.unit,
                month=month,
                criterion=result.criterion,
                as_of=moment.as_of,
                value=Decimal(str(round(float(result.value), 3))),
                numerator=result.figure.numerator,
                denominator=result.figure.denominator,
                gap_size=result.gap_size,
                comparison=result.criterion.comparison,
                target=result.criterion.target,
                met=result.met,
            )
            for row in evaluate_communes(criteria, communes.order_by("code"), moment)
            for result in row.results
            if (row.unit.pk, result.criterion.pk) not in taken
        ]
        for snapshot in rows:
            # Figures computed here, checked like any write; the commune and criterion are rows just read, and
            # `taken` above is the once-per-month check (bulk_create saves no row one by one).
            snapshot.full_clean(exclude=["commune", "criterion"], validate_unique=False, validate_constraints=False)
        CommuneSnapshot.objects.bulk_create(rows)
        created += len(rows)
    return created


@transaction.atomic
def mark_month_reviewed(*, actor, commune: Commune, month: date, note: str = "") -> MonthReview:
    """A reviewer confirms they checked the commune's frozen month; once per commune and month."""
    require_review(actor)
    month = first_of_month(month)
    if not CommuneSnapshot.objects.filter(commune=commune, month=month).exists():
        raise ValidationError(_("Tháng này chưa được chốt số liệu."))
    if MonthReview.objects.filter(commune=commune, month=month).exists():
        raise ValidationError(_("Tháng này đã được xác nhận."))
    return audited_save(MonthReview(commune=commune, month=month, reviewed_by=actor, note=note), actor=actor)
