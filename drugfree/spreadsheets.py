"""Writing lists as .xlsx and .csv downloads, shared by every export (households, people, pledges, gap lists).

Figures are numbers: an int is an integer cell, a `Percent` a number formatted as %, a date a date, so Excel sums,
sorts and filters them. Text that a spreadsheet would read as a formula is neutralised: a value from a form (a name,
an address) must never run as `=HYPERLINK(...)` on a reviewer's machine (OWASP "CSV injection"). In a workbook the
cell is written as text with Excel's "quote prefix" (shown as typed, never evaluated, even after editing, and no
apostrophe in the value); a CSV has no cell types, so there it gets a leading apostrophe.

File names are Vietnamese words ("Hộ chưa ký cam kết - Xã Quan Sơn - 06-12-2026.xlsx"), sent as RFC 5987
`filename*` with an ASCII fallback for old clients.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from drugfree.text import search_key

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
INTEGER_FORMAT = "0"


@dataclass(frozen=True)
class Percent:
    """A percentage as a figure: `points` = 66.7 for 66.7 %, shown with `decimals` places."""

    points: float | Fraction | Decimal
    decimals: int = 1

    @property
    def number_format(self) -> str:
        return "0%" if self.decimals == 0 else f"0.{'0' * self.decimals}%"

    def __str__(self) -> str:
        return f"{float(self.points):.{self.decimals}f}%"


def download_name(*parts, on: datetime.date | None = None) -> str:
    """A file name in words: the parts (title, unit…) and the date, dd-mm-yyyy, joined by " - "."""
    words = [str(part) for part in parts if part]
    if on is not None:
        words.append(on.strftime("%d-%m-%Y"))
    return " - ".join(words)


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
    if isinstance(value, Percent | int | float | Decimal | Fraction):
        return str(float(value) if isinstance(value, Fraction) else value)
    return neutralise(str(value))


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=float(value.points) / 100)
        cell.number_format = value.number_format
    elif isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, int):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = INTEGER_FORMAT
    elif isinstance(value, Fraction | Decimal):
        cell = WriteOnlyCell(sheet, value=float(value))
    elif isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        # Text, never a formula: openpyxl would otherwise write "=…" as one.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        return value
    return cell


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Danh sách", titles: Sequence[str] = ()
) -> bytes:
    """A one-sheet workbook: bold header row, typed cells (see the module's docstring), formulas neutralised.

    Write-only mode keeps memory flat for long lists (openpyxl streams rows to a temporary file). A report (with
    `titles`: the lines above the table, such as its legal basis and date) is short: it is read once more to fit
    the columns, and set up to print on A4 landscape with its header row frozen and repeated on every page.
    """
    workbook = Workbook(write_only=True)
    # Excel refuses []:*?/\ in a sheet name, and names longer than 31 characters.
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", str(sheet_title))[:31])
    if titles:
        rows = list(rows)
        _print_layout(sheet, headers, rows, header_row=len(titles) + 2)
        for number, title in enumerate(titles):
            cell = WriteOnlyCell(sheet, value=str(title))
            cell.font = Font(bold=True, size=13 if number == 0 else 11)
            sheet.append([cell])
        sheet.append([])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        cell.alignment = HEADER_ALIGNMENT
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_wrapped(sheet, value) if titles else _xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH = 6, 40


def _print_layout(sheet, headers: Sequence[str], rows: list[Sequence], *, header_row: int) -> None:
    """Columns as wide as their longest value (long headers wrap instead), the header frozen and printed on every
    page, A4 landscape scaled to the page's width. Write-only sheets take all this before their first row."""
    for index, header in enumerate(headers, start=1):
        longest = max((len(_shown(row[index - 1])) for row in rows if len(row) >= index), default=0)
        longest = max(longest, min(len(str(header)), 16))
        sheet.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _wrapped(sheet, value):
    """A report's text longer than its column (a criterion's title) wraps onto more lines instead of being cut."""
    if isinstance(value, str) and len(value) > MAX_WIDTH and not value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.alignment = HEADER_ALIGNMENT
        return cell
    return _xlsx_cell(sheet, value)


def _shown(value) -> str:
    """Roughly what a cell shows, to size its column."""
    if isinstance(value, datetime.date):
        return "00/00/0000"
    if isinstance(value, Percent):
        return f"{float(value.points):.{value.decimals}f} %"
    return "" if value is None else str(value)


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
    """The Vietnamese name as RFC 5987 `filename*` (UTF-8), after an ASCII `filename` for clients without it."""
    fallback = re.sub(r"[^0-9a-z]+", "-", search_key(filename)).strip("-") or "tai-ve"
    header = f'attachment; filename="{fallback}.{extension}"'
    if filename == fallback:
        return header
    return f"{header}; filename*=UTF-8''{quote(f'{filename}.{extension}', safe='')}"
