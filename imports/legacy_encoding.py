"""Legacy Vietnamese encodings found in old household lists, converted to Unicode NFC.

Before Unicode, Vietnamese was typed with 8-bit fonts: TCVN3/ABC (".VnTime") and VNI-Windows ("VNI-Times"). Excel
stored each byte as the Windows-1252 character it stands for, so "Bảo Thắng" arrives as "B¶o Th¾ng" (TCVN3) and
"Nguyễn Văn An" as "Nguyeãn Vaên An" (VNI). Both only use characters up to U+00FF.

Known limits:
- TCVN3 (the VN3 variant everyone used) has no code points for upper-case letters with tone marks: titles were typed
  in the lower-case code points with an upper-case font (".VnTimeH"). Such letters are converted to lower case, and a
  whole word is upper-cased only when its other letters show it was typed in capitals ("TH¾NG" -> "THẮNG").
- TCVN3 "ư" is U+00AD (soft hyphen), which copy-and-paste often drops ("Mêng Kh¬ng"). It is restored where Vietnamese
  spelling leaves no doubt: "ơ" before "ng"/"c"/"u" ("Mường", "Khương", "nước", "rượu") and a word with no vowel
  before "ng" ("Hng" -> "Hưng"). "mưa" typed without it stays "ma".
- Text files saved in the Vietnamese Windows code page (1258) are decoded before they get here (`text_files.py`);
  what this module sees is always Unicode text.

Detection is per column, conversion per cell: lists are often patched together, Unicode headers and hamlets over
names pasted from an old TCVN3 file. A column is read as TCVN3 or VNI when its cells as a whole read so; each cell is
then converted only if converting does not make it read worse, and a cell holding a letter only Unicode has (ă, đ,
ơ, ư, ạ, ấ …) is never converted. A cell in a column read as Unicode is converted only when it reads as Vietnamese
converted and not as it is ("Mêng Kh¬ng" among Unicode names). Left ambiguous: in a TCVN3 column, a cell whose every
word reads as Vietnamese both ways and uses only the accented letters Windows-1252 has ("Lê Hà", TCVN3 for "Lờ Hà")
is taken as TCVN3, like its column.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal

Encoding = Literal["unicode", "tcvn3", "vni"]

# --- TCVN3 / ABC -------------------------------------------------------------------------------------------------
# Code point as stored by Excel -> letter; lower-case letters with tone marks have no upper-case code points.
_TCVN3_LOWER = {
    "\xb5": "à", "\xb8": "á", "\xb6": "ả", "\xb7": "ã", "\xb9": "ạ",
    "\xa8": "ă", "\xbb": "ằ", "\xbe": "ắ", "\xbc": "ẳ", "\xbd": "ẵ", "\xc6": "ặ",
    "\xa9": "â", "\xc7": "ầ", "\xca": "ấ", "\xc8": "ẩ", "\xc9": "ẫ", "\xcb": "ậ",
    "\xae": "đ",
    "\xcc": "è", "\xd0": "é", "\xce": "ẻ", "\xcf": "ẽ", "\xd1": "ẹ",
    "\xaa": "ê", "\xd2": "ề", "\xd5": "ế", "\xd3": "ể", "\xd4": "ễ", "\xd6": "ệ",
    "\xd7": "ì", "\xdd": "í", "\xd8": "ỉ", "\xdc": "ĩ", "\xde": "ị",
    "\xdf": "ò", "\xe3": "ó", "\xe1": "ỏ", "\xe2": "õ", "\xe4": "ọ",
    "\xab": "ô", "\xe5": "ồ", "\xe8": "ố", "\xe6": "ổ", "\xe7": "ỗ", "\xe9": "ộ",
    "\xac": "ơ", "\xea": "ờ", "\xed": "ớ", "\xeb": "ở", "\xec": "ỡ", "\xee": "ợ",
    "\xef": "ù", "\xf3": "ú", "\xf1": "ủ", "\xf2": "ũ", "\xf4": "ụ",
    "\xad": "ư", "\xf5": "ừ", "\xf8": "ứ", "\xf6": "ử", "\xf7": "ữ", "\xf9": "ự",
    "\xfa": "ỳ", "\xfd": "ý", "\xfb": "ỷ", "\xfc": "ỹ", "\xfe": "ỵ",
}  # fmt: skip
_TCVN3_UPPER = {"\xa1": "Ă", "\xa2": "Â", "\xa3": "Ê", "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư", "\xa7": "Đ"}
_TCVN3_TABLE = str.maketrans(_TCVN3_LOWER | _TCVN3_UPPER)

# --- VNI-Windows ----------------------------------------------------------------------------------------------------
# Letters VNI stores as one character.
_VNI_LETTERS = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
    "Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
}  # fmt: skip
_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# Marks VNI stores as a second character after the vowel, lower and upper case alike.
_VNI_TONES = {"ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX = {"â": "", "à": _GRAVE, "á": _ACUTE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "è": _GRAVE, "é": _ACUTE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_MARKS: dict[str, tuple[str, str]] = {}  # mark -> (vowels it may follow, combining characters)
for _marks, _vowels, _shape in (
    (_VNI_TONES, "aeiouyơư", ""),
    (_VNI_CIRCUMFLEX, "aeo", _CIRCUMFLEX),
    (_VNI_BREVE, "a", _BREVE),
):
    for _mark, _tone in _marks.items():
        _VNI_MARKS[_mark] = _VNI_MARKS[_mark.upper()] = (_vowels, _shape + _tone)


def _vni_to_unicode(text: str) -> str:
    out: list[str] = []
    for ch in text:
        mark = _VNI_MARKS.get(ch)
        if mark and out and out[-1].lower() in mark[0]:
            out[-1] += mark[1]
        else:
            out.append(_VNI_LETTERS.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


# --- TCVN3 word fixes -----------------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\s\d!-/:-@\[-`{-~]+")  # runs between spaces, digits and ASCII punctuation
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
_LONGEST_WORD = 40  # letters of a word looked at around a letter beyond ASCII; syllables are at most 7
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])"
_LOST_U_BEFORE_O_HORN = re.compile(rf"({_ONSET}?)([ơờớởỡợ](?:ng|c|u))", re.IGNORECASE)
_LOST_U_ALONE = re.compile(rf"({_ONSET})(ng)", re.IGNORECASE)


def _restore_lost_u(word: str) -> str:
    for pattern in (_LOST_U_BEFORE_O_HORN, _LOST_U_ALONE):
        match = pattern.fullmatch(word)
        if match:
            u = "Ư" if match.group(2)[0].isupper() else "ư"
            return match.group(1) + u + match.group(2)
    return word


def _typed_in_capitals(word: str) -> bool:
    """True when the letters whose case is known are all capitals (at least two of them)."""
    known = [ch for ch in word if (ch.isascii() and ch.isalpha()) or ch in _TCVN3_UPPER]
    return len(known) >= 2 and all(ch in _TCVN3_UPPER or ch.isupper() for ch in known)


def _tcvn3_word(match: re.Match) -> str:
    word = match.group(0)
    converted = _restore_lost_u(word.translate(_TCVN3_TABLE))
    if any(ch in _TCVN3_LOWER for ch in word) and _typed_in_capitals(word):
        converted = converted.upper()
    return converted


def _tcvn3_to_unicode(text: str) -> str:
    converted = _WORD.sub(_tcvn3_word, text)
    # A title typed all in capitals: short words like "Hé" (HỘ) follow the longer ones around them.
    if not any("a" <= ch <= "z" for ch in text) and any(
        _typed_in_capitals(word) and any(ch in _TCVN3_LOWER for ch in word) for word in _WORD.findall(text)
    ):
        converted = converted.upper()
    return unicodedata.normalize("NFC", converted)


# --- detection ------------------------------------------------------------------------------------------------------
# Vowel groups of a Vietnamese syllable, tone marks removed; longest first so the regex tries them first.
_NUCLEI = [
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi",
    "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
]  # fmt: skip
_SYLLABLE = re.compile(rf"{_ONSET}?(?:{'|'.join(_NUCLEI)})(?:ch|nh|ng|[cmnpt])?")
_TONE_MARKS = frozenset((_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT))
_SAMPLE_WORDS = 5000
# Letters only Unicode has: legacy encodings stop at U+00FF, so a cell containing one was typed in Unicode.
_UNICODE_ONLY = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u0300-\u0323\u1ea0-\u1ef9]"
)


def _is_vietnamese_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    toneless = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    tones = len(decomposed) - len(toneless)
    return tones <= 1 and _SYLLABLE.fullmatch(unicodedata.normalize("NFC", toneless)) is not None


def _score(words: list[str], convert: Callable[[str], str]) -> int:
    """Words that read as Vietnamese syllables, minus those that do not."""
    valid = sum(1 for word in words if _is_vietnamese_syllable(convert(word)))
    return 2 * valid - len(words)


def detect_encoding(texts: Iterable[str]) -> Encoding:
    """Guess how a sample of cell texts was typed; "unicode" unless a legacy reading is clearly better.

    Only words with characters beyond ASCII count. A legacy encoding wins when converting makes clearly more of them
    read as Vietnamese syllables than reading them as they are, so plain ASCII and real Unicode stay "unicode".
    """
    words: list[str] = []
    unicode_cells = legacy_cells = 0
    for text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        if _UNICODE_ONLY.search(text):
            unicode_cells += 1
            continue
        legacy_cells += 1
        # A word of symbols only ("½", "°") says nothing about the encoding.
        words.extend(word for word in _WORD.findall(text) if not word.isascii() and any(ch.isalpha() for ch in word))
        if len(words) >= _SAMPLE_WORDS:
            break
    if not words or unicode_cells >= legacy_cells:
        return "unicode"
    as_is = _score(words, lambda word: word)
    candidates = {"tcvn3": _score(words, _tcvn3_to_unicode), "vni": _score(words, _vni_to_unicode)}
    best = max(candidates, key=candidates.__getitem__)
    margin = max(2, len(words) // 5)
    return best if candidates[best] > 0 and candidates[best] - as_is >= margin else "unicode"


def to_unicode(text: str, encoding: Encoding) -> str:
    """Convert text typed in `encoding` to Unicode NFC; Unicode text is only normalised to NFC."""
    if not isinstance(text, str) or not text:
        return text
    if _UNICODE_ONLY.search(text):
        return unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        return _tcvn3_to_unicode(text)
    if encoding == "vni":
        return _vni_to_unicode(text)
    return unicodedata.normalize("NFC", text)


def _readable_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if not word.isascii() and any(ch.isalpha() for ch in word)]


def _syllables(words: list[str], convert: Callable[[str], str]) -> int:
    return sum(1 for word in words if _is_vietnamese_syllable(convert(word)))


_CONVERTERS: dict[str, Callable[[str], str]] = {"tcvn3": _tcvn3_to_unicode, "vni": _vni_to_unicode}


@lru_cache(maxsize=65_536)
def cell_to_unicode(text: str, column: Encoding = "unicode") -> str:
    """One cell in Unicode NFC, `column` being how its column as a whole was typed (see the module's docstring)."""
    if text.isascii():
        return text
    if _UNICODE_ONLY.search(text):
        return unicodedata.normalize("NFC", text)
    words = _readable_words(text)
    if words:
        as_is = _syllables(words, lambda word: word)
        if column != "unicode":
            if _syllables(words, _CONVERTERS[column]) >= as_is:
                return to_unicode(text, column)
        elif as_is < len(words):
            for encoding, convert in _CONVERTERS.items():
                if _syllables(words, convert) == len(words):
                    return to_unicode(text, encoding)
    return unicodedata.normalize("NFC", text)


def vietnamese_score(text: str, *, max_words: int = _SAMPLE_WORDS) -> int:
    """How well `text` reads as Vietnamese: its words beyond ASCII that read as Vietnamese syllables (as they are, or
    typed in TCVN3 or VNI, whichever reads best) minus those that do not. Text decoded with the wrong code page
    ("Nguyá»…n") scores below zero; 0 when no word goes beyond ASCII."""
    if text.isascii():
        return 0
    words: list[str] = []
    end = 0
    # Found from their letters beyond ASCII (a scan in C): a 50 MB file is mostly ASCII words that say nothing.
    for letter in _BEYOND_ASCII.finditer(text):
        if letter.start() < end:
            continue  # in the word just taken
        start = max(letter.start() - _LONGEST_WORD, end)
        for match in _WORD.finditer(text, start, letter.start() + _LONGEST_WORD):
            if match.end() > letter.start():
                word, end = match.group(0), match.end()
                break
        else:
            continue  # a symbol that is not part of a word
        if any(ch.isalpha() for ch in word):
            words.append(word)
            if len(words) >= max_words:
                break
    if not words:
        return 0
    return max(_score(words, lambda word: word), *(_score(words, convert) for convert in _CONVERTERS.values()))


def column_encoding(texts: Iterable[Any]) -> Encoding | None:
    """How a column was typed, by its cells' votes: a cell votes for the legacy encoding it reads best in when that
    is better than as it is, for Unicode when it holds a letter only Unicode has or reads worse converted; cells
    that read as Vietnamese either way ("Hà Tâm") do not vote. None when no cell voted."""
    votes: Counter[Encoding] = Counter()
    for text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        if _UNICODE_ONLY.search(text):
            votes["unicode"] += 1
            continue
        words = _readable_words(text)
        if not words:
            continue
        as_is = _syllables(words, lambda word: word)
        converted = {encoding: _syllables(words, convert) for encoding, convert in _CONVERTERS.items()}
        best = max(converted.values())
        if best > as_is:
            votes.update(encoding for encoding, count in converted.items() if count == best)
        elif best < as_is:
            votes["unicode"] += 1
    if not votes:
        return None
    legacy = max(_CONVERTERS, key=lambda encoding: votes[encoding])
    return legacy if votes[legacy] > votes["unicode"] else "unicode"


def column_encodings(
    rows: Sequence[Sequence[Any]], columns: Iterable[int], *, default: Encoding = "unicode"
) -> dict[int, Encoding]:
    """How each column of `rows` (a sample of data rows) was typed; only columns not in Unicode are listed.

    A column whose cells do not tell follows `default`: how the header row was typed (a template typed in TCVN3
    was filled in TCVN3; cells typed into a Unicode template are Unicode unless they show otherwise)."""
    found: dict[int, Encoding] = {}
    for index in columns:
        encoding = column_encoding(row[index] for row in rows if index < len(row)) or default
        if encoding != "unicode":
            found[index] = encoding
    return found


def main_encoding(encodings: Mapping[int, Encoding], default: Encoding = "unicode") -> Encoding:
    """The legacy encoding most columns were typed in, for the page to say the file was converted."""
    counts = Counter(encodings.values())
    return counts.most_common(1)[0][0] if counts else default
