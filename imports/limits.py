"""What a household list may hold, checked against the file's own structure before a reader allocates anything.

A reader allocates a dense grid from A1 to the last cell with a value, so one cell at XFD1048576 asks for
17 billion cells (512 GiB). The zip members of .xlsx/.ods and the records of .xls declare where their cells are:
they are scanned in streaming passes (no grid, no DOM) and a file beyond the limits is refused with a Vietnamese
message. Whatever slips past these checks is still read in a child process with a memory and CPU limit
(`isolation.py`).
"""

import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# Excel's own limits: a cell holds at most 32,767 characters, a sheet 1,048,576 rows and 16,384 columns.
EXCEL_MAX_CELL_CHARS = 32_767

DEFAULTS = {
    "HOUSEHOLD_IMPORT_MAX_BYTES": 50 * 1024 * 1024,
    "HOUSEHOLD_IMPORT_MAX_ROWS": 200_000,
    "HOUSEHOLD_IMPORT_MAX_COLUMNS": 1_000,
    "HOUSEHOLD_IMPORT_MAX_CELLS": 10_000_000,
    "HOUSEHOLD_IMPORT_MAX_CELL_CHARS": EXCEL_MAX_CELL_CHARS,
    "HOUSEHOLD_IMPORT_MAX_UNZIPPED_BYTES": 500 * 1024 * 1024,
    "HOUSEHOLD_IMPORT_MAX_COMPRESSION_RATIO": 100,
    "HOUSEHOLD_IMPORT_READER_MEMORY_MB": 2048,
    "HOUSEHOLD_IMPORT_READER_CPU_SECONDS": 120,
    "HOUSEHOLD_IMPORT_READ_IN_CHILD": True,
}
# Rows a sheet may have beyond the list itself: title block, sub-headers, signatures.
LAYOUT_ROWS = 100
# A member smaller than this inflated is never a bomb, whatever its ratio (a blank sheet compresses 50×).
_RATIO_FLOOR = 1024 * 1024
# Small enough that with the default cell length no text run fits inside one piece (see _TextRuns).
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Limits for one read, taken from settings in the process that asks (a child does not see overridden
    settings, so they travel with the job)."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_cell_chars: int
    max_unzipped_bytes: int
    max_compression_ratio: int
    memory_mb: int
    cpu_seconds: int
    in_child: bool

    @classmethod
    def from_settings(cls, *, max_bytes: int | None = None, max_rows: int | None = None) -> "ReadLimits":
        def value(name):
            return getattr(settings, name, DEFAULTS[name]) if settings.configured else DEFAULTS[name]

        return cls(
            max_bytes=max_bytes or value("HOUSEHOLD_IMPORT_MAX_BYTES"),
            max_rows=max_rows or value("HOUSEHOLD_IMPORT_MAX_ROWS"),
            max_columns=value("HOUSEHOLD_IMPORT_MAX_COLUMNS"),
            max_cells=value("HOUSEHOLD_IMPORT_MAX_CELLS"),
            max_cell_chars=value("HOUSEHOLD_IMPORT_MAX_CELL_CHARS"),
            max_unzipped_bytes=value("HOUSEHOLD_IMPORT_MAX_UNZIPPED_BYTES"),
            max_compression_ratio=value("HOUSEHOLD_IMPORT_MAX_COMPRESSION_RATIO"),
            memory_mb=value("HOUSEHOLD_IMPORT_READER_MEMORY_MB"),
            cpu_seconds=value("HOUSEHOLD_IMPORT_READER_CPU_SECONDS"),
            in_child=value("HOUSEHOLD_IMPORT_READ_IN_CHILD"),
        )


# Refusals that say a file is beyond a limit (logged: a hostile upload is worth knowing about).
LIMIT_CODES = frozenset(
    {"too_large", "too_many_rows", "too_many_columns", "too_many_cells", "cell_too_long", "zip_bomb"}
)


