"""The rows of an .xlsx sheet as its XML is inflated, for the confirmed import's stream (`streaming.py`).

calamine parses a whole sheet before it gives the first row (1.4 s for 100,000 rows), and the write cannot start
before it. This reader walks the sheet's XML piece by piece (`limits._pieces`: the member's real size and every text
run checked as it is inflated) and gives each row as soon as its closing tag is read, so the first rows reach
PostgreSQL within milliseconds. It gives the values calamine gives (`tests/imports/test_streaming.py` compares the
two on every sample workbook): numbers as float, dates (a date number format) as date, datetime or time, booleans as
bool, an error or an empty formula result as "", rows padded with "" from column A. The sheet's extent is checked
as it grows (rows, columns, cells: `limits.check_extent`), since no grid is allocated ahead.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from itertools import islice
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from . import limits as checks
from .limits import Extent, ReadLimits

_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')
_VALUE = re.compile(r"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_ITEM = re.compile(r"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_SHEET_DATA = re.compile(r"<(\w+:)?sheetData\b")
_REFERENCE = re.compile(r"([A-Z]{1,4})(\d+)")
# The shape Excel, LibreOffice and openpyxl write, read in one pass over a piece of XML: a row's opening tag (its
# number), or a cell (column letters, style, type, then its value, inline text or formula result). A piece holding
# any other shape of cell (attributes in another order, rich text, a prefixed namespace…) is read by the general
# path (`_row`), found by counting cell tags.
_FAST = re.compile(
    r'<row\b[^>]*?\br="(\d+)"[^>]*>'
    r'|<c r="([A-Z]{1,4})\d+"(?: s="(\d+)")?(?: t="(\w+)")?\s*'
    r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>|<f>[^<]*</f><v>([^<]*)</v>|)</c>)'
)
_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*?)/?>")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_NUMBER_FORMAT = re.compile(r"<(?:\w+:)?numFmt\b([^>]*?)/?>")
_CELL_FORMATS = re.compile(r"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_FORMAT = re.compile(r"<(?:\w+:)?xf\b([^>]*?)/?>")
_DATE1904 = re.compile(r"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"")
# Date formats by built-in id, including the East Asian ones Excel numbers 27–36 and 50–58.
_DATE_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_EPOCH = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)
# Extent checked every this many rows (and at the end): per-row checks would cost more than the reading.
_CHECK_EVERY = 1000
SAMPLE_ROWS = 200  # rows padded together before the first is given: the title block and the header


# Text as the XML writes it -> the text: a list repeats its names, hamlets and marks, and openpyxl writes every
# letter beyond ASCII as a character reference ("Nguy&#7877;n").
_UNESCAPED: dict[str, str] = {}
_UNESCAPED_MAX = 200_000


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    found = _UNESCAPED.get(text)
    if found is None:
        if len(_UNESCAPED) >= _UNESCAPED_MAX:
            _UNESCAPED.clear()
        found = _UNESCAPED[text] = _ENTITY.sub(_entity, text)
    return found


def _entity(match: re.Match) -> str:
    name = match.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def _attributes(text: str) -> dict[str, str]:
    return dict(_ATTRIBUTE.findall(text))


def _column_index(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _text_of(body: str) -> str:
    """The text of a shared or inline string: its runs joined, phonetic guides left out."""
    if "rPh" in body:
        body = _PHONETIC.sub("", body)
    return "".join(_unescape(text or "") for text in _TEXT.findall(body))


class XlsxStream:
    """One .xlsx file, its sheets read row by row."""

    def __init__(self, data: bytes, name: str, limits: ReadLimits):
        self.name, self.limits = name, limits
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        checks.check_zip_members(self.archive, limits, name=name)
        members = set(self.archive.namelist())
        workbook = self.archive.read("xl/workbook.xml").decode("utf-8")
        self.epoch = _EPOCH_1904 if _DATE1904.search(workbook) else _EPOCH
        targets, kinds = {}, {}
        if "xl/_rels/workbook.xml.rels" in members:
            for match in _RELATIONSHIP.finditer(self.archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")):
                attributes = _attributes(match.group(1))
                target = attributes.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[attributes.get("Id")] = target
                kinds[attributes.get("Type", "").rsplit("/", 1)[-1]] = target
        self.sheets: dict[str, str] = {}
        for match in _SHEET.finditer(workbook):
            attributes = _attributes(match.group(1))
            self.sheets[_unescape(attributes.get("name", ""))] = targets.get(attributes.get("r:id"), "")
        self.shared = self._shared_strings(kinds.get("sharedStrings", "xl/sharedStrings.xml"), members)
        self.dates = self._date_styles(kinds.get("styles", "xl/styles.xml"), members)
        self._columns: dict[str, int] = {}

    def _pieces(self, member: str) -> Iterator[str]:
        for piece in checks._pieces(self.archive, member, self.limits, name=self.name):
            yield piece.decode("utf-8")

    def _shared_strings(self, member: str, members: set[str]) -> list[str]:
        if member not in members:
            return []
        strings: list[str] = []
        tail = ""
        for piece in self._pieces(member):
            text = tail + piece
            end = 0
            for match in _ITEM.finditer(text):
                strings.append(_text_of(match.group(1) or ""))
                end = match.end()
            tail = text[end:]
        return strings

    def _date_styles(self, member: str, members: set[str]) -> frozenset[int]:
        """The cell formats (the `s` of a cell) that show a date or a time."""
        if member not in members:
            return frozenset()
        styles = self.archive.read(member).decode("utf-8")
        codes = dict(BUILTIN_FORMATS)
        for match in _NUMBER_FORMAT.finditer(styles):
            attributes = _attributes(match.group(1))
            codes[int(attributes.get("numFmtId", -1))] = _unescape(attributes.get("formatCode", ""))
        formats = _CELL_FORMATS.search(styles)
        dated = set()
        for index, match in enumerate(_FORMAT.finditer(formats.group(0) if formats else "")):
            number = int(_attributes(match.group(1)).get("numFmtId", 0))
            if number in _DATE_IDS or (number >= 164 and is_date_format(codes.get(number, ""))):
                dated.add(index)
        return frozenset(dated)

    def _date(self, number: float) -> Any:
        if 0 <= number < 1:
            return (_EPOCH + datetime.timedelta(days=number)).time().replace(microsecond=0)
        moment = self.epoch + datetime.timedelta(days=number)
        return moment.date() if number.is_integer() else moment.replace(microsecond=0)

    def _value(self, attributes: dict[str, str], body: str) -> Any:
        kind = attributes.get("t", "n")
        if kind == "inlineStr":
            return _text_of(body)
        value = _VALUE.search(body)
        if value is None or not value.group(1):
            return ""
        raw = value.group(1)
        if kind == "s":
            return self.shared[int(raw)]
        if kind in ("str", "d"):
            return _unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return ""
        number = float(raw)
        if int(attributes.get("s", 0)) in self.dates:
            return self._date(number)
        return number

    def rows(self, sheet: str) -> Iterator[list[Any]]:
        """The sheet's rows from row 1, each a list from column A, padded with "" to the widest row of the first
        SAMPLE_ROWS (and later to the widest so far); rows the XML skips come as blank rows."""
        rows = self._raw_rows(sheet)
        sample = list(islice(rows, SAMPLE_ROWS))
        width = max(map(len, sample), default=0)
        for row in sample:
            yield row + [""] * (width - len(row))
        for row in rows:
            if len(row) < width:
                row += [""] * (width - len(row))
            width = len(row)
            yield row

    def _raw_rows(self, sheet: str) -> Iterator[list[Any]]:
        extent = Extent()
        next_row = 1
        tail = ""
        end_tag = "</row>"
        for piece in self._pieces(self.sheets[sheet]):
            text = tail + piece
            if next_row == 1 and (data := _SHEET_DATA.search(text)):
                end_tag = f"</{data.group(1) or ''}row>"
            cut = text.rfind(end_tag)
            if cut < 0:  # no row closed yet (a row closed on itself waits for the next piece)
                tail = text
                continue
            cut += len(end_tag)
            tail = text[cut:]
            if end_tag == "</row>":
                tokens = _FAST.findall(text, 0, cut)
                rows_found = sum(1 for token in tokens if token[0])
                if len(tokens) - rows_found == text.count("<c ", 0, cut) and rows_found == text.count("<row", 0, cut):
                    for number, cells in self._fast_rows(tokens, extent):
                        while next_row < number:
                            next_row += 1
                            yield []
                        next_row = number + 1
                        yield cells
                    self._check(extent, sheet)
                    continue
            for match in _ROW.finditer(text, 0, cut):
                number, cells = self._row(match, next_row, extent, sheet)
                if not cells:
                    continue  # a row of formatting only, as calamine sees it: nothing, not even a blank row
                while next_row < number:
                    next_row += 1
                    yield []
                next_row = number + 1
                yield cells
                if number % _CHECK_EVERY == 0:
                    self._check(extent, sheet)
        for match in _ROW.finditer(tail):  # rows closed on themselves after the last closing tag
            self._row(match, next_row, extent, sheet)
        self._check(extent, sheet)

    def _fast_rows(self, tokens: list[tuple], extent: Extent) -> Iterator[tuple[int, list[Any]]]:
        """Rows with a value from the tokens of `_FAST`, as `_row` reads them."""
        columns = self._columns
        shared, dates = self.shared, self.dates
        number, cells = 0, []
        for row, letters, style, kind, value, inline, result in tokens:
            if row:
                if cells:
                    extent.widen(number, len(cells))
                    extent.cells_with_value += len(cells)
                    yield number, cells
                number, cells = int(row), []
                if number > self.limits.max_rows + checks.LAYOUT_ROWS:
                    self._check(Extent(number, 1), "")
                continue
            if kind == "inlineStr":
                value = _unescape(inline)
            else:
                value = value or result
                if not value:
                    continue
                if kind == "s":
                    value = shared[int(value)]
                elif not kind or kind == "n":
                    value = self._date(float(value)) if style and int(style) in dates else float(value)
                elif kind in ("str", "d"):
                    value = _unescape(value)
                elif kind == "b":
                    value = value.strip() in ("1", "true")
                else:
                    continue  # an error: "" as calamine gives it
            if value == "" and value.__class__ is str:
                continue
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = _column_index(letters)
                if column >= self.limits.max_columns:
                    self._check(Extent(number, column + 1), "")
            if column == len(cells):
                cells.append(value)
                continue
            if column > len(cells):
                cells.extend([""] * (column - len(cells) + 1))
            cells[column] = value
        if cells:
            extent.widen(number, len(cells))
            extent.cells_with_value += len(cells)
            yield number, cells

    def _row(self, match: re.Match, expected: int, extent: Extent, sheet: str) -> tuple[int, list[Any]]:
        attributes = _attributes(match.group(1))
        number = int(attributes.get("r", expected))
        if number > self.limits.max_rows + checks.LAYOUT_ROWS:
            self._check(Extent(number, 1), sheet)
        cells: list[Any] = []
        for cell in _CELL.finditer(match.group(2) or ""):
            cell_attributes = _attributes(cell.group(1))
            value = self._value(cell_attributes, cell.group(2) or "")
            reference = _REFERENCE.match(cell_attributes.get("r", ""))
            column = _column_index(reference.group(1)) if reference else len(cells)
            if value == "" and value.__class__ is str:
                continue
            if column >= len(cells):
                if column >= self.limits.max_columns:
                    self._check(Extent(number, column + 1), sheet)
                cells.extend([""] * (column - len(cells) + 1))
            cells[column] = value
            extent.cells_with_value += 1
        if cells:
            extent.widen(number, len(cells))
        return number, cells

    def _check(self, extent: Extent, sheet: str) -> None:
        checks.check_extent(extent, self.limits, name=self.name, sheet=f"“{sheet}”")
