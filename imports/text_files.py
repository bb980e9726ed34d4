"""The text of a .csv or .txt household list, as Vietnamese Excel and LibreOffice save it, without asking the user.

Excel saves "CSV UTF-8" (UTF-8 with a BOM), "CSV (Comma delimited)" in the ANSI code page (Windows-1258 on a
Vietnamese Windows, which stores tone marks as combining characters after the letter: "Nguyễn" is "Nguyê" + U+0303
+ "n"), and "Unicode Text" (UTF-16 LE with a BOM, tab-separated); LibreOffice also writes UTF-16 BE. A BOM settles
the encoding. Without one, every candidate that decodes the whole file without error is scored on how its text reads
as Vietnamese (`legacy_encoding.vietnamese_score`) and the best wins, UTF-8 first on a tie: no candidate is "tried
and failed over". Windows-1252 is a candidate for the old TCVN3/VNI lists saved on a Western Windows, whose bytes
read as TCVN3 only under 1252; `legacy_encoding` converts those cells afterwards, per column and per cell.
"""

import codecs
import csv
import io
import itertools
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .legacy_encoding import vietnamese_score

UTF8, UTF8_BOM, UTF16_LE, UTF16_BE, WINDOWS_1258, WINDOWS_1252 = (
    "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp1258", "cp1252",
)  # fmt: skip
# Shown in the preview when the file was not plain UTF-8, so the user can check the names read right.
ENCODING_LABELS = {
    UTF8: "UTF-8",
    UTF8_BOM: "UTF-8",
    UTF16_LE: gettext_lazy("UTF-16 (Unicode Text của Excel)"),
    UTF16_BE: gettext_lazy("UTF-16 big-endian"),
    WINDOWS_1258: gettext_lazy("Windows-1258 (ANSI tiếng Việt)"),
    WINDOWS_1252: gettext_lazy("Windows-1252"),
}
PLAIN_UTF8 = frozenset({UTF8, UTF8_BOM})
_BOMS = ((codecs.BOM_UTF8, UTF8_BOM), (codecs.BOM_UTF16_LE, UTF16_LE), (codecs.BOM_UTF16_BE, UTF16_BE))
# In order of preference on a tie: UTF-8 is what the export writes, 1258 what Vietnamese Windows writes.
_CANDIDATES = (UTF8, WINDOWS_1258, WINDOWS_1252)
SEPARATORS = (",", ";", "\t")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_ROWS = 100


def encoding_to_show(encoding: str) -> str:
    """The encoding's name for the preview when it was not plain UTF-8 (with or without BOM); "" otherwise."""
    return "" if not encoding or encoding in PLAIN_UTF8 else str(ENCODING_LABELS.get(encoding, encoding))


class UnreadableText(Exception):
    """No encoding explains the bytes; `message` names the line, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str  # NFC, BOM removed
    encoding: str  # one of ENCODING_LABELS


def _line_of(data: bytes, position: int, encoding: str) -> int:
    # Separators and newlines are ASCII in every candidate, so the prefix decodes well enough to count lines.
    return data[:position].decode(encoding, errors="replace").count("\n") + 1


def _unreadable(name: str, data: bytes, error: UnicodeDecodeError, encoding: str) -> UnreadableText:
    return UnreadableText(
        _(
            "Tệp “%(name)s” có ký tự không đọc được ở dòng %(line)d: tệp không phải UTF-8, UTF-16 hay Windows-1258 "
            "(ANSI tiếng Việt), hoặc bị hỏng ở dòng đó. Hãy mở tệp bằng Excel, sửa dòng đó, chọn Lưu thành › "
            "“CSV UTF-8 (Comma delimited)” rồi tải lên lại."
        )
        % {"name": name, "line": _line_of(data, error.start, encoding)}
    )


def decode(data: bytes, name: str) -> DecodedText:
    """The file's text in Unicode NFC and the encoding it was read in; UnreadableText when no encoding explains it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body, codec = data[len(bom) :], encoding.removesuffix("-sig")  # error positions count from here
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                raise _unreadable(name, body, exc, codec) from exc
            return DecodedText(unicodedata.normalize("NFC", text), encoding)
    decoded: dict[str, str] = {}
    utf8_error: UnicodeDecodeError | None = None
    for encoding in _CANDIDATES:
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == UTF8:
                utf8_error = exc
    scores = {encoding: vietnamese_score(text) for encoding, text in decoded.items()}
    best = max(decoded, key=lambda encoding: scores[encoding], default=None)  # max keeps the first on a tie
    # A code page decodes nearly any bytes; it explains them only when its text reads as Vietnamese.
    if best is None or (best != UTF8 and scores[best] < 0 and utf8_error is not None):
        raise _unreadable(name, data, utf8_error, UTF8)
    return DecodedText(unicodedata.normalize("NFC", decoded[best]), best)


def _widths(text: str, separator: str) -> Counter[int]:
    widths: Counter[int] = Counter()
    try:
        for row in itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=separator), _SAMPLE_ROWS):
            if any(cell.strip() for cell in row):
                widths[len(row)] += 1
    except csv.Error:  # a field longer than the limit, or the sample cut inside quotes: the full read tells
        pass
    return widths


def separator(text: str) -> str:
    """The separator that splits the first rows into the same number of columns most often (more columns on a tie).

    Counting rows of one width, not separator characters, keeps a comma inside an address from winning in a
    semicolon or tab file, and a quoted field holding separators counts as one cell."""
    sample = text[:_SAMPLE_CHARS]
    best, best_key = ",", (0, 0)
    for candidate in SEPARATORS:
        widths = _widths(sample, candidate)
        width, rows = max(widths.items(), key=lambda item: (item[1], item[0]), default=(1, 0))
        key = (rows, width) if width > 1 else (0, 0)
        if key > best_key:
            best, best_key = candidate, key
    return best
