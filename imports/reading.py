"""Read a household list from a spreadsheet as communes keep it: title block, header row, data rows, signatures.

Nothing here touches the database: the result is the sheet's rows keyed by canonical field, values as the file
holds them (calamine gives str, float, int, date, datetime), text already converted from legacy encodings.
"""

import csv
import io
import logging
import operator
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import python_calamine
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drugfree.text import clean_text, compact_key, search_key

from . import limits as checks
from . import text_files
from .garbage import cycle_collection_paused
from .isolation import ReaderDied, run_in_child
from .legacy_encoding import Encoding, cell_to_unicode, column_encodings, detect_encoding, main_encoding
from .limits import LimitExceeded, ReadLimits

logger = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30
ENCODING_SAMPLE_ROWS = 200
# Sub-header rows ("(1) (2) (3)", "Nam | Nữ") sit right under the header.
SUBHEADER_SCAN_ROWS = 3
TEXT_EXTENSIONS = (".csv", ".txt")  # Excel's "Unicode Text" is a .txt, tab-separated (`text_files.py`)
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", *TEXT_EXTENSIONS)

HEAD_NAME = "head_name"
FIELD_LABELS: dict[str, Any] = {
    "code": gettext_lazy("Mã hộ"),
    HEAD_NAME: gettext_lazy("Họ tên chủ hộ"),
    "head_cccd": gettext_lazy("Số CCCD"),
    "head_birth": gettext_lazy("Ngày sinh (hoặc năm sinh)"),
    "head_birth_male": gettext_lazy("Năm sinh – cột Nam"),
    "head_birth_female": gettext_lazy("Năm sinh – cột Nữ"),
    "head_sex": gettext_lazy("Giới tính"),
    "hamlet": gettext_lazy("Thôn/Khu phố"),
    "address": gettext_lazy("Địa chỉ"),
    "members_count": gettext_lazy("Số nhân khẩu"),
    "ethnicity": gettext_lazy("Dân tộc"),
    "pledge_signed": gettext_lazy("Đã ký cam kết"),
    "pledge_signed_on": gettext_lazy("Ngày ký cam kết"),
}

# Header texts seen in the field, matched ignoring case, diacritics, spaces and punctuation. A one-word synonym must
# be the whole header; a longer one may also appear inside a longer header ("Số CCCD (12 số)").
HEADER_SYNONYMS: dict[str, list[str]] = {
    "code": ["Mã hộ", "Mã hộ gia đình", "Mã HGĐ", "Mã số hộ", "Số hộ khẩu", "Số sổ hộ khẩu", "Sổ hộ khẩu số"],
    HEAD_NAME: [
        "Họ và tên chủ hộ", "Họ tên chủ hộ", "Chủ hộ", "Tên chủ hộ", "Họ và tên", "Họ tên",
        "Họ và tên người đại diện hộ", "Người đại diện hộ",
    ],
    "head_cccd": [
        "Số CCCD", "CCCD", "CMND/CCCD", "CCCD/CMND", "Số CMND/CCCD", "Số CCCD/CMND", "Số định danh cá nhân",
        "Số định danh", "Số ĐDCN", "Căn cước công dân", "Số căn cước công dân", "Số căn cước", "Căn cước",
        "Số CMND", "CMND", "CCCD chủ hộ", "Số CCCD chủ hộ",
    ],
    "head_birth": [
        "Ngày sinh", "Năm sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày/tháng/năm sinh", "Sinh ngày",
    ],
    "head_sex": ["Giới tính", "Giới", "Nam/Nữ"],
    "hamlet": [
        "Thôn/Khu phố", "Thôn", "Khu phố", "Tổ dân phố", "Bản", "Ấp", "Làng", "Buôn", "Xóm", "Tiểu khu", "Khu dân cư",
        "Thôn/Bản", "Thôn, bản", "Thôn/Xóm", "Thôn/Tổ dân phố", "Thôn, khu phố", "Tên thôn", "Khối phố", "Tổ dân cư",
    ],
    "address": [
        "Địa chỉ", "Nơi ở hiện tại", "Nơi ở hiện nay", "Chỗ ở hiện nay", "Nơi cư trú", "Địa chỉ thường trú",
        "Nơi thường trú", "Số nhà",
    ],
    "members_count": [
        "Số nhân khẩu", "Nhân khẩu", "Số khẩu", "Số NK", "Tổng số nhân khẩu", "Số người trong hộ", "Số thành viên",
    ],
    "ethnicity": ["Dân tộc"],
    "pledge_signed": ["Đã ký cam kết", "Ký cam kết", "Cam kết", "Đã cam kết", "Hộ đã ký cam kết"],
    "pledge_signed_on": ["Ngày ký cam kết", "Ngày cam kết", "Ngày ký"],
}  # fmt: skip


