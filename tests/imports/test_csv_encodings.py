"""Household lists as .csv/.txt, in every encoding and separator Vietnamese Excel and LibreOffice write.

Each variant is built from the same rows; all must clean to the same rows, through read_table, the web preview and
`manage.py import_households`.
"""

import codecs
import csv
import io
import unicodedata
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportRun
from imports.reading import SpreadsheetError, read_table
from residents.models import Household
from tests.imports.cleaning import clean_table

TODAY = date(2026, 12, 6)
HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Số CCCD", "Thôn/Khu phố", "Địa chỉ", "Số nhân khẩu"]
# Tones on letters Windows-1258 has only without them (ễ, ộ, ạ, ỏ, ừ…), so they are written as combining marks; an
# address holding a comma, a semicolon, a tab and a quote, so every separator is inside a quoted field somewhere.
ROWS = [
    ["1", "H-001", "Nguyễn Văn Hùng", "12/03/1978", "038078000001", "Khu phố Sỏi", 'Số 5, ngõ 3; tổ 2\t"cũ"', "5"],
    ["2", "H-002", "Trần Thị Ánh Tuyết", "01/01/1985", "038185000002", "Khu phố Sỏi", "Đường Lê Lợi, số 12", "3"],
    ["3", "H-003", "Lò Văn Thượng", "1960", "038060000003", "Bản Na Nghịu", "Bản Na Nghịu; nhà sàn", "7"],
    ["4", "H-004", "Phạm Thị Hồng Nhung", "20/10/1990", "038190000004", "Bản Na Nghịu", "", "2"],
]
TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """As Excel on a Vietnamese Windows saves "CSV (Comma delimited)": a letter 1258 lacks is the letter without its
    tone, then the tone as a combining mark ("ễ" is "ê" + U+0303)."""
    out = []
    for letter in text:
        try:
            out.append(letter.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", letter)
            base = unicodedata.normalize("NFC", "".join(ch for ch in parts if ch not in TONES))
            out.append((base + "".join(ch for ch in parts if ch in TONES)).encode("cp1258"))
    return b"".join(out)


def as_text(separator: str = ",", newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows([HEADER, *ROWS])
    return buffer.getvalue()


# name -> (file name, bytes, the encoding the preview names or "" for plain UTF-8)
VARIANTS = {
    "utf-8 comma CRLF": ("ds.csv", as_text().encode(), ""),
    "utf-8 BOM (Excel's CSV UTF-8)": ("ds.csv", as_text().encode("utf-8-sig"), ""),
    "utf-8 semicolon LF": ("ds.csv", as_text(";", "\n").encode(), ""),
    "utf-8 tab .txt": ("ds.txt", as_text("\t", "\n").encode(), ""),
    "windows-1258 comma CRLF (Excel's CSV)": ("ds.csv", windows_1258(as_text()), "Windows-1258"),
    "windows-1258 semicolon LF": ("ds.csv", windows_1258(as_text(";", "\n")), "Windows-1258"),
    "windows-1258 tab .txt": ("ds.txt", windows_1258(as_text("\t")), "Windows-1258"),
    "utf-16 LE tab (Unicode Text)": (
        "ds.txt",
        codecs.BOM_UTF16_LE + as_text("\t").encode("utf-16-le"),
        "UTF-16",
    ),
    "utf-16 BE comma": ("ds.csv", codecs.BOM_UTF16_BE + as_text(",", "\n").encode("utf-16-be"), "UTF-16"),
    "utf-16 LE semicolon": ("ds.csv", codecs.BOM_UTF16_LE + as_text(";").encode("utf-16-le"), "UTF-16"),
}


def cleaned(table):
    return [(row.row_number, row.data, [e.message for e in row.errors]) for row in clean_table(table, today=TODAY)]


def test_the_windows_1258_variant_really_holds_combining_tones():
    data = VARIANTS["windows-1258 comma CRLF (Excel's CSV)"][1]

    assert b"Nguy\xea\xden" in data  # ê then U+0303 (0xDE in 1258): not a precomposed ễ
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_reads_to_the_same_cleaned_rows_as_plain_utf8(variant):
    reference = read_table(as_text().encode(), filename="ds.csv")
    filename, data, _label = VARIANTS[variant]

    table = read_table(data, filename=filename)

    assert cleaned(table) == cleaned(reference)
    assert table.rows[0].values["head_name"] == "Nguyễn Văn Hùng"  # precomposed NFC, equal to the one typed anywhere
    assert cleaned(table)[0][1]["address"] == 'Số 5, ngõ 3; tổ 2 "cũ"'
    assert [row.row_number for row in table.rows] == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("variant", "encoding"),
    [
        ("utf-8 comma CRLF", "utf-8"),
        ("utf-8 BOM (Excel's CSV UTF-8)", "utf-8-sig"),
        ("windows-1258 semicolon LF", "cp1258"),
        ("utf-16 LE tab (Unicode Text)", "utf-16-le"),
        ("utf-16 BE comma", "utf-16-be"),
    ],
)
def test_the_table_says_which_encoding_was_read(variant, encoding):
    filename, data, _label = VARIANTS[variant]

    assert read_table(data, filename=filename).text_encoding == encoding


def test_a_tab_file_with_commas_in_unquoted_addresses_is_split_on_tabs():
    content = "Họ và tên chủ hộ\tThôn\tĐịa chỉ\nHà Thị Mai\tKhu phố Sỏi\tSố 5, ngõ 3, tổ 2\nLò Văn An\tBản Na Nghịu\t\n"

    table = read_table(content.encode(), filename="ds.txt")

    assert table.rows[0].values == {"head_name": "Hà Thị Mai", "hamlet": "Khu phố Sỏi", "address": "Số 5, ngõ 3, tổ 2"}


def test_a_tcvn3_list_saved_on_a_western_windows_is_read_as_1252_then_converted():
    # TCVN3 for "Họ và tên chủ hộ", "Nguyễn Văn Lộc", "Lê Thị Nguyệt", "Bảo Thắng"…; "Þ" (ị) is byte 0xDE, which
    # Windows-1258 reads as a combining tilde: only 1252 then TCVN3 reads every name.
    content = "Hä vµ tªn chñ hé,Th«n\nNguyÔn V¨n Léc,B¶o Th¾ng\nLª ThÞ NguyÖt,B¶o Th¾ng\nTrÇn §×nh Khiªm,B¶o Th¾ng\n"
    data = content.encode("cp1252")

    table = read_table(data, filename="ds.csv")

    assert table.text_encoding == "cp1252" and table.encoding == "tcvn3"
    assert [row.values["head_name"] for row in table.rows] == ["Nguyễn Văn Lộc", "Lê Thị Nguyệt", "Trần Đình Khiêm"]
    assert table.rows[0].values["hamlet"] == "Bảo Thắng"


def test_a_utf8_file_with_a_stray_byte_no_encoding_explains_is_refused_naming_the_line():
    data = as_text().encode().replace("Trần".encode(), b"Tr\x81n")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename="ds.csv")

    assert caught.value.code == "csv_unreadable_bytes"
    assert "dòng 3" in str(caught.value) and "“ds.csv”" in str(caught.value)


