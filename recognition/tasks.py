"""Periodic jobs of recognition, run by Celery beat (CELERY_BEAT_SCHEDULE): recognitions whose validity ran out,
and the nightly sweep of the live watch."""

from celery import shared_task

from progress.selectors import today

from .services.keeping import expire_lapsed
from .watch import watch_all


@shared_task
def expire_lapsed_recognitions() -> int:
    """Just after midnight in Vietnam: each recognition past its validity (no confirmed review renewing it) moves to
    "hết hiệu lực" through the transitions table, so the change is in its history. Pages show it from 00:00
    already (`Recognition.lapsed`); this stores it."""
    return len(expire_lapsed(today=today()))


@shared_task
def watch_recognised_units() -> int:
    """Every recognised unit evaluated again: catches what no signal saw (bulk imports, a record edited in SQL, a
    window that moved past a date). Idempotent: an event already alerted raises nothing."""
    return len(watch_all())
