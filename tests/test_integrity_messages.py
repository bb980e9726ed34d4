"""A rule the database enforces is explained in Vietnamese next to the field or row concerned: never a 500, never a
constraint's name, never English. Nothing is saved."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from communes.models import Hamlet
from drugfree.integrity import describe_integrity_error
from pledges.models import HouseholdPledge
from residents.models import DrugTest
from tests import factories as f
from tests.pledges.checklist import checklist_data

FUTURE_MESSAGE = "Ngày này chưa tới: không được ghi một ngày sau hôm nay."


@pytest.fixture
def clock_two_days_ahead():
    """The application server's clock ahead of the database's: Python accepts a date the database refuses."""
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        yield timezone.localdate()


def _integrity_error(create) -> IntegrityError:
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        create()
    return raised.value


def test_every_check_constraint_has_its_own_vietnamese_message():
    default = models.CheckConstraint.default_violation_error_message
    checks = [
        (model, constraint)
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]
    unexplained = [
        constraint.name
        for model, constraint in checks
        if constraint.violation_error_message == default and not getattr(constraint, "after", "")
    ]
    assert len(checks) > 40 and unexplained == []


def test_a_database_check_is_described_by_its_field_and_message(places):
    person = f.person(places.hamlet_a)
    tomorrow = timezone.localdate() + timedelta(days=1)

    violation = describe_integrity_error(
        _integrity_error(lambda: DrugTest.objects.create(person=person, tested_on=tomorrow, result="negative"))
    )

    assert (violation.field, violation.field_label, violation.message) == (
        "tested_on",
        "Ngày xét nghiệm",
        FUTURE_MESSAGE,
    )
    assert "residents_" not in violation.text


def test_a_duplicate_is_described_without_naming_the_constraint(places):
    f.person(places.hamlet_a, cccd="038090001234")

    violation = describe_integrity_error(
        _integrity_error(lambda: f.person(places.hamlet_a2, full_name="Vi Văn Khác", cccd="038090001234"))
    )

    assert violation.field == "cccd"
    assert violation.message.startswith("Đã có") and "_key" not in violation.text


def test_dates_out_of_order_name_both_fields(places, personas, client_for):
    today = timezone.localdate()

    response = client_for(personas.officer_a).post(
        reverse("admin:communes_traffickingroute_add"),
        {"commune": places.commune_a.pk, "name": "Đường mòn Na Mèo", "description": "", "note": "",
         "identified_on": today.strftime("%d/%m/%Y"), "ended_on": (today - timedelta(days=5)).strftime("%d/%m/%Y")},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ended_on"] == ["Ngày chấm dứt không được trước ngày xác định."]


def test_a_form_shows_the_databases_refusal_next_to_the_date(places, personas, client_for, clock_two_days_ahead):
    person = f.person(places.hamlet_a)
    url = reverse("residents:person_action", args=[person.pk, "record_test"])

    response = client_for(personas.officer_a).post(
        url, {"tested_on": clock_two_days_ahead.strftime("%d/%m/%Y"), "result": "negative", "method": "quick_urine",
              "seen_version": person.version},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors["tested_on"] == [FUTURE_MESSAGE]
    assert "not_future" not in response.content.decode()
    assert not DrugTest.objects.exists()


def test_the_checklist_shows_a_refused_row_and_saves_nothing(places, personas, client_for, clock_two_days_ahead):
    for n in (1, 2):
        f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Lò Văn {n}")
    client = client_for(personas.officer_a)
    url = reverse("pledges:checklist", args=[places.hamlet_a.pk, clock_two_days_ahead.year])
    page = client.get(url)

    response = client.post(
        url,
        checklist_data(page, tick={"SOI-001", "SOI-002"}, default_signed_on=clock_two_days_ahead.strftime("%d/%m/%Y")),
    )

    assert response.status_code == 200
    [first_row] = [form for form in response.context["formset"] if form.household_obj.code == "SOI-001"]
    assert first_row.errors["signed_on"] == [FUTURE_MESSAGE]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Chưa lưu gì: Hộ SOI-001: {FUTURE_MESSAGE}"]
    assert not HouseholdPledge.objects.exists()


def test_the_admin_explains_a_duplicate_it_could_not_check_and_saves_nothing(places, personas, client_for):
    # The hamlet's search key is not on the admin form, so only the database sees that the name is taken.
    client = client_for(personas.officer_a)
    url = reverse("admin:communes_hamlet_add")

    response = client.post(
        url, {"commune": places.commune_a.pk, "name": "khu pho soi", "kind": "khu_pho", "head_name": ""}, follow=True
    )

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Tên: Đã có thôn/khu phố trùng xã, tên này."]
    assert Hamlet.objects.filter(commune=places.commune_a).count() == 2
