"""Hostile spreadsheets: refused before reading, or read in a child process that may die alone.

Every file is built here (`hostile_files.py`); limits are lowered with settings where a real-size file would be slow.
"""

import io
import json
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRun
from imports.pipeline import preview_stored_run
from imports.previews import create_run
from imports.reading import SpreadsheetError, read_table
from imports.tasks import preview_household_import
from residents.models import Household

from .conftest import KHU_PHO_SOI, NGOC_LAC
from .hostile_files import (
    duplicate_header_xlsx,
    far_cell_xlsx,
    household_sheet_data,
    huge_string_xlsx,
    moved_sheet_xlsx,
    ods_with_content,
    wide_xlsx,
    xlsx_with_sheet_data,
)
from .test_sample_files import last_line, run_command


def upload(client, name: str, content: bytes):
    return client.post(reverse("imports:index"), {"file": SimpleUploadedFile(name, content)})


def refusal(client, name: str, content: bytes) -> str:
    """The upload page's answer to a refused file: the form again, with the message; no run stored."""
    response = upload(client, name, content)
    assert response.status_code == 200, response.get("Location")
    assert ImportRun.objects.count() == 0
    return response.content.decode()


# --- refused before reading -------------------------------------------------------------------------------------------


def test_one_cell_at_xfd1048576_is_refused_before_reading(client_for, personas):
    content = far_cell_xlsx()
    assert len(content) < 6_000  # a few KB that asked the reader for 512 GiB

    page = refusal(client_for(personas.officer_a), "xa.xlsx", content)

    assert "1048576 dòng, vượt giới hạn 200000 dòng" in page


def test_a_far_column_is_refused_naming_it(client_for, personas):
    data = household_sheet_data() + '<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>'

    page = refusal(client_for(personas.officer_a), "xa.xlsx", xlsx_with_sheet_data(data, dimension="A1:H4"))

    assert "tới cột XFD (cột thứ 16384), vượt giới hạn 1000 cột" in page


def test_a_declared_dimension_beyond_the_limits_is_refused(settings):
    settings.HOUSEHOLD_IMPORT_MAX_CELLS = 1_000
    content = xlsx_with_sheet_data(household_sheet_data(), dimension="A1:Z100")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="ds.xlsx")

    assert caught.value.code == "too_many_cells" and "2600 ô" in caught.value.message


def test_cells_that_only_carry_formatting_do_not_count():
    styled = '<row r="900"><c r="ZZ900" s="0"/></row>'  # calamine skips them too

    table = read_table(xlsx_with_sheet_data(household_sheet_data() + styled), filename="ds.xlsx")

    assert len(table.rows) == 3


def test_a_600_mb_string_compressed_into_a_small_file_is_refused_as_a_zip_bomb(client_for, personas):
    content = huge_string_xlsx(2_000_000)  # the same shape as the 600 MB cell, at a size a test can build
    assert len(content) < 10_000

    page = refusal(client_for(personas.officer_a), "dai.xlsx", content)

    assert "nén bất thường" in page and "giải nén ra gấp" in page


def test_a_cell_longer_than_excel_allows_is_refused(settings):
    settings.HOUSEHOLD_IMPORT_MAX_COMPRESSION_RATIO = 100_000

    with pytest.raises(SpreadsheetError) as caught:
        read_table(huge_string_xlsx(2_000_000), filename="dai.xlsx")

    assert caught.value.code == "cell_too_long" and "vượt giới hạn 32767 ký tự" in caught.value.message


def test_a_long_string_in_the_shared_strings_is_refused(settings):
    settings.HOUSEHOLD_IMPORT_MAX_CELL_CHARS = 100
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    shared = f'<sst xmlns="{namespace}"><si><t>{"B" * 5000}</t></si></sst>'

    with pytest.raises(SpreadsheetError) as caught:
        read_table(xlsx_with_sheet_data(household_sheet_data(), shared_strings=shared), filename="ds.xlsx")

    assert caught.value.code == "cell_too_long"


def test_a_zip_larger_inflated_than_allowed_is_refused(settings):
    settings.HOUSEHOLD_IMPORT_MAX_UNZIPPED_BYTES = 20_000

    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI)

    assert caught.value.code == "too_large" and "khi giải nén quá lớn" in caught.value.message


