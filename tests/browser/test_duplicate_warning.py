"""The duplicate warning in Chromium: on a household's "add member" page, typing shows the same candidates as saving
(the household member with the same name included, although the household field is disabled)."""

from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f


def test_typing_a_member_shows_the_same_candidates_as_saving(places, personas, log_in, live_server):
    household = f.household(places.hamlet_a, code="SOI-050")
    f.person(places.hamlet_a, household_=household, full_name="Lò Văn Tám")
    f.person(places.hamlet_a2, full_name="Lò Văn Tám", birth_year=1990)
    page = log_in(personas.officer_a)
    page.goto(f"{live_server.url}{reverse('residents:member_create', args=[household.pk])}")
    page.fill("#id_birth_year", "1990")
    page.locator("#id_birth_year").dispatch_event("change")
    page.locator("#id_full_name").press_sequentially("lo van tam")
    warning = page.locator("#duplicates li")
    expect(warning).to_have_count(2)
    expect(page.locator("#duplicates")).to_contain_text("SOI-050")
    page.locator("#id_sex").select_option("male")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(page.locator("#duplicates li")).to_have_count(2)
