import re

from django.urls import reverse
from django.utils import timezone

from residents.models import Household, Person
from residents.services.households import household_update
from residents.services.people import person_update
from tests import factories as f


def _person_data(**extra):
    return {"full_name": "Lò Văn Tám", "cccd": "", "birth_year": "1990", "sex": "male", **extra}


def test_officer_adds_a_household_to_a_hamlet(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("residents:household_create", args=[places.hamlet_a.pk]),
        {"code": "SOI-090", "head_name": "  Hà  Văn Minh ", "head_cccd": "38090012345", "members_count": 4},
    )
    household = Household.objects.get(code="SOI-090")
    assert response.status_code == 302
    assert (household.head_name, household.head_cccd, household.commune) == (
        "Hà Văn Minh",
        "038090012345",
        places.commune_a,
    )


def test_a_duplicate_household_code_is_refused_next_to_the_field(places, personas, client_for):
    f.household(places.hamlet_a, code="SOI-090")
    response = client_for(personas.officer_a).post(
        reverse("residents:household_create", args=[places.hamlet_a.pk]),
        {"code": "SOI-090", "head_name": "Hà Văn Minh", "members_count": 4},
    )
    assert response.status_code == 200
    assert Household.objects.count() == 1
    assert response.context["form"].errors


def test_moving_a_household_takes_its_members_to_the_new_hamlet(places, personas, client_for):
    household = f.household(places.hamlet_a)
    member = f.person(places.hamlet_a, household_=household)
    client_for(personas.officer_a).post(
        reverse("residents:household_move", args=[household.pk]), {"hamlet": places.hamlet_a2.pk}
    )
    member.refresh_from_db()
    assert member.hamlet == places.hamlet_a2


def test_a_household_cannot_move_to_another_communes_hamlet(places, personas, client_for):
    household = f.household(places.hamlet_a)
    response = client_for(personas.officer_a).post(
        reverse("residents:household_move", args=[household.pk]), {"hamlet": places.hamlet_b.pk}
    )
    assert response.status_code == 200
    household.refresh_from_db()
    assert household.hamlet == places.hamlet_a


