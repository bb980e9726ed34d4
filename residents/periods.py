"""Legal periods and deadlines (domain.md §4), read from settings.DRUGFREE_LEGAL_PERIODS at call time."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings


def period(name: str):
    return settings.DRUGFREE_LEGAL_PERIODS[name]


@lru_cache(maxsize=16)
def _vietnam_holidays(year: int):
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _vietnam_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends and Vietnamese public holidays skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def months_later(start: date, months: int) -> date:
    """Last day of a period of `months` months starting on `start` (a 1-year period from 01/03 ends 28/02)."""
    return start + relativedelta(months=months) - timedelta(days=1)


def management_decision_due(positive_test_on: date) -> date:
    return add_working_days(positive_test_on, period("management_decision_working_days"))


def treatment_registration_due(assessed_on: date) -> date:
    return add_working_days(assessed_on, period("treatment_registration_working_days"))


def user_management_end(starts_on: date) -> date:
    return months_later(starts_on, period("user_management_months"))


def treatment_planned_end(form: str, starts_on: date, *, is_minor: bool = False) -> date:
    from residents.models import Treatment

    if form == Treatment.Form.COMPULSORY:
        low, high = period("compulsory_treatment_minor_months" if is_minor else "compulsory_treatment_adult_months")
        return months_later(starts_on, high)
    if form == Treatment.Form.METHADONE:
        # Substitution therapy has no legal end; a yearly review date keeps it on the work queue.
        return months_later(starts_on, 12)
    return months_later(starts_on, period("voluntary_treatment_min_months"))


def post_rehab_end(starts_on: date, *, after_adult_compulsory: bool) -> date:
    months = period("post_rehab_after_adult_compulsory_months" if after_adult_compulsory else "post_rehab_months")
    return months_later(starts_on, months)
