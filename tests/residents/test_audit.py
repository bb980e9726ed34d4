"""Every create/update/delete of people, records, households and pledges leaves who, when and what changed."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from pledges.models import HouseholdPledge
from pledges.services import PledgeEntry, pledges_record
from residents.models import DrugTest
from residents.services import lifecycle
from residents.services.households import household_change_status, household_create
from residents.services.people import person_create, person_update
from tests import factories as f


def test_person_creation_and_edit_are_attributed_with_the_changed_fields(places, personas):
    person = person_create(
        actor=personas.officer_a,
        commune=places.commune_a,
        hamlet=places.hamlet_a,
        full_name="Vi Văn Thoại",
        birth_year=1992,
        sex="male",
    )
    person_update(actor=personas.officer_a, person=person, current_address="Số 12, khu phố Sỏi")
    latest, first = person.history.all()[:2]
    assert first.history_type == "+" and first.history_user == personas.officer_a
    assert latest.history_type == "~" and latest.history_user == personas.officer_a
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(first).changes}
    assert changes == {"current_address": ("", "Số 12, khu phố Sỏi")}


def test_lifecycle_records_carry_the_officer(places, personas):
    person = f.person(places.hamlet_a)
    test = lifecycle.person_record_test(
        actor=personas.officer_a, person=person, tested_on=timezone.localdate(), result=DrugTest.Result.POSITIVE
    )
    assert test.history.get().history_user == personas.officer_a
    assert person.history.latest().status == "positive"
    assert person.history.latest().history_user == personas.officer_a


def test_household_status_change_is_audited(places, personas):
    household = household_create(
        actor=personas.officer_a, hamlet=places.hamlet_a, code="SOI-900", head_name="Hà Văn Lịch", members_count=3
    )
    household_change_status(actor=personas.officer_a, household=household, status="moved_away", on=timezone.localdate())
    assert [h.history_type for h in household.history.all()] == ["~", "+"]
    assert household.history.latest().history_user == personas.officer_a


def test_pledge_withdrawal_leaves_a_deletion_entry(places, personas):
    household = f.household(places.hamlet_a)
    pledges_record(
        actor=personas.officer_a,
        year=2025,
        entries=[PledgeEntry(household, True, date(2025, 3, 1), household.head_name)],
    )
    pledges_record(actor=personas.officer_a, year=2025, entries=[PledgeEntry(household, False)])
    entries = HouseholdPledge.history.filter(household_id=household.pk).order_by("history_date")
    assert [(e.history_type, e.history_user) for e in entries] == [("+", personas.officer_a), ("-", personas.officer_a)]


def test_changes_made_in_the_admin_are_attributed_to_the_request_user(places, personas, client):
    household = f.household(places.hamlet_a, head_name="Hà Văn Minh")
    client.force_login(personas.admin)
    url = reverse("admin:residents_household_change", args=[household.pk])
    response = client.post(
        url,
        {
            "commune": places.commune_a.pk,
            "hamlet": places.hamlet_a.pk,
            "code": household.code,
            "head_name": "Hà Văn Minh",
            "head_cccd": "",
            "address": "",
            "members_count": 5,
            "ethnicity": "Mường",
            "status": "residing",
            "status_changed_on": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    latest = household.history.latest()
    assert latest.history_user == personas.admin
    assert latest.members_count == 5
