"""The person's file puts the next legal step first: the action due (or overdue) is the one primary button, with its
deadline from the legal periods; every other allowed action waits in the "Thao tác khác" menu."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from residents import periods
from residents.services import lifecycle
from tests import factories as f


def _file(client, person) -> str:
    return client.get(reverse("residents:person", args=[person.pk])).text


def _primary(text: str) -> list[str]:
    """The actions shown as buttons (not as menu entries) in the actions section."""
    section = text[text.index('aria-labelledby="actions-title"') : text.index('<div class="row g-3">')]
    return re.findall(r'class="btn [^"]*" id="next-step" href="[^"]*/actions/(\w+)/"', section)


def _menu(text: str) -> list[str]:
    return re.findall(r'class="dropdown-item" href="[^"]*/actions/(\w+)/"', text)


def _positive(places, officer, tested_on: date):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990)
    lifecycle.person_list_as_suspect(actor=officer, person=person, listed_on=tested_on, trigger="tip")
    lifecycle.person_record_test(actor=officer, person=person, tested_on=tested_on, result="positive")
    return person


def test_a_positive_test_puts_the_overdue_decision_first_with_its_deadline(places, personas, client_for):
    tested_on = timezone.localdate() - timedelta(days=20)
    person = _positive(places, personas.officer_a, tested_on)
    text = _file(client_for(personas.officer_a), person)
    assert _primary(text) == ["issue_management_decision"]
    due = periods.management_decision_due(tested_on).strftime("%d/%m/%Y")
    assert re.search(rf'id="next-step-due">\s*Quá hạn: hạn là {due}', text)
    assert 'class="btn btn-danger" id="next-step"' in text
    assert "record_test" in _menu(text) and "stop_management" in _menu(text)
    assert "issue_management_decision" not in _menu(text)


def test_a_decision_still_in_time_is_primary_but_not_marked_overdue(places, personas, client_for):
    person = _positive(places, personas.officer_a, timezone.localdate())
    text = _file(client_for(personas.officer_a), person)
    assert 'class="btn btn-primary" id="next-step"' in text
    due = periods.management_decision_due(timezone.localdate()).strftime("%d/%m/%Y")
    assert re.search(rf'id="next-step-due">\s*Hạn {due}', text)


def test_an_addict_is_asked_to_start_treatment_within_five_working_days(places, personas, client_for):
    assessed_on = timezone.localdate() - timedelta(days=1)
    person = _positive(places, personas.officer_a, assessed_on)
    lifecycle.person_record_assessment(
        actor=personas.officer_a, person=person, assessed_on=assessed_on, facility="TTYT Quan Sơn", criteria_met=4
    )
    text = _file(client_for(personas.officer_a), person)
    assert _primary(text) == ["start_treatment"]
    assert periods.treatment_registration_due(assessed_on).strftime("%d/%m/%Y") in text
    assert set(_menu(text)) == {"stop_management", "record_residence_check", "flag_psychosis", "record_reintegration"}


def test_a_managed_user_is_due_the_monthly_residence_check(places, personas, client_for):
    started = timezone.localdate() - timedelta(days=40)
    person = _positive(places, personas.officer_a, started)
    decision = lifecycle.ManagementDecision(number="12/QĐ-UBND", decided_on=started, starts_on=started)
    lifecycle.person_start_management(actor=personas.officer_a, person=person, decision=decision)
    text = _file(client_for(personas.officer_a), person)
    assert _primary(text) == ["record_residence_check"]
    assert (started + timedelta(days=31)).strftime("%d/%m/%Y") in text
    assert text.count('id="next-step"') == 1


def test_someone_with_no_record_has_no_primary_step_only_the_menu(places, personas, client_for):
    person = f.person(places.hamlet_a)
    text = _file(client_for(personas.officer_a), person)
    assert _primary(text) == []
    assert {"list_suspect", "record_test"} <= set(_menu(text))


def _managed(places, officer, started: date):
    person = _positive(places, officer, started)
    decision = lifecycle.ManagementDecision(number="12/QĐ-UBND", decided_on=started, starts_on=started)
    lifecycle.person_start_management(actor=officer, person=person, decision=decision)
    return person


def test_a_positive_test_during_management_asks_for_a_restart_counted_from_that_test(places, personas, client_for):
    officer = personas.officer_a
    person = _managed(places, officer, timezone.localdate() - timedelta(days=40))
    checked = timezone.localdate() - timedelta(days=1)  # the monthly check is not due for a month
    lifecycle.person_record_residence_check(actor=officer, person=person, checked_on=checked, present=True)
    relapse = timezone.localdate() - timedelta(days=3)
    lifecycle.person_record_test(actor=officer, person=person, tested_on=relapse, result="positive")
    text = _file(client_for(officer), person)
    assert _primary(text) == ["issue_management_decision"]
    assert periods.management_decision_due(relapse).strftime("%d/%m/%Y") in text


def test_the_residence_check_is_due_an_interval_after_the_last_check(places, personas, client_for):
    officer = personas.officer_a
    person = _managed(places, officer, timezone.localdate() - timedelta(days=70))
    checked = timezone.localdate() - timedelta(days=10)
    lifecycle.person_record_residence_check(actor=officer, person=person, checked_on=checked, present=True)
    text = _file(client_for(officer), person)
    assert _primary(text) == ["record_residence_check"]
    interval = timedelta(days=periods.period("residence_check_interval_days"))
    assert re.search(rf'id="next-step-due">\s*Hạn {(checked + interval).strftime("%d/%m/%Y")}', text)
