"""The pipeline against the database: updates reported, missing households, pledges, legacy text, audit, safety."""

import pytest
from django.db import DatabaseError

from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.previews import create_run
from imports.row_checks import ON_FILE_ELSEWHERE
from imports.writing import ImportRefused
from pledges.models import HouseholdPledge
from residents.models import Household, Person, PersonTransfer
from tests import factories as f

from .conftest import KHU_PHO_SOI, WITH_ERRORS
from .helpers import edit_cells, household_row, write_xlsx


def upload(path, *, actor, commune, full_list=False):
    run, plan = create_run(actor=actor, commune=commune, uploaded=path.read_bytes(), file_name=path.name,
                           full_list=full_list)  # fmt: skip
    return run, plan


def import_file(path, *, actor, commune, mode=ImportRun.Mode.ALL, full_list=False):
    run, _plan = upload(path, actor=actor, commune=commune, full_list=full_list)
    result = execute_run(run, mode=mode, actor=actor)
    run.refresh_from_db()
    return run, result


@pytest.fixture
def officer(personas):
    return personas.officer_a


def test_an_updated_file_updates_what_changed_and_reports_it(places, officer, tmp_path):
    import_file(KHU_PHO_SOI, actor=officer, commune=places.commune_a)
    # SOI-001 (row 7) has one more member, SOI-002 (row 8) a corrected name.
    updated = edit_cells(KHU_PHO_SOI, tmp_path / "soi_v2.xlsx", {"J7": 8, "C8": "Dương Thu Liên"})

    run, plan = upload(updated, actor=officer, commune=places.commune_a)

    assert (run.new_rows, run.changed_rows, run.unchanged_rows, run.invalid_rows) == (0, 2, 87, 0)
    changes = {
        row.data["code"]: [(c.label, c.old, c.new) for c in row.changes]
        for row in [row for row in plan.rows if row.kind == "changed"]
    }
    assert ("số nhân khẩu", "7", "8") in changes["SOI-001"]
    assert ("họ tên chủ hộ", "Dương Thu Linh", "Dương Thu Liên") in changes["SOI-002"]

    result = execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    assert (result.created, result.updated, result.unchanged) == (0, 2, 87)
    assert Household.objects.get(code="SOI-001").members_count == 8
    head = Person.objects.get(cccd="038180663329")
    assert head.full_name == "Dương Thu Liên" and head.name_key == "duong thu lien"


def test_every_write_leaves_history_with_the_importer_and_the_run(places, officer):
    run, _result = import_file(KHU_PHO_SOI, actor=officer, commune=places.commune_a)

    entry = Household.history.get(code="SOI-001")
    assert entry.history_user == officer
    assert entry.history_type == "+"
    assert f"#{run.pk}" in entry.history_change_reason
    assert Person.history.filter(history_user=officer).count() == 89
    assert run.status == ImportRun.Status.DONE
    assert (run.created_count, run.created_by, run.file_name) == (89, officer, KHU_PHO_SOI.name)


def test_households_missing_from_a_full_reimport_are_reported_not_deleted(places, officer, tmp_path):
    import_file(KHU_PHO_SOI, actor=officer, commune=places.commune_a)
    other = f.household(places.hamlet_a2, code="NN-001", head_name="Vi Văn Tâm")
    # Row 95 (SOI-089) left out of the new list.
    shorter = edit_cells(KHU_PHO_SOI, tmp_path / "soi_short.xlsx", {f"{c}95": None for c in "ABCDEFGHIJ"})

    run, plan = upload(shorter, actor=officer, commune=places.commune_a, full_list=True)

    assert {m.code for m in plan.missing} == {"SOI-089", "NN-001"}
    assert run.missing_count == 2
    assert ["NN-001", "Vi Văn Tâm", "Bản Na Nghịu"] in run.summary["missing"]
    execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)
    assert Household.objects.filter(pk=other.pk).exists() and Household.objects.filter(code="SOI-089").exists()


def test_a_partial_list_reports_no_missing_households(places, officer):
    f.household(places.hamlet_a2, code="NN-001")

    run, plan = upload(KHU_PHO_SOI, actor=officer, commune=places.commune_a)

    assert plan.missing == [] and run.missing_count == 0


