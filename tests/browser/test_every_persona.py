"""Each demo account's pages on a 390 px phone: nothing scrolls sideways, no English string shows, and the tab title
says where you are. The pages are a representative set of the URL × persona walk (tests/test_url_access.py), built
the same way, each opened by every persona allowed to; the admin's home and a list are added for its two users."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.access import PERSONAS
from tests.test_url_access import ROUTES
from tests.vietnamese import SITE_NAME, english_in

PHONE_390 = {"width": 390, "height": 844}
REPRESENTATIVE = ["home", "commune", "residents:search", "residents:person", "residents:household",
                  "residents:person_create", "workspace:households", "pledges:checklist", "residents:case_list",
                  "communes:hotspot_list", "progress:area_dashboard", "progress:commune_dashboard",
                  "progress:gap_list", "imports:index", "accounts:access_log", "accounts:manage"]  # fmt: skip
ADMIN_USERS = {"officer_a", "admin"}


def _pages_for(persona: str, world) -> list[str]:
    routes = {route.name: route for route in ROUTES if route.method == "get" and not route.data}
    paths = [routes[name].build(world) for name in REPRESENTATIVE if routes[name].expect.get(persona) == 200]
    admin_pages = [reverse("admin:index"), reverse("admin:residents_household_changelist")]
    return paths + (admin_pages if persona in ADMIN_USERS else [])


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "officer_b"])
def test_each_persona_reads_vietnamese_on_a_phone_without_scrolling_sideways(
    persona, places, personas, log_in, live_server
):
    world = SimpleNamespace(places=places, personas=personas, extra=SimpleNamespace())
    paths = _pages_for(persona, world)
    page = log_in(getattr(personas, persona))
    page.set_viewport_size(PHONE_390)
    problems = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        english = english_in(line.strip() for line in page.inner_text("body").splitlines() if line.strip())
        title = page.title()
        if wide > 1 or english or not title.endswith(f" · {SITE_NAME}") or title == f" · {SITE_NAME}":
            problems[path] = {"overflow_px": wide, "english": english, "title": title}
    assert problems == {}
