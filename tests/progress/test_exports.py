"""Exports as Excel reads them: figures are numbers with number formats, no stray apostrophes, text that looks like a
formula stays text, and file names are Vietnamese words (RFC 5987 filename*), on the hand-counted story."""

import csv
import io
from urllib.parse import unquote

from django.urls import reverse
from openpyxl import load_workbook

from progress.selectors import today
from tests import factories as f

AS_OF = today().strftime("%d-%m-%Y")


def workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


# Reports open with three title lines (what and where, the legal document, the date) and a blank row.
HEADER_ROW = 5


def filename_star(response) -> str:
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''" in header
    ascii_name = header.split('filename="')[1].split('"')[0]
    assert ascii_name.isascii() and "_" not in ascii_name
    return unquote(header.split("filename*=UTF-8''")[1])


def no_apostrophes(sheet):
    for row in sheet.iter_rows():
        for cell in row:
            assert not (isinstance(cell.value, str) and cell.value.startswith("'")), cell.coordinate


def test_commune_report_has_numeric_figures_and_literal_targets(story, places, personas, client_for):
    response = client_for(personas.officer_a).get(
        reverse("progress:commune_export", kwargs={"code": places.commune_a.code})
    )
    sheet = workbook(response)
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:9] == [
        "STT",
        "Tiêu chí",
        "So sánh",
        "Chỉ tiêu",
        "Giá trị",
        "Tử số",
        "Mẫu số",
        "Còn thiếu",
        "Kết quả",
    ]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[1].value}
    pledged = next(row for title, row in rows.items() if title.startswith("Hộ gia đình ký cam kết"))
    # 2 of 3 residing households pledged: 66.7 %, a number formatted as a percentage.
    _, _, comparison, target, value, numerator, denominator, gap, met = pledged[:9]
    assert (comparison.value, target.value, target.number_format) == ("≥", 1, "0%")
    assert round(value.value, 4) == 0.6667 and value.number_format == "0.0%" and value.data_type == "n"
    assert (numerator.value, denominator.value, gap.value, met.value) == (2, 3, 1, "Chưa đạt")
    assert numerator.number_format == "0"
    missed = next(row for title, row in rows.items() if title.startswith("Không để sót"))
    # Target "= 0": the comparison is text, kept literal (never a formula, no apostrophe); the target a number.
    assert (missed[2].value, missed[2].data_type, missed[2].quotePrefix) == ("=", "s", True)
    assert (missed[3].value, missed[3].number_format) == (0, "0")
    assert (missed[4].value, missed[4].data_type) == (2, "n")
    no_apostrophes(sheet)
    assert filename_star(response) == f"Tiến độ - Xã Quan Sơn - {AS_OF}.xlsx"


