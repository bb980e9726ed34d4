"""Reading and cleaning household lists: the sample files communes send, legacy encodings, and files to refuse."""

import csv
import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports.cleaning import (
    clean_cccd,
    clean_members_count,
    clean_pledge_mark,
    clean_row,
    clean_sex,
    parse_date,
)
from imports.headers import HEADER_SYNONYMS, field_for_header
from imports.legacy_encoding import detect_encoding, to_unicode
from imports.reading import SpreadsheetError, list_sheets, read_table
from imports.table import SourceRow
from tests.imports.cleaning import clean_table

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
KHU_PHO_SOI = SAMPLES / "ho_gia_dinh_khu_pho_soi.xlsx"
NGOC_LAC = SAMPLES / "ho_gia_dinh_ngoc_lac.xls"
WITH_ERRORS = SAMPLES / "ho_gia_dinh_co_loi.xlsx"
TODAY = date(2025, 6, 1)
HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu"]


def write_xlsx(path: Path, rows: list[list], *, merged: tuple[str, ...] = (), sheet: str = "Danh sach") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for cells in merged:
        worksheet.merge_cells(cells)
    workbook.save(path)
    return path


def household(number: int) -> list:
    """A valid row under HEADER."""
    return [number, f"H-{number:03d}", f"Lò Văn Hùng {number}", "12/03/1978", "038078001234", "Khu phố Sỏi", 4]


def errors_by_row(rows) -> dict[int, list[str]]:
    return {row.row_number: [e.message for e in row.errors] for row in rows if row.errors}


# --- the sample files -----------------------------------------------------------------------------------------------


def test_khu_pho_soi_gives_89_households_415_members_and_no_errors():
    table = read_table(KHU_PHO_SOI)
    rows = clean_table(table, today=TODAY)

    assert table.header_row_number == 6
    assert len(rows) == 89
    assert sum(row.data["members_count"] for row in rows) == 415
    assert errors_by_row(rows) == {}


def test_khu_pho_soi_cccd_typed_as_numbers_get_their_leading_zero_back():
    rows = clean_table(read_table(KHU_PHO_SOI), today=TODAY)

    cccds = [row.data["head_cccd"] for row in rows]
    assert all(len(cccd) == 12 and cccd.isdigit() and cccd.startswith("038") for cccd in cccds)
    by_row = {row.row_number: row.data["head_cccd"] for row in rows}
    assert by_row[12] == "038050865554"  # stored in the file as the number 38050865554


def test_khu_pho_soi_names_are_trimmed_and_dates_read_whether_text_or_real():
    rows = clean_table(read_table(KHU_PHO_SOI), today=TODAY)

    names = [row.data["head_name"] for row in rows]
    assert all(name == name.strip() and "  " not in name for name in names)
    assert "Bàn Minh Khăm" in names  # typed as "  Bàn Minh Khăm "
    by_row = {row.row_number: row.data for row in rows}
    assert by_row[7]["head_birth_date"] == date(1946, 3, 30)  # text "30/03/1946"
    assert by_row[8]["head_birth_date"] == date(1980, 12, 9)  # a real Excel date
    assert by_row[7]["head_sex"] == "female"


def test_khu_pho_soi_stops_at_the_signature_block():
    table = read_table(KHU_PHO_SOI)

    assert table.rows[-1].row_number == 95
    assert all("Người lập biểu" not in str(value) for row in table.rows for value in row.values.values())


def test_ngoc_lac_xls_skips_the_notes_sheet_and_reads_ds_ho():
    table = read_table(NGOC_LAC)

    assert list_sheets(NGOC_LAC) == ["Huong dan", "DS ho"]
    assert table.sheet_name == "DS ho"
    assert table.header_row_number == 5
    assert table.field_headers["head_birth"] == "Năm sinh"