class LimitExceeded(Exception):
    """Raised by the checks; reading.py turns it into a SpreadsheetError (`code`, Vietnamese `message`)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def column_letters(number: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


@dataclass
class Extent:
    """The grid a reader allocates for a sheet: from A1 to the last row and column holding a value."""

    rows: int = 0
    columns: int = 0
    cells_with_value: int = 0

    def widen(self, rows: int, columns: int) -> None:
        self.rows = max(self.rows, rows)
        self.columns = max(self.columns, columns)


def check_extent(extent: Extent, limits: ReadLimits, *, name: str, sheet: str) -> None:
    where = {"name": name, "sheet": sheet}
    if extent.rows > limits.max_rows + LAYOUT_ROWS:
        raise LimitExceeded(
            _("Trang tính %(sheet)s có %(rows)d dòng, vượt giới hạn %(limit)d dòng. Hãy chia thành nhiều tệp.")
            % {**where, "rows": extent.rows, "limit": limits.max_rows},
            code="too_many_rows",
        )
    if extent.columns > limits.max_columns:
        raise LimitExceeded(
            _(
                "Trang tính %(sheet)s có dữ liệu tới cột %(last)s (cột thứ %(columns)d), vượt giới hạn %(limit)d "
                "cột. Hãy xóa các cột thừa ở bên phải danh sách (kể cả ô lạc ở xa) rồi tải lên lại."
            )
            % {**where, "last": column_letters(extent.columns), "columns": extent.columns, "limit": limits.max_columns},
            code="too_many_columns",
        )
    cells = max(extent.rows * extent.columns, extent.cells_with_value)
    if cells > limits.max_cells:
        raise LimitExceeded(
            _(
                "Trang tính %(sheet)s trải trên %(rows)d dòng × %(columns)d cột (%(cells)d ô), vượt giới hạn "
                "%(limit)d ô. Hãy xóa các dòng, cột thừa hoặc chia thành nhiều tệp."
            )
            % {**where, "rows": extent.rows, "columns": extent.columns, "cells": cells, "limit": limits.max_cells},
            code="too_many_cells",
        )


def cell_too_long(*, name: str, length: int, limits: ReadLimits) -> LimitExceeded:
    return LimitExceeded(
        _(
            "Tệp “%(name)s” có một ô dài khoảng %(length)d ký tự, vượt giới hạn %(limit)d ký tự một ô. "
            "Một danh sách hộ không có ô dài như vậy: hãy kiểm tra lại tệp."
        )
        % {"name": name, "length": length, "limit": limits.max_cell_chars},
        code="cell_too_long",
    )


# --- zip containers: .xlsx, .ods --------------------------------------------------------------------------------------


def check_zip_members(archive: zipfile.ZipFile, limits: ReadLimits, *, name: str) -> None:
    """Declared sizes: the whole inflated, and each member's compression ratio (a zip bomb inflates 1000×)."""
    members = archive.infolist()
    inflated = sum(member.file_size for member in members)
    if inflated > limits.max_unzipped_bytes:
        raise LimitExceeded(
            _("Tệp “%(name)s” khi giải nén quá lớn (%(size).0f MB, giới hạn %(limit).0f MB). Hãy chia danh sách thành "
              "nhiều tệp.")
            % {"name": name, "size": inflated / 1024 / 1024, "limit": limits.max_unzipped_bytes / 1024 / 1024},
            code="too_large",
        )  # fmt: skip
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise LimitExceeded(
                _(
                    "Tệp “%(name)s” nén bất thường (phần “%(member)s” giải nén ra gấp %(ratio).0f lần, giới hạn "
                    "%(limit)d lần): đây không phải bảng tính bình thường nên không được đọc."
                )
                % {
                    "name": name,
                    "member": member.filename[:100],
                    "ratio": ratio,
                    "limit": limits.max_compression_ratio,
                },
                code="zip_bomb",
            )


def _pieces(archive: zipfile.ZipFile, member: str, limits: ReadLimits, *, name: str) -> Iterator[bytes]:
    """The member inflated piece by piece, each piece cut before a "<" so that no tag is split; its real size is
    counted whatever its header declares, and no run of text may exceed a cell's length."""
    total = 0
    runs = _TextRuns(limits, name)
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > limits.max_unzipped_bytes:
                raise LimitExceeded(
                    _("Tệp “%(name)s” khi giải nén quá lớn. Hãy chia danh sách thành nhiều tệp.") % {"name": name},
                    code="too_large",
                )
            runs.feed(chunk)
            text = tail + chunk
            cut = text.rfind(b"<")
            if cut <= 0:
                tail = text
                continue
            tail = text[cut:]
            yield text[:cut]
    if tail:
        yield tail