class SpreadsheetError(Exception):
    """The file cannot be read as a household list; `message` says why, in words a commune officer understands."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True, slots=True)
class SourceRow:
    row_number: int  # 1-based, as the spreadsheet shows it
    values: dict[str, Any]  # canonical field -> raw cell value


@dataclass
class Table:
    sheet_name: str
    header_row_number: int
    headers: list[str]
    columns: dict[int, str | None]
    rows: list[SourceRow]
    encoding: Encoding = "unicode"
    column_encodings: dict[int, Encoding] = field(default_factory=dict)  # columns typed in TCVN3 or VNI
    # First row read as data: two below the header row when it has a second row ("Năm sinh" over "Nam | Nữ").
    data_start_row_number: int = 0
    # How a .csv/.txt file's bytes were decoded (a `text_files` encoding); "" for a workbook.
    text_encoding: str = ""
    field_headers: dict[str, str] = field(init=False)  # field -> its header text in the file

    def __post_init__(self):
        self.field_headers = {f: self.headers[i] for i, f in self.columns.items() if f and i < len(self.headers)}

    def __reduce__(self):
        # A table crosses a pipe from the reading child: rows as tuples under one list of fields pickle 3× faster
        # than frozen dataclasses holding dicts. Every row has the same fields in the same order (_data_rows).
        fields = tuple(self.rows[0].values) if self.rows else ()
        rows = [(row.row_number, tuple(row.values.values())) for row in self.rows]
        layout = (self.sheet_name, self.header_row_number, self.headers, self.columns, self.encoding,
                  self.column_encodings)  # fmt: skip
        return _unpickle_table, (layout, self.data_start_row_number, fields, rows, self.text_encoding)


def _unpickle_table(
    layout: tuple, data_start_row_number: int, fields: tuple, rows: list[tuple], text_encoding: str = ""
) -> Table:
    sheet_name, header_row_number, headers, columns, encoding, column_encodings = layout
    return Table(
        sheet_name=sheet_name, header_row_number=header_row_number, headers=headers, columns=columns,
        rows=[SourceRow(number, dict(zip(fields, values, strict=True))) for number, values in rows],
        encoding=encoding, column_encodings=column_encodings, data_start_row_number=data_start_row_number,
        text_encoding=text_encoding,
    )  # fmt: skip


Source = str | os.PathLike | bytes | IO[bytes]

# --- header recognition ---------------------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", search_key(text)))


_EXACT: dict[str, str] = {}
_CONTAINED: list[tuple[str, str]] = []  # (words, field), longest first
for _field, _synonyms in HEADER_SYNONYMS.items():
    for _synonym in _synonyms:
        _EXACT.setdefault(compact_key(_synonym), _field)
        if " " in _words(_synonym):
            _CONTAINED.append((_words(_synonym), _field))
_CONTAINED.sort(key=lambda item: len(item[0]), reverse=True)


def field_for_header(header: str) -> tuple[str, int] | None:
    """The canonical field a header text names, with a match strength (higher is surer), or None."""
    key = compact_key(header)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key], 1000
    padded = f" {_words(header)} "
    for words, field_name in _CONTAINED:
        if f" {words} " in padded:
            return field_name, len(words)
    return None


def map_headers(headers: Sequence[str]) -> dict[int, str | None]:
    """Column index -> field; each field goes to the column that names it most surely (then the leftmost)."""
    candidates = []
    for index, header in enumerate(headers):
        match = field_for_header(header)
        if match:
            candidates.append((-match[1], index, match[0]))
    columns: dict[int, str | None] = dict.fromkeys(range(len(headers)))
    taken: set[str] = set()
    for _strength, index, field_name in sorted(candidates):
        if field_name not in taken:
            columns[index] = field_name
            taken.add(field_name)
    return columns


def _is_household_header(columns: Mapping[int, str | None]) -> bool:
    fields = {f for f in columns.values() if f}
    return HEAD_NAME in fields and len(fields) >= 2


def _cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


# --- rows that are not households -----------------------------------------------------------------------------------

# Matched on the words of a cell (lower case, no diacritics) in sparse rows whose name cell is blank or matches too.
_FOOTER = re.compile(
    r"^(?:nguoi lap|lap bieu|nguoi ky|nguoi duyet|xac nhan|ky ghi ro|ky va ghi ro|ky ten|ky ho ten"
    r"|truong (?:thon|ban|ap|lang|buon|xom|khu|to|tieu khu|cong an)\b|t ?m (?:ubnd|uy ban|ban|cong an|dang uy|chi bo)\b"
    r"|chu tich\b|pho chu tich\b"
    r"|thu truong\b|can bo\b|ke toan\b|cong an (?:xa|phuong|thi tran)\b|tong cong\b|tong so\b|cong$)"
    r"|\bngay(?: \d+)? thang(?: \d+)? nam\b"
)
_NUMBERING = re.compile(r"\(?(?:[0-9]{1,2}|[a-z])\)?")
# A row with at most this many filled cells may be a footer (signatures have one or two).
_SPARSE = 3


def _is_footer_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and _FOOTER.search(_words(value)) is not None


def _is_footer(row: Sequence[Any], name_index: int) -> bool:
    """Signatures, dates and totals under the list; a household's name in the row means it is data."""
    name = row[name_index]
    if name not in ("", None) and not _is_footer_text(name):
        return False
    return any(_is_footer_text(v) for v in row)