def test_ngoc_lac_gives_640_households_in_12_hamlets_2781_members_and_586_pledges():
    rows = clean_table(read_table(NGOC_LAC), today=TODAY)

    assert len(rows) == 640
    assert len({row.data["hamlet"] for row in rows}) == 12
    assert all(row.data["hamlet"].startswith("Thôn Quang ") for row in rows)
    assert sum(row.data["members_count"] for row in rows) == 2781
    assert sum(1 for row in rows if row.data["pledge_signed"]) == 586
    assert errors_by_row(rows) == {}


def test_ngoc_lac_year_of_birth_alone_gives_a_year_and_no_date():
    first = clean_table(read_table(NGOC_LAC), today=TODAY)[0]

    assert first.data["head_birth_year"] == 2000
    assert first.data["head_birth_date"] is None
    assert first.data["head_cccd"] == "038200112113"


def test_error_file_flags_exactly_the_rows_detectable_without_the_database():
    rows = clean_table(read_table(WITH_ERRORS), today=TODAY)

    assert sorted(errors_by_row(rows)) == [3, 4, 5, 7, 10, 11]
    valid_codes = {row.data["code"] for row in rows if row.is_valid}
    # Rows 6 (unknown hamlet) and 8 (duplicate of row 2) need the database to be refused.
    assert valid_codes == {"E-001", "E-005", "E-008"}


@pytest.mark.parametrize(
    ("row_number", "field", "message"),
    [
        (3, "head_birth", "Ngày sinh không hợp lệ: 31/02/1990"),
        (4, "head_name", "Thiếu họ tên chủ hộ"),
        (5, "head_cccd", "Số CCCD phải có đúng 12 chữ số (đang có 11)."),
        (7, "members_count", "Số nhân khẩu phải là số nguyên từ 1 trở lên: -1"),
        (10, "head_birth", "Ngày sinh nằm trong tương lai: 01/01/2099"),
        (11, "head_cccd", "Số CCCD chỉ được gồm chữ số."),
    ],
)
def test_error_file_messages_name_the_problem_and_the_column(row_number, field, message):
    rows = {row.row_number: row for row in clean_table(read_table(WITH_ERRORS), today=TODAY)}

    [error] = rows[row_number].errors
    assert (error.row_number, error.field, error.message) == (row_number, field, message)
    assert error.column_label == read_table(WITH_ERRORS).field_headers[field]


# --- legacy encodings -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tcvn3", "unicode"),
    [
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("Mêng Kh¬ng", "Mường Khương"),  # the soft hyphen that is TCVN3 "ư" lost in copying
        ("M\xadêng Kh\xad¬ng", "Mường Khương"),
        ("Hä vµ tªn chñ hé", "Họ và tên chủ hộ"),
        ("§inh ThÞ Lôa", "Đinh Thị Lụa"),
        ("Th«n Quang Th¾ng", "Thôn Quang Thắng"),
        ("DANH S¸CH Hé GIA §×NH", "DANH SÁCH HỘ GIA ĐÌNH"),
    ],
)
def test_tcvn3_text_converts_to_unicode(tcvn3, unicode):
    assert to_unicode(tcvn3, "tcvn3") == unicode


@pytest.mark.parametrize(
    ("vni", "unicode"),
    [
        ("Nguyeãn Vaên An", "Nguyễn Văn An"),
        ("Ñaëng Thò Lan", "Đặng Thị Lan"),
        ("Möôøng Khöông", "Mường Khương"),
        ("THANH HOÙA", "THANH HÓA"),
        ("Hoï vaø teân chuû hoä", "Họ và tên chủ hộ"),
    ],
)
def test_vni_text_converts_to_unicode(vni, unicode):
    assert to_unicode(vni, "vni") == unicode


def _vietnamese_letters() -> set[str]:
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in tones} | {"đ"}
    return letters | {letter.upper() for letter in letters}


def test_tcvn3_has_a_code_point_for_every_lower_case_vietnamese_letter():
    converted = {to_unicode(chr(code), "tcvn3") for code in range(0xA0, 0x100)}
    lower_case = {letter for letter in _vietnamese_letters() if letter.islower() and not letter.isascii()}

    assert lower_case <= converted
    assert {"Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"} <= converted  # the only capitals TCVN3 has