class _TextRuns:
    """The longest run of text between two tags, across chunk boundaries: a cell's text in the sheet's XML."""

    def __init__(self, limits: ReadLimits, name: str):
        # Vietnamese letters are at most 3 bytes of UTF-8 (NFC); the length is measured in bytes, to stay in C.
        self.limit_bytes = limits.max_cell_chars * 3
        self.limits, self.name = limits, name
        self.run = 0

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
        else:
            self._check(self.run + first)
            last = chunk.rfind(b"<")
            # Runs inside the chunk are shorter than the chunk: only a limit below its size needs them measured.
            if last > first and self.limit_bytes < len(chunk):
                self._check(max(map(len, chunk[first:last].split(b"<"))))
            self.run = len(chunk) - last - 1
        self._check(self.run)

    def _check(self, run: int) -> None:
        if run > self.limit_bytes:
            raise cell_too_long(name=self.name, length=run, limits=self.limits)


_XLSX_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_XLSX_REF = re.compile(rb"([A-Z]{1,4})([0-9]{1,8})")
# A cell holding something: an opening tag not closed on itself, with its reference ("<c r="B7" t="s"><v>3</v></c>");
# calamine skips self-closed cells (formatting only), so do these checks.
_XLSX_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4})([0-9]{1,8})"[^>]*?(?<!/)>')


def _declared_extent(ref: bytes) -> Extent:
    extent = Extent()
    for letters, digits in _XLSX_REF.findall(ref):
        extent.widen(int(digits), _column_number(letters))
    return extent


def check_xlsx(archive: zipfile.ZipFile, limits: ReadLimits, *, name: str, sheets: bool = True) -> None:
    """Each worksheet's declared <dimension> and its real cells; every text node of the sheets and shared strings.
    Without `sheets`, only the shared strings (listing the sheets parses no sheet)."""
    members = archive.namelist()
    # Every XML part but the shared strings, not only xl/worksheets/: the workbook's relationships may place a sheet
    # anywhere in the zip, and a check that looked only where Excel puts sheets could be walked around.
    sheets = sheets and sorted(n for n in members if n.lower().endswith(".xml") and n != "xl/sharedStrings.xml")
    for member in sheets or []:
        sheet = _("số %(number)s") % {"number": member.rsplit("/", 1)[-1].removesuffix(".xml").removeprefix("sheet")}
        extent = Extent()
        declared = False
        for piece in _pieces(archive, member, limits, name=name):
            if not declared and (match := _XLSX_DIMENSION.search(piece)):
                check_extent(_declared_extent(match.group(1)), limits, name=name, sheet=sheet)
                declared = True
            references = _XLSX_CELL.findall(piece)
            if references:
                letters, digits = zip(*references, strict=True)  # per-cell work stays in C: a sheet has millions
                extent.widen(max(map(int, digits)), max(map(_column_number, set(letters))))
                extent.cells_with_value += len(references)
        check_extent(extent, limits, name=name, sheet=sheet)
    if "xl/sharedStrings.xml" in members:
        for _piece in _pieces(archive, "xl/sharedStrings.xml", limits, name=name):
            pass  # the text runs are checked as the member is inflated


_ODS_TOKEN = re.compile(
    rb"<table:table\s[^>]*?table:name=\"([^\"]*)\""
    rb"|<table:table-row\b([^>]*?)(/?)>"
    rb"|<table:(?:covered-)?table-cell\b([^>]*?)(/?)>"
)
_ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_ODS_VALUE = re.compile(rb"office:value-type=")