def test_area_report_has_one_number_per_criterion_and_commune(story, places, personas, client_for):
    response = client_for(personas.reviewer).get(reverse("progress:area_export"))
    sheet = workbook(response)
    header = [cell.value for cell in sheet[HEADER_ROW]]
    pledged = next(i for i, title in enumerate(header) if "Hộ gia đình ký cam kết" in title)
    row_a = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value == places.commune_a.code)
    assert round(row_a[pledged].value, 4) == 0.6667 and row_a[pledged].number_format == "0.0%"
    assert header[-3:] == ["Số tiêu chí đạt", "Tổng số tiêu chí", "Kết quả"]
    assert (row_a[-3].value, row_a[-2].value) == (2, 11) and row_a[-3].data_type == "n"
    no_apostrophes(sheet)
    assert filename_star(response) == f"Tiến độ các xã - Thanh Hóa - {AS_OF}.xlsx"
    response = client_for(personas.reviewer).get(reverse("progress:area_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert next(row for row in rows if row[0] == places.commune_a.code)[pledged] == "66.7%"
    assert filename_star(response) == f"Tiến độ các xã - Thanh Hóa - {AS_OF}.csv"


def test_gap_list_export_is_named_in_words_and_keeps_integers(story, places, personas, client_for):
    url = reverse("progress:gap_export", kwargs={"code": places.commune_a.code, "metric_key": "households_pledged"})
    response = client_for(personas.officer_a).get(url)
    assert filename_star(response) == f"Hộ chưa ký cam kết - Xã Quan Sơn - {AS_OF}.xlsx"
    assert "households_pledged" not in response["Content-Disposition"]
    sheet = workbook(response)
    members = [cell.value for cell in sheet[1]].index("Số nhân khẩu")
    cell = sheet[2][members]
    assert (cell.value, cell.data_type, cell.number_format) == (5, "n", "0")  # A-3, Vi Văn Ba, 5 members


def test_a_formula_typed_in_a_name_stays_text_in_every_export(places, personas, client_for):
    f.household(places.hamlet_a, code="=1+2", head_name='=HYPERLINK("http://x","y")', address="@SUM(A1)")
    client = client_for(personas.officer_a)
    url = reverse("progress:gap_export", kwargs={"code": places.commune_a.code, "metric_key": "households_pledged"})
    for response in [client.get(url), client.get(reverse("imports:export_households", args=["xlsx"]))]:
        row = workbook(response)[2]
        texts = [cell for cell in row if isinstance(cell.value, str) and cell.value[:1] in "=@"]
        assert texts and all(cell.data_type == "s" and cell.quotePrefix for cell in texts)
    response = client.get(url, {"format": "csv"})
    assert "'=HYPERLINK" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_residents_and_pledge_exports_are_named_in_words(places, personas, client_for):
    f.household(places.hamlet_a, code="A-1", members=4)
    client = client_for(personas.officer_a)
    year = today().year
    commune = f"?commune={places.commune_a.code}"
    expected = {
        reverse("imports:export_households", args=["xlsx"])
        + commune: f"Danh sách hộ gia đình - Xã Quan Sơn - {AS_OF}.xlsx",
        reverse("imports:export_people", args=["csv"]): f"Người thuộc diện quản lý - Tất cả các xã - {AS_OF}.csv",
        reverse("pledge_exports:export", args=["xlsx"]) + commune: f"Cam kết năm {year} - Xã Quan Sơn - {AS_OF}.xlsx",
        reverse("pledge_exports:template"): "Mẫu danh sách cam kết.xlsx",
    }
    for url, name in expected.items():
        assert filename_star(client.get(url)) == name, url
    sheet = workbook(client.get(reverse("imports:export_households", args=["xlsx"]) + commune))
    members = [cell.value for cell in sheet[1]].index("Số nhân khẩu")
    assert (sheet[2][members].value, sheet[2][members].number_format) == (4, "0")


def test_area_and_commune_workbooks_are_ready_to_print_with_their_legal_basis(story, places, personas, client_for):
    client = client_for(personas.reviewer)
    area = workbook(client.get(reverse("progress:area_export")))
    commune = workbook(client.get(reverse("progress:commune_export", kwargs={"code": places.commune_a.code})))
    for sheet, place in [(area, "Thanh Hóa"), (commune, "Xã Quan Sơn")]:
        titles = [sheet.cell(row=n, column=1).value for n in range(1, 4)]
        assert place in titles[0] and "Đề án 3822" in titles[1] and " — " in titles[1]
        assert titles[2] == f"Số liệu đến ngày {today():%d/%m/%Y}"
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}" and sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth) == ("landscape", 9, 1)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
        assert widths and all(6 <= width <= 40 for width in widths.values())
    # The name column fits the longest name; the criterion column wraps its long title instead of stretching.
    assert area.column_dimensions["B"].width >= len("Xã Quan Sơn")
    assert commune.column_dimensions["B"].width == 40 and commune.column_dimensions["C"].width <= 24
    assert commune["B6"].alignment.wrap_text  # criterion 1's long title


def test_a_commune_without_data_is_no_data_in_the_area_workbook(story, places, personas, client_for):
    f.commune("15099", "Xã Trống Trơn")
    sheet = workbook(client_for(personas.reviewer).get(reverse("progress:area_export")))
    row = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if row[0] == "15099")
    assert row[-1] == "chưa có số liệu" and "Đạt" not in row
