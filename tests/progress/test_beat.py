"""Celery beat's schedule (production): the monthly snapshot runs the real task, for the month that just ended in
Vietnam, at 00:05 on the 1st in Vietnam's time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings

from drugfree.celery import app
from progress.models import CommuneSnapshot
from progress.tasks import take_monthly_snapshots

# 00:05 on 1 December in Hanoi is still 30 November in UTC.
FIRST_OF_DECEMBER = datetime(2026, 12, 1, 0, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_the_monthly_snapshot_runs_on_the_first_at_five_past_midnight_in_vietnam():
    schedule = settings.CELERY_BEAT_SCHEDULE["monthly-snapshots"]["schedule"]
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
    assert schedule.day_of_month == {1} and schedule.hour == {0} and schedule.minute == {5}


def test_the_scheduled_task_freezes_the_month_that_just_ended(places, programme):
    task = take_monthly_snapshots
    assert settings.CELERY_BEAT_SCHEDULE["monthly-snapshots"]["task"] == task.name
    with time_machine.travel(FIRST_OF_DECEMBER, tick=False):
        created = task.delay().get()
        assert task.delay().get() == 0  # a second run (beat restarted) creates nothing
    assert created > 0
    months = set(CommuneSnapshot.objects.values_list("month", flat=True))
    assert months == {date(2026, 11, 1)}
