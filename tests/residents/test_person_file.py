from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from residents.selectors import person_timeline
from residents.services import lifecycle
from tests import factories as f


def _managed_person(places, officer):
    household = f.household(places.hamlet_a, code="SOI-017")
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990, household_=household)
    tested = timezone.localdate() - timedelta(days=20)
    lifecycle.person_list_as_suspect(actor=officer, person=person, listed_on=tested, trigger="tip")
    lifecycle.person_record_test(actor=officer, person=person, tested_on=tested, result="positive")
    decision = lifecycle.ManagementDecision(number="12/QĐ-UBND", decided_on=tested, starts_on=tested)
    lifecycle.person_start_management(actor=officer, person=person, decision=decision)
    return person


def test_file_shows_the_timeline_with_document_numbers_and_dates(places, personas, client_for):
    person = _managed_person(places, personas.officer_a)
    response = client_for(personas.officer_a).get(reverse("residents:person", args=[person.pk]))
    text = response.text
    assert "12/QĐ-UBND" in text
    assert "Xét nghiệm: Dương tính" in text
    assert "Đưa vào danh sách nghi sử dụng" in text
    assert (timezone.localdate() - timedelta(days=20)).strftime("%d/%m/%Y") in text


def test_every_view_of_a_file_is_logged(places, personas, client_for):
    person = f.person(places.hamlet_a)
    client_for(personas.viewer_a).get(reverse("residents:person", args=[person.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.action) == (personas.viewer_a, str(person.pk), "view")


def test_officer_is_offered_only_the_transitions_allowed_from_the_current_status(places, personas, client_for):
    person = _managed_person(places, personas.officer_a)
    text = client_for(personas.officer_a).get(reverse("residents:person", args=[person.pk])).text
    assert reverse("residents:person_action", args=[person.pk, "record_residence_check"]) in text
    assert reverse("residents:person_action", args=[person.pk, "issue_management_decision"]) in text  # re-use
    assert reverse("residents:person_action", args=[person.pk, "start_treatment"]) not in text
    assert reverse("residents:person_action", args=[person.pk, "list_suspect"]) not in text


def test_viewer_sees_the_file_without_action_buttons(places, personas, client_for):
    person = _managed_person(places, personas.officer_a)
    text = client_for(personas.viewer_a).get(reverse("residents:person", args=[person.pk])).text
    assert "12/QĐ-UBND" in text
    assert "/actions/" not in text
    assert reverse("residents:person_edit", args=[person.pk]) not in text


def test_officer_of_another_commune_gets_not_found(places, personas, client_for):
    person = f.person(places.hamlet_a)
    assert client_for(personas.officer_b).get(reverse("residents:person", args=[person.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_file_uses_a_constant_number_of_queries(places, personas, client_for, django_assert_num_queries):
    person = _managed_person(places, personas.officer_a)
    for n in range(40):
        lifecycle.person_record_residence_check(
            actor=personas.officer_a,
            person=person,
            checked_on=timezone.localdate() - timedelta(days=n % 19),
            present=True,
        )
    for n in range(5):
        f.person(places.hamlet_a, full_name=f"Em {n}", household_=person.household)
    client = client_for(personas.officer_a)
    # session, user (with the menu's open alerts), person with hamlet/commune/household, access log insert, the kinds
    # of record the person has, then the records of each kind present (suspicion, test, management, residence
    # checks: 4 of the 10, whatever their number), other household members, the dates the next legal step counts from
    with django_assert_num_queries(10):
        response = client.get(reverse("residents:person", args=[person.pk]))
    assert response.status_code == 200


def test_printing_a_file_is_logged_as_a_print(places, personas, client_for):
    person = f.person(places.hamlet_a)
    response = client_for(personas.officer_a).get(reverse("residents:person", args=[person.pk]), {"print": "1"})
    assert "data-print-on-load" in response.text  # static/js/app.js prints it once loaded
    assert AccessLog.objects.get().action == AccessLog.Action.PRINT


def test_file_shows_when_and_why_management_was_stopped(places, personas, client_for):
    person = _managed_person(places, personas.officer_a)
    lifecycle.person_stop_management(
        actor=personas.officer_a, person=person, stopped_on=timezone.localdate(), reason="moved"
    )
    html = client_for(personas.officer_a).get(reverse("residents:person", args=[person.pk])).text
    assert 'class="timeline-stop"' in html and "Dừng quản lý (Mẫu 09): Chuyển nơi cư trú" in html


def test_the_timeline_reads_only_the_kinds_of_record_the_person_has(places, personas, django_assert_num_queries):
    """One query names the kinds present, then one per kind: a suspect costs two, whatever happened to others."""
    officer = personas.officer_a
    other = _managed_person(places, officer)
    lifecycle.person_record_reintegration(actor=officer, person=other, released_on=timezone.localdate())
    lifecycle.person_flag_psychosis(actor=officer, person=other, flagged_on=timezone.localdate())
    suspect = f.person(places.hamlet_a, full_name="Hà Văn Một")
    lifecycle.person_list_as_suspect(actor=officer, person=suspect, listed_on=timezone.localdate(), trigger="tip")
    with django_assert_num_queries(2):
        assert [entry.kind for entry in person_timeline(suspect)] == ["suspicion"]
    nobody = f.person(places.hamlet_a, full_name="Hà Văn Hai")
    with django_assert_num_queries(1):
        assert person_timeline(nobody) == []
    with django_assert_num_queries(6):
        kinds = {entry.kind for entry in person_timeline(other)}
    assert kinds == {"suspicion", "test", "management", "reintegration", "risk"}


def test_an_id_no_record_can_have_is_not_found(places, personas, client_for):
    """The scoped lookups run a query compiled once (drugfree.prepared_querysets): an id beyond any integer column,
    which that query could not hold, is a 404 as the queryset's own lookup gives."""
    client = client_for(personas.officer_a)
    for pk in (0, 2**31, 2**63, 10**30):
        for name in ("residents:person", "residents:person_edit", "residents:household"):
            assert client.get(reverse(name, args=[pk])).status_code == 404