def test_vni_spells_every_vietnamese_letter_in_both_cases():
    marks = ["", "ø", "ù", "û", "õ", "ï", "â", "à", "á", "å", "ã", "ä", "ê", "è", "é", "ú", "ü", "ë"]
    bases = ["a", "e", "i", "o", "u", "y", "ô", "ö", "ì", "í", "æ", "ó", "ò", "î", "ñ"]
    spelled = {to_unicode(base + mark, "vni") for base in bases for mark in marks}
    spelled |= {to_unicode((base + mark).upper(), "vni") for base in bases for mark in marks}

    assert _vietnamese_letters() <= spelled


@pytest.mark.parametrize(
    ("texts", "encoding"),
    [
        (["Hä vµ tªn chñ hé", "Sè CCCD", "Lß V¨n Hïng", "Khu phè Sái", "Hµ ThÞ Mai"], "tcvn3"),
        (["B¶o Th¾ng"], "tcvn3"),
        (["Hoï vaø teân chuû hoä", "Nguyeãn Vaên An", "Thoân Quang Thaéng"], "vni"),
        (["SOI-001", "Kinh", "038078001234"], "unicode"),
        (["Nguyễn Văn An", "Thái", "Lò Thị Tú"], "unicode"),
        (["Hoàng", "Bình", "Hòa", "Thái"], "unicode"),
        (["Số 1½", "Lê", "Tú"], "unicode"),
        ([], "unicode"),
    ],
)
def test_encoding_is_detected_conservatively(texts, encoding):
    assert detect_encoding(texts) == encoding


def test_a_tcvn3_workbook_is_recognised_and_converted(tmp_path):
    path = write_xlsx(
        tmp_path / "tcvn3.xlsx",
        [
            ["DANH S¸CH Hé GIA §×NH"],
            ["TT", "Hä vµ tªn chñ hé", "N¨m sinh", "Sè CCCD", "Th«n", "Sè nh©n khÈu", "D©n téc"],
            [1, "Lß V¨n Hïng", 1978, 38078001234, "Khu phè Sái", 5, "Th¸i"],
            [2, "Hµ ThÞ Mai", 1990, "038190004567", "Khu phè Sái", 3, "Mêng"],
        ],
    )

    table = read_table(path)

    assert table.encoding == "tcvn3"
    assert table.headers[1:3] == ["Họ và tên chủ hộ", "Năm sinh"]
    assert [row.values["head_name"] for row in table.rows] == ["Lò Văn Hùng", "Hà Thị Mai"]
    assert table.rows[1].values["ethnicity"] == "Mường"


def test_a_vni_csv_is_recognised_and_converted():
    content = (
        "Hoï vaø teân chuû hoä,Soá CCCD,Thoân,Soá nhaân khaåu\nNguyeãn Vaên An,038085001234,Thoân Quang Thaéng,4\n"
    )

    table = read_table(content.encode("utf-8"), filename="danh_sach.csv")

    assert table.encoding == "vni"
    assert table.rows[0].values == {
        "head_name": "Nguyễn Văn An",
        "head_cccd": "038085001234",
        "hamlet": "Thôn Quang Thắng",
        "members_count": "4",
    }


# --- header recognition ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("HỌ VÀ TÊN CHỦ HỘ", "head_name"),
        ("Họ tên\nchủ hộ", "head_name"),
        ("CMND/CCCD", "head_cccd"),
        ("Số CCCD (12 số)", "head_cccd"),
        ("Số định danh cá nhân", "head_cccd"),
        ("Ngày, tháng, năm sinh", "head_birth"),
        ("Tổ dân phố", "hamlet"),
        ("Bản", "hamlet"),
        ("Số khẩu", "members_count"),
        ("Nơi ở hiện tại", "address"),
        ("Ngày ký cam kết", "pledge_signed_on"),
        ("Đã ký cam kết", "pledge_signed"),
        ("Số hộ khẩu", "code"),
        ("STT", None),
        ("Thông tin", None),
        ("Ghi chú", None),
    ],
)
def test_header_is_recognised_whatever_the_case_diacritics_and_spacing(header, field):
    match = field_for_header(header)
    assert (match[0] if match else None) == field