def test_an_xls_is_checked_in_its_records(settings):
    settings.HOUSEHOLD_IMPORT_MAX_COLUMNS = 3

    with pytest.raises(SpreadsheetError) as caught:
        read_table(NGOC_LAC)

    assert caught.value.code == "too_many_columns"


def test_an_ods_repeating_a_value_a_million_rows_down_is_refused():
    rows = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Họ và tên chủ hộ</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )

    with pytest.raises(SpreadsheetError) as caught:
        read_table(ods_with_content(rows), filename="ds.ods")

    assert caught.value.code == "too_many_rows" and "“Danh sach” có 1000001 dòng" in caught.value.message


def test_an_ods_padded_with_empty_rows_as_libreoffice_saves_it_is_read():
    def row(*texts):
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>' for text in texts
        )
        return f"<table:table-row>{cells}</table:table-row>"

    padding = (
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )

    content = ods_with_content(row("Họ và tên chủ hộ", "Thôn") + row("Hà Thị Mai", "Khu phố Sỏi") + padding)
    table = read_table(content, filename="ds.ods")

    assert [row.values for row in table.rows] == [{"head_name": "Hà Thị Mai", "hamlet": "Khu phố Sỏi"}]


def test_a_csv_cell_longer_than_the_limit_is_refused_in_vietnamese():
    content = ("Họ và tên chủ hộ,Thôn\n" + "A" * 200_000 + ",Sỏi\n").encode()

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="ds.csv")

    assert caught.value.code == "cell_too_long"


def test_a_csv_line_of_commas_is_refused_before_the_rows_are_padded(settings):
    settings.HOUSEHOLD_IMPORT_MAX_CELLS = 100_000
    content = ("Họ và tên chủ hộ,Thôn\n" + "," * 50_000 + "\n" + "Lò Văn A,Sỏi\n" * 100).encode()

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="ds.csv")

    assert caught.value.code == "too_many_columns"


def test_the_command_refuses_a_hostile_file_with_the_reason(places, tmp_path):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(far_cell_xlsx())

    code, out, err = run_command(path, "--commune", "15016")

    assert code == 1
    assert "vượt giới hạn 200000 dòng" in err
    assert last_line(out) == "created=0 updated=0 unchanged=0 invalid=0"


# --- duplicate headers ------------------------------------------------------------------------------------------------


def test_two_columns_with_the_same_header_are_refused_naming_both(client_for, personas):
    page = refusal(client_for(personas.officer_a), "trung.xlsx", duplicate_header_xlsx())

    assert "Hai cột cùng tên “Họ và tên chủ hộ”: cột C và cột I" in page


def test_the_command_reports_duplicate_headers(places, tmp_path):
    path = tmp_path / "trung.xlsx"
    path.write_bytes(duplicate_header_xlsx())

    code, _out, err = run_command(path, "--commune", "15016")

    assert code == 1 and "cột C và cột I" in err


# --- what a run stores and shows --------------------------------------------------------------------------------------


def test_long_cells_and_messages_are_capped_in_the_stored_run(places, officer, settings):
    settings.HOUSEHOLD_IMPORT_STORED_TEXT_CHARS = 50
    data = household_sheet_data().replace("Lò Văn Hùng 1", "Lò Văn " + "A" * 20_000, 1)
    data = data.replace("12/03/1978", "9" * 20_000, 1)  # an invalid birth date whose message quotes the cell
    content = xlsx_with_sheet_data(data, dimension="A1:H4")

    run, _plan = create_run(actor=officer, commune=places.commune_a, uploaded=content, file_name="dai.xlsx")

    run.refresh_from_db()
    stored = json.dumps([run.summary, run.errors, run.headers], ensure_ascii=False)
    assert run.invalid_rows == 1 and run.errors
    assert len(stored) < 5_000
    invalid = run.summary["first"]["invalid"][0]
    assert invalid["head_name"].startswith("Lò Văn AAA") and len(invalid["head_name"]) == 50
    assert all(len(error["message"]) <= 50 for error in run.errors)


