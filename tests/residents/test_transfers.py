"""A CCCD on file in another commune: the officer learns only that a reviewer must check it; the reviewer decides."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from residents.forms.people import PersonForm
from residents.models import Person, PersonTransfer
from tests import factories as f

CCCD = "038090000123"  # a man born in 1990


@pytest.fixture
def on_file(places, personas):
    """Someone under management in commune B."""
    return f.person(places.hamlet_b, full_name="Hà Văn Bí Mật", cccd=CCCD, status="user", birth_year=1990)


def _new_person(client, places, **extra):
    data = {"full_name": "Hà Văn Mới", "cccd": CCCD, "birth_year": "1990", "sex": "male", **extra}
    return client.post(reverse("residents:person_create", args=[places.hamlet_a.pk]), data, follow=True)


def test_registering_a_person_on_file_elsewhere_tells_the_officer_nothing_about_the_record(
    places, personas, client_for, on_file
):
    response = _new_person(client_for(personas.officer_a), places)

    text = response.text
    assert "cần cán bộ theo dõi cấp trên xác minh" in text
    for secret in (places.commune_b.name, "Bí Mật", "Người sử dụng", "đã tồn tại", "xã khác"):
        assert secret not in text, secret
    assert not Person.objects.filter(commune=places.commune_a).exists()
    transfer = PersonTransfer.objects.get()
    assert (transfer.person, transfer.to_hamlet) == (on_file, places.hamlet_a)
    assert transfer.requested_by == personas.officer_a
    assert transfer.identity["full_name"] == "Hà Văn Mới"


def test_registering_twice_keeps_one_task(places, personas, client_for, on_file):
    client = client_for(personas.officer_a)
    _new_person(client, places)
    _new_person(client, places)
    assert PersonTransfer.objects.count() == 1


def test_a_cccd_of_the_officers_own_commune_is_still_the_ordinary_duplicate(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Hà Văn Cũ", cccd=CCCD, birth_year=1990)
    response = _new_person(client_for(personas.officer_a), places, confirm_new="on")
    assert response.status_code == 200 and not PersonTransfer.objects.exists()
    assert "Hà Văn Cũ" in response.text  # the officer's own record, which they may see


def test_editing_a_file_to_a_cccd_on_file_elsewhere_is_refused_with_the_same_words(places, on_file):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990, sex="male")
    data = {"full_name": person.full_name, "cccd": CCCD, "birth_year": "1990", "sex": "male"}
    form = PersonForm(data, instance=person, hamlet=places.hamlet_a)
    assert not form.is_valid()
    assert form.errors["cccd"] == [str(PersonForm.ON_FILE_ELSEWHERE)]


def test_officers_never_see_the_task(places, personas, client_for, on_file):
    _new_person(client_for(personas.officer_a), places)
    for officer in (personas.officer_a, personas.officer_b):
        assert client_for(officer).get(reverse("residents:transfers")).status_code == 403


def test_the_reviewer_moves_the_person_with_their_records(places, personas, client_for, on_file):
    _new_person(client_for(personas.officer_a), places)
    transfer = PersonTransfer.objects.get()
    client = client_for(personas.reviewer_personal)
    assert "Hà Văn Bí Mật" in client.get(reverse("residents:transfers")).text
    client.post(reverse("residents:transfer_resolve", args=[transfer.pk, "accept"]))

    on_file.refresh_from_db()
    assert (on_file.commune, on_file.hamlet, on_file.status) == (places.commune_a, places.hamlet_a, "user")
    assert on_file.history.first().history_user == personas.reviewer_personal
    transfer.refresh_from_db()
    assert (transfer.status, transfer.resolved_by) == (PersonTransfer.Status.ACCEPTED, personas.reviewer_personal)
    # Now the officer of A sees the file, the officer of B no longer does.
    assert client_for(personas.officer_a).get(reverse("residents:person", args=[on_file.pk])).status_code == 200
    assert client_for(personas.officer_b).get(reverse("residents:person", args=[on_file.pk])).status_code == 404


def test_the_reviewer_may_refuse_and_the_record_stays(places, personas, client_for, on_file):
    _new_person(client_for(personas.officer_a), places)
    transfer = PersonTransfer.objects.get()
    client_for(personas.reviewer_personal).post(reverse("residents:transfer_resolve", args=[transfer.pk, "reject"]))
    on_file.refresh_from_db()
    assert on_file.commune == places.commune_b
    assert PersonTransfer.objects.get().status == PersonTransfer.Status.REJECTED


def test_a_reviewer_of_another_province_does_not_see_the_task(places, personas, client_for, on_file):
    other = f.user("pc04_nghean", "reviewer", province=places.other_province, may_view_personal_data=True)
    _new_person(client_for(personas.officer_a), places)
    response = client_for(other).get(reverse("residents:transfers"))
    assert list(response.context["page"]) == []


def test_the_queue_costs_the_same_queries_for_many_requests(places, personas, client_for, django_assert_num_queries):
    for n in range(40):
        person = f.person(places.hamlet_b, full_name=f"Người {n}", cccd=f"0380900{n:05d}", birth_year=1990)
        PersonTransfer.objects.create(
            person=person, to_commune=places.commune_a, to_hamlet=places.hamlet_a, requested_by=personas.officer_a
        )
    client = client_for(personas.reviewer_personal)
    # session, user, count, page of requests with both communes, hamlets, household and requester, access log insert
    # (the reviewer's province and the menu's open alerts come with the user)
    with django_assert_num_queries(5):
        response = client.get(reverse("residents:transfers"))
    assert len(response.context["page"]) == 30
    assert len(AccessLog.objects.get().object_ids) == 30
