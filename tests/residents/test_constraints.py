"""Invariants held by the database itself, named so that a violation says which rule broke."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from residents.models import AddictionAssessment, DrugTest, Household, Person, Treatment, UserManagement
from tests import factories as f

TODAY = timezone.localdate()


def _violates(constraint_name, create):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    message = str(error.value)
    if connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed"):
        return  # SQLite names unique violations by their columns, not by the constraint
    assert constraint_name in message


def test_cccd_is_unique_across_communes(places):
    f.person(places.hamlet_a, full_name="Hà Văn A", cccd="038090001234")
    _violates("residents_person_cccd_key", lambda: f.person(places.hamlet_b, full_name="Hà Văn B", cccd="038090001234"))


def test_cccd_must_be_twelve_digits_in_the_database(places):
    _violates(
        "residents_person_cccd_12_digits",
        lambda: Person.objects.bulk_create(
            [Person(commune=places.commune_a, hamlet=places.hamlet_a, full_name="X", name_key="x", cccd="38090001234")]
        ),
    )


def test_household_code_is_unique_per_commune_but_may_repeat_elsewhere(places):
    f.household(places.hamlet_a, code="E-001")
    f.household(places.hamlet_b, code="E-001")
    _violates("residents_household_unique_code_per_commune", lambda: f.household(places.hamlet_a2, code="E-001"))


def test_household_needs_at_least_one_member(places):
    _violates("residents_household_members_positive", lambda: f.household(places.hamlet_a, members=0))


def test_test_date_cannot_be_in_the_future(places):
    tam = f.person(places.hamlet_a)
    _violates(
        "residents_test_date_not_future",
        lambda: DrugTest.objects.create(person=tam, tested_on=TODAY + timedelta(days=3), result="negative"),
    )


def test_test_dated_today_is_accepted(places):
    tam = f.person(places.hamlet_a)
    DrugTest.objects.create(person=tam, tested_on=TODAY, result="negative")
    assert tam.drugtests.count() == 1


def test_management_period_cannot_end_before_it_starts(places):
    tam = f.person(places.hamlet_a)
    _violates(
        "residents_usermgmt_ends_after_start",
        lambda: UserManagement.objects.create(
            person=tam, starts_on=date(2025, 5, 1), ends_on=date(2025, 4, 30), decision_date=date(2025, 5, 1)
        ),
    )


def test_a_person_has_at_most_one_open_treatment(places):
    tam = f.person(places.hamlet_a)
    Treatment.objects.create(person=tam, form="facility", starts_on=date(2025, 1, 1), planned_end_on=date(2025, 7, 1))
    _violates(
        "residents_treatment_one_open",
        lambda: Treatment.objects.create(
            person=tam, form="home", starts_on=date(2025, 2, 1), planned_end_on=date(2025, 8, 1)
        ),
    )


def test_addicted_conclusion_needs_three_criteria(places):
    tam = f.person(places.hamlet_a)
    _violates(
        "residents_assessment_addicted_needs_3_criteria",
        lambda: AddictionAssessment.objects.create(
            person=tam, assessed_on=date(2025, 1, 1), facility="TTYT", criteria_met=2, result="addicted"
        ),
    )


def test_cccd_that_contradicts_birth_year_and_sex_is_refused_with_a_message(places):
    person = Person(
        commune=places.commune_a,
        hamlet=places.hamlet_a,
        full_name="Lương Thị Hoa",
        sex="female",
        birth_year=1985,
        cccd="038090001234",  # 0 = male born 1900s, 90 = 1990
    )
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    messages = " ".join(error.value.message_dict["cccd"])
    assert "năm sinh 1990" in messages
    assert "giới tính" in messages


def test_names_are_stored_nfc_with_a_diacritic_free_key(places):
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"  # NFD, as some keyboards and files produce it
    person = f.person(places.hamlet_a, full_name=f"  {decomposed}  ")
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn An"
    assert person.name_key == "nguyen van an"
    assert list(Person.objects.search("nguyen van an")) == [person]
    assert list(Person.objects.search("NGUYỄN văn")) == [person]


def test_household_hamlet_must_belong_to_its_commune(places):
    household = Household(commune=places.commune_a, hamlet=places.hamlet_b, code="X-1", head_name="Hà Văn C")
    with pytest.raises(ValidationError):
        household.full_clean()
