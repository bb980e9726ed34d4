"""The confirmed import streams: the .xlsx is read as it is inflated (`imports/xlsx_stream.py`), and batches are
planned and written one after the other in one transaction. What the stream reads is what calamine reads for the
preview; an error found in a late batch leaves the database as it was."""

import datetime
import io
import threading
import zipfile

import pytest
import python_calamine
from django.db import IntegrityError, connection
from openpyxl import Workbook

from imports import planning, writing
from imports.limits import ReadLimits
from imports.models import ImportRun
from imports.pipeline import execute_run, preview_stored_run
from imports.previews import create_run
from imports.table import SpreadsheetError
from imports.writing import ImportRefused
from imports.xlsx_stream import XlsxStream
from pledges.models import HouseholdPledge
from residents.models import Household, Person
from tests import factories as f

from .conftest import KHU_PHO_SOI, SAMPLES, WITH_ERRORS
from .helpers import HEADER, household_row, write_xlsx


def calamine_rows(data: bytes, sheet: str) -> list[list]:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def stream_rows(data: bytes, sheet: str) -> list[list]:
    return list(XlsxStream(data, "ds.xlsx", ReadLimits.from_settings()).rows(sheet))


def same_grid(first: list[list], second: list[list]) -> bool:
    """Equal once padded to one width, blank rows at the end left out (calamine stops at the last value)."""
    width = max((len(row) for row in first + second), default=0)

    def grid(rows):
        padded = [list(row) + [""] * (width - len(row)) for row in rows]
        while padded and all(value == "" for value in padded[-1]):
            padded.pop()
        return padded

    return grid(first) == grid(second)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.xlsx")), ids=lambda path: path.name)
def test_the_stream_reads_every_sample_workbook_as_calamine_does(path):
    data = path.read_bytes()
    for sheet in python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names:
        assert same_grid(stream_rows(data, sheet), calamine_rows(data, sheet))


