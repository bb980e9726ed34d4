"""Vietnamese text normalisation shared by every app (names, hamlet names, search)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters that do not decompose into base + combining mark under NFD.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "d"})


def clean_text(value: str | None) -> str:
    """NFC, trimmed, inner runs of whitespace collapsed: how a careful clerk writes a name."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def search_key(value: str | None) -> str:
    """Lower-case, diacritic-free form used for search and matching ("Nguyễn Văn An" -> "nguyen van an")."""
    text = clean_text(value).translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def compact_key(value: str | None) -> str:
    """search_key without spaces or punctuation, for matching hamlet names typed in many ways."""
    return re.sub(r"[^0-9a-z]", "", search_key(value))
