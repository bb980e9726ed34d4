"""The live watch of recognised units: an event that can break a criterion (a hotspot, a positive test of someone
outside the list, a serious incident) makes the unit's criteria be evaluated again once the write commits; every
record behind a broken "at most" count becomes an alert for the province, once.

Signals rather than calls from the lower apps: communes and residents must not know recognition exists."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from communes.models import Hotspot
from progress.metrics import Kind, Moment
from progress.models import Comparison
from progress.selectors import criteria_of, evaluate_communes, today
from residents.models import DrugTest, Incident

from .freezing import programme_for
from .models import Alert, Recognition

log = logging.getLogger(__name__)
ALERTS_PER_CRITERION = 50


def _event_text(metric, record) -> str:
    where = getattr(getattr(record, "hamlet", None), "full_name", "")
    if record._meta.model_name == "person":
        # No name in an alert: the province's list is read by roles that see only aggregates.
        detail = f"#{record.pk}"
    else:
        detail = " · ".join(str(column.value(record) or "") for column in metric.gap_columns[:2])
    return " — ".join(part for part in (str(metric.gap_title), detail, where) if part)[:500]


def watch_commune(commune_id: int) -> list[Alert]:
    """Evaluate every recognised cycle of the commune (its own and its hamlets') today; new alerts returned."""
    created = []
    recognitions = Recognition.objects.filter(commune_id=commune_id, status=Recognition.Status.RECOGNISED)
    for recognition in recognitions.select_related("commune", "hamlet"):
        programme = programme_for(recognition)
        if programme is not None:
            created += _watch(recognition, criteria_of(programme))
    return created


def watch_all() -> list[Alert]:
    """Every commune with a recognised cycle (its own or a hamlet's), as the nightly sweep does."""
    communes = Recognition.objects.filter(status=Recognition.Status.RECOGNISED).values_list("commune_id", flat=True)
    return [alert for commune_id in sorted(set(communes)) for alert in watch_commune(commune_id)]


def _watch(recognition: Recognition, criteria) -> list[Alert]:
    moment = Moment(today())
    # Only counts that must stay low: each record they count is an event (a "≥" count lists what exists). Only
    # ungrouped ones: a member of an "at least k of n" group may fail while its group holds (recognition/rules.py).
    events = [
        c
        for c in criteria
        if c.group_id is None and c.metric.kind == Kind.COUNT and c.comparison != Comparison.AT_LEAST
    ]
    [row] = evaluate_communes(events, [recognition.commune], moment)
    created = []
    for result in row.results:
        if result.met:
            continue
        records = result.metric.gap_list(moment, recognition.commune)
        if records is None:
            continue
        if recognition.hamlet_id and result.metric.hamlet_field:
            records = records.filter(**{result.metric.hamlet_field: recognition.hamlet_id})
        for record in records[:ALERTS_PER_CRITERION]:
            alert, new = Alert.objects.get_or_create(
                recognition=recognition,
                metric_key=result.criterion.metric_key,
                object_type=record._meta.label_lower,
                object_id=str(record.pk),
                defaults={
                    "commune": recognition.commune,
                    "criterion_title": result.criterion.title[:255],
                    "event": _event_text(result.metric, record),
                },
            )
            if new:
                created.append(alert)
    if created:
        log.warning("recognition watch: %s new alert(s) for %s", len(created), recognition)
    return created


def _watch_safely(commune_id: int) -> None:
    # After the officer's write committed: a failing watch is logged, never shown to them as an error.
    try:
        watch_commune(commune_id)
    except Exception:
        log.exception("recognition watch failed for commune %s", commune_id)


def _after_commit(commune_id: int | None) -> None:
    if commune_id is not None:
        transaction.on_commit(lambda: _watch_safely(commune_id))


@receiver(post_save, sender=Hotspot, dispatch_uid="recognition_watch_hotspot")
def _hotspot_saved(sender, instance, **kwargs):
    _after_commit(instance.commune_id)


@receiver(post_save, sender=Incident, dispatch_uid="recognition_watch_incident")
def _incident_saved(sender, instance, **kwargs):
    _after_commit(instance.commune_id)


@receiver(post_save, sender=DrugTest, dispatch_uid="recognition_watch_test")
def _test_saved(sender, instance, **kwargs):
    if instance.result == DrugTest.Result.POSITIVE:
        _after_commit(instance.person.commune_id if instance.person_id else None)
