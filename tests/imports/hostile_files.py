"""Hostile spreadsheets, built byte by byte: a real workbook from openpyxl whose sheet XML is then rewritten."""

import io
import re
import zipfile

from openpyxl import Workbook

from .helpers import HEADER, household_row


def _cell(reference: str, value: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx_with_sheet_data(sheet_data: str, *, dimension: str = "A1", shared_strings: str | None = None) -> bytes:
    """An .xlsx whose first sheet's <sheetData> and <dimension> are replaced (members deflated, as Excel writes)."""
    workbook = Workbook()
    workbook.active.title = "Danh sach"
    workbook.active["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(r"<sheetData>.*</sheetData>", lambda _m: f"<sheetData>{sheet_data}</sheetData>", text)
                text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                data = text.encode()
            archive.writestr(info.filename, data)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def household_sheet_data(rows: int = 3) -> str:
    """The header and `rows` valid households as inline-string cells (columns A–H)."""
    lines = [HEADER] + [household_row(number) for number in range(1, rows + 1)]
    xml = []
    for number, values in enumerate(lines, start=1):
        cells = "".join(_cell(f"{chr(65 + index)}{number}", value) for index, value in enumerate(values))
        xml.append(f'<row r="{number}">{cells}</row>')
    return "".join(xml)


def far_cell_xlsx() -> bytes:
    """A household list plus one cell at XFD1048576, the last cell Excel has: a dense read is 17 billion cells."""
    far = f'<row r="1048576">{_cell("XFD1048576", "x")}</row>'
    return xlsx_with_sheet_data(household_sheet_data() + far, dimension="A1:H4")


def huge_string_xlsx(length: int) -> bytes:
    """A household list whose first name is `length` characters long: it compresses to almost nothing."""
    data = household_sheet_data().replace("Lò Văn Hùng 1", "A" * length, 1)
    return xlsx_with_sheet_data(data, dimension="A1:H4")


def wide_xlsx(columns: int = 16_384) -> bytes:
    """A household list whose header row runs on to `columns` columns (blank headers after H)."""
    data = household_sheet_data()
    far = _column_letters(columns)
    data = data.replace("</row>", f"{_cell(f'{far}1', '')}</row>", 1)
    return xlsx_with_sheet_data(data, dimension=f"A1:{far}4")


def duplicate_header_xlsx() -> bytes:
    """ "Họ và tên chủ hộ" twice: in column C and again in column I."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADER, "Họ và tên chủ hộ"])
    for number in range(1, 4):
        sheet.append([*household_row(number), f"Người khác {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_with_content(rows: str) -> bytes:
    """An .ods whose one sheet, "Danh sach", holds `rows` (<table:table-row> elements) as written."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Danh sach">{rows}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def moved_sheet_xlsx(sheet_data: str) -> bytes:
    """An .xlsx whose sheet is stored at xl/elsewhere/data.xml, where the workbook's relationships say it is."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_with_sheet_data(sheet_data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            target = info.filename
            if info.filename == "xl/worksheets/sheet1.xml":
                target = "xl/elsewhere/data.xml"
            elif info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"worksheets/sheet1.xml", b"elsewhere/data.xml")
            archive.writestr(target, data)
    return out.getvalue()
