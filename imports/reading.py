"""Read a household list from a spreadsheet as communes keep it: title block, header row, data rows, signatures.

Nothing here touches the database: the result is the sheet's rows keyed by canonical field, values as the file
holds them (calamine gives str, float, int, date, datetime), text already converted from legacy encodings.
The file is opened by `workbooks.py`, its header recognised by `headers.py`, its data rows picked by `data_rows.py`;
the result is a `table.Table`.
"""

import io
import logging
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import chain, islice
from typing import Any

from django.utils.translation import gettext as _

from . import limits as checks
from .cleaning import CleanRow, clean_row
from .data_rows import iter_data_rows
from .garbage import cycle_collection_paused
from .headers import (
    HEAD_NAME,
    HEADER_SCAN_ROWS,
    Header,
    apply_mapping,
    find_header,
    header_at,
    refuse_duplicate_headers,
)
from .isolation import ReaderDied, ReaderRefused, run_in_child
from .legacy_encoding import Encoding, cell_to_unicode, column_encodings, detect_encoding, main_encoding
from .limits import ReadLimits
from .table import Source, SourceRow, SpreadsheetError, Table
from .workbooks import Book, load_source
from .xlsx_stream import XlsxStream

logger = logging.getLogger(__name__)

ENCODING_SAMPLE_ROWS = 200


def _limits(max_bytes: int | None = None, max_rows: int | None = None) -> ReadLimits:
    return ReadLimits.from_settings(max_bytes=max_bytes, max_rows=max_rows)


def read_guarded(function, source: Source, filename: str | None, limits: ReadLimits | None = None, **kwargs):
    """`function(data, name, limits, **kwargs)` on the file's bytes, in a child process unless settings say
    otherwise (`isolation.py`); the file is loaded (and its size checked) here, so an oversized file never goes
    further. `function` must be importable by name (module level) and return something picklable."""
    limits = limits or _limits()
    data, name = load_source(source, filename, limits.max_bytes)
    if not limits.in_child:
        return function(data, name, limits, **kwargs)
    try:
        status, value = run_in_child(function, data, name, limits, limits=limits, file_name=name, **kwargs)
    except ReaderDied as exc:
        raise SpreadsheetError(exc.message, code=exc.code) from exc
    if status == "refused":
        message, code = value
        if code in checks.LIMIT_CODES:
            logger.warning("Spreadsheet %r refused beyond a limit (%s): %s", name, code, message)
        raise SpreadsheetError(message, code=code)
    return value


def _converted(rows: list[list[Any]], encoding: Encoding) -> list[list[Any]]:
    return [[cell_to_unicode(v, encoding) if isinstance(v, str) else v for v in row] for row in rows]


def _sample_texts(rows: list[list[Any]]) -> list[str]:
    return [v for row in rows for v in row if isinstance(v, str) and v]


def list_sheets(source: Source, *, filename: str | None = None, max_bytes: int | None = None) -> list[str]:
    """Sheet names in file order (a CSV file has one, named after the file)."""
    return read_guarded(_sheet_names, source, filename, _limits(max_bytes))


def _sheet_names(data: bytes, name: str, limits: ReadLimits) -> list[str]:
    return Book(data, name, limits, sheets=False).sheet_names()


