"""Exports read back by the importer (round trip), formulas neutralised, personal data only for roles allowed."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.previews import create_run
from imports.reading import read_table
from pledges.models import HouseholdPledge
from residents.models import Household, Person
from tests import factories as f

from .conftest import KHU_PHO_SOI, NGOC_LAC


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def import_bytes(data: bytes, name: str, *, actor, commune) -> ImportRun:
    run, _plan = create_run(actor=actor, commune=commune, uploaded=data, file_name=name)
    return run


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_households_import_back_unchanged(client_for, personas, places, fmt):
    officer = personas.officer_a
    run = import_bytes(KHU_PHO_SOI.read_bytes(), KHU_PHO_SOI.name, actor=officer, commune=places.commune_a)
    execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    response = client_for(officer).get(reverse("imports:export_households", args=[fmt]))
    again = import_bytes(content(response), f"xuat.{fmt}", actor=officer, commune=places.commune_a)

    assert (again.unchanged_rows, again.new_rows, again.changed_rows, again.invalid_rows) == (89, 0, 0, 0)


def test_the_household_export_has_vietnamese_headers_and_the_heads_details(client_for, personas, places):
    household = f.household(places.hamlet_a, code="H-9", head_name="Lò Văn Tám", head_cccd="038078000009")
    f.person(places.hamlet_a, full_name="Lò Văn Tám", household_=household, cccd="038078000009",
             birth_date=date(1978, 3, 12), sex="male")  # fmt: skip

    response = client_for(personas.officer_a).get(reverse("imports:export_households", args=["xlsx"]))

    rows = list(load_workbook(io.BytesIO(content(response))).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD")
    assert rows[1][:5] == ("H-9", "Lò Văn Tám", rows[1][2], "Nam", "038078000009")
    assert rows[1][2].date() == date(1978, 3, 12)


def test_exported_pledges_import_back_unchanged(client_for, personas, places, ngoc_lac_hamlets):
    officer = personas.officer_b
    run = import_bytes(NGOC_LAC.read_bytes(), NGOC_LAC.name, actor=officer, commune=places.commune_b)
    execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    response = client_for(officer).get(reverse("pledge_exports:export", args=["xlsx"]))
    again = import_bytes(content(response), "cam_ket.xlsx", actor=officer, commune=places.commune_b)

    sheet = load_workbook(io.BytesIO(content(response))).active
    assert [cell.value for cell in sheet[1]][-2:] == ["Đã ký cam kết", "Ngày ký cam kết"]
    assert sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[-2] == "x") == 586
    assert (again.unchanged_rows, again.changed_rows, again.invalid_rows) == (640, 0, 0)
    assert HouseholdPledge.objects.count() == 586


def test_cells_that_look_like_formulas_are_neutralised(client_for, personas, places):
    f.household(places.hamlet_a, code="=1+2", head_name='=HYPERLINK("http://x","y")', address="@SUM(A1)")

    response = client_for(personas.officer_a).get(reverse("imports:export_households", args=["xlsx"]))

    # Text cells with Excel's quote prefix: shown as typed, never evaluated, no apostrophe in the value.
    row = next(load_workbook(io.BytesIO(content(response))).active.iter_rows(min_row=2))
    assert [(row[i].value, row[i].data_type, row[i].quotePrefix) for i in (0, 1, 7)] == [
        ("=1+2", "s", True),
        ('=HYPERLINK("http://x","y")', "s", True),
        ("@SUM(A1)", "s", True),
    ]
    csv_text = content(client_for(personas.officer_a).get(reverse("imports:export_households", args=["csv"])))
    assert "'=HYPERLINK" in csv_text.decode("utf-8-sig")


def test_people_export_lists_only_people_under_management_and_is_logged(client_for, personas, places):
    f.person(places.hamlet_a, full_name="Nguyễn Văn Quản", status=Person.Status.USER, cccd="038090000001")
    f.person(places.hamlet_a, full_name="Trần Văn Thường")
    f.person(places.hamlet_b, full_name="Lê Văn Khác", status=Person.Status.USER)

    response = client_for(personas.officer_a).get(reverse("imports:export_people", args=["xlsx"]))

    names = [
        row[0] for row in load_workbook(io.BytesIO(content(response))).active.iter_rows(min_row=2, values_only=True)
    ]
    assert names == ["Nguyễn Văn Quản"]
    log = AccessLog.objects.get(user=personas.officer_a)
    assert log.action == AccessLog.Action.EXPORT and log.object_type == "residents.person"


def test_reviewers_limited_to_aggregates_cannot_export_names(client_for, personas):
    client = client_for(personas.reviewer)

    for url in (reverse("imports:export_households", args=["xlsx"]), reverse("imports:export_people", args=["csv"]),
                reverse("pledge_exports:export", args=["xlsx"])):  # fmt: skip
        assert client.get(url).status_code == 403


def test_an_unknown_format_is_not_found(client_for, personas):
    assert client_for(personas.officer_a).get("/imports/exports/households.pdf").status_code == 404


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        (("imports:template", ["households"]),
         {"code", "head_name", "head_birth", "head_sex", "head_cccd", "ethnicity", "hamlet", "address",
          "members_count"}),
        (("pledge_exports:template", []),
         {"code", "head_name", "head_cccd", "hamlet", "members_count", "pledge_signed", "pledge_signed_on"}),
    ],
)  # fmt: skip
def test_blank_templates_are_recognised_by_the_importer(client_for, personas, url, fields, tmp_path):
    name, args = url
    response = client_for(personas.officer_a).get(reverse(name, args=args))
    path = tmp_path / "mau.xlsx"
    path.write_bytes(response.content)

    table = read_table(path)

    assert fields <= set(table.field_headers)
    assert table.rows == []


def test_the_household_export_reuses_for_any_queryset(places):
    from imports.exports import household_export_headers, household_export_rows

    f.household(places.hamlet_a, code="A-1")
    f.household(places.hamlet_b, code="B-1")

    rows = list(household_export_rows(Household.objects.filter(commune=places.commune_b)))

    assert [row[0] for row in rows] == ["B-1"]
    assert len(rows[0]) == len(household_export_headers())