def check_ods(archive: zipfile.ZipFile, limits: ReadLimits, *, name: str) -> None:
    """Rows and cells as content.xml repeats them ("number-rows-repeated"): LibreOffice pads every sheet with
    a million empty rows, so only cells holding a value widen the grid."""
    if "content.xml" not in archive.namelist():
        return
    extent, sheet = Extent(), ""
    first_row, repeat, next_row, column = 1, 1, 1, 0
    for piece in _pieces(archive, "content.xml", limits, name=name):
        for match in _ODS_TOKEN.finditer(piece):
            table_name, row_attributes, _row_closed, cell_attributes, cell_closed = match.groups()
            if table_name is not None:
                if sheet:
                    check_extent(extent, limits, name=name, sheet=sheet)
                extent, sheet, next_row = Extent(), f"“{table_name.decode(errors='replace')[:100]}”", 1
            elif row_attributes is not None:
                repeated = _ODS_ROWS_REPEATED.search(row_attributes)
                first_row, repeat, column = next_row, int(repeated.group(1)) if repeated else 1, 0
                next_row = first_row + repeat
            else:
                repeated = _ODS_COLUMNS_REPEATED.search(cell_attributes)
                count = int(repeated.group(1)) if repeated else 1
                column += count
                if not cell_closed or _ODS_VALUE.search(cell_attributes):
                    extent.widen(first_row + repeat - 1, column)
                    extent.cells_with_value += count * repeat
    if sheet:
        check_extent(extent, limits, name=name, sheet=sheet)


# --- .xls (BIFF8 in an OLE2 container) -------------------------------------------------------------------------------

# Records holding one cell (row, column first): LABELSST, LABEL, NUMBER, RK, BOOLERR, FORMULA, RSTRING; MULRK holds
# several (row, first column, …, last column at the end).
_XLS_CELL_RECORDS = {0x00FD, 0x0204, 0x0203, 0x027E, 0x0205, 0x0006, 0x00D6}
_XLS_MULRK = 0x00BD
_XLS_BOF = 0x0809


def check_xls(data: bytes, limits: ReadLimits, *, name: str) -> None:
    """The cells of every sheet as the Workbook stream's records place them (xlrd's compound-document reader)."""
    from xlrd import compdoc

    try:
        document = compdoc.CompDoc(data, logfile=_Discard())
        stream, offset, length = document.locate_named_stream("Workbook")
        if stream is None:
            stream, offset, length = document.locate_named_stream("Book")
    except Exception:  # a damaged container: calamine reports it in its own words
        return
    if stream is None:
        return
    extent, sheets = Extent(), 0
    end = offset + length
    position = offset
    while position + 4 <= end:
        record, size = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if record == _XLS_BOF:  # the workbook's globals, then each sheet
            check_extent(extent, limits, name=name, sheet=_("số %(number)d") % {"number": max(sheets - 1, 1)})
            extent, sheets = Extent(), sheets + 1
        elif record in _XLS_CELL_RECORDS and size >= 4:
            row, column = struct.unpack_from("<HH", stream, body)
            extent.widen(row + 1, column + 1)
            extent.cells_with_value += 1
        elif record == _XLS_MULRK and size >= 6:
            row, _first = struct.unpack_from("<HH", stream, body)
            (last,) = struct.unpack_from("<H", stream, body + size - 2)
            extent.widen(row + 1, last + 1)
            extent.cells_with_value += 1
        position = body + size
    check_extent(extent, limits, name=name, sheet=_("số %(number)d") % {"number": max(sheets - 1, 1)})


class _Discard:
    def write(self, _text: str) -> None:
        pass


# --- what a run stores and shows -------------------------------------------------------------------------------------


def stored_text_chars() -> int:
    return getattr(settings, "HOUSEHOLD_IMPORT_STORED_TEXT_CHARS", 200)


def preview_columns() -> int:
    return getattr(settings, "HOUSEHOLD_IMPORT_PREVIEW_COLUMNS", 50)


def capped(value, limit: int | None = None):
    """`value` (text, or lists and dicts of them, as a run stores them in JSON) with every text cut to `limit`
    characters: a cell's or a message's length is the file's choice, a run's size must not be."""
    limit = limit or stored_text_chars()
    if isinstance(value, str):
        return value if len(value) <= limit else value[: limit - 1] + "…"
    if isinstance(value, list | tuple):
        return [capped(item, limit) for item in value]
    if isinstance(value, dict):
        return {key: capped(item, limit) for key, item in value.items()}
    return value
