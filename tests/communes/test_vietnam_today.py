"""The database's own "today" is the date in Vietnam, on SQLite and on PostgreSQL, whatever the session's time zone."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from communes.models import Commune
from drugfree.db import VietnamDate, VietnamToday
from residents.models import DrugTest
from tests import factories as f


def _in_database(expression) -> date:
    return Commune.objects.annotate(value=expression).values_list("value", flat=True)[0]


@pytest.mark.parametrize(
    ("instant", "vietnam_date"),
    [
        (datetime(2026, 12, 6, 16, 59, 59, tzinfo=UTC), date(2026, 12, 6)),  # 23:59:59 in Hanoi
        (datetime(2026, 12, 6, 17, 0, 0, tzinfo=UTC), date(2026, 12, 7)),  # midnight in Hanoi, UTC still on the 6th
        (datetime(2026, 12, 6, 23, 59, 59, tzinfo=UTC), date(2026, 12, 7)),  # 06:59:59 in Hanoi
        (datetime(2028, 2, 28, 17, 0, 0, tzinfo=UTC), date(2028, 2, 29)),  # a leap day starts
        (datetime(2026, 12, 31, 17, 0, 0, tzinfo=UTC), date(2027, 1, 1)),  # a new year in Vietnam only
    ],
)
def test_the_database_computes_the_vietnam_date_of_an_instant(places, instant, vietnam_date):
    value = models.Value(instant, output_field=models.DateTimeField())

    assert _in_database(VietnamDate(value)) == vietnam_date


def test_the_database_and_python_agree_on_today(places):
    assert _in_database(VietnamToday()) == timezone.localdate()


def test_a_row_dated_with_the_databases_vietnam_today_is_accepted_and_the_next_day_refused(places):
    person = f.person(places.hamlet_a)
    today = _in_database(VietnamToday())

    DrugTest.objects.create(person=person, tested_on=today, result="negative")
    with pytest.raises(IntegrityError), transaction.atomic():
        DrugTest.objects.create(person=person, tested_on=today + timedelta(days=1), result="negative")

    assert list(DrugTest.objects.values_list("tested_on", flat=True)) == [today]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL sessions have a time zone setting")
@pytest.mark.parametrize("session_zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_the_session_time_zone_does_not_move_the_check(places, session_zone):
    person = f.person(places.hamlet_a)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE %s", [session_zone])
    try:
        DrugTest.objects.create(person=person, tested_on=today, result="negative")
        with pytest.raises(IntegrityError), transaction.atomic():
            DrugTest.objects.create(person=person, tested_on=today + timedelta(days=1), result="negative")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert DrugTest.objects.count() == 1
