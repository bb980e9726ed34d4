import datetime
import io

from openpyxl import load_workbook

from drugfree.spreadsheets import Percent, csv_response, download_name, neutralise, xlsx_response


def test_formula_like_text_is_neutralised_and_other_values_are_kept():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("+84912") == "'+84912"
    assert neutralise("-1") == "'-1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("Lò Văn Minh") == "Lò Văn Minh"
    assert neutralise(-1) == -1


def test_xlsx_download_has_bold_headers_real_dates_and_neutralised_cells():
    response = xlsx_response("ho-gia-dinh", ["Họ và tên", "Ngày sinh"], [["=1+1", datetime.date(1990, 5, 2)]])
    assert response["Content-Disposition"] == 'attachment; filename="ho-gia-dinh.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Họ và tên", "Ngày sinh"]
    assert sheet["A1"].font.bold
    # Text, not a formula, with Excel's quote prefix: no apostrophe in the value.
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == ("=1+1", "s", True)
    assert sheet["B2"].value == datetime.datetime(1990, 5, 2)
    assert sheet["B2"].number_format == "DD/MM/YYYY"


def test_csv_download_starts_with_a_bom_and_writes_dates_day_first():
    response = csv_response("ho-gia-dinh", ["Họ và tên", "Ngày sinh"], [["@x", datetime.date(1990, 5, 2)], [None, ""]])
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffHọ và tên,Ngày sinh")
    assert "'@x,02/05/1990" in text


def test_figures_are_numbers_with_number_formats():
    rows = [[Percent(66.7), Percent(0.05, 3), 12, "= 0", "Lò Văn Minh", None]]
    sheet = load_workbook(io.BytesIO(xlsx_response("x", list("ABCDEF"), rows).content)).active
    a, b, c, d, e, f = sheet[2]
    assert (a.value, a.data_type, a.number_format) == (0.667, "n", "0.0%")
    assert (b.value, b.number_format) == (0.0005, "0.000%")
    assert (c.value, c.data_type, c.number_format) == (12, "n", "0")
    assert (d.value, d.data_type, d.quotePrefix) == ("= 0", "s", True)
    assert (e.value, e.quotePrefix) == ("Lò Văn Minh", False)
    assert f.value is None


def test_csv_writes_figures_plainly_and_still_neutralises_text():
    response = csv_response("x", ["A", "B", "C"], [[Percent(66.7), 12, "-1"]])
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1] == "66.7%,12,'-1"


def test_file_names_are_vietnamese_words_with_an_ascii_fallback():
    name = download_name("Hộ chưa ký cam kết", "Xã Quan Sơn", on=datetime.date(2026, 12, 6))
    assert name == "Hộ chưa ký cam kết - Xã Quan Sơn - 06-12-2026"
    header = xlsx_response(name, ["A"], [])["Content-Disposition"]
    assert header == (
        'attachment; filename="ho-chua-ky-cam-ket-xa-quan-son-06-12-2026.xlsx"; '
        "filename*=UTF-8''H%E1%BB%99%20ch%C6%B0a%20k%C3%BD%20cam%20k%E1%BA%BFt%20-%20X%C3%A3%20Qu"
        "an%20S%C6%A1n%20-%2006-12-2026.xlsx"
    )