def _is_numbering(row: Sequence[Any]) -> bool:
    """Column numbering under the header: "(1) (2) (3)", "1 2 3", "A B C"."""
    filled = [_cell_text(v) for v in row if _cell_text(v)]
    return len(filled) >= 3 and all(_NUMBERING.fullmatch(search_key(text)) for text in filled)


# --- opening files --------------------------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _too_large(size: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("Tệp quá lớn (%(size).1f MB); giới hạn là %(limit).0f MB. Hãy chia danh sách thành nhiều tệp.")
        % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
        code="too_large",
    )


def _load(source: Source, filename: str | None, max_bytes: int) -> tuple[bytes, str]:
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
        raise _refusal(exc) from exc
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:  # also a bad CRC while inflating
        raise _corrupt(name) from exc


class _Book:
    """The sheets of one file as lists of rows, whatever the format."""

    def __init__(self, data: bytes, name: str, limits: ReadLimits, *, sheets: bool = True):
        """`sheets=False` when only the sheet names are wanted: calamine parses no .xlsx sheet for them, so their
        cells are not checked."""
        self.name = name
        self._csv_rows: list[list[str]] | None = None
        self.text_encoding = ""  # how a .csv/.txt was decoded
        self._workbook = None
        self._sheets: dict[str, Any] = {}  # calamine parses a sheet each time it is asked for one
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
                raise _refusal(exc) from exc
        elif head.startswith(_ZIP_MAGIC):
            _check_zip(data, name, limits, sheets=sheets)
        elif data.lstrip()[:1] == b"<" and extension not in TEXT_EXTENSIONS:
            raise SpreadsheetError(
                _(
                    "Tệp “%(name)s” là trang web (HTML/XML) mang đuôi Excel, không phải bảng tính thật. "
                    "Hãy mở bằng Excel rồi lưu lại dạng .xlsx."
                )
                % {"name": name},
                code="html_as_spreadsheet",
            )
        elif extension in TEXT_EXTENSIONS:
            self._csv_rows, self.text_encoding = _parse_csv(data, name, limits)
            return
        else:
            raise _not_a_spreadsheet(name)
        try:
            self._workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError as exc:
            raise _encrypted(name) from exc
        except Exception as exc:  # calamine raises several unrelated types for a damaged file
            # An OLE container that is not an .xls, under an .xlsx name, is how Excel saves with a password.
            if head.startswith(_CFB_MAGIC) and extension != ".xls":
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
        try:
            return self._sheet(sheet).to_python(skip_empty_area=False, nrows=limit)
        except python_calamine.PasswordError as exc:
            raise _encrypted(self.name) from exc
        except Exception as exc:
            raise _corrupt(self.name) from exc

    def _sheet(self, sheet: str):
        if sheet in self._sheets:
            return self._sheets[sheet]
        try:
            self._sheets[sheet] = self._workbook.get_sheet_by_name(sheet)
            return self._sheets[sheet]
        except python_calamine.PasswordError as exc:
            raise _encrypted(self.name) from exc
        except Exception as exc:
            raise _corrupt(self.name) from exc


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
            raise _refusal(checks.cell_too_long(name=name, length=longest, limits=limits)) from exc
        raise _corrupt(name) from exc
    width = max((len(row) for row in rows), default=0)
    # Checked before the rows are padded to the widest: one line of a million commas would pad every row.
    try:
        checks.check_extent(checks.Extent(len(rows), width, sum(map(len, rows))), limits, name=name, sheet="CSV")
    except LimitExceeded as exc:
        raise _refusal(exc) from exc
    return [row + [""] * (width - len(row)) for row in rows], decoded.encoding


