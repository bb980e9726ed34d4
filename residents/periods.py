"""Legal periods and deadlines (docs/domain.md §4), read from settings.DRUGFREE_LEGAL_PERIODS at call time."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings

ADULT_AGE_MONTHS = 18 * 12


def period(name: str):
    return settings.DRUGFREE_LEGAL_PERIODS[name]


@lru_cache(maxsize=16)
def _vietnam_calendar(year: int):
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: date) -> bool:
    """Monday to Friday except public holidays and days off swapped for a make-up Saturday, plus those make-up
    Saturdays; the package's calendar is amended by the configured days (government decisions it does not know)."""
    if day in settings.DRUGFREE_EXTRA_DAYS_OFF:
        return False
    if day in settings.DRUGFREE_MAKEUP_WORKING_DAYS:
        return True
    return _vietnam_calendar(day.year).is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (see is_working_day)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def months_later(start: date, months: int) -> date:
    """Last day of a period of `months` months starting on `start`, counted calendar-wise (BLDS 2015 art. 148):
    the day before the same calendar day `months` later, or the last day of that month when it has no such day
    (01/03/2027 + 12 months ends 29/02/2028; 31/01/2027 + 1 month ends 28/02/2027; 29/02/2028 + 12 ends 28/02/2029)."""
    same_day = start + relativedelta(months=months)
    if same_day.day != start.day:
        # relativedelta clamped to the month's last day: the month has no such day.
        return same_day
    return same_day - timedelta(days=1)


def is_minor_on(day: date, *, birth_date: date | None, birth_year: int | None) -> bool:
    """Under 18 on `day`. The 18 years from birth end on months_later(birth, 216), so someone born 29/02/2008 is an
    adult from 01/03/2026. Without the exact date, a minor while they could still be one (born 31/12 of the year,
    or birth unknown): the reading that favours the person (shorter compulsory treatment and post-rehab)."""
    if birth_date is None and birth_year is None:
        return True
    born = birth_date or date(birth_year, 12, 31)
    return day <= months_later(born, ADULT_AGE_MONTHS)


def minority_presumed_on(day: date, *, birth_date: date | None, birth_year: int | None) -> bool:
    """A minor on `day` only by that favourable reading: someone born on 01/01 of the year would be an adult."""
    if birth_date is not None:
        return False
    if birth_year is None:
        return True
    return is_minor_on(day, birth_date=None, birth_year=birth_year) and not is_minor_on(
        day, birth_date=date(birth_year, 1, 1), birth_year=birth_year
    )


def treatment_age_day(*, starts_on: date, decision_date: date | None = None) -> date:
    """Minor or adult is decided at the treatment decision (the court's, for compulsory treatment), else its start."""
    return decision_date or starts_on


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