def test_every_listed_synonym_names_its_own_field():
    wrong = {
        synonym: field_for_header(synonym)
        for field, synonyms in HEADER_SYNONYMS.items()
        for synonym in synonyms
        if field_for_header(synonym)[0] != field
    }
    assert wrong == {}


def test_header_row_is_found_under_a_merged_title_block(tmp_path):
    path = write_xlsx(
        tmp_path / "title.xlsx",
        [
            ["CÔNG AN XÃ QUAN SƠN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [],
            ["DANH SÁCH HỘ GIA ĐÌNH KHU PHỐ SỎI"],
            HEADER,
            household(1),
        ],
        merged=("A3:G3", "A1:C1"),
    )

    table = read_table(path)

    assert table.header_row_number == 4
    assert [row.row_number for row in table.rows] == [5]


def test_numbering_row_under_the_header_and_blank_rows_are_skipped(tmp_path):
    numbering = [f"({n})" for n in range(1, len(HEADER) + 1)]
    path = write_xlsx(tmp_path / "numbered.xlsx", [HEADER, numbering, household(1), [], [None, " "], household(2)])

    table = read_table(path)

    assert [row.row_number for row in table.rows] == [3, 6]


def test_header_repeated_on_each_printed_page_is_skipped(tmp_path):
    path = write_xlsx(tmp_path / "pages.xlsx", [HEADER, household(1), HEADER, household(2)])

    assert [row.row_number for row in read_table(path).rows] == [2, 4]


@pytest.mark.parametrize(
    "footer",
    [
        [None, None, "Người lập biểu"],
        [None, "Quan Sơn, ngày 10 tháng 12 năm 2024"],
        [None, None, None, None, "Xác nhận của UBND xã"],
        [None, "TRƯỞNG THÔN"],
        [None, None, "(Ký, ghi rõ họ tên)"],
        ["Tổng cộng", None, None, None, None, None, 9],
    ],
)
def test_reading_stops_at_footer_and_signature_rows(tmp_path, footer):
    path = write_xlsx(
        tmp_path / "footer.xlsx", [HEADER, household(1), household(2), footer, [None, None, "Nguyễn Văn Ký"]]
    )

    assert [row.row_number for row in read_table(path).rows] == [2, 3]


def test_a_remark_that_reads_like_a_signature_does_not_end_the_list(tmp_path):
    remark = "Cán bộ hưu trí, chuyển đến ngày 5 tháng 3 năm 2020"
    path = write_xlsx(
        tmp_path / "remarks.xlsx",
        [[*HEADER, "Ghi chú"], [None, None, "Hà Thị Mai", None, None, None, None, remark], household(2)],
    )

    assert [row.row_number for row in read_table(path).rows] == [2, 3]


def test_header_row_and_columns_chosen_by_the_user_are_used(tmp_path):
    path = write_xlsx(tmp_path / "plain.xlsx", [["Danh sách"], ["Cột A", "Cột B"], ["Hà Thị Mai", "Khu phố Sỏi"]])

    table = read_table(path, sheet="Danh sach", header_row_number=2, mapping={0: "head_name", 1: "hamlet"})

    assert table.header_row_number == 2
    assert [(row.row_number, row.values) for row in table.rows] == [
        (3, {"head_name": "Hà Thị Mai", "hamlet": "Khu phố Sỏi"})
    ]


def test_year_of_birth_split_into_nam_and_nu_columns_gives_year_and_sex(tmp_path):
    path = write_xlsx(
        tmp_path / "nam_nu.xlsx",
        [
            ["TT", "Họ và tên chủ hộ", "Năm sinh", None, "Thôn", "Nhân khẩu"],
            [None, None, "Nam", "Nữ"],
            [1, "Lò Văn Hùng", 1978, None, "Thôn Quang Thắng", 3],
            [2, "Hà Thị Mai", None, 1990, "Thôn Quang Thắng", 2],
        ],
        merged=("C1:D1", "A1:A2", "B1:B2", "E1:E2", "F1:F2"),
    )

    rows = clean_table(read_table(path), today=TODAY)

    assert [(row.data["head_birth_year"], row.data["head_sex"]) for row in rows] == [(1978, "male"), (1990, "female")]


def test_user_mapping_replaces_the_recognised_columns():
    table = read_table(KHU_PHO_SOI, mapping={2: "head_name", 9: "members_count", 11: "address"})

    assert table.columns[2] == "head_name" and table.columns[5] is None
    assert table.rows[0].values == {"head_name": "Đặng Thị Lan", "members_count": 7.0, "address": ""}
    assert table.field_headers == {
        "head_name": "Họ và tên chủ hộ",
        "members_count": "Số nhân khẩu",
        "address": "Ghi chú",
    }


@pytest.mark.parametrize(
    "mapping",
    [{9: "members_count"}, {2: "head_name", 3: "head_name"}, {2: "head_name", 40: "address"}, {2: "favourite_colour"}],
)
def test_a_mapping_without_head_name_or_with_unknown_columns_is_refused(mapping):
    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI, mapping=mapping)
    assert caught.value.code == "mapping"


