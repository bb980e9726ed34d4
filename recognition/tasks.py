"""Periodic job of recognition, run by Celery beat (CELERY_BEAT_SCHEDULE): the nightly sweep of the live watch."""

from celery import shared_task

from .watch import watch_all


@shared_task
def watch_recognised_units() -> int:
    """Every recognised unit evaluated again: catches what no signal saw (bulk imports, a record edited in SQL, a
    window that moved past a date). Idempotent: an event already alerted raises nothing."""
    return len(watch_all())
