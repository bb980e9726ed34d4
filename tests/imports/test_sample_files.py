"""The three sample files import with exactly the outcomes their README promises (tests/fixtures/samples)."""

import io

import pytest
from django.core.management import call_command

from imports.models import ImportRun
from pledges.models import HouseholdPledge
from residents.models import Household, Person

from .conftest import KHU_PHO_SOI, NGOC_LAC, WITH_ERRORS


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_households", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_khu_pho_soi_gives_89_households_and_415_members_with_clean_cccds(places):
    code, out, _err = run_command(KHU_PHO_SOI, "--commune", "15016")

    assert code == 0
    assert last_line(out) == "created=89 updated=0 unchanged=0 invalid=0"
    households = Household.objects.filter(commune=places.commune_a)
    assert households.count() == 89
    assert sum(households.values_list("members_count", flat=True)) == 415
    cccds = list(households.values_list("head_cccd", flat=True))
    assert all(len(c) == 12 and c.isdigit() and c.startswith("038") for c in cccds)
    assert households.get(code="SOI-006").head_cccd == "038050865554"  # typed as the number 38050865554
    names = list(households.values_list("head_name", flat=True))
    assert "Bàn Minh Khăm" in names and all(n == n.strip() and "  " not in n for n in names)


def test_khu_pho_soi_heads_become_people_of_their_households(places):
    run_command(KHU_PHO_SOI, "--commune", "15016")

    head = Person.objects.get(cccd="038146967958")
    assert head.full_name == "Đặng Thị Lan"
    assert head.household.code == "SOI-001"
    assert head.birth_date.strftime("%d/%m/%Y") == "30/03/1946"
    assert head.sex == "female"
    assert Person.objects.filter(commune=places.commune_a).count() == 89


def test_ngoc_lac_gives_640_households_in_12_hamlets_2781_members_and_586_pledges(places, ngoc_lac_hamlets):
    code, out, _err = run_command(NGOC_LAC, "--commune", "15061")

    assert code == 0
    assert last_line(out) == "created=640 updated=0 unchanged=0 invalid=0"
    households = Household.objects.filter(commune=places.commune_b)
    assert households.count() == 640
    assert households.values("hamlet").distinct().count() == 12
    assert sum(households.values_list("members_count", flat=True)) == 2781
    assert HouseholdPledge.objects.filter(household__commune=places.commune_b).count() == 586


def test_ngoc_lac_without_a_code_column_keys_households_by_the_heads_cccd(places, ngoc_lac_hamlets):
    run_command(NGOC_LAC, "--commune", "15061")

    household = Household.objects.get(commune=places.commune_b, head_cccd="038200112113")
    assert household.code == "038200112113"
    assert household.head_name == "Hà Văn Sơn"
    head = household.members.get()
    assert (head.birth_year, head.birth_date) == (2000, None)


def test_error_file_names_each_bad_row_and_writes_nothing(places):
    code, out, err = run_command(WITH_ERRORS, "--commune", "15016")

    assert code != 0
    assert last_line(out) == "created=0 updated=0 unchanged=0 invalid=8"
    bad_rows = sorted(
        {int(line.split(",")[0].removeprefix("dòng ")) for line in err.splitlines() if line.startswith("dòng")}
    )
    assert bad_rows == [3, 4, 5, 6, 7, 8, 10, 11]
    assert "Khu phố Không Có" in err
    assert "Trùng với dòng 2 (hộ E-001)" in err
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_error_file_with_valid_only_imports_e001_and_e008(places):
    code, out, _err = run_command(WITH_ERRORS, "--commune", "15016", "--valid-only")

    assert code == 0
    assert last_line(out) == "created=2 updated=0 unchanged=0 invalid=8"
    assert set(Household.objects.values_list("code", flat=True)) == {"E-001", "E-008"}


def test_dry_run_reports_counts_and_writes_nothing(places):
    code, out, _err = run_command(KHU_PHO_SOI, "--commune", "15016", "--dry-run")

    assert code == 0
    assert last_line(out) == "created=89 updated=0 unchanged=0 invalid=0"
    assert Household.objects.count() == 0 and ImportRun.objects.count() == 0


def test_reimporting_the_same_file_changes_nothing(places, ngoc_lac_hamlets):
    run_command(NGOC_LAC, "--commune", "15061")
    history = Household.history.count(), Person.history.count(), HouseholdPledge.history.count()

    code, out, _err = run_command(NGOC_LAC, "--commune", "15061")

    assert code == 0
    assert last_line(out) == "created=0 updated=0 unchanged=640 invalid=0"
    assert (Household.history.count(), Person.history.count(), HouseholdPledge.history.count()) == history


@pytest.mark.parametrize("commune", ["99999"])
def test_unknown_commune_is_refused(places, commune):
    with pytest.raises(Exception, match="Không có xã mã 99999"):
        call_command("import_households", str(KHU_PHO_SOI), "--commune", commune)


def test_the_commune_may_be_named_by_its_old_name_from_before_the_merger(places):
    from communes.models import CommuneAlias

    CommuneAlias.objects.create(commune=places.commune_a, old_name="Thị trấn Sơn Lư", old_district_name="Quan Sơn")

    code, out, _err = run_command(KHU_PHO_SOI, "--commune", "thi tran Son Lu", "--dry-run")

    assert code == 0 and last_line(out) == "created=89 updated=0 unchanged=0 invalid=0"