def test_utf8_damaged_by_a_latin_byte_is_refused_rather_than_read_as_a_code_page():
    # 0xE9 (é in Latin-1) breaks UTF-8; Windows-1258 decodes these bytes, but into "Nguyá»…n": it explains nothing.
    data = "Chủ hộ,Thôn\nNguyễn Văn Hùng,Bản Na Nghịu\n".encode() + b"L\xe9 V\xc4\x83n An,B\xe1\xba\xa3n Na\n"
    assert data.decode("cp1258")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename="ds.csv")

    assert caught.value.code == "csv_unreadable_bytes"
    assert "dòng 3" in str(caught.value)


def test_a_stray_byte_in_a_utf8_file_with_a_bom_is_refused_naming_its_line():
    # At the start of a line: a position counted from the start of the file, BOM included, would name line 3.
    data = VARIANTS["utf-8 BOM (Excel's CSV UTF-8)"][1].replace(b"\r\n3,", b"\r\n\x813,")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename="ds.csv")

    assert caught.value.code == "csv_unreadable_bytes"
    assert "dòng 4" in str(caught.value)


def test_a_utf16_file_cut_in_the_middle_of_a_letter_is_refused_naming_the_line():
    data = VARIANTS["utf-16 LE tab (Unicode Text)"][1] + b"\x41"

    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename="ds.txt")

    assert caught.value.code == "csv_unreadable_bytes"
    assert "dòng 6" in str(caught.value)