def test_the_stream_reads_typed_cells_as_calamine_does(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên", 1, 1.5, 38012345678, True, datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 3, 4)])
    sheet.append([None, "=1+1", None, "Lê & Hà <x>", False, None, datetime.time(3, 4)])
    sheet["D3"] = datetime.date(2021, 5, 6)
    sheet["D3"].number_format = "dd/mm/yyyy"
    sheet["E3"] = 44000
    sheet["E3"].number_format = "0"
    sheet["H5"] = "xa"
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    data = path.read_bytes()

    assert same_grid(stream_rows(data, "Sheet"), calamine_rows(data, "Sheet"))


def handmade_xlsx(sheet_data: str, shared: str) -> bytes:
    """A workbook as Excel writes it (shared strings, rich text, phonetic runs, a prefixed namespace, attributes in
    another order): read by the stream's general path."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ))  # fmt: skip
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ))  # fmt: skip
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><x:workbook xmlns:x="{main}" xmlns:r="{relations}"><x:sheets>'
            '<x:sheet name="Danh s&#225;ch" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>'
        ))  # fmt: skip
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ))  # fmt: skip
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><x:sst xmlns:x="{main}">{shared}</x:sst>')
        archive.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0"?><x:worksheet xmlns:x="{main}"><x:sheetData>{sheet_data}</x:sheetData>'
            "</x:worksheet>"
        ))  # fmt: skip
    return buffer.getvalue()


def test_the_stream_reads_shared_strings_rich_text_and_prefixed_sheets_as_calamine_does():
    shared = (
        "<x:si><x:t>Họ và tên chủ hộ</x:t></x:si>"
        '<x:si><x:r><x:t xml:space="preserve">Lò </x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>Văn A</x:t></x:r>'
        "<x:rPh><x:t>ロ</x:t></x:rPh></x:si>"
        "<x:si><x:t>Mã &amp; số</x:t></x:si>"
    )
    sheet_data = (
        '<x:row r="2"><x:c t="s" r="B2"><x:v>0</x:v></x:c><x:c r="C2" t="s"><x:v>2</x:v></x:c></x:row>'
        '<x:row r="4"><x:c r="B4" t="s"><x:v>1</x:v></x:c><x:c r="D4"><x:v>7</x:v></x:c>'
        '<x:c r="E4" t="inlineStr"><x:is><x:t>Thôn 1</x:t></x:is></x:c></x:row>'
        '<x:row r="5"/>'
    )
    data = handmade_xlsx(sheet_data, shared)

    rows = stream_rows(data, "Danh sách")

    assert same_grid(rows, calamine_rows(data, "Danh sách"))
    assert rows[3][1:5] == ["Lò Văn A", "", 7.0, "Thôn 1"]


def test_a_stream_beyond_the_row_limit_is_refused_as_it_is_read(settings):
    settings.HOUSEHOLD_IMPORT_MAX_ROWS = 5
    far = '<x:row r="900"><x:c r="A900" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>'
    data = handmade_xlsx(far, "")

    with pytest.raises(Exception) as caught:
        stream_rows(data, "Danh sách")

    assert caught.value.code == "too_many_rows"


# --- the stream written in batches ------------------------------------------------------------------------------------


@pytest.fixture
def batches_of_two(monkeypatch):
    """Two rows per batch: a file of a few rows is written in several batches, as 100,000 rows are."""
    monkeypatch.setattr(planning, "STREAM_BATCH", 2)


@pytest.fixture
def officer(personas):
    return personas.officer_a


def database_state():
    return [model.objects.count() for model in (Household, Household.history.model, Person, Person.history.model,
                                                HouseholdPledge, HouseholdPledge.history.model)]  # fmt: skip


def preview(path, *, officer, places):
    run, _plan = create_run(actor=officer, commune=places.commune_a, uploaded=path.read_bytes(), file_name=path.name)
    return run


def test_a_file_written_in_several_batches_is_whole_with_its_history(places, officer, batches_of_two):
    run = preview(KHU_PHO_SOI, officer=officer, places=places)

    result = execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert result.created == run.new_rows == Household.objects.count() == Household.history.count()
    assert Person.objects.count() == Person.history.count() == result.people_created
    assert (run.created_count, run.summary["result"]["people_created"]) == (result.created, result.people_created)


def test_an_error_found_in_a_late_batch_rolls_everything_back(places, officer, batches_of_two, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 8)])
    run = preview(path, officer=officer, places=places)
    assert (run.new_rows, run.invalid_rows) == (7, 0)
    # After the preview, the head of the last row is recorded in another commune: found only in the last batch.
    f.person(places.hamlet_b, cccd="038078000007", full_name="Lò Văn Hùng 7")
    before = database_state()

    with pytest.raises(ImportRefused):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "1 dòng lỗi" in run.message
    assert run.invalid_rows == 1 and run.errors[0]["row"] == 8  # the stored preview is the confirmation's
    assert database_state() == before


def test_a_duplicate_across_batches_is_found_and_nothing_is_written(places, officer, batches_of_two, tmp_path):
    rows = [household_row(n) for n in range(1, 6)]
    rows.append([6, "H-001", "Lò Văn Khác", "12/03/1978", "Nam", "038078000099", "Khu phố Sỏi", 3])
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    run = preview(path, officer=officer, places=places)

    with pytest.raises(ImportRefused):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.errors[0]["message"] == "Trùng với dòng 2 (hộ H-001)."
    assert not Household.objects.exists()

    result = execute_run(run, mode=ImportRun.Mode.VALID_ONLY, actor=officer)

    assert result.created == 5 and result.invalid == 1 and Household.objects.count() == 5


def test_a_row_the_database_refuses_in_a_late_batch_rolls_back_the_batches_before(
    places, officer, batches_of_two, tmp_path, monkeypatch
):
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 8)])
    run = preview(path, officer=officer, places=places)
    before = database_state()
    written = []
    insert = planning.bulk.insert

    def refuse_the_fourth_batch(model, *args, **kwargs):
        if model is Household:
            written.append(model)
            if len(written) == 4:
                raise IntegrityError("households_code_unique")
        return insert(model, *args, **kwargs)

    monkeypatch.setattr("imports.bulk.insert", refuse_the_fourth_batch)

    with pytest.raises(IntegrityError):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and len(written) == 4
    assert database_state() == before


def test_a_file_with_errors_confirmed_for_its_valid_rows_streams_them(places, officer, batches_of_two):
    run = preview(WITH_ERRORS, officer=officer, places=places)
    valid = run.new_rows

    result = execute_run(run, mode=ImportRun.Mode.VALID_ONLY, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert result.created == valid == Household.objects.count()
    assert result.invalid == run.invalid_rows > 0


def test_a_reader_refusal_in_the_middle_of_the_stream_fails_the_run(places, officer, batches_of_two, settings):
    run = preview(KHU_PHO_SOI, officer=officer, places=places)
    settings.HOUSEHOLD_IMPORT_MAX_ROWS = 20  # the stored file is now beyond the limit: found while streaming

    with pytest.raises(SpreadsheetError):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "vượt giới hạn" in run.message
    assert not Household.objects.exists()


# --- the next batch planned while the one before is written (`imports/plan_ahead.py`) --------------------------------

# Planned ahead only where the import's transaction is the outermost (another connection sees no enclosing
# transaction's rows): these tests commit, so that the planning thread's own connection sees the commune and the run.


@pytest.fixture
def planned_in(monkeypatch):
    """The threads the batches were planned in."""
    threads = []
    plan_batch = planning.Planner.plan_batch

    def spied(planner, rows):
        threads.append(threading.current_thread().name)
        return plan_batch(planner, rows)

    monkeypatch.setattr(planning.Planner, "plan_batch", spied)
    return threads


def planner_thread() -> str:
    return "plan-ahead" if connection.vendor == "postgresql" else threading.main_thread().name


@pytest.mark.parametrize("mode", [ImportRun.Mode.ALL, ImportRun.Mode.VALID_ONLY])
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_programmes")
def test_batches_planned_ahead_of_their_write_are_all_written_with_their_history(
    places, officer, batches_of_two, tmp_path, planned_in, mode
):
    on_file = f.household(places.hamlet_a, code="H-002", head_name="Lò Văn Hùng 2", members=1)
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 8)])
    run = preview(path, officer=officer, places=places)
    assert (run.new_rows, run.changed_rows) == (6, 1)
    planned_in.clear()  # the preview's whole-file plan

    result = execute_run(run, mode=mode, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and (result.created, result.updated) == (6, 1)
    assert Household.objects.count() == 7 and Household.history.count() == 6 + 2  # the one on file: + and ~
    assert Person.objects.count() == Person.history.count() == result.people_created == 7
    on_file.refresh_from_db()
    assert on_file.members_count == 4
    assert planned_in == [planner_thread()] * 4
    assert not [thread for thread in threading.enumerate() if thread.name == "plan-ahead"]


def written_by_the_import() -> dict[str, set]:
    """What an import wrote, field by field, each new row with its history row ("+", by whom, why, when)."""

    def created(model, row):
        entry = model.history.get(id=row.pk, history_type="+")
        # On PostgreSQL the history row is copied from the row as stored (SQLite's bulk_create stamps it anew).
        same_time = entry.history_date == row.created_at or connection.vendor != "postgresql"
        return entry.history_user.username, entry.history_change_reason, same_time

    households = Household.objects.select_related("hamlet")
    people = Person.objects.select_related("household", "hamlet")
    pledges = HouseholdPledge.objects.select_related("household")
    return {
        "households": {(h.code, h.head_name, h.head_name_key, h.head_cccd, h.hamlet.name, h.members_count,
                        h.commune_id, created(Household, h)) for h in households},
        "people": {(p.full_name, p.name_key, p.cccd, p.birth_date, p.sex, p.household.code, p.hamlet.name,
                    created(Person, p)) for p in people},
        "pledges": {(p.household.code, p.year, p.signed_on, p.commune_id, created(HouseholdPledge, p))
                    for p in pledges},
    }  # fmt: skip


@pytest.mark.parametrize("ahead", [True, False])
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_programmes")
def test_rows_made_ready_ahead_of_their_write_are_written_as_the_write_would_make_them(
    places, officer, batches_of_two, tmp_path, monkeypatch, ahead
):
    """On PostgreSQL the planning thread makes each batch's new rows ready (ids drawn, COPY text formatted) while the
    batch before is written; the rows written are the same as when the write makes them itself."""
    prepared_in = []
    prepare = writing.prepare

    def spied(plan, **kwargs):
        prepared_in.append(threading.current_thread().name)
        return prepare(plan, **kwargs)

    monkeypatch.setattr(writing, "prepare", spied)
    if not ahead:
        monkeypatch.setattr("imports.pipeline.can_plan_ahead", lambda: False)
    signed_on = {1: "05/01/2026", 3: "20/11/2025", 6: "05/01/2026", 7: "20/11/2025"}
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) + [signed_on.get(n, "")] for n in range(1, 8)],
                      header=[*HEADER, "Ngày ký cam kết"])  # fmt: skip
    run = preview(path, officer=officer, places=places)

    result = execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    assert result.created == result.people_created == 7
    reason = f"Nhập danh sách hộ #{run.pk} (ds.xlsx)"
    made = (officer.username, reason, True)
    assert written_by_the_import() == {
        "households": {(f"H-{n:03d}", f"Lò Văn Hùng {n}", f"lo van hung {n}", f"038078{n:06d}", "Khu phố Sỏi", 4,
                        places.commune_a.pk, made) for n in range(1, 8)},
        "people": {(f"Lò Văn Hùng {n}", f"lo van hung {n}", f"038078{n:06d}", datetime.date(1978, 3, 12), "male",
                    f"H-{n:03d}", "Khu phố Sỏi", made) for n in range(1, 8)},
        "pledges": {(f"H-{n:03d}", int(day[-4:]), datetime.datetime.strptime(day, "%d/%m/%Y").date(),
                     places.commune_a.pk, made) for n, day in signed_on.items()},
    }  # fmt: skip
    on_postgresql = connection.vendor == "postgresql"
    assert prepared_in == (["plan-ahead"] * 4 if ahead and on_postgresql else [])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_programmes")
def test_a_write_failing_while_the_next_batch_is_planned_rolls_back_every_batch(
    places, officer, batches_of_two, tmp_path, planned_in, monkeypatch
):
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 8)])
    run = preview(path, officer=officer, places=places)
    planned_in.clear()
    before = database_state()
    written = []
    insert, insert_prepared = planning.bulk.insert, planning.bulk.Prepared.insert

    def refuse_the_third(model):
        if model is Household:
            written.append(model)
            if len(written) == 3:
                raise IntegrityError("households_code_unique")

    def refuse_the_third_batch(model, *args, **kwargs):
        refuse_the_third(model)
        return insert(model, *args, **kwargs)

    def refuse_the_third_prepared_batch(prepared):  # PostgreSQL: the batches' rows were made ready ahead
        refuse_the_third(prepared.model)
        return insert_prepared(prepared)

    monkeypatch.setattr("imports.bulk.insert", refuse_the_third_batch)
    monkeypatch.setattr("imports.bulk.Prepared.insert", refuse_the_third_prepared_batch)

    with pytest.raises(IntegrityError):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and len(written) == 3
    assert database_state() == before
    assert set(planned_in) == {planner_thread()}
    assert not [thread for thread in threading.enumerate() if thread.name == "plan-ahead"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_programmes")
def test_a_refusal_met_by_the_planning_thread_fails_the_run_and_writes_nothing(
    places, officer, batches_of_two, settings
):
    run = preview(KHU_PHO_SOI, officer=officer, places=places)
    settings.HOUSEHOLD_IMPORT_MAX_ROWS = 20  # the stream's rows are taken by the planning thread: it meets it

    with pytest.raises(SpreadsheetError):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=officer)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "vượt giới hạn" in run.message
    assert not Household.objects.exists()
    assert not [thread for thread in threading.enumerate() if thread.name == "plan-ahead"]


# --- the preview streamed ---------------------------------------------------------------------------------------------


def test_a_preview_read_as_a_stream_stores_what_the_whole_file_preview_stores(places, officer, batches_of_two):
    whole = preview(WITH_ERRORS, officer=officer, places=places)
    streamed, _plan = create_run(
        actor=officer, commune=places.commune_a, uploaded=WITH_ERRORS.read_bytes(), file_name=WITH_ERRORS.name,
        background=True,
    )  # fmt: skip

    preview_stored_run(streamed)

    streamed.refresh_from_db()
    assert streamed.status == ImportRun.Status.PREVIEW
    fields = ("total_rows", "new_rows", "changed_rows", "unchanged_rows", "invalid_rows", "error_count", "errors",
              "missing_count", "mapping", "headers")  # fmt: skip
    assert [getattr(streamed, name) for name in fields] == [getattr(whole, name) for name in fields]
    assert streamed.invalid_rows > 0 and streamed.total_rows > 2 * 2  # in several batches
    for key in ("first", "warnings", "head_changes", "extensions"):
        assert streamed.summary[key] == whole.summary[key]
