"""Opening a file as the sheets of a workbook, whatever the format (.xlsx, .xls, .ods, .csv/.txt): the checks that
refuse an encrypted, damaged, disguised or oversized file before calamine parses it."""

import csv
import io
import os
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import python_calamine
from django.utils.translation import gettext as _

from . import limits as checks
from . import text_files
from .limits import LimitExceeded, ReadLimits
from .table import Source, SpreadsheetError

TEXT_EXTENSIONS = (".csv", ".txt")  # Excel's "Unicode Text" is a .txt, tab-separated (`text_files.py`)
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", *TEXT_EXTENSIONS)

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _too_large(size: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("Tệp quá lớn (%(size).1f MB); giới hạn là %(limit).0f MB. Hãy chia danh sách thành nhiều tệp.")
        % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
        code="too_large",
    )


def load_source(source: Source, filename: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        if filename is None:
            raise TypeError("filename is required when reading bytes")
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        filename = filename or os.fspath(source)
        try:
            size = os.path.getsize(source)
        except OSError as exc:
            raise SpreadsheetError(_("Không mở được tệp."), code="unreadable") from exc
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        data = Path(source).read_bytes()
    else:
        filename = filename or getattr(source, "name", None) or ""
        size = getattr(source, "size", None)
        if size is not None and size > max_bytes:
            raise _too_large(size, max_bytes)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data, Path(filename).name


def _not_a_spreadsheet(name: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Tệp “%(name)s” không phải là bảng tính. Hãy chọn tệp Excel (.xlsx, .xls), OpenDocument (.ods) "
            "hoặc CSV (.csv, .txt)."
        )
        % {"name": name},
        code="not_spreadsheet",
    )


def _encrypted(name: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Tệp “%(name)s” đang được đặt mật khẩu. Hãy mở bằng Excel, gỡ mật khẩu "
            "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi tải lên lại."
        )
        % {"name": name},
        code="encrypted",
    )


def _corrupt(name: str) -> SpreadsheetError:
    return SpreadsheetError(
        _("Tệp “%(name)s” bị hỏng hoặc không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên lại.") % {"name": name},
        code="corrupt",
    )


