"""The drug-case form adds and removes arrested suspects' rows in place (static/js/formset.js), at 1366×768 and on a
phone, under the Content-Security-Policy; what is saved is exactly the rows left on screen."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from residents.models import ArrestedSuspect, DrugCase

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _row(page, index: int):
    return page.locator("[data-formset-row]:visible").nth(index)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "phone"])
def test_suspect_rows_are_added_and_removed_in_place(places, personas, log_in, live_server, viewport):
    page = log_in(personas.officer_a)
    page.set_viewport_size(viewport)
    problems = []
    page.on("console", lambda message: "Content Security Policy" in message.text and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{reverse('residents:case_create', args=[places.commune_a.code])}")
    assert "Lưu rồi mở lại" not in page.content()
    page.fill("#id_number", "07/2026")
    page.fill("#id_detected_on", "03/02/2026")
    page.fill("#id_offence", "Mua bán trái phép chất ma túy")

    expect(page.locator("[data-formset-row]:visible")).to_have_count(1)
    page.click("button:has-text('Thêm đối tượng')")
    page.click("button:has-text('Thêm đối tượng')")
    expect(page.locator("[data-formset-row]:visible")).to_have_count(3)
    for index, name in enumerate(["Lò Văn Một", "Hà Văn Hai", "Vi Văn Ba"]):
        _row(page, index).locator("input[name$='-full_name']").fill(name)
        _row(page, index).locator("input[name$='-arrested_on']").fill("04/02/2026")
    # The added row's date box has its calendar too.
    _row(page, 2).locator("input[name$='-arrested_on']").click()
    expect(page.locator(".flatpickr-calendar.open")).to_be_visible()
    page.keyboard.press("Escape")
    _row(page, 1).locator("button:has-text('Xóa dòng')").click()
    expect(page.locator("[data-formset-row]:visible")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1

    page.click("button:has-text('Lưu')")
    page.wait_for_selector(".alert-success")
    case = DrugCase.objects.get()
    names = sorted(case.suspects.values_list("full_name", flat=True))
    assert names == ["Lò Văn Một", "Vi Văn Ba"]
    assert problems == []


def test_removing_a_saved_suspect_deletes_it_on_save(places, personas, log_in, live_server):
    case = DrugCase.objects.create(
        commune=places.commune_a, number="01/2026", detected_on=date(2026, 1, 5), offence="Tàng trữ"
    )
    for name in ("Lò Văn Cũ", "Hà Văn Ở Lại"):
        ArrestedSuspect.objects.create(case=case, full_name=name, arrested_on=date(2026, 1, 5))
    page = log_in(personas.officer_a)
    page.goto(f"{live_server.url}{reverse('residents:case_edit', args=[case.pk])}")
    expect(page.locator("[data-formset-row]:visible")).to_have_count(3)  # two saved, one blank
    page.locator("[data-formset-row]:visible", has=page.locator("input[value='Lò Văn Cũ']")).locator(
        "button:has-text('Xóa dòng')"
    ).click()
    page.click("button:has-text('Thêm đối tượng')")
    _row(page, 2).locator("input[name$='-full_name']").fill("Vi Văn Mới")
    _row(page, 2).locator("input[name$='-arrested_on']").fill("06/01/2026")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector(".alert-success")
    assert sorted(case.suspects.values_list("full_name", flat=True)) == ["Hà Văn Ở Lại", "Vi Văn Mới"]
