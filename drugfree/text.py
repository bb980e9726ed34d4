"""Vietnamese text normalisation shared by every app (names, hamlet names, search)."""

import re
import unicodedata


class _WithoutCombiningMarks(dict):
    """A str.translate table that deletes combining marks, filled in as characters are first met: translating in C
    is several times faster than testing each character in Python, and a text uses few distinct characters."""

    def __missing__(self, code_point: int) -> int | None:
        kept = None if unicodedata.combining(chr(code_point)) else code_point
        self[code_point] = kept
        return kept


_WITHOUT_COMBINING_MARKS = _WithoutCombiningMarks()


def clean_text(value: str | None) -> str:
    """NFC, trimmed, inner runs of whitespace collapsed: how a careful clerk writes a name."""
    if value is None:
        return ""
    # split() and join() collapse and trim exactly the characters str.isspace() and the regex \s match.
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def search_key(value: str | None) -> str:
    """Lower-case, diacritic-free form used for search and matching ("Nguyễn Văn An" -> "nguyen van an")."""
    # đ and Đ do not decompose into base + combining mark under NFD.
    text = clean_text(value).replace("đ", "d").replace("Đ", "d")
    return unicodedata.normalize("NFD", text).translate(_WITHOUT_COMBINING_MARKS).lower()


def compact_key(value: str | None) -> str:
    """search_key without spaces or punctuation, for matching hamlet names typed in many ways."""
    return re.sub(r"[^0-9a-z]", "", search_key(value))
