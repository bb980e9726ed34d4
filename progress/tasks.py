"""Periodic jobs of progress, run by Celery beat in production (CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from progress.selectors import today
from progress.services import previous_month, take_snapshots


@shared_task
def take_monthly_snapshots() -> int:
    """Freeze the month that just ended in Vietnam (the schedule runs on the 1st); idempotent, so a beat restart
    that runs it twice creates nothing the second time."""
    return take_snapshots(month=previous_month(today()))
