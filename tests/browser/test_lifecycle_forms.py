"""Lifecycle forms in Chromium: the legal end follows the dates the officer types (htmx), before anything is saved."""

from datetime import date

from django.urls import reverse
from playwright.sync_api import expect

from residents.models import Person
from residents.services import lifecycle
from tests import factories as f


def _open(page, live_server, person, action):
    page.goto(f"{live_server.url}{reverse('residents:person_action', args=[person.pk, action])}")


def _type_date(page, field: str, value: str):
    page.fill(f"#id_{field}", value)
    page.locator(f"#id_{field}").dispatch_event("change")


def test_management_end_follows_the_start_date(places, personas, log_in, live_server):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990)
    lifecycle.person_record_test(actor=personas.officer_a, person=person, tested_on=date(2026, 6, 1), result="positive")
    page = log_in(personas.officer_a)
    _open(page, live_server, person, "issue_management_decision")
    _type_date(page, "starts_on", "29/02/2028")
    expect(page.locator("#id_ends_on")).to_have_value("28/02/2029")
    _type_date(page, "starts_on", "31/01/2027")
    expect(page.locator("#id_ends_on")).to_have_value("30/01/2028")
    # Emptying the start: the period runs from the decision date, which the officer changes next.
    _type_date(page, "starts_on", "")
    _type_date(page, "decided_on", "15/06/2026")
    expect(page.locator("#id_ends_on")).to_have_value("14/06/2027")


def test_treatment_planned_end_follows_form_start_and_presumed_minority(places, personas, log_in, live_server):
    person = f.person(places.hamlet_a, full_name="Lò Văn Nhỏ", birth_year=2008, status=Person.Status.ADDICT)
    page = log_in(personas.officer_a)
    _open(page, live_server, person, "start_treatment")
    page.select_option("#id_form", "compulsory")
    _type_date(page, "starts_on", "15/01/2026")
    expect(page.locator("#id_planned_end_on")).to_have_value("14/01/2027")
    assert "Chỉ biết năm sinh (2008)" in page.locator("#div_id_planned_end_on").inner_text()
    _type_date(page, "starts_on", "31/12/2026")  # 18 whatever the birthday: an adult's 24 months
    expect(page.locator("#id_planned_end_on")).to_have_value("30/12/2028")
    assert "Chỉ biết năm sinh" not in page.locator("#div_id_planned_end_on").inner_text()


def test_post_rehab_end_follows_the_decision_dates(places, personas, log_in, live_server):
    person = f.person(places.hamlet_a, full_name="Lò Văn Cai", birth_year=1980, status=Person.Status.ADDICT)
    lifecycle.person_start_treatment(
        actor=personas.officer_a, person=person, form="compulsory", starts_on=date(2026, 1, 5)
    )
    page = log_in(personas.officer_a)
    _open(page, live_server, person, "end_treatment")
    _type_date(page, "ended_on", "31/01/2027")
    expect(page.locator("#id_post_rehab_ends_on")).to_have_value("30/01/2029")  # 24 months after adult compulsory
    _type_date(page, "post_rehab_starts_on", "01/03/2027")
    expect(page.locator("#id_post_rehab_ends_on")).to_have_value("28/02/2029")