# --- cleaning single values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cccd"),
    [
        (38012345678, "038012345678"),
        (38012345678.0, "038012345678"),
        (1012345678, "001012345678"),  # Hà Nội (001) loses two zeros
        ("038 012 345 678", "038012345678"),
        ("38012345678", "038012345678"),  # a CSV export of the number
    ],
)
def test_cccd_typed_as_a_number_gets_its_leading_zeros_back(raw, cccd):
    assert clean_cccd(raw) == cccd


def test_cccd_typed_as_text_with_eleven_digits_is_a_missing_digit_not_a_lost_zero():
    row = clean_row(SourceRow(5, {"head_name": "Bàn Văn Tài", "head_cccd": "03808500123"}), today=TODAY)

    assert [e.message for e in row.errors] == ["Số CCCD phải có đúng 12 chữ số (đang có 11)."]


def test_cccd_contradicting_the_birth_year_is_an_error():
    row = clean_row(
        SourceRow(2, {"head_name": "Lò Văn Hùng", "head_birth": "12/03/1980", "head_cccd": "038085001234"}),
        today=TODAY,
    )

    assert [e.message for e in row.errors] == ["CCCD ghi năm sinh 1985 nhưng năm sinh là 1980."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (32874, (date(1990, 1, 1), 1990)),  # Excel serial number
        (32874.0, (date(1990, 1, 1), 1990)),
        (32874.75, (date(1990, 1, 1), 1990)),  # a serial with a time of day
        ("05/06/1985", (date(1985, 6, 5), 1985)),
        ("5/6/1985", (date(1985, 6, 5), 1985)),
        ("05-06-1985", (date(1985, 6, 5), 1985)),
        ("05.06.1985", (date(1985, 6, 5), 1985)),
        ("1985-06-05", (date(1985, 6, 5), 1985)),
        ("1985", (None, 1985)),
        (1985, (None, 1985)),
        (1985.0, (None, 1985)),
        ("06/1985", (None, 1985)),
    ],
)
def test_dates_are_read_in_every_form_clerks_type_them(raw, expected):
    assert parse_date(raw, invalid="%(value)s") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/1990", "Ngày sinh không hợp lệ: 31/02/1990"),
        ("hôm qua", "Ngày sinh không hợp lệ: hôm qua"),
        ("12/03/78", "Ngày sinh không hợp lệ: 12/03/78"),
        ("01/01/2099", "Ngày sinh nằm trong tương lai: 01/01/2099"),
        (2030, "Năm sinh nằm trong tương lai: 2030"),
        (1850, "Năm sinh không hợp lệ: 1850"),
    ],
)
def test_impossible_or_future_birth_dates_are_errors(raw, message):
    row = clean_row(SourceRow(9, {"head_name": "Hà Thị Mai", "head_birth": raw}), today=TODAY)

    assert [(e.field, e.message) for e in row.errors] == [("head_birth", message)]


