"""A household whose code matches but whose head is now another person is a change of head: listed old → new in
the preview and written only with its own confirmation, on the web page, in the background job and by the command."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.writing import ImportRefused
from residents.models import Household, Person
from tests import factories as f

from .conftest import KHU_PHO_SOI
from .helpers import write_xlsx
from .test_web_flow import uploaded_run

HEADER = ["Mã hộ", "Họ và tên chủ hộ", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu"]


@pytest.fixture
def lo_van_cuong(places):
    """SOI-001 as the database knows it, its head a person of the household."""
    household = f.household(places.hamlet_a, code="SOI-001", head_name="Lò Văn Cường", head_cccd="038070000111")
    f.person(places.hamlet_a, full_name="Lò Văn Cường", household_=household, cccd="038070000111", sex="male")
    return household


def a_list(tmp_path, *rows) -> object:
    return write_xlsx(tmp_path / "ds.xlsx", [list(row) for row in rows], header=HEADER)


def test_the_preview_lists_a_change_of_head_old_to_new(client_for, personas, lo_van_cuong, tmp_path):
    client = client_for(personas.officer_a)

    run = uploaded_run(client, a_list(tmp_path, ("SOI-001", "Đặng Thị Lan", "038146967958", "Khu phố Sỏi", 4)))

    assert run.summary["head_change_count"] == 1
    assert run.summary["head_changes"] == [{
        "row": 2, "code": "SOI-001", "hamlet": "Khu phố Sỏi", "old_name": "Lò Văn Cường", "old_cccd": "038070000111",
        "new_name": "Đặng Thị Lan", "new_cccd": "038146967958",
    }]  # fmt: skip
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Đổi chủ hộ: 1 hộ" in page and 'name="confirm_head_changes"' in page
    assert "Lò Văn Cường" in page and "Đặng Thị Lan" in page


def test_confirming_without_the_head_change_box_is_refused_and_writes_nothing(
    client_for, personas, lo_van_cuong, tmp_path
):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, a_list(tmp_path, ("SOI-001", "Đặng Thị Lan", "038146967958", "Khu phố Sỏi", 4)))

    response = client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Tệp đổi chủ hộ của 1 hộ: hãy kiểm tra danh sách đổi chủ hộ và đánh dấu ô xác nhận trước khi nhập."
    ]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW
    lo_van_cuong.refresh_from_db()
    assert (lo_van_cuong.head_name, lo_van_cuong.head_cccd) == ("Lò Văn Cường", "038070000111")


@pytest.mark.parametrize("background", [False, True])
def test_confirming_with_the_box_changes_the_head_and_keeps_the_old_one_as_a_member(
    client_for, personas, lo_van_cuong, tmp_path, settings, background
):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_ROWS = 0 if background else 3000  # no broker: the job runs in-process
    client = client_for(personas.officer_a)
    run = uploaded_run(client, a_list(tmp_path, ("SOI-001", "Đặng Thị Lan", "038146967958", "Khu phố Sỏi", 4)))

    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all", "confirm_head_changes": "1"})

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    lo_van_cuong.refresh_from_db()
    assert (lo_van_cuong.head_name, lo_van_cuong.head_cccd) == ("Đặng Thị Lan", "038146967958")
    members = set(Person.objects.filter(household=lo_van_cuong).values_list("full_name", flat=True))
    assert members == {"Lò Văn Cường", "Đặng Thị Lan"}


@pytest.mark.parametrize(
    ("name", "cccd"),
    [
        ("Lò Văn Cương", "038070000111"),  # the same CCCD: the name corrected
        ("LÒ VĂN CƯỜNG", "038070000112"),  # the same name: the number corrected
        ("Lò Văn Cường", ""),  # no CCCD in the file, the same name
    ],
)
def test_a_corrected_name_or_number_is_no_change_of_head(client_for, personas, lo_van_cuong, tmp_path, name, cccd):
    client = client_for(personas.officer_a)

    run = uploaded_run(client, a_list(tmp_path, ("SOI-001", name, cccd, "Khu phố Sỏi", 4)))

    assert run.summary["head_change_count"] == 0
    assert 'name="confirm_head_changes"' not in client.get(reverse("imports:run", args=[run.pk])).content.decode()


def test_a_head_that_changed_in_the_database_after_the_preview_is_not_written_silently(
    personas, lo_van_cuong, tmp_path, client_for
):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, a_list(tmp_path, ("SOI-001", "Lò Văn Cường", "038070000111", "Khu phố Sỏi", 5)))
    assert run.summary["head_change_count"] == 0
    Household.objects.filter(pk=lo_van_cuong.pk).update(head_name="Hà Thị Mai", head_cccd="038190004567")

    with pytest.raises(ImportRefused, match="1 hộ sẽ đổi chủ hộ"):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=personas.officer_a)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.summary["head_change_count"] == 1
    assert Household.objects.get(pk=lo_van_cuong.pk).head_name == "Hà Thị Mai"


def test_the_sample_over_other_heads_of_the_same_codes_lists_every_change_and_writes_nothing_unconfirmed(
    client_for, personas, places
):
    for number in range(1, 90):
        f.household(places.hamlet_a, code=f"SOI-{number:03d}", head_name=f"Người Khác {number}")
    client = client_for(personas.officer_a)

    run = uploaded_run(client, KHU_PHO_SOI)
    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})

    run.refresh_from_db()
    assert (run.summary["head_change_count"], run.status) == (89, ImportRun.Status.PREVIEW)
    assert not Household.objects.exclude(head_name__startswith="Người Khác").exists()


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_households", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_the_command_lists_changes_of_head_and_needs_its_flag(places, lo_van_cuong, tmp_path):
    path = a_list(tmp_path, ("SOI-001", "Đặng Thị Lan", "038146967958", "Khu phố Sỏi", 4))

    code, out, err = run_command(path, "--commune", "15016")

    assert code == 1
    assert "đổi chủ hộ: dòng 2, hộ SOI-001: Lò Văn Cường (038070000111) → Đặng Thị Lan (038146967958)" in out
    assert "--confirm-head-changes" in err
    assert Household.objects.get(pk=lo_van_cuong.pk).head_name == "Lò Văn Cường"

    code, out, _err = run_command(path, "--commune", "15016", "--confirm-head-changes")

    assert code == 0 and out.strip().splitlines()[-1] == "created=0 updated=1 unchanged=0 invalid=0"
    assert Household.objects.get(pk=lo_van_cuong.pk).head_name == "Đặng Thị Lan"