def test_pledge_column_records_pledges_ticked_as_x_co_or_check(places, officer, tmp_path):
    header = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu", "Đã ký cam kết"]
    rows = [[*household_row(n)[:3], household_row(n)[5], "Khu phố Sỏi", 3, mark]
            for n, mark in enumerate(["x", "có", "✓", "", "không"], 1)]  # fmt: skip
    path = write_xlsx(tmp_path / "cam_ket.xlsx", rows, header=header)

    run, result = import_file(path, actor=officer, commune=places.commune_a)

    assert result.extensions["pledges"] == {"created": 3, "updated": 0}
    pledged = set(HouseholdPledge.objects.values_list("household__code", flat=True))
    assert pledged == {"H-001", "H-002", "H-003"}
    assert HouseholdPledge.history.filter(history_user=officer).count() == 3
    assert HouseholdPledge.objects.get(household__code="H-001").representative_name == "Lò Văn Hùng 1"


def test_a_newly_ticked_pledge_makes_an_unchanged_household_changed(places, officer, tmp_path):
    header = ["Mã hộ", "Họ và tên chủ hộ", "Thôn/Khu phố", "Đã ký cam kết"]
    first = write_xlsx(tmp_path / "v1.xlsx", [["H-1", "Lò Văn A", "Khu phố Sỏi", ""]], header=header)
    second = write_xlsx(tmp_path / "v2.xlsx", [["H-1", "Lò Văn A", "Khu phố Sỏi", "x"]], header=header)
    import_file(first, actor=officer, commune=places.commune_a)

    run, plan = upload(second, actor=officer, commune=places.commune_a)

    assert run.changed_rows == 1
    assert [row for row in plan.rows if row.kind == "changed"][0].changes[0].label.startswith("Cam kết năm")
    execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)
    assert HouseholdPledge.objects.filter(household__code="H-1").count() == 1
    rerun, _plan = upload(second, actor=officer, commune=places.commune_a)
    assert (rerun.changed_rows, rerun.unchanged_rows) == (0, 1)


def test_a_blank_pledge_cell_never_withdraws_a_recorded_pledge(places, officer, tmp_path):
    household = f.household(places.hamlet_a, code="H-1", head_name="Lò Văn A")
    f.pledge(household)
    header = ["Mã hộ", "Họ và tên chủ hộ", "Thôn/Khu phố", "Đã ký cam kết"]
    path = write_xlsx(tmp_path / "v.xlsx", [["H-1", "Lò Văn A", "Khu phố Sỏi", ""]], header=header)

    import_file(path, actor=officer, commune=places.commune_a)

    assert HouseholdPledge.objects.filter(household=household).exists()


def test_tcvn3_text_is_converted_to_unicode(places, officer, tmp_path):
    header = ["M· hé", "Hä vµ tªn chñ hé", "Th«n/Khu phè", "Sè nh©n khÈu"]
    path = write_xlsx(tmp_path / "tcvn3.xlsx", [["T-1", "Hµ V¨n S¬n", "Khu phè Sái", 3]], header=header)

    run, _result = import_file(path, actor=officer, commune=places.commune_a)

    assert Household.objects.get(code="T-1").head_name == "Hà Văn Sơn"
    assert Household.objects.get(code="T-1").hamlet == places.hamlet_a
    assert run.summary["encoding"] == "tcvn3"


def test_vni_text_is_converted_to_unicode(places, officer, tmp_path):
    path = write_xlsx(tmp_path / "vni.xlsx", [["V-1", "Nguyeãn Vaên An", "Khu phoá Soûi", 2]],
                      header=["Maõ hoä", "Hoï vaø teân chuû hoä", "Thoân/Khu phoá", "Soá nhaân khaåu"])  # fmt: skip

    import_file(path, actor=officer, commune=places.commune_a)

    assert Household.objects.get(code="V-1").head_name == "Nguyễn Văn An"


