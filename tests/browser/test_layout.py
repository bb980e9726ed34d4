"""The application's pages at 1366×768 and at phone width: no page scrolls sideways (wide tables scroll inside their
own box), the menu collapses behind a button that works from the keyboard, and the skip link leads to the content."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1366, "height": 768}


def _overflow(page) -> int:
    """How many pixels the page itself is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def commune_pages(places):
    year = timezone.localdate().year
    households = [
        f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Hà Văn Nguyễn Thị Đinh Công {n}")
        for n in range(1, 13)
    ]
    f.pledge(households[0], year=year, signed_on=timezone.localdate())
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990, household_=households[1])
    code = places.commune_a.code
    return [
        reverse("home"),
        f"{reverse('residents:search')}?q=ha+van",
        reverse("residents:person", args=[person.pk]),
        reverse("residents:household", args=[households[1].pk]),
        reverse("commune", args=[code]),
        reverse("residents:case_create", args=[code]),
        reverse("workspace:hamlets", args=[code]),
        reverse("workspace:households", args=[code]),
        reverse("pledges:checklist", args=[places.hamlet_a.pk, year]),
        reverse("communes:hotspot_list", args=[code]),
        reverse("residents:incident_list", args=[code]),
        reverse("progress:commune_dashboard", kwargs={"code": code}),
        reverse("imports:index"),
    ]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "phone"])
def test_officer_pages_never_scroll_sideways(personas, log_in, live_server, commune_pages, viewport):
    page = log_in(personas.officer_a)
    page.set_viewport_size(viewport)
    wide = {}
    for path in commune_pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if _overflow(page) > 1:
            wide[path] = _overflow(page)
    assert wide == {}


def test_at_phone_width_the_menu_opens_from_the_keyboard_and_the_skip_link_reaches_the_content(
    personas, log_in, live_server
):
    page = log_in(personas.officer_a)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('home')}")
    menu_link = page.locator("#mainnav a:has-text('Tìm người, hộ')")
    assert not menu_link.is_visible()

    page.keyboard.press("Tab")  # the first stop is the skip link, shown when focused
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.locator("a[href='#main']").is_visible()

    page.locator(".navbar-toggler").focus()
    page.keyboard.press("Enter")
    menu_link.wait_for(state="visible")
    menu_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    assert page.locator("input[name=q]").is_visible()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "phone"])
def test_reviewer_dashboards_never_scroll_sideways(places, personas, log_in, live_server, viewport):
    for n in range(1, 6):
        f.household(places.hamlet_a, code=f"SOI-{n:03d}")
    page = log_in(personas.reviewer)
    page.set_viewport_size(viewport)
    wide = {}
    for path in (
        reverse("progress:area_dashboard"),
        reverse("progress:commune_dashboard", kwargs={"code": places.commune_a.code}),
        reverse("progress:gap_list", kwargs={"code": places.commune_a.code, "metric_key": "households_pledged"}),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if _overflow(page) > 1:
            wide[path] = _overflow(page)
    assert wide == {}
