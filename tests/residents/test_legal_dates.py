"""Legal date arithmetic: month periods counted calendar-wise (BLDS 2015 art. 148), minor or adult by the exact
birth date, working days with the government's make-up Saturdays and extra days off."""

from datetime import date

import pytest
from django.test import override_settings

from residents import periods
from residents.models import DrugTest, Treatment
from residents.services import lifecycle as L
from tests import factories as f


def test_a_period_of_months_ends_the_day_before_the_same_day_or_on_the_last_day_of_a_shorter_month():
    expected = {
        (date(2028, 2, 29), 12): date(2029, 2, 28),  # no 29/02/2029: the last day of February
        (date(2027, 1, 31), 1): date(2027, 2, 28),
        (date(2028, 1, 30), 1): date(2028, 2, 29),
        (date(2028, 1, 29), 1): date(2028, 2, 28),  # 29/02/2028 exists: the day before it
        (date(2027, 3, 1), 12): date(2028, 2, 29),
        (date(2026, 3, 31), 1): date(2026, 4, 30),
        (date(2025, 12, 31), 2): date(2026, 2, 28),
    }
    assert {key: periods.months_later(*key) for key in expected} == expected


# --- the periods the services compute


@pytest.fixture
def officer(personas):
    return personas.officer_a


def _addict(officer, person, *, on: date):
    L.person_record_test(actor=officer, person=person, tested_on=on, result=DrugTest.Result.POSITIVE)
    L.person_record_assessment(actor=officer, person=person, assessed_on=on, facility="TTYT", criteria_met=4)


def _treated(officer, person, *, form, starts_on, ended_on=None, decision_date=None):
    _addict(officer, person, on=min(starts_on, decision_date or starts_on))
    treatment = L.person_start_treatment(
        actor=officer, person=person, form=form, starts_on=starts_on, decision_date=decision_date
    )
    if ended_on is None:
        return treatment
    return L.person_end_treatment(actor=officer, person=person, ended_on=ended_on, outcome=Treatment.Outcome.COMPLETED)


def test_management_from_29_february_ends_on_28_february_a_year_later(places, officer):
    person = f.person(places.hamlet_a, birth_year=1990)
    L.person_record_test(actor=officer, person=person, tested_on=date(2024, 2, 27), result=DrugTest.Result.POSITIVE)
    decision = L.ManagementDecision(number="7/QĐ", decided_on=date(2024, 2, 29), starts_on=date(2024, 2, 29))
    management = L.person_start_management(actor=officer, person=person, decision=decision)
    assert management.ends_on == date(2025, 2, 28)


def test_treatment_planned_end_is_the_last_day_of_a_month_without_the_same_day(places, officer):
    adult = f.person(places.hamlet_a, birth_year=1990)
    voluntary = _treated(officer, adult, form=Treatment.Form.HOME_COMMUNITY, starts_on=date(2025, 8, 31))
    assert voluntary.planned_end_on == date(2026, 2, 28)  # 6 months; there is no 31/02
    compulsory = _treated(
        officer,
        f.person(places.hamlet_a, full_name="Hà Văn Bắt", birth_year=1990),
        form=Treatment.Form.COMPULSORY,
        starts_on=date(2024, 2, 29),
    )
    assert compulsory.planned_end_on == date(2026, 2, 28)  # 24 months for an adult


def test_post_rehab_from_29_february_ends_on_28_february(places, officer):
    after_voluntary = _treated(
        officer,
        f.person(places.hamlet_a, birth_year=1990),
        form=Treatment.Form.FACILITY,
        starts_on=date(2023, 8, 29),
        ended_on=date(2024, 2, 29),
    )
    assert after_voluntary.ends_on == date(2025, 2, 28)
    after_compulsory = _treated(
        officer,
        f.person(places.hamlet_a, full_name="Hà Văn Bắt", birth_year=1990),
        form=Treatment.Form.COMPULSORY,
        starts_on=date(2022, 2, 28),
        ended_on=date(2024, 2, 29),
    )
    assert after_compulsory.ends_on == date(2026, 2, 28)  # 2 years after adult compulsory treatment


# --- minor or adult


def test_minor_or_adult_is_decided_by_the_exact_birth_date():
    # 18 full years: born 15/01/2008, a minor until 14/01/2026; born 29/02/2008, until 28/02/2026.
    assert periods.is_minor_on(date(2026, 1, 15), birth_date=date(2008, 12, 31), birth_year=2008)
    assert periods.is_minor_on(date(2026, 1, 14), birth_date=date(2008, 1, 15), birth_year=2008)
    assert not periods.is_minor_on(date(2026, 1, 15), birth_date=date(2008, 1, 15), birth_year=2008)
    assert periods.is_minor_on(date(2026, 2, 28), birth_date=date(2008, 2, 29), birth_year=2008)
    assert not periods.is_minor_on(date(2026, 3, 1), birth_date=date(2008, 2, 29), birth_year=2008)