@pytest.mark.parametrize(("raw", "count"), [(3, 3), (3.0, 3), ("3", 3), (" 12 ", 12)])
def test_members_count_is_a_whole_number(raw, count):
    assert clean_members_count(raw) == count


@pytest.mark.parametrize("raw", [0, -1, 2.5, "ba", "3 người"])
def test_members_count_below_one_or_not_whole_is_an_error(raw):
    row = clean_row(SourceRow(4, {"head_name": "Hà Thị Mai", "members_count": raw}), today=TODAY)

    assert [e.field for e in row.errors] == ["members_count"]
    assert row.errors[0].message.startswith("Số nhân khẩu phải là số nguyên từ 1 trở lên")


@pytest.mark.parametrize("raw", ["x", "X", " x ", "có", "Có", "CÓ", "✓", "v", "1", 1, 1.0, "đã ký", "Đã ký", True])
def test_pledge_marks_clerks_use_mean_signed(raw):
    assert clean_pledge_mark(raw) is True


@pytest.mark.parametrize("raw", ["", " ", "không", "Không", "chưa", "0", 0, False])
def test_blank_or_no_means_pledge_not_signed(raw):
    assert clean_pledge_mark(raw) is False


def test_unreadable_pledge_mark_is_an_error_and_a_blank_one_is_not():
    rows = [
        clean_row(SourceRow(n, {"head_name": "Hà Thị Mai", "pledge_signed": mark}), today=TODAY)
        for n, mark in ((2, "?"), (3, ""), (4, "x"))
    ]

    assert [len(row.errors) for row in rows] == [1, 0, 0]
    assert [row.data["pledge_signed"] for row in rows[1:]] == [False, True]


def test_pledge_date_marks_the_household_as_signed():
    row = clean_row(SourceRow(2, {"head_name": "Hà Thị Mai", "pledge_signed_on": "15/04/2024"}), today=TODAY)

    assert (row.data["pledge_signed"], row.data["pledge_signed_on"]) == (True, date(2024, 4, 15))


@pytest.mark.parametrize(("raw", "sex"), [("Nam", "male"), ("NAM", "male"), ("Nữ", "female"), ("nu", "female")])
def test_sex_words_become_domain_values(raw, sex):
    assert clean_sex(raw) == sex


def test_missing_head_name_is_an_error_named_after_the_file_column():
    row = clean_row(SourceRow(4, {"head_name": "  ", "code": "E-003"}), labels={"head_name": "Chủ hộ"}, today=TODAY)

    assert [(e.row_number, e.column_label, e.message) for e in row.errors] == [(4, "Chủ hộ", "Thiếu họ tên chủ hộ")]


# --- formats and files to refuse ------------------------------------------------------------------------------------


def test_csv_with_a_byte_order_mark_is_read():
    lines = [["Mã hộ", "Họ và tên chủ hộ", "Số CCCD", "Số nhân khẩu"], ["H-001", " Lò  Văn Hùng ", "38078001234", "5"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)

    table = read_table(buffer.getvalue().encode("utf-8-sig"), filename="danh_sach.csv")
    [row] = clean_table(table, today=TODAY)

    assert table.headers[0] == "Mã hộ"
    assert (row.data["head_name"], row.data["head_cccd"], row.data["members_count"]) == (
        "Lò Văn Hùng",
        "038078001234",
        5,
    )


def test_csv_separated_by_semicolons_is_read():
    content = "Họ và tên chủ hộ;Thôn;Số nhân khẩu\nHà Thị Mai;Khu phố Sỏi;3\n"

    table = read_table(content.encode("utf-8"), filename="ds.csv")

    assert table.rows[0].values == {"head_name": "Hà Thị Mai", "hamlet": "Khu phố Sỏi", "members_count": "3"}


def test_csv_with_bytes_no_encoding_explains_is_refused_with_a_message_saying_how_to_save_it():
    # 0x81 is neither UTF-8 nor defined in Windows-1258 or 1252 (more cases in tests/imports/test_csv_encodings.py).
    content = "Họ và tên chủ hộ,Thôn\nHà Thị Mai,Khu phố Sỏi\n".encode() + b"L\x81 V\xc4n An,S\xe1i\n"

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="ds.csv")

    assert caught.value.code == "csv_unreadable_bytes"
    assert "dòng 3" in str(caught.value)
    assert "CSV UTF-8" in str(caught.value)


