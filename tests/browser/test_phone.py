"""At phone width (390 px): search results keep the name, year and status readable on one card, and the dashboard's
charts stay legible (text ≥ 12 px, the monthly trend as a table); nothing scrolls sideways. At 1366×768 too."""

import pytest
from django.urls import reverse

from progress.selectors import first_of_month, today
from progress.services import take_snapshots
from residents.models import Person
from tests import factories as f

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# The rendered size of a text: its CSS font size, times the SVG's scale for SVG text.
TEXT_SIZES = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map((el) => el instanceof SVGElement
    ? parseFloat(el.getAttribute('font-size')) * el.getScreenCTM().a
    : parseFloat(getComputedStyle(el).fontSize))"""


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "phone"])
def test_a_search_result_shows_name_year_and_status_together(places, personas, log_in, live_server, viewport):
    household = f.household(places.hamlet_a, code="SOI-001", head_name="Hà Văn Nguyễn Thị Đinh Công Một")
    person = f.person(
        places.hamlet_a,
        full_name="Lò Văn Tám Nguyễn Thị Đinh Công",
        birth_year=1990,
        cccd="038090001234",
        household_=household,
        status=Person.Status.USER,
    )
    page = log_in(personas.officer_a)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}{reverse('residents:search')}?q=lo+van+tam")
    row = page.locator(f"[data-person='{person.pk}']")
    card = row.bounding_box()
    parts = {
        "name": row.locator("a", has_text="Lò Văn Tám").first,
        "year": row.locator("td", has_text="1990"),
        "status": row.locator(".badge", has_text="Người sử dụng"),
    }
    for name, part in parts.items():
        box = part.bounding_box()
        assert box is not None and box["width"] > 0, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], name  # on screen, not scrolled away
        assert card["y"] <= box["y"] and box["y"] + box["height"] <= card["y"] + card["height"], name
        assert float(part.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 12, name
    assert _overflow(page) <= 1


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "phone"])
def test_dashboard_charts_stay_legible(seeded_programmes, places, personas, log_in, live_server, viewport):
    for n in range(1, 6):
        f.pledge(f.household(places.hamlet_a, code=f"SOI-{n:03d}"))
    take_snapshots(month=first_of_month(today()))
    page = log_in(personas.reviewer)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}{reverse('progress:area_dashboard')}")
    sizes = page.evaluate(TEXT_SIZES, ".chart-bars span, svg.chart text, .chart-table td")
    assert sizes and min(sizes) >= 12, sizes
    if viewport is PHONE:
        assert page.locator("svg.chart").is_hidden()
        assert page.locator(".chart-table").is_visible()
    assert _overflow(page) <= 1
