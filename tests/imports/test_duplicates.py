"""A household or a head listed twice in one file: the later row is an error pointing to the first (planning)."""

import pytest

from imports.planning import plan_import
from imports.reading import read_table
from tests import factories as f

from .helpers import household_row, write_xlsx

pytestmark = pytest.mark.django_db


def test_a_household_or_head_repeated_in_the_file_points_to_its_first_row(places, tmp_path):
    first, second = household_row(1), household_row(2)  # spreadsheet rows 2 and 3
    same_code = household_row(3)
    same_code[1] = first[1]  # row 4: household H-001 again
    same_head = household_row(4)
    same_head[5] = second[5]  # row 5: another household whose head is row 3's head
    no_code = household_row(5)
    no_code[1], no_code[5] = "", first[5]  # row 6: no code, so known by its head's CCCD, which is row 2's
    path = write_xlsx(tmp_path / "trung.xlsx", [first, second, same_code, same_head, no_code])

    plan = plan_import(read_table(path), commune=places.commune_a)

    duplicates = {(e.row_number, e.field): e.message for e in plan.errors if "rùng" in e.message}
    assert duplicates == {
        (4, "code"): "Trùng với dòng 2 (hộ H-001).",
        (5, "head_cccd"): "Số CCCD trùng với chủ hộ ở dòng 3.",
        (6, "head_cccd"): "Số CCCD trùng với chủ hộ ở dòng 2.",
    }
    assert [row.kind for row in plan.rows] == ["new", "new", "invalid", "invalid", "invalid"]


def test_a_household_on_file_named_by_its_code_in_one_row_and_its_heads_cccd_in_another_is_a_duplicate(
    places, tmp_path
):
    on_file = f.household(places.hamlet_a, code="H-900", head_name="Lò Văn Hùng 1", head_cccd="038078000001")
    by_code = household_row(900)
    by_code[5] = ""  # row 2: H-900 by its code, no CCCD
    by_cccd = household_row(1)
    by_cccd[1] = ""  # row 3: no code, so known by its head's CCCD, which is H-900's head's
    path = write_xlsx(tmp_path / "trung.xlsx", [by_code, by_cccd])

    plan = plan_import(read_table(path), commune=places.commune_a)

    assert [row.kind for row in plan.rows] == ["changed", "invalid"]  # row 2 renames the head
    assert [(e.row_number, e.field, e.message) for e in plan.errors] == [
        (3, "head_cccd", "Trùng với dòng 2 (hộ H-900).")
    ]
    assert plan.rows[0].household_id == on_file.id