def test_ods_file_is_read(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = OdsTable(name="Danh sach")
    for values in (["Họ và tên chủ hộ", "Thôn", "Số nhân khẩu"], ["Hà Thị Mai", "Khu phố Sỏi", 3]):
        row = TableRow()
        for value in values:
            number = isinstance(value, int)
            cell = TableCell(valuetype="float", value=value) if number else TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    document.save(str(tmp_path / "ds.ods"))

    table = read_table(tmp_path / "ds.ods")

    assert table.rows[0].values == {"head_name": "Hà Thị Mai", "hamlet": "Khu phố Sỏi", "members_count": 3.0}


def test_an_uploaded_file_is_read_like_a_path():
    upload = SimpleUploadedFile("ho_gia_dinh.xlsx", KHU_PHO_SOI.read_bytes())

    assert len(read_table(upload).rows) == 89
    assert len(read_table(KHU_PHO_SOI.read_bytes(), filename="ho_gia_dinh.xlsx").rows) == 89


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "danh_sach.pdf"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "danh_sach.xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "anh_chup.xls"),
        (b"just text", "ghi_chu.rtf"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(content, filename):
    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename=filename)

    assert caught.value.code == "not_spreadsheet"
    assert "không phải là bảng tính" in str(caught.value)


def test_a_word_document_renamed_to_xlsx_is_refused(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(buffer.getvalue(), filename="danh_sach.xlsx")
    assert caught.value.code == "not_spreadsheet"


def test_a_web_page_saved_as_xls_is_refused_with_advice():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(b"<html><body><table><tr><td>1</td></tr></table></body></html>", filename="export.xls")

    assert caught.value.code == "html_as_spreadsheet"
    assert ".xlsx" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        # What Excel writes for a password-protected .xlsx: an OLE container holding an "EncryptedPackage" stream.
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(1000),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048),
    ],
)
def test_a_password_protected_workbook_is_refused(content):
    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, filename="danh_sach.xlsx")

    assert caught.value.code == "encrypted"
    assert "mật khẩu" in str(caught.value)


def test_a_truncated_workbook_is_refused_as_corrupt():
    content = KHU_PHO_SOI.read_bytes()

    with pytest.raises(SpreadsheetError) as caught:
        read_table(content[: len(content) // 2], filename="danh_sach.xlsx")

    assert caught.value.code == "corrupt"


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI, max_bytes=10_000)

    assert caught.value.code == "too_large"
    assert "quá lớn" in str(caught.value)


def test_a_sheet_over_the_row_limit_is_refused():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(KHU_PHO_SOI, max_rows=50)

    assert caught.value.code == "too_many_rows"


def test_a_workbook_without_a_household_list_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "bao_cao.xlsx", [["Báo cáo tháng 12"], ["Nội dung", "Số liệu"], ["Số vụ", 3]])

    with pytest.raises(SpreadsheetError) as caught:
        read_table(path)

    assert caught.value.code == "no_household_sheet"


def test_asking_for_a_sheet_that_does_not_exist_is_refused():
    with pytest.raises(SpreadsheetError) as caught:
        read_table(NGOC_LAC, sheet="Trang 3")

    assert caught.value.code == "sheet_not_found"
