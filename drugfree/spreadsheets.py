"""Writing lists as .xlsx and .csv downloads, shared by every export (households, people, pledges, gap lists).

Cells that a spreadsheet would read as a formula are neutralised: a value from a form (a name, an address) must
never run as `=HYPERLINK(...)` on a reviewer's machine (OWASP "CSV injection").
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"


def neutralise(value):
    """Prefix a text cell that starts like a formula with an apostrophe, which Excel and LibreOffice show as text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_value(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return neutralise(str(value))


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Danh sách") -> bytes:
    """A one-sheet workbook: bold header row, dates as real dates shown dd/mm/yyyy, formulas neutralised.

    Write-only mode keeps memory flat for long lists (openpyxl streams rows to a temporary file).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(neutralise(value))
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], **kwargs) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(headers, rows, **kwargs), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename, "xlsx")
    return response


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """UTF-8 with BOM so that Excel on Windows opens Vietnamese text correctly; streamed row by row."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(filename, "csv")
    return response


def _attachment(filename: str, extension: str) -> str:
    # ASCII file name (the caller passes a slug); browsers save it as is.
    return f'attachment; filename="{filename}.{extension}"'