def test_a_16384_column_sheet_previews_only_the_columns_that_matter(client_for, personas, settings):
    settings.HOUSEHOLD_IMPORT_MAX_COLUMNS = 16_384
    client = client_for(personas.officer_a)

    response = upload(client, "rong.xlsx", wide_xlsx())
    assert response.status_code == 302
    run = ImportRun.objects.get()
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()

    assert run.status == ImportRun.Status.PREVIEW and run.new_rows == 3
    assert len(run.headers) == 8 and len(run.mapping) == 8
    assert page.count("<select") < 60 and len(page) < 200_000


def test_the_mapping_form_offers_mapped_columns_first_when_there_are_too_many(client_for, personas, settings):
    settings.HOUSEHOLD_IMPORT_PREVIEW_COLUMNS = 3
    client = client_for(personas.officer_a)
    upload(client, "ds.xlsx", KHU_PHO_SOI.read_bytes())
    run = ImportRun.objects.get()

    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()

    mapped = [index for index, field in run.column_mapping().items() if field]
    assert all(f'name="column_{index}"' in page for index in mapped)
    assert page.count('name="column_') == len(mapped)
    assert 'id="hidden-columns"' in page


# --- the reader in a child process ------------------------------------------------------------------------------------


def abort_reading(*args, **kwargs):
    os.abort()  # what calamine does when an allocation fails


def hog_memory(*args, **kwargs):
    return bytearray(64 * 1024**3)


def spin(*args, **kwargs):
    while True:
        pass


@pytest.fixture
def officer(personas):
    return personas.officer_a


def test_a_reader_that_aborts_fails_the_upload_with_a_reason_and_the_web_process_lives(
    client_for, personas, monkeypatch
):
    monkeypatch.setattr("imports.reading._read_table", abort_reading)
    client = client_for(personas.officer_a)

    page = refusal(client, "ds.xlsx", KHU_PHO_SOI.read_bytes())

    assert "Trình đọc bảng tính bị dừng đột ngột" in page and "SIGABRT" in page
    monkeypatch.undo()
    assert upload(client, "ds.xlsx", KHU_PHO_SOI.read_bytes()).status_code == 302  # this process still serves


def test_a_reader_that_aborts_in_the_background_job_fails_the_run_with_a_reason(places, officer, monkeypatch):
    run, _plan = create_run(
        actor=officer, commune=places.commune_a, uploaded=KHU_PHO_SOI.read_bytes(), file_name="ds.xlsx",
        background=True,
    )  # fmt: skip
    monkeypatch.setattr("imports.reading._read_table", abort_reading)

    assert preview_household_import(run.pk) == ImportRun.Status.FAILED

    run.refresh_from_db()
    assert "SIGABRT" in run.message and run.finished_at


def test_a_real_hostile_file_past_relaxed_checks_dies_in_the_child_not_here(places, officer, settings):
    # The checks off: calamine itself asks for 512 GiB, under RLIMIT_AS the allocation fails and Rust aborts.
    settings.HOUSEHOLD_IMPORT_MAX_ROWS = 10**7
    settings.HOUSEHOLD_IMPORT_MAX_COLUMNS = 10**5
    settings.HOUSEHOLD_IMPORT_MAX_CELLS = 10**12
    settings.HOUSEHOLD_IMPORT_READER_MEMORY_MB = 1024

    # Read whole by calamine (an upload previewed in the request).
    with pytest.raises(SpreadsheetError) as caught:
        create_run(actor=officer, commune=places.commune_a, uploaded=far_cell_xlsx(), file_name="xa.xlsx")

    assert "1024 MB" in caught.value.message
    # Previewed in the background, the sheet is streamed as it is inflated (`xlsx_stream.py`): no dense grid is
    # allocated, and the stray cell is one more row.
    run, _plan = create_run(
        actor=officer, commune=places.commune_a, uploaded=far_cell_xlsx(), file_name="xa.xlsx", background=True
    )
    preview_stored_run(run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW and run.new_rows == 3


def test_a_reader_out_of_memory_fails_with_the_memory_limit(monkeypatch, settings):
    settings.HOUSEHOLD_IMPORT_READER_MEMORY_MB = 512
    monkeypatch.setattr("imports.reading._read_table", hog_memory)

    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI)

    assert caught.value.code == "reader_memory" and "512 MB" in caught.value.message


