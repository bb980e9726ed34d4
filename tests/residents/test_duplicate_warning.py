"""The duplicate-person warning: the check while typing (htmx, as the page wires it) and the check on save give the
same candidates for the same input, because one function decides (residents.selectors.duplicate_candidates)."""

import html
import json
import re

import pytest
from django.urls import reverse

from residents.models import Person
from tests import factories as f


def _typing_check(client, page_url: str, typed: dict) -> list[Person]:
    """What the browser asks while the officer types: the page's hx-get with its hx-vals and the typed fields."""
    page = client.get(page_url).text
    block = re.search(r'<div id="duplicates"(.*?)>', page, re.S).group(1)
    url = html.unescape(re.search(r'hx-get="([^"]+)"', block).group(1))
    vals = re.search(r"hx-vals='([^']+)'", block)
    params = {**(json.loads(html.unescape(vals.group(1))) if vals else {}), **typed}
    included = re.search(r'hx-include="([^"]+)"', block).group(1)
    # Only the fields the page includes are sent (a disabled field is never sent by a browser).
    fields = {name.strip().removeprefix("#id_") for name in included.split(",")}
    assert set(typed) <= fields
    return list(client.get(url, params, HTTP_HX_REQUEST="true").context["duplicates"])


def _save_check(client, page_url: str, typed: dict) -> list[Person]:
    response = client.post(page_url, {"sex": "male", **typed})
    if response.status_code == 302:  # saved: no candidate stopped it
        return []
    return list(response.context["duplicates"])


@pytest.fixture
def world(places):
    household = f.household(places.hamlet_a, code="SOI-050")
    return {
        "household": household,
        # Same name as typed below, in the household, birth year unknown: a duplicate only on the household page.
        "in_household": f.person(places.hamlet_a, household_=household, full_name="Lò Văn Tám"),
        "born_1990": f.person(places.hamlet_a2, full_name="Lò Văn Tám", birth_year=1990),
        "same_cccd": f.person(places.hamlet_a2, full_name="Khác Tên", cccd="038090012345", birth_year=1990, sex="male"),
        "other_commune": f.person(places.hamlet_b, full_name="Lò Văn Tám", birth_year=1990),
    }


CASES = {
    "same CCCD typed without its leading zero": ({"full_name": "Người Mới", "cccd": "38090012345"}, ["same_cccd"]),
    "same name and birth year": ({"full_name": "Lò Văn Tám", "birth_year": "1990"}, ["born_1990"]),
    "name typed without diacritics": ({"full_name": "lo van tam", "birth_year": "1990"}, ["born_1990"]),
    "birth date instead of year": ({"full_name": "Lò Văn Tám", "birth_date": "05/05/1990"}, ["born_1990"]),
    "same name, other birth year": ({"full_name": "Lò Văn Tám", "birth_year": "1970"}, []),
}


@pytest.mark.parametrize("typed,expected", CASES.values(), ids=CASES.keys())
def test_typing_and_saving_agree_on_a_new_person_in_a_hamlet(places, personas, client_for, world, typed, expected):
    client = client_for(personas.officer_a)
    url = reverse("residents:person_create", args=[places.hamlet_a.pk])
    typing, saving = _typing_check(client, url, typed), _save_check(client, url, {**typed})
    assert typing == saving == [world[name] for name in expected]
    # The person of the other commune (same name and year) is never a candidate.
    assert world["other_commune"] not in typing


@pytest.mark.parametrize("typed,expected", CASES.values(), ids=CASES.keys())
def test_typing_and_saving_agree_on_a_new_member_of_a_household(places, personas, client_for, world, typed, expected):
    client = client_for(personas.officer_a)
    url = reverse("residents:member_create", args=[world["household"].pk])
    typing, saving = _typing_check(client, url, typed), _save_check(client, url, {**typed})
    if "Tám" in typed["full_name"] or "tam" in typed["full_name"]:
        expected = sorted(expected + ["in_household"], key=lambda name: world[name].pk)
    assert sorted(typing, key=lambda p: p.pk) == sorted(saving, key=lambda p: p.pk)
    assert sorted(p.pk for p in typing) == sorted(world[name].pk for name in expected)


def test_the_same_name_in_the_household_is_shown_while_typing_as_on_save(places, personas, client_for, world):
    """The case users met: typing showed 1 candidate (same birth year), saving 2 (and the household member)."""
    client = client_for(personas.officer_a)
    url = reverse("residents:member_create", args=[world["household"].pk])
    typed = {"full_name": "Lò Văn Tám", "birth_year": "1990"}
    expected = {world["in_household"], world["born_1990"]}
    assert set(_typing_check(client, url, typed)) == expected
    assert set(_save_check(client, url, typed)) == expected