def test_with_only_the_birth_year_a_person_is_a_minor_while_they_could_still_be_one():
    assert periods.is_minor_on(date(2026, 12, 30), birth_date=None, birth_year=2008)  # if born 31/12/2008
    assert not periods.is_minor_on(date(2026, 12, 31), birth_date=None, birth_year=2008)
    assert not periods.is_minor_on(date(2026, 1, 15), birth_date=None, birth_year=2007)
    assert periods.is_minor_on(date(2026, 1, 15), birth_date=None, birth_year=None)
    # Presumed (the year alone cannot tell) only in the year the person turns 18, or with no birth data at all.
    assert periods.minority_presumed_on(date(2026, 1, 15), birth_date=None, birth_year=2008)
    assert not periods.minority_presumed_on(date(2026, 1, 15), birth_date=None, birth_year=2010)  # surely a minor
    assert not periods.minority_presumed_on(date(2026, 1, 15), birth_date=date(2008, 12, 31), birth_year=2008)
    assert periods.minority_presumed_on(date(2026, 1, 15), birth_date=None, birth_year=None)


@pytest.mark.parametrize(
    ("birth", "planned_end"),
    [
        ({"birth_date": date(2008, 12, 31)}, date(2027, 1, 14)),  # 17 on 15/01/2026: 12 months at most
        ({"birth_year": 2008}, date(2027, 1, 14)),  # could still be 17: the reading that favours the person
        ({}, date(2027, 1, 14)),  # nothing known: the same
    ],
)
def test_compulsory_treatment_of_a_minor_is_planned_for_twelve_months(places, officer, birth, planned_end):
    person = f.person(places.hamlet_a, **birth)
    treatment = _treated(officer, person, form=Treatment.Form.COMPULSORY, starts_on=date(2026, 1, 15))
    assert treatment.planned_end_on == planned_end


def test_an_eighteenth_birthday_on_the_start_day_makes_the_treatment_an_adults(places, officer):
    adult = f.person(places.hamlet_a, birth_date=date(2008, 1, 15))
    minor = f.person(places.hamlet_a, full_name="Hà Văn Nhỏ", birth_date=date(2008, 1, 16))
    start = date(2026, 1, 15)
    assert _treated(officer, adult, form=Treatment.Form.COMPULSORY, starts_on=start).planned_end_on == date(2028, 1, 14)
    assert _treated(officer, minor, form=Treatment.Form.COMPULSORY, starts_on=start).planned_end_on == date(2027, 1, 14)


def test_age_is_taken_at_the_treatment_decision_when_there_is_one(places, officer):
    person = f.person(places.hamlet_a, birth_date=date(2008, 1, 10))  # 17 at the decision, 18 at the start
    treatment = _treated(
        officer, person, form=Treatment.Form.COMPULSORY, starts_on=date(2026, 1, 15), decision_date=date(2026, 1, 5)
    )
    assert treatment.planned_end_on == date(2027, 1, 14)


def test_post_rehab_after_a_minors_compulsory_treatment_lasts_one_year(places, officer):
    person = f.person(places.hamlet_a, birth_date=date(2008, 12, 31))
    post = _treated(
        officer, person, form=Treatment.Form.COMPULSORY, starts_on=date(2026, 1, 15), ended_on=date(2026, 11, 30)
    )
    assert post.ends_on == date(2027, 11, 29)  # 12 months, not the 24 after an adult's


# --- working days


def test_the_governments_make_up_saturdays_count_as_working_days():
    # 2025: Friday 02/05 off, worked on Saturday 26/04; 2026: Monday 31/08 off, worked on Saturday 22/08.
    assert periods.is_working_day(date(2025, 4, 26))
    assert not periods.is_working_day(date(2025, 5, 2))
    assert periods.is_working_day(date(2026, 8, 22))
    assert not periods.is_working_day(date(2026, 8, 31))
    # From Thursday 24/04/2025: Friday 25, Saturday 26 (make-up), Monday 28.
    assert periods.management_decision_due(date(2025, 4, 24)) == date(2025, 4, 28)
    assert periods.management_decision_due(date(2026, 8, 20)) == date(2026, 8, 24)


def test_configured_make_up_days_and_extra_days_off_move_the_deadline():
    thursday = date(2026, 12, 10)
    assert periods.management_decision_due(thursday) == date(2026, 12, 15)  # Friday 11, Monday 14, Tuesday 15
    with override_settings(DRUGFREE_MAKEUP_WORKING_DAYS=frozenset({date(2026, 12, 12)})):
        assert periods.management_decision_due(thursday) == date(2026, 12, 14)  # Friday 11, Saturday 12, Monday 14
    with override_settings(DRUGFREE_EXTRA_DAYS_OFF=frozenset({date(2026, 12, 14)})):
        assert periods.management_decision_due(thursday) == date(2026, 12, 16)  # Friday 11, Tuesday 15, Wednesday 16