def test_a_reader_that_runs_too_long_is_stopped(monkeypatch, settings):
    settings.HOUSEHOLD_IMPORT_READER_CPU_SECONDS = 1
    monkeypatch.setattr("imports.reading._read_table", spin)

    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI)

    assert caught.value.code == "reader_timeout"


def test_a_broken_zip_is_corrupt_not_a_crash():
    content = bytearray(xlsx_with_sheet_data(household_sheet_data()))
    members = zipfile.ZipFile(io.BytesIO(bytes(content))).infolist()
    sheet = next(m for m in members if m.filename == "xl/worksheets/sheet1.xml")
    content[sheet.header_offset + 40] ^= 0xFF  # a byte of the compressed sheet

    with pytest.raises(SpreadsheetError) as caught:
        read_table(bytes(content), filename="ds.xlsx")

    assert caught.value.code == "corrupt"


def test_the_annotated_workbook_is_built_in_the_child_too(client_for, personas, monkeypatch):
    client = client_for(personas.officer_a)
    upload(client, "ds.xlsx", KHU_PHO_SOI.read_bytes())
    run = ImportRun.objects.get()
    monkeypatch.setattr("imports.annotate._annotate", abort_reading)

    response = client.get(reverse("imports:annotated", args=[run.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("imports:run", args=[run.pk])
    assert "SIGABRT" in response.content.decode()


def test_refusals_beyond_a_limit_and_dead_readers_are_logged(client_for, personas, monkeypatch, caplog):
    client = client_for(personas.officer_a)

    upload(client, "xa.xlsx", far_cell_xlsx())
    monkeypatch.setattr("imports.reading._read_table", abort_reading)
    upload(client, "ds.xlsx", KHU_PHO_SOI.read_bytes())

    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("'xa.xlsx' refused beyond a limit (too_many_rows)" in message for message in warnings)
    assert any("'ds.xlsx' ended without a result: SIGABRT" in message for message in warnings)


class PanicLike(BaseException):
    """Like pyo3's PanicException (a Rust panic in calamine): a BaseException, which `except Exception` misses."""


def raise_base_exception(*args, **kwargs):
    raise PanicLike("chunk size must be non-zero")


def test_an_unexpected_exception_in_the_reader_is_a_reason_and_a_logged_traceback(monkeypatch, caplog):
    monkeypatch.setattr("imports.reading._read_table", raise_base_exception)

    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI)

    assert caught.value.code == "reader_crashed" and "PanicLike" in caught.value.message
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "Traceback" in record.getMessage() and "raise_base_exception" in record.getMessage()


def test_a_reader_that_aborts_at_the_confirmation_fails_the_run_and_writes_nothing(client_for, personas, monkeypatch):
    client = client_for(personas.officer_a)
    upload(client, "ds.xlsx", KHU_PHO_SOI.read_bytes())
    run = ImportRun.objects.get()
    monkeypatch.setattr("imports.reading._read_table", abort_reading)  # the file is read again to confirm

    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "SIGABRT" in run.message
    assert not Household.objects.exists()


def test_a_sheet_stored_outside_xl_worksheets_is_checked_too():
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = moved_sheet_xlsx(household_sheet_data() + far)
    assert len(read_table(moved_sheet_xlsx(household_sheet_data()), filename="ds.xlsx").rows) == 3  # calamine finds it

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="xa.xlsx")

    assert caught.value.code == "too_many_rows"


def test_reading_in_process_when_settings_say_so_still_checks_the_limits(settings, monkeypatch):
    settings.HOUSEHOLD_IMPORT_READ_IN_CHILD = False
    monkeypatch.setattr("imports.reading.run_in_child", lambda *a, **k: pytest.fail("no child wanted"))

    assert len(read_table(KHU_PHO_SOI).rows) == 89
    with pytest.raises(SpreadsheetError) as caught:
        read_table(far_cell_xlsx(), filename="xa.xlsx")
    assert caught.value.code == "too_many_rows"