def test_a_hamlet_is_found_without_case_spaces_diacritics_or_its_kind_word(places, officer, tmp_path):
    header = ["Mã hộ", "Họ và tên chủ hộ", "Thôn/Khu phố"]
    rows = [["A", "Lò Văn A", "khu pho  SOI"], ["B", "Lò Văn B", "Sỏi"], ["C", "Lò Văn C", "Na Nghịu"]]
    path = write_xlsx(tmp_path / "hamlets.xlsx", rows, header=header)

    import_file(path, actor=officer, commune=places.commune_a)

    hamlets = dict(Household.objects.values_list("code", "hamlet__name"))
    assert hamlets == {"A": "Khu phố Sỏi", "B": "Khu phố Sỏi", "C": "Bản Na Nghịu"}


def test_a_cccd_on_file_in_another_commune_is_sent_to_the_reviewer_without_telling_the_officer_where(
    places, officer, tmp_path
):
    on_file = f.person(places.hamlet_b, full_name="Hà Thị Bí Mật", cccd="038078000001")
    path = write_xlsx(tmp_path / "x.xlsx", [household_row(1), household_row(2)])

    run, _plan = upload(path, actor=officer, commune=places.commune_a)

    assert run.invalid_rows == 1
    message = run.errors[0]["message"]
    assert message == str(ON_FILE_ELSEWHERE)
    assert "Bí Mật" not in str(run.errors) and "khác" not in message and places.commune_b.name not in str(run.errors)
    execute_run(run, mode=ImportRun.Mode.VALID_ONLY, actor=officer)
    transfer = PersonTransfer.objects.get()
    assert (transfer.person, transfer.to_commune, transfer.to_hamlet) == (on_file, places.commune_a, places.hamlet_a)
    assert (transfer.import_run, transfer.identity["row_number"]) == (run, 2)
    assert Household.objects.filter(commune=places.commune_a).count() == 1  # the other row


def test_an_existing_person_of_the_commune_becomes_the_head_of_a_new_household(places, officer, tmp_path):
    person = f.person(places.hamlet_a, full_name="Lò Văn Hùng 1", cccd="038078000001")
    path = write_xlsx(tmp_path / "x.xlsx", [household_row(1)])

    import_file(path, actor=officer, commune=places.commune_a)

    person.refresh_from_db()
    assert person.household.code == "H-001"
    assert Person.objects.filter(cccd="038078000001").count() == 1


def test_all_or_nothing_refuses_a_file_with_errors_and_writes_nothing(places, officer):
    run, _plan = upload(WITH_ERRORS, actor=officer, commune=places.commune_a)

    with pytest.raises(ImportRefused):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "8 dòng lỗi" in run.message
    assert Household.objects.count() == 0


def test_a_failure_in_the_middle_of_the_write_leaves_the_database_as_before(places, officer, monkeypatch, tmp_path):
    import_file(KHU_PHO_SOI, actor=officer, commune=places.commune_a)
    before = (Household.objects.count(), Person.objects.count(), Household.history.count(), Person.history.count(),
              HouseholdPledge.objects.count())  # fmt: skip
    header = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu", "Đã ký cam kết"]
    rows = [[n, f"N-{n}", f"Lò Văn {n}", f"038078{n:06d}", "Khu phố Sỏi", 2, "x"] for n in range(1, 51)]
    rows.append([51, "SOI-001", "Đặng Thị Lan", "038146967958", "Khu phố Sỏi", 9, "x"])  # an update too
    path = write_xlsx(tmp_path / "x.xlsx", rows, header=header)
    run, _plan = upload(path, actor=officer, commune=places.commune_a)

    # Households, heads and their history are written; the pledges (last) fail as a lost connection would.
    def lost_connection(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("imports.pledge_columns.write", lost_connection)
    with pytest.raises(DatabaseError):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    after = (Household.objects.count(), Person.objects.count(), Household.history.count(), Person.history.count(),
             HouseholdPledge.objects.count())  # fmt: skip
    assert after == before
    assert Household.objects.get(code="SOI-001").members_count == 7
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "chưa bị thay đổi" in run.message


def test_reimporting_after_a_failure_imports_everything(places, officer, monkeypatch, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [household_row(n) for n in range(1, 6)])
    run, _plan = upload(path, actor=officer, commune=places.commune_a)
    monkeypatch.setattr("imports.bulk.history", lambda *a, **k: (_ for _ in ()).throw(DatabaseError("x")))
    with pytest.raises(DatabaseError):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)
    monkeypatch.undo()

    result = execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    assert result.created == 5 and Household.objects.count() == 5
