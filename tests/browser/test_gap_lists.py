"""A gap list in Chromium, at 1366×768 and at phone width: the officer goes from the dashboard's "còn thiếu" link to
the form that closes the gap and is back on the list once it is saved; nothing scrolls sideways."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from residents.services import lifecycle
from tests import factories as f

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _overflow(page) -> int:
    """How many pixels the page's content is wider than the window (wide tables scroll inside their own box).
    The content only: the menu bar's width is the layout tests' concern (tests/browser/test_layout.py)."""
    return page.evaluate("document.querySelector('main').scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390px"])
def test_officer_closes_a_gap_from_the_dashboard_and_returns_to_the_list(
    seeded_programmes, places, personas, log_in, live_server, viewport
):
    f.household(places.hamlet_a, code="SOI-001")
    suspect = f.person(places.hamlet_a, full_name="Lò Văn Nghi", birth_year=1995)
    today = timezone.localdate()
    lifecycle.person_list_as_suspect(actor=personas.officer_a, person=suspect, listed_on=today, trigger="tip")
    page = log_in(personas.officer_a)
    page.set_viewport_size(viewport)
    code = places.commune_a.code
    page.goto(f"{live_server.url}{reverse('progress:commune_dashboard', kwargs={'code': code})}")
    # The hamlet table names its columns; the full criterion is the heading's title.
    heading = page.locator("th[scope=col]", has_text="Xét nghiệm")
    expect(heading).to_have_attribute("title", "Người có căn cứ nghi sử dụng được lập danh sách và xét nghiệm")
    assert _overflow(page) <= 1
    gap = reverse("progress:gap_list", kwargs={"code": code, "metric_key": "suspects_tested"})
    page.locator(f"a[href='{gap}']").click()
    page.wait_for_url(f"**{gap}")
    assert _overflow(page) <= 1
    expect(page.get_by_role("link", name="Lò Văn Nghi")).to_be_visible()
    page.get_by_role("link", name="Ghi kết quả xét nghiệm").click()
    page.wait_for_url("**/actions/record_test/**")
    page.get_by_label("Âm tính").check()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"**{gap}")
    expect(page.get_by_text("Không còn trường hợp nào.")).to_be_visible()
    assert _overflow(page) <= 1