def _check_zip(data: bytes, name: str, limits: ReadLimits, *, sheets: bool) -> None:
    """A zip bomb or a sheet beyond the limits is refused before calamine allocates its grid (`limits.py`)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            is_xlsx = "xl/workbook.xml" in names or "xl/workbook.bin" in names
            if not is_xlsx and "content.xml" not in names:
                raise _not_a_spreadsheet(name)  # a Word or other zip document renamed
            checks.check_zip_members(archive, limits, name=name)
            if is_xlsx:
                checks.check_xlsx(archive, limits, name=name, sheets=sheets)
            else:
                checks.check_ods(archive, limits, name=name)  # calamine parses every sheet of an .ods at once
    except LimitExceeded as exc:
        raise refusal(exc) from exc
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:  # also a bad CRC while inflating
        raise _corrupt(name) from exc


def _is_text_file(data: bytes, name: str, limits: ReadLimits, *, sheets: bool) -> bool:
    """True for a .csv/.txt file; a workbook is checked first (encrypted, disguised, beyond the limits): it is
    refused here, or returns False when calamine may open it."""
    extension = Path(name).suffix.lower()
    if extension not in SPREADSHEET_EXTENSIONS:
        raise _not_a_spreadsheet(name)
    head = data[:8]
    if head.startswith(_CFB_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise _encrypted(name)  # Excel wraps a password-protected .xlsx in an OLE container
        try:
            checks.check_xls(data, limits, name=name)
        except LimitExceeded as exc:
            raise refusal(exc) from exc
        return False
    if head.startswith(_ZIP_MAGIC):
        _check_zip(data, name, limits, sheets=sheets)
        return False
    if data.lstrip()[:1] == b"<" and extension not in TEXT_EXTENSIONS:
        raise SpreadsheetError(
            _(
                "Tệp “%(name)s” là trang web (HTML/XML) mang đuôi Excel, không phải bảng tính thật. "
                "Hãy mở bằng Excel rồi lưu lại dạng .xlsx."
            )
            % {"name": name},
            code="html_as_spreadsheet",
        )
    if extension in TEXT_EXTENSIONS:
        return True
    raise _not_a_spreadsheet(name)


@contextmanager
def _calamine_errors(name: str):
    """calamine raises several unrelated types for a damaged file: each becomes the reason the user reads."""
    try:
        yield
    except python_calamine.PasswordError as exc:
        raise _encrypted(name) from exc
    except Exception as exc:
        raise _corrupt(name) from exc


class Book:
    """The sheets of one file as lists of rows, whatever the format."""

    def __init__(self, data: bytes, name: str, limits: ReadLimits, *, sheets: bool = True):
        """`sheets=False` when only the sheet names are wanted: calamine parses no .xlsx sheet for them, so their
        cells are not checked."""
        self.name = name
        self._csv_rows: list[list[str]] | None = None
        self.text_encoding = ""  # how a .csv/.txt was decoded
        self._workbook = None
        self._sheets: dict[str, Any] = {}  # calamine parses a sheet each time it is asked for one
        if _is_text_file(data, name, limits, sheets=sheets):
            self._csv_rows, self.text_encoding = _parse_csv(data, name, limits)
            return
        try:
            self._workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError as exc:
            raise _encrypted(name) from exc
        except Exception as exc:  # calamine raises several unrelated types for a damaged file
            # An OLE container that is not an .xls, under an .xlsx name, is how Excel saves with a password.
            if data.startswith(_CFB_MAGIC) and Path(name).suffix.lower() != ".xls":
                raise _encrypted(name) from exc
            raise _corrupt(name) from exc

    def sheet_names(self) -> list[str]:
        if self._workbook is None:
            return [Path(self.name).stem or "CSV"]
        return list(self._workbook.sheet_names)

    def sheets_to_try(self) -> list[str]:
        """Visible sheets first: hidden ones usually hold lookup lists."""
        if self._workbook is None:
            return self.sheet_names()
        visible = python_calamine.SheetVisibleEnum.Visible
        metadata = self._workbook.sheets_metadata
        return [m.name for m in metadata if m.visible == visible] + [m.name for m in metadata if m.visible != visible]

    def row_count(self, sheet: str) -> int:
        if self._workbook is None:
            return len(self._csv_rows)
        end = self._sheet(sheet).end
        return end[0] + 1 if end else 0

    def rows(self, sheet: str, limit: int | None = None) -> list[list[Any]]:
        if self._workbook is None:
            return self._csv_rows[:limit] if limit else self._csv_rows
        with _calamine_errors(self.name):
            return self._sheet(sheet).to_python(skip_empty_area=False, nrows=limit)

    def _sheet(self, sheet: str):
        if sheet in self._sheets:
            return self._sheets[sheet]
        with _calamine_errors(self.name):
            self._sheets[sheet] = self._workbook.get_sheet_by_name(sheet)
            return self._sheets[sheet]


def _parse_csv(data: bytes, name: str, limits: ReadLimits) -> tuple[list[list[str]], str]:
    """The rows of a .csv/.txt file and the encoding its bytes were read in (`text_files.py`)."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise _not_a_spreadsheet(name)
    try:
        decoded = text_files.decode(data, name)
    except text_files.UnreadableText as exc:
        raise SpreadsheetError(exc.message, code="csv_unreadable_bytes") from exc
    text = decoded.text
    # The csv module's own field limit (128 KB) raised a bare csv.Error; a cell longer than the limit is refused.
    csv.field_size_limit(limits.max_cell_chars)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=text_files.separator(text)))
    except csv.Error as exc:
        longest = max(map(len, re.split(r"[,;\t\n]", text)))
        if longest > limits.max_cell_chars:
            raise refusal(checks.cell_too_long(name=name, length=longest, limits=limits)) from exc
        raise _corrupt(name) from exc
    width = max((len(row) for row in rows), default=0)
    # Checked before the rows are padded to the widest: one line of a million commas would pad every row.
    try:
        checks.check_extent(checks.Extent(len(rows), width, sum(map(len, rows))), limits, name=name, sheet="CSV")
    except LimitExceeded as exc:
        raise refusal(exc) from exc
    return [row + [""] * (width - len(row)) for row in rows], decoded.encoding


def refusal(exc: LimitExceeded) -> SpreadsheetError:
    return SpreadsheetError(exc.message, code=exc.code)
