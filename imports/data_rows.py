"""The data rows under a recognised header: blank rows, column numbering, the header repeated on each printed page
and the signatures under the list are left out."""

import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from drugfree.text import search_key

from .headers import HEAD_NAME, Header, cell_text, header_words
from .legacy_encoding import Encoding, cell_to_unicode
from .table import SourceRow

# Sub-header rows ("(1) (2) (3)", "Nam | Nữ") sit right under the header.
SUBHEADER_SCAN_ROWS = 3

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
    return isinstance(value, str) and bool(value.strip()) and _FOOTER.search(header_words(value)) is not None


def _is_footer(row: Sequence[Any], name_index: int) -> bool:
    """Signatures, dates and totals under the list; a household's name in the row means it is data."""
    name = row[name_index]
    if name not in ("", None) and not _is_footer_text(name):
        return False
    return any(_is_footer_text(v) for v in row)


def _is_numbering(row: Sequence[Any]) -> bool:
    """Column numbering under the header: "(1) (2) (3)", "1 2 3", "A B C"."""
    filled = [cell_text(v) for v in row if cell_text(v)]
    return len(filled) >= 3 and all(_NUMBERING.fullmatch(search_key(text)) for text in filled)


def data_rows(rows: list[list[Any]], header: Header, encodings: Mapping[int, Encoding]) -> list[SourceRow]:
    return list(iter_data_rows(rows, header, encodings))


def iter_data_rows(rows: Iterable[list[Any]], header: Header, encodings: Mapping[int, Encoding]) -> Iterator[SourceRow]:
    """The data rows of `rows` (every row of the sheet from the first, a list or a stream), one at a time."""
    # Per-cell Python work is what makes 100,000 rows slow: pick mapped cells with itemgetter, count blanks in C.
    mapped = [(index, f) for index, f in header.columns.items() if f]
    fields = [f for _index, f in mapped]
    pick = operator.itemgetter(*(index for index, _f in mapped))
    single = len(mapped) == 1
    name_position = fields.index(HEAD_NAME)
    name_index = mapped[name_position][0]
    raw_name_header = None
    repeated_header = False
    # Each text cell converted on its own, after what its column was typed in (legacy_encoding).
    cell_encodings = [encodings.get(index, "unicode") for index, _f in mapped]
    subheader_end = header.data_start + SUBHEADER_SCAN_ROWS
    for index, row in enumerate(rows):
        if index < header.data_start:
            if index == header.index:
                raw_name_header = row[name_index]
                repeated_header = isinstance(raw_name_header, str) and bool(raw_name_header.strip())
            continue
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
        yield SourceRow(index + 1, dict(zip(fields, cells, strict=True)))
