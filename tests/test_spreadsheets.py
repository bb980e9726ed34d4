import datetime
import io

from openpyxl import load_workbook

from drugfree.spreadsheets import csv_response, neutralise, xlsx_response


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
    assert sheet["A2"].value == "'=1+1"
    assert sheet["B2"].value == datetime.datetime(1990, 5, 2)
    assert sheet["B2"].number_format == "DD/MM/YYYY"


def test_csv_download_starts_with_a_bom_and_writes_dates_day_first():
    response = csv_response("ho-gia-dinh", ["Họ và tên", "Ngày sinh"], [["@x", datetime.date(1990, 5, 2)], [None, ""]])
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffHọ và tên,Ngày sinh")
    assert "'@x,02/05/1990" in text