def test_a_txt_file_goes_through_the_same_limits_as_a_csv(settings):
    settings.HOUSEHOLD_IMPORT_MAX_CELLS = 100_000
    content = ("Họ và tên chủ hộ\tThôn\n" + "\t" * 50_000 + "\n" + "Lò Văn A\tSỏi\n" * 100).encode("utf-16")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="ds.txt")

    assert caught.value.code == "too_many_columns"


def test_a_binary_file_named_txt_is_not_a_spreadsheet():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", filename="anh.txt")

    assert caught.value.code == "not_spreadsheet"


# --- through the web preview and the command --------------------------------------------------------------------


def preview(client, filename: str, data: bytes) -> tuple[ImportRun, str]:
    response = client.post(reverse("imports:index"), {"file": SimpleUploadedFile(filename, data)})
    assert response.status_code == 302, response.content.decode()[:3000]
    run = ImportRun.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    return run, client.get(reverse("imports:run", args=[run.pk])).content.decode()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_previews_and_imports_identically_on_the_web(variant, client_for, personas, places):
    client = client_for(personas.officer_a)
    filename, data, label = VARIANTS[variant]

    run, page = preview(client, filename, data)

    assert (run.new_rows, run.invalid_rows) == (4, 0), run.errors
    assert "Nguyễn Văn Hùng" in page and "Trần Thị Ánh Tuyết" in page
    if label:
        assert 'id="text-encoding"' in page and label in page
    else:
        assert 'id="text-encoding"' not in page
    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})
    households = Household.objects.filter(commune=places.commune_a).order_by("code")
    assert [(h.code, h.head_name, h.members_count) for h in households] == [
        ("H-001", "Nguyễn Văn Hùng", 5), ("H-002", "Trần Thị Ánh Tuyết", 3),
        ("H-003", "Lò Văn Thượng", 7), ("H-004", "Phạm Thị Hồng Nhung", 2),
    ]  # fmt: skip


def test_the_upload_form_offers_txt_files(client_for, personas):
    page = client_for(personas.officer_a).get(reverse("imports:index")).content.decode()

    assert ".csv,.txt" in page


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_imports_identically_with_the_command(variant, places, tmp_path):
    filename, data, label = VARIANTS[variant]
    path = tmp_path / filename
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()

    call_command("import_households", str(path), "--commune", "15016", stdout=out, stderr=err)

    assert out.getvalue().strip().splitlines()[-1] == "created=4 updated=0 unchanged=0 invalid=0", err.getvalue()
    assert ("đã đọc tệp theo mã" in out.getvalue()) == bool(label)
    assert label in out.getvalue()
    names = Household.objects.filter(commune=places.commune_a).order_by("code").values_list("head_name", flat=True)
    assert list(names) == ["Nguyễn Văn Hùng", "Trần Thị Ánh Tuyết", "Lò Văn Thượng", "Phạm Thị Hồng Nhung"]


def test_the_annotated_copy_of_a_windows_1258_file_shows_the_names_in_unicode(client_for, personas, places):
    from openpyxl import load_workbook

    client = client_for(personas.officer_a)
    rows_with_an_error = as_text().replace("Bản Na Nghịu,Bản", "Thôn Không Có,Bản")  # H-003's hamlet is unknown
    run, _page = preview(client, "ds.csv", windows_1258(rows_with_an_error))

    response = client.get(reverse("imports:annotated", args=[run.pk]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=3).value == "Nguyễn Văn Hùng"
    assert sheet.cell(row=4, column=6).value == "Thôn Không Có"
    assert "Thôn Không Có" in sheet.cell(row=4, column=sheet.max_column).value