def _refusal(exc: LimitExceeded) -> SpreadsheetError:
    return SpreadsheetError(exc.message, code=exc.code)


def _limits(max_bytes: int | None = None, max_rows: int | None = None) -> ReadLimits:
    return ReadLimits.from_settings(max_bytes=max_bytes, max_rows=max_rows)


def read_guarded(function, source: Source, filename: str | None, limits: ReadLimits | None = None, **kwargs):
    """`function(data, name, limits, **kwargs)` on the file's bytes, in a child process unless settings say
    otherwise (`isolation.py`); the file is loaded (and its size checked) here, so an oversized file never goes
    further. `function` must be importable by name (module level) and return something picklable."""
    limits = limits or _limits()
    data, name = _load(source, filename, limits.max_bytes)
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


# --- reading --------------------------------------------------------------------------------------------------------


@dataclass
class _Header:
    index: int  # 0-based row of the header
    texts: list[str]
    columns: dict[int, str | None]
    data_start: int  # 0-based row of the first data row


def _converted(rows: list[list[Any]], encoding: Encoding) -> list[list[Any]]:
    return [[cell_to_unicode(v, encoding) if isinstance(v, str) else v for v in row] for row in rows]


def _find_header(rows: list[list[Any]]) -> _Header | None:
    best: _Header | None = None
    best_count = 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [_cell_text(v) for v in row]
        columns = map_headers(texts)
        count = sum(1 for f in columns.values() if f)
        if count > best_count and _is_household_header(columns):
            best, best_count = _Header(index, texts, columns, index + 1), count
    if best:
        _read_subheader(best, rows)
    return best


_BIRTH_BY_SEX = {"nam": "head_birth_male", "nu": "head_birth_female"}


