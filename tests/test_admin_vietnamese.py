"""The admin in Vietnamese: every page an officer or the administrator opens, Django's and the packages' alike.

The pages are those of tests/test_admin_access.py (every ModelAdmin URL, history and import pages included), with
the same world: one object of every registered model in each commune.
"""

import json
import re

import pytest
from django.urls import reverse

from residents.models import Person
from residents.models.people import PersonStatus
from tests.test_admin_access import MODEL_KINDS, MODEL_PAGES, OBJECT_KINDS, _url

# The module-scoped world of test_admin_access (an object of every registered model in each commune), shared.
from tests.test_admin_access import world as world
from tests.vietnamese import SITE_NAME, english_in, read_page

SHOWN_PAGES = [page for page in MODEL_PAGES if page.kind in OBJECT_KINDS | MODEL_KINDS]


def _assert_vietnamese(response, label):
    title, text = read_page(response.content.decode())
    assert english_in(text) == [], label
    # Where you are first, then the site's Vietnamese name.
    assert title.endswith(f"· {SITE_NAME}") and len(title) > len(SITE_NAME) + 3, f"{label}: {title}"


@pytest.mark.parametrize("page", SHOWN_PAGES, ids=str)
def test_every_admin_page_reads_in_vietnamese(page, db, world, client):
    for role in ("admin", "officer_a"):
        client.force_login(getattr(world.personas, role))
        url, query = _url(world, page, "a")
        response = client.get(url, query)
        if response.status_code == 200:
            _assert_vietnamese(response, f"{page} as {role}")


@pytest.mark.parametrize("target", ["admin:index", "admin:app_list", "admin:password_change", "admin:login"], ids=str)
def test_admin_site_pages_read_in_vietnamese(target, db, world, client):
    args = ["residents"] if target == "admin:app_list" else []
    if target != "admin:login":
        client.force_login(world.personas.admin)
    response = client.get(reverse(target, args=args))
    assert response.status_code == 200
    _assert_vietnamese(response, target)
    assert "Trang quản trị cho Django" not in response.content.decode()


def test_history_names_what_changed_as_the_forms_do(db, world, client):
    """A person's history reads "Nghi vấn → Dương tính", not "suspected → positive", and an empty value is a dash."""
    person = world.objects[Person]["a"]
    client.force_login(world.personas.admin)
    response = client.get(reverse("admin:residents_person_history", args=[person.pk]))
    _, text = read_page(response.content.decode())
    changes = " ".join(" ".join(text).split())  # the template's &nbsp; around the arrow, as plain spaces
    assert f"{PersonStatus.SUSPECTED.label} → {PersonStatus.POSITIVE.label}" in changes
    assert "suspected" not in changes and "None" not in changes


def test_the_admin_scripts_calendar_and_selector_speak_vietnamese(db, world, client):
    """The admin's JavaScript catalogue (date picker, two-list selector) comes from locale/vi's djangojs.po."""
    client.force_login(world.personas.admin)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.DOTALL).group(1))
    assert catalogue["Sunday"] == "Chủ nhật"
    assert catalogue["Choose all %s"] == "Chọn tất cả %s"