def read_table(
    source: Source,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    mapping: Mapping[int, str | None] | None = None,
    header_row_number: int | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> Table:
    """Read the household list of one sheet: the named one, or the first sheet that has a household header row.

    `source` is a path, the file's bytes (then `filename` is required: its extension says the format) or a binary
    file object such as an uploaded file. `mapping` (column index -> field or None) replaces the automatic column
    recognition and `header_row_number` (1-based, best given with `sheet`) the header detection, for a user who
    corrected them. Raises SpreadsheetError with a message for the user, also when the file is beyond the limits
    (`limits.py`) or the reader died on it (`isolation.py`).
    """
    limits = _limits(max_bytes, max_rows)
    options = {"sheet": sheet, "mapping": mapping, "header_row_number": header_row_number}
    return read_guarded(_read_table, source, filename, limits, **options)


@cycle_collection_paused()
def _read_table(
    data: bytes,
    name: str,
    limits: ReadLimits,
    *,
    sheet: str | None,
    mapping: Mapping[int, str | None] | None,
    header_row_number: int | None,
    stream: bool = False,
    today: date | None = None,
) -> Table:
    """The table; with `stream`, its rows an iterator read as they are needed (`read_stream`), cleaned for `today`
    when given (then CleanRow, not SourceRow)."""
    xlsx = stream and _is_xlsx(data)
    # A streamed .xlsx is checked as its rows are read (`xlsx_stream.py`), not by a whole pass before.
    book = Book(data, name, limits, sheets=not xlsx)
    sheets = XlsxStream(data, name, limits) if xlsx else None
    opened: dict[str, Iterator[list[Any]]] = {}

    def top_rows(sheet_name: str) -> list[list[Any]]:
        if sheets is None:
            return book.rows(sheet_name, ENCODING_SAMPLE_ROWS)
        opened[sheet_name] = sheets.rows(sheet_name)
        return list(islice(opened[sheet_name], ENCODING_SAMPLE_ROWS))

    max_rows = limits.max_rows
    name, header, encoding, top = _household_sheet(book, sheet, header_row_number, top_rows)
    if mapping is not None:
        apply_mapping(header, mapping)
    else:
        refuse_duplicate_headers(header)
    header_encoding = detect_encoding(_sample_texts(top[header.index : header.data_start]))
    encodings = column_encodings(
        top[header.data_start :], [index for index, f in header.columns.items() if f], default=header_encoding
    )
    if HEAD_NAME not in header.columns.values():
        raise SpreadsheetError(_("Hãy chọn cột chứa họ tên chủ hộ."), code="mapping")
    if sheets is None:
        row_count = book.row_count(name)
        if row_count - header.data_start > max_rows:
            raise _too_many_rows(name, row_count - header.data_start, max_rows)
        rows: Iterable[list[Any]] = book.rows(name)
    else:
        rows = _counted(chain(top, opened[name]), name, header.data_start + max_rows)
    table = Table(
        sheet_name=name,
        header_row_number=header.index + 1,
        headers=header.texts,
        columns=header.columns,
        rows=[],
        encoding=main_encoding(encodings, encoding),
        column_encodings=encodings,
        data_start_row_number=header.data_start + 1,
        text_encoding=book.text_encoding,
    )
    source_rows = iter_data_rows(rows, header, encodings)
    if not stream:
        table.rows = list(source_rows)
    elif today is None:
        table.rows = source_rows
    else:
        table.rows, table.rows_cleaned = _cleaned(source_rows, table.field_headers, today), True
    return table


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _too_many_rows(sheet: str, rows: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("Trang tính “%(sheet)s” có %(rows)d dòng, vượt giới hạn %(limit)d dòng. Hãy chia thành nhiều tệp.")
        % {"sheet": sheet, "rows": rows, "limit": limit},
        code="too_many_rows",
    )


def _counted(rows: Iterable[list[Any]], sheet: str, last: int) -> Iterator[list[Any]]:
    """A streamed sheet has no row count ahead: refused at the first row beyond the limit."""
    for index, row in enumerate(rows):
        if index >= last:
            raise _too_many_rows(sheet, index + 1, last)
        yield row


def _cleaned(rows: Iterable[SourceRow], labels: dict[str, str], today: date) -> Iterator[CleanRow]:
    for row in rows:
        yield clean_row(row, labels=labels, today=today)


def read_stream(
    source: Source,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    mapping: Mapping[int, str | None] | None = None,
    header_row_number: int | None = None,
    today: date | None = None,
) -> Table:
    """read_table() whose rows come as they are read (an iterator, to be consumed once), cleaned for `today` when
    given: the confirmed import's stream. In the reading child the file is read, its rows picked and cleaned while
    this process plans and writes the rows before; a refusal or the child's death is raised while iterating."""
    options = {"sheet": sheet, "mapping": mapping, "header_row_number": header_row_number}
    table = read_guarded(_read_table, source, filename, _limits(), **options, stream=True, today=today)
    table.rows = _refusals_raised(table.rows)
    return table


def _refusals_raised(rows: Iterable) -> Iterator:
    try:
        yield from rows
    except (ReaderDied, ReaderRefused) as exc:
        if exc.code in checks.LIMIT_CODES:
            logger.warning("Spreadsheet refused beyond a limit (%s): %s", exc.code, exc.message)
        raise SpreadsheetError(exc.message, code=exc.code) from exc


def _household_sheet(
    book: Book, sheet: str | None, header_row_number: int | None, top_rows
) -> tuple[str, Header, Encoding, list[list[Any]]]:
    """The named sheet, or the first with a household header row: its name, header, encoding and first rows."""
    if sheet is not None and sheet not in book.sheet_names():
        raise SpreadsheetError(_("Tệp không có trang tính “%(sheet)s”.") % {"sheet": sheet}, code="sheet_not_found")
    for name in [sheet] if sheet is not None else book.sheets_to_try():
        top = top_rows(name)
        encoding = detect_encoding(_sample_texts(top))
        if header_row_number is None:
            header = find_header(_converted(top[:HEADER_SCAN_ROWS], encoding))
        else:
            header = header_at(_converted(top, encoding), header_row_number)
        if header is not None:
            return name, header, encoding, top
    if sheet is not None:
        raise SpreadsheetError(
            _(
                "Trang tính “%(sheet)s” không có dòng tiêu đề của danh sách hộ gia đình "
                "(cần cột họ tên chủ hộ và ít nhất một cột khác như mã hộ, CCCD, thôn, số nhân khẩu)."
            )
            % {"sheet": sheet},
            code="no_household_sheet",
        )
    raise SpreadsheetError(
        _(
            "Không tìm thấy danh sách hộ gia đình trong tệp: cần một dòng tiêu đề có cột họ tên chủ hộ và "
            "ít nhất một cột khác (mã hộ, CCCD, thôn, số nhân khẩu…)."
        ),
        code="no_household_sheet",
    )


def sheet_rows(source: Source, *, filename: str | None = None, sheet: str | None = None) -> list[list[Any]]:
    """Every row of a sheet as the file holds it (title block and signatures included), for rewriting the file."""
    return read_guarded(read_sheet_rows, source, filename, _limits(), sheet=sheet)


def read_sheet_rows(data: bytes, name: str, limits: ReadLimits, *, sheet: str | None) -> list[list[Any]]:
    """sheet_rows() in the process it is called from: for a function already run by read_guarded."""
    book = Book(data, name, limits)
    return book.rows(sheet or book.sheet_names()[0])