def _read_subheader(header: _Header, rows: list[list[Any]]) -> None:
    """A second header row fills columns left blank by merged cells above ("Năm sinh" over "Nam | Nữ")."""
    if header.index + 1 >= len(rows):
        return
    below = [_cell_text(v) for v in rows[header.index + 1]][: len(header.texts)]
    name_index = next(index for index, f in header.columns.items() if f == HEAD_NAME)
    if below[name_index] and not field_for_header(below[name_index]):
        return  # a household's name: the data starts right under the header
    changed = False
    birth = next((index for index, f in header.columns.items() if f == "head_birth"), None)
    if birth is not None and birth + 1 < len(below) and header.columns[birth + 1] is None:
        pair = [_BIRTH_BY_SEX.get(compact_key(text)) for text in below[birth : birth + 2]]
        if None not in pair and pair[0] != pair[1]:
            for index, field_name in zip((birth, birth + 1), pair, strict=True):
                header.columns[index] = field_name
                header.texts[index] = f"{header.texts[birth]} – {below[index]}"
            changed = True
    for index, text in enumerate(below):
        match = field_for_header(text) if text and header.columns[index] is None else None
        if match and match[0] not in header.columns.values():
            header.columns[index] = match[0]
            header.texts[index] = f"{header.texts[index]} {text}".strip()
            changed = True
    if changed:
        header.data_start = header.index + 2


def _header_at(rows: list[list[Any]], row_number: int) -> _Header | None:
    if not 1 <= row_number <= len(rows):
        return None
    texts = [_cell_text(v) for v in rows[row_number - 1]]
    return _Header(row_number - 1, texts, map_headers(texts), row_number)


def _apply_mapping(header: _Header, mapping: Mapping[int, str | None]) -> None:
    columns: dict[int, str | None] = dict.fromkeys(range(len(header.texts)))
    for index, field_name in mapping.items():
        if index not in columns:
            raise SpreadsheetError(_("Bảng không có cột số %(number)d.") % {"number": index + 1}, code="mapping")
        if field_name and field_name not in FIELD_LABELS:
            raise SpreadsheetError(
                _("Trường “%(field)s” không có trong danh sách.") % {"field": field_name}, code="mapping"
            )
        if field_name and field_name in columns.values():
            raise SpreadsheetError(
                _("“%(field)s” được gán cho nhiều cột; mỗi trường chỉ lấy từ một cột.")
                % {"field": FIELD_LABELS[field_name]},
                code="mapping",
            )
        columns[index] = field_name
    header.columns = columns


def _refuse_duplicate_headers(header: _Header) -> None:
    """Two columns with the same header for a field: recognition would keep the first and drop the second unseen."""
    first_with: dict[str, int] = {}
    for index, text in enumerate(header.texts):
        key = compact_key(text)
        if not key or field_for_header(text) is None:
            continue
        if key not in first_with:
            first_with[key] = index
            continue
        first = first_with[key]
        raise SpreadsheetError(
            _(
                "Hai cột cùng tên “%(header)s”: cột %(first)s và cột %(second)s (dòng %(row)d). Không biết lấy dữ liệu "
                "ở cột nào: hãy đổi tên hoặc xóa một trong hai cột rồi tải lên lại."
            )
            % {"header": text[:100], "first": checks.column_letters(first + 1),
               "second": checks.column_letters(index + 1), "row": header.index + 1},
            code="duplicate_header",
        )  # fmt: skip


def _sample_texts(rows: list[list[Any]]) -> list[str]:
    return [v for row in rows for v in row if isinstance(v, str) and v]


def _data_rows(rows: list[list[Any]], header: _Header, encodings: Mapping[int, Encoding]) -> list[SourceRow]:
    # Per-cell Python work is what makes 100,000 rows slow: pick mapped cells with itemgetter, count blanks in C.
    mapped = [(index, f) for index, f in header.columns.items() if f]
    fields = [f for _index, f in mapped]
    pick = operator.itemgetter(*(index for index, _f in mapped))
    single = len(mapped) == 1
    name_position = fields.index(HEAD_NAME)
    name_index = mapped[name_position][0]
    raw_name_header = rows[header.index][name_index]
    repeated_header = isinstance(raw_name_header, str) and bool(raw_name_header.strip())
    # Each text cell converted on its own, after what its column was typed in (legacy_encoding).
    cell_encodings = [encodings.get(index, "unicode") for index, _f in mapped]
    subheader_end = header.data_start + SUBHEADER_SCAN_ROWS
    result: list[SourceRow] = []
    for index in range(header.data_start, len(rows)):
        row = rows[index]
        cells = (pick(row),) if single else pick(row)
        filled = len(cells) - cells.count("")
        if filled <= _SPARSE:
            if _is_footer(row, name_index):
                break
            if not any(v is not None and not (v.__class__ is str and not v.strip()) for v in cells):
                continue
        if index < subheader_end and _is_numbering(row):
            continue
        if repeated_header and cells[name_position] == raw_name_header:
            continue  # the header repeated on every printed page
        cells = [
            cell_to_unicode(v, encoding) if v.__class__ is str and not v.isascii() else v
            for v, encoding in zip(cells, cell_encodings, strict=True)
        ]
        result.append(SourceRow(index + 1, dict(zip(fields, cells, strict=True))))
    return result


