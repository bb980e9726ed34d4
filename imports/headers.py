"""The fields of a household list and how its header row is recognised: synonyms seen in the field, a second header
row under merged cells, a column mapping corrected by the user."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drugfree.text import clean_text, compact_key, search_key

from . import limits as checks
from .table import SpreadsheetError

HEADER_SCAN_ROWS = 30

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


def header_words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", search_key(text)))


_EXACT: dict[str, str] = {}
_CONTAINED: list[tuple[str, str]] = []  # (words, field), longest first
for _field, _synonyms in HEADER_SYNONYMS.items():
    for _synonym in _synonyms:
        _EXACT.setdefault(compact_key(_synonym), _field)
        if " " in header_words(_synonym):
            _CONTAINED.append((header_words(_synonym), _field))
_CONTAINED.sort(key=lambda item: len(item[0]), reverse=True)


def field_for_header(header: str) -> tuple[str, int] | None:
    """The canonical field a header text names, with a match strength (higher is surer), or None."""
    key = compact_key(header)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key], 1000
    padded = f" {header_words(header)} "
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


def cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


@dataclass
class Header:
    index: int  # 0-based row of the header
    texts: list[str]
    columns: dict[int, str | None]
    data_start: int  # 0-based row of the first data row


def find_header(rows: list[list[Any]]) -> Header | None:
    best: Header | None = None
    best_count = 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [cell_text(v) for v in row]
        columns = map_headers(texts)
        count = sum(1 for f in columns.values() if f)
        if count > best_count and _is_household_header(columns):
            best, best_count = Header(index, texts, columns, index + 1), count
    if best:
        _read_subheader(best, rows)
    return best


_BIRTH_BY_SEX = {"nam": "head_birth_male", "nu": "head_birth_female"}


def _read_subheader(header: Header, rows: list[list[Any]]) -> None:
    """A second header row fills columns left blank by merged cells above ("Năm sinh" over "Nam | Nữ")."""
    if header.index + 1 >= len(rows):
        return
    below = [cell_text(v) for v in rows[header.index + 1]][: len(header.texts)]
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


def header_at(rows: list[list[Any]], row_number: int) -> Header | None:
    if not 1 <= row_number <= len(rows):
        return None
    texts = [cell_text(v) for v in rows[row_number - 1]]
    return Header(row_number - 1, texts, map_headers(texts), row_number)


def apply_mapping(header: Header, mapping: Mapping[int, str | None]) -> None:
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


def refuse_duplicate_headers(header: Header) -> None:
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
