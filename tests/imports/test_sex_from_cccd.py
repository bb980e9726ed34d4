"""The CCCD's 4th digit says century and sex: a sex left blank is taken from it, a sex it contradicts is a warning."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportRun
from residents.models import Person

from .helpers import write_xlsx
from .test_pipeline import import_file
from .test_web_flow import uploaded_run

HEADER = ["Mã hộ", "Họ và tên chủ hộ", "Giới tính", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu"]


@pytest.mark.parametrize(
    ("cccd", "sex"),
    [
        ("038078001234", "male"),  # 0: born in the 1900s, male
        ("038178001234", "female"),  # 1: 1900s, female
        ("038205001234", "male"),  # 2: 2000s, male
        ("038305001234", "female"),  # 3: 2000s, female
    ],
)
def test_a_sex_left_blank_is_taken_from_the_cccd(places, personas, tmp_path, cccd, sex):
    path = write_xlsx(tmp_path / "ds.xlsx", [["S-1", "Lò Hoài An", "", cccd, "Khu phố Sỏi", 3]], header=HEADER)

    run, _result = import_file(path, actor=personas.officer_a, commune=places.commune_a)

    assert Person.objects.get(cccd=cccd).sex == sex
    assert run.summary["warning_count"] == 0


def test_a_list_without_a_sex_column_gets_each_heads_sex_from_the_cccd(places, personas, tmp_path):
    header = ["Mã hộ", "Họ và tên chủ hộ", "Số CCCD", "Thôn/Khu phố"]
    rows = [["S-1", "Lò Văn Hùng", "038078001234", "Khu phố Sỏi"], ["S-2", "Hà Thị Mai", "038190004567", "Sỏi"]]
    path = write_xlsx(tmp_path / "ds.xlsx", rows, header=header)

    import_file(path, actor=personas.officer_a, commune=places.commune_a)

    assert dict(Person.objects.values_list("full_name", "sex")) == {"Lò Văn Hùng": "male", "Hà Thị Mai": "female"}


def test_a_sex_the_cccd_contradicts_is_a_row_warning_shown_in_the_preview_and_imported_as_typed(
    client_for, personas, tmp_path
):
    rows = [["S-1", "Lò Văn Hùng", "Nữ", "038078001234", "Khu phố Sỏi", 3],
            ["S-2", "Hà Thị Mai", "Nữ", "038190004567", "Khu phố Sỏi", 2]]  # fmt: skip
    client = client_for(personas.officer_a)

    run = uploaded_run(client, write_xlsx(tmp_path / "ds.xlsx", rows, header=HEADER))

    assert (run.new_rows, run.invalid_rows, run.error_count) == (2, 0, 0)  # a warning does not stop the row
    message = "Giới tính ghi “Nữ” nhưng số CCCD (chữ số thứ 4) là của người nam: hãy kiểm tra lại."
    assert run.summary["warnings"] == [{"row": 2, "field": "head_sex", "column": "Giới tính", "message": message}]
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "1 cảnh báo cần kiểm tra" in page and message in page
    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.DONE
    assert Person.objects.get(cccd="038078001234").sex == "female"  # as typed: the clerk checks the card


def test_the_command_prints_the_warning(places, tmp_path):
    rows = [["S-1", "Lò Văn Hùng", "Nữ", "038078001234", "Khu phố Sỏi", 3]]
    path = write_xlsx(tmp_path / "ds.xlsx", rows, header=HEADER)
    out, err = io.StringIO(), io.StringIO()

    call_command("import_households", str(path), "--commune", "15016", "--dry-run", stdout=out, stderr=err)

    assert "cảnh báo: dòng 2, cột “Giới tính”: Giới tính ghi “Nữ”" in err.getvalue()
    assert out.getvalue().strip().splitlines()[-1] == "created=1 updated=0 unchanged=0 invalid=0"