def list_sheets(source: Source, *, filename: str | None = None, max_bytes: int | None = None) -> list[str]:
    """Sheet names in file order (a CSV file has one, named after the file)."""
    return read_guarded(_sheet_names, source, filename, _limits(max_bytes))


def _sheet_names(data: bytes, name: str, limits: ReadLimits) -> list[str]:
    return _Book(data, name, limits, sheets=False).sheet_names()


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
) -> Table:
    book = _Book(data, name, limits)
    max_rows = limits.max_rows
    if sheet is not None and sheet not in book.sheet_names():
        raise SpreadsheetError(_("Tệp không có trang tính “%(sheet)s”.") % {"sheet": sheet}, code="sheet_not_found")
    found: tuple[str, _Header, Encoding, list[list[Any]]] | None = None
    for name in [sheet] if sheet is not None else book.sheets_to_try():
        top = book.rows(name, ENCODING_SAMPLE_ROWS)
        encoding = detect_encoding(_sample_texts(top))
        if header_row_number is None:
            header = _find_header(_converted(top[:HEADER_SCAN_ROWS], encoding))
        else:
            header = _header_at(_converted(top, encoding), header_row_number)
        if header is not None:
            found = (name, header, encoding, top)
            break
    if found is None:
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
    name, header, encoding, top = found
    if mapping is not None:
        _apply_mapping(header, mapping)
    else:
        _refuse_duplicate_headers(header)
    header_encoding = detect_encoding(_sample_texts(top[header.index : header.data_start]))
    encodings = column_encodings(
        top[header.data_start :], [index for index, f in header.columns.items() if f], default=header_encoding
    )
    if HEAD_NAME not in header.columns.values():
        raise SpreadsheetError(_("Hãy chọn cột chứa họ tên chủ hộ."), code="mapping")
    row_count = book.row_count(name)
    if row_count - header.data_start > max_rows:
        raise SpreadsheetError(
            _("Trang tính “%(sheet)s” có %(rows)d dòng, vượt giới hạn %(limit)d dòng. Hãy chia thành nhiều tệp.")
            % {"sheet": name, "rows": row_count - header.data_start, "limit": max_rows},
            code="too_many_rows",
        )
    rows = book.rows(name)
    return Table(
        sheet_name=name,
        header_row_number=header.index + 1,
        headers=header.texts,
        columns=header.columns,
        rows=_data_rows(rows, header, encodings),
        encoding=main_encoding(encodings, encoding),
        column_encodings=encodings,
        data_start_row_number=header.data_start + 1,
        text_encoding=book.text_encoding,
    )


def sheet_rows(source: Source, *, filename: str | None = None, sheet: str | None = None) -> list[list[Any]]:
    """Every row of a sheet as the file holds it (title block and signatures included), for rewriting the file."""
    return read_guarded(read_sheet_rows, source, filename, _limits(), sheet=sheet)


def read_sheet_rows(data: bytes, name: str, limits: ReadLimits, *, sheet: str | None) -> list[list[Any]]:
    """sheet_rows() in the process it is called from: for a function already run by read_guarded."""
    book = _Book(data, name, limits)
    return book.rows(sheet or book.sheet_names()[0])