def test_a_dissolved_household_is_kept_but_no_longer_residing(places, personas, client_for):
    household = f.household(places.hamlet_a)
    client_for(personas.officer_a).post(
        reverse("residents:household_end", args=[household.pk]),
        {"status": "dissolved", "status_changed_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    household.refresh_from_db()
    assert household.status == Household.Status.DISSOLVED


def test_second_officer_editing_a_household_is_told_and_shown_the_difference(places, personas, client_for):
    household = f.household(places.hamlet_a, code="SOI-001", head_name="Hà Văn Minh", members=4)
    seen = household.version
    household_update(actor=personas.admin, household=household, members_count=6, seen_version=seen)
    response = client_for(personas.officer_a).post(
        reverse("residents:household_edit", args=[household.pk]),
        {"code": "SOI-001", "head_name": "Hà Văn Minh", "members_count": 5, "seen_version": seen},
    )
    household.refresh_from_db()
    assert household.members_count == 6  # the first officer's change is kept
    [row] = response.context["conflict"]
    assert (row.label, row.theirs, row.yours) == ("Số nhân khẩu", "6", "5")
    assert "Giá trị của bạn" in response.text
    # Saving the rebased form again is a deliberate overwrite.
    response = client_for(personas.officer_a).post(
        reverse("residents:household_edit", args=[household.pk]),
        {"code": "SOI-001", "head_name": "Hà Văn Minh", "members_count": 5, "seen_version": household.version},
    )
    household.refresh_from_db()
    assert household.members_count == 5


def test_second_officer_editing_a_person_is_refused(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    seen = person.version
    person_update(actor=personas.admin, person=person, current_address="Số 12", seen_version=seen)
    response = client_for(personas.officer_a).post(
        reverse("residents:person_edit", args=[person.pk]),
        _person_data(current_address="Số 14", seen_version=seen),
    )
    person.refresh_from_db()
    assert person.current_address == "Số 12"
    assert [(r.theirs, r.yours) for r in response.context["conflict"]] == [("Số 12", "Số 14")]


def test_adding_a_member_shows_likely_duplicates_and_needs_confirmation(places, personas, client_for):
    household = f.household(places.hamlet_a)
    existing = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990)
    client = client_for(personas.officer_a)
    url = reverse("residents:member_create", args=[household.pk])
    response = client.post(url, _person_data(full_name="lò  văn tám"))
    assert response.status_code == 200
    assert response.context["duplicates"] == [existing]
    assert reverse("residents:person", args=[existing.pk]) in response.text
    assert Person.objects.count() == 1
    response = client.post(url, _person_data(confirm_new="on"))
    assert response.status_code == 302
    assert Person.objects.filter(household=household).count() == 1


def test_duplicates_are_checked_as_the_officer_types(places, personas, client_for):
    same_cccd = f.person(places.hamlet_a, full_name="Khác Tên", cccd="038090012345", birth_year=1990, sex="male")
    f.person(places.hamlet_b, full_name="Lò Văn Tám", birth_year=1990)  # another commune: never shown
    response = client_for(personas.officer_a).get(
        reverse("residents:person_duplicates"), {"full_name": "Lo Van Tam", "cccd": "38090012345", "birth_year": "1990"}
    )
    assert list(response.context["duplicates"]) == [same_cccd]


def test_same_name_without_birth_year_or_household_is_not_a_duplicate(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1970)
    response = client_for(personas.officer_a).get(
        reverse("residents:person_duplicates"), {"full_name": "Lò Văn Tám", "birth_year": "1990"}
    )
    assert response.context["duplicates"] == []


def test_viewer_cannot_post_to_any_form(places, personas, client_for):
    household = f.household(places.hamlet_a)
    client = client_for(personas.viewer_a)
    assert client.post(reverse("residents:household_edit", args=[household.pk]), {}).status_code == 403
    assert client.post(reverse("residents:member_create", args=[household.pk]), _person_data()).status_code == 403


def test_household_page_uses_a_constant_number_of_queries(places, personas, client_for, django_assert_num_queries):
    household = f.household(places.hamlet_a)
    for n in range(40):
        f.person(places.hamlet_a, full_name=f"Người {n}", household_=household)
    client = client_for(personas.officer_a)
    # session, user, household with hamlet and commune, access log insert, members
    with django_assert_num_queries(5):
        response = client.get(reverse("residents:household", args=[household.pk]))
    assert response.status_code == 200


def test_viewer_sees_the_household_without_action_buttons(places, personas, client_for):
    household = f.household(places.hamlet_a)
    text = client_for(personas.viewer_a).get(reverse("residents:household", args=[household.pk])).text
    assert household.code in text
    assert reverse("residents:household_edit", args=[household.pk]) not in text
    assert reverse("residents:member_create", args=[household.pk]) not in text


def test_officer_opens_a_file_for_a_person_outside_any_household(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("residents:person_create", args=[places.hamlet_a2.pk]),
        _person_data(cccd="038090012345", current_address="Tạm trú tại nhà trọ"),
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert (person.hamlet, person.commune, person.household, person.cccd) == (
        places.hamlet_a2,
        places.commune_a,
        None,
        "038090012345",
    )
    assert person.history.get().history_user == personas.officer_a


def test_the_person_forms_household_select_names_the_hamlets_households_and_saves_the_chosen_one(
    places, personas, client_for
):
    first = f.household(places.hamlet_a, code="SOI-002", head_name="Hà <Văn> Hai")
    second = f.household(places.hamlet_a, code="SOI-001", head_name="Lò Thị Một")
    f.household(places.hamlet_b, code="SOI-003")  # another hamlet's: not offered
    person = f.person(places.hamlet_a, household_=first)
    client = client_for(personas.officer_a)
    html = client.get(reverse("residents:person_edit", args=[person.pk])).text
    select = html[html.index('<select name="household"') : html.index("</select>", html.index('name="household"'))]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert options == [
        ("", "", "---------"),
        (str(second.pk), "", "SOI-001 – Lò Thị Một"),
        (str(first.pk), " selected", "SOI-002 – Hà &lt;Văn&gt; Hai"),
    ]
    data = {"full_name": person.full_name, "household": second.pk, "seen_version": person.version}
    assert client.post(reverse("residents:person_edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert person.household == second
