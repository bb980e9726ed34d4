"""A hamlet's kind word is never doubled ("Khu phố Khu phố Sỏi", "Bản Bản Bôn"), on screen, in print or in an export;
a name without it gets it ("Bôn", a bản, is "Bản Bôn")."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communes.models import Hamlet, hamlet_full_name
from tests import factories as f

DOUBLED = ("Khu phố Khu phố", "Bản Bản", "Thôn Thôn")


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("Khu phố Sỏi", Hamlet.Kind.KHU_PHO, "Khu phố Sỏi"),
        ("Bản Bôn", Hamlet.Kind.BAN, "Bản Bôn"),
        ("Bôn", Hamlet.Kind.BAN, "Bản Bôn"),
        ("Quang Thắng", Hamlet.Kind.THON, "Thôn Quang Thắng"),
        ("thôn Quang Thắng", Hamlet.Kind.THON, "thôn Quang Thắng"),
        ("Tổ 5", Hamlet.Kind.TO_DAN_PHO, "Tổ 5"),
        ("Xóm Mới", Hamlet.Kind.THON, "Xóm Mới"),
        ("Bàn Thạch", Hamlet.Kind.THON, "Thôn Bàn Thạch"),  # "Bàn" is not "Bản"
        ("Đồng Tâm", Hamlet.Kind.OTHER, "Đồng Tâm"),
    ],
)
def test_the_kind_word_is_added_once(name, kind, shown):
    assert hamlet_full_name(name, kind) == shown


@pytest.fixture
def bon(places):
    """A bản whose name was typed without its kind word, beside the conftest's "Khu phố Sỏi" (kind khu phố)."""
    return f.hamlet(places.commune_a, "Bôn", kind=Hamlet.Kind.BAN)


def test_hamlet_list_on_screen(places, personas, client_for, bon):
    html = client_for(personas.officer_a).get(reverse("workspace:hamlets", args=[places.commune_a.code])).text
    assert "Khu phố Sỏi" in html and "Bản Bôn" in html and "Bản Na Nghịu" in html
    assert not any(doubled in html for doubled in DOUBLED)


def test_printed_pledge_form(places, personas, client_for, bon):
    client = client_for(personas.officer_a)
    year = timezone.localdate().year
    for hamlet, shown in [(places.hamlet_a, "Khu phố Sỏi"), (bon, "Bản Bôn")]:
        household = f.household(hamlet)
        html = client.get(reverse("pledges:print_form", args=[household.pk, year])).text
        assert f"{shown}, {places.commune_a}" in html
        assert not any(doubled in html for doubled in DOUBLED)


def test_household_export(places, personas, client_for, bon):
    f.household(places.hamlet_a, code="A-1")
    f.household(bon, code="B-1")
    url = reverse("imports:export_households", args=["xlsx"]) + f"?commune={places.commune_a.code}"
    sheet = load_workbook(io.BytesIO(client_for(personas.officer_a).get(url).content)).active
    column = [cell.value for cell in sheet[1]].index("Thôn/Khu phố")
    hamlets = {row[0]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert hamlets == {"A-1": "Khu phố Sỏi", "B-1": "Bản Bôn"}


def test_gap_list_export(places, personas, client_for, bon):
    f.household(bon, code="B-1")
    url = reverse("progress:gap_export", kwargs={"code": places.commune_a.code, "metric_key": "households_pledged"})
    sheet = load_workbook(io.BytesIO(client_for(personas.officer_a).get(url).content)).active
    column = [cell.value for cell in sheet[1]].index("Thôn")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Bản Bôn"]
