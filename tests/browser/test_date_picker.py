"""Date boxes open a calendar (flatpickr, served from static/vendor/) that shows and accepts dd/mm/yyyy in Vietnamese;
typing still works, and a typed non-date is left for the form to refuse rather than silently moved."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "phone"])
def test_a_date_is_picked_from_a_vietnamese_calendar_as_dd_mm_yyyy(places, personas, log_in, live_server, viewport):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990)
    page = log_in(personas.officer_a)
    page.set_viewport_size(viewport)
    problems = []
    page.on("console", lambda message: "Content Security Policy" in message.text and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(f"{live_server.url}{reverse('residents:person_action', args=[person.pk, 'record_test'])}")
    assert response.request.url.startswith(live_server.url)

    page.click("#id_tested_on")
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    assert "Tháng" in calendar.locator(".flatpickr-current-month").inner_text()
    assert calendar.locator(".flatpickr-weekday").first.inner_text().strip() == "T2"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    calendar.locator(".flatpickr-day.today").click()
    expect(page.locator("#id_tested_on")).to_have_value(timezone.localdate().strftime("%d/%m/%Y"))
    assert problems == []


def test_typing_a_date_still_works_and_a_non_date_is_kept_for_the_form_to_refuse(places, personas, log_in, live_server):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990)
    page = log_in(personas.officer_a)
    page.goto(f"{live_server.url}{reverse('residents:person_action', args=[person.pk, 'record_test'])}")
    box = page.locator("#id_tested_on")

    box.fill("05/03/2026")
    box.press("Tab")
    expect(box).to_have_value("05/03/2026")

    box.fill("31/02/2026")  # no such day: not quietly turned into 03/03/2026
    box.press("Tab")
    expect(box).to_have_value("31/02/2026")
    page.check("input[name=result][value=negative]")
    page.click("button:has-text('Lưu')")
    expect(box).to_have_class(re.compile("is-invalid"))
    expect(box).to_have_value("31/02/2026")
