"""Turn each raw household row into clean domain values, or say in Vietnamese what is wrong, as a careful clerk would.

Only what can be judged from the row itself: whether the hamlet exists and whether the household is already known
need the database and are checked by the import service.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drugfree.text import clean_text, compact_key, search_key
from residents.cccd import (
    cccd_birth_century_and_sex,
    normalise_cccd,
    validate_cccd_format,
    validate_cccd_matches_person,
)

from .headers import FIELD_LABELS, HEAD_NAME
from .table import SourceRow

hamlet_key = compact_key  # how the import service matches a typed hamlet name to a Hamlet

EARLIEST_BIRTH_YEAR = 1900
# Excel counts days from 30/12/1899 (its serial 60 is the 29/02/1900 that never was).
_EXCEL_EPOCH = date(1899, 12, 30)
_LATEST_EXCEL_SERIAL = 2_958_465  # 31/12/9999

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YEAR = re.compile(r"\d{4}")
_WHOLE_NUMBER = re.compile(r"[+-]?\d+(?:[.,]0+)?")
_CCCD_SEPARATORS = re.compile(r"[\s.\-]")

# Compared on search_key: case and diacritics do not matter ("Có", "CÓ", "co").
_SIGNED = frozenset({"x", "v", "1", "co", "da ky", "ky", "da", "roi", "da cam ket", "yes", "y", "true", "✓", "✔", "☑"})
_NOT_SIGNED = frozenset({"", "0", "khong", "chua", "chua ky", "khong ky", "k", "no", "n", "false", "-"})
_SEXES = {"nam": "male", "m": "male", "male": "male", "nu": "female", "f": "female", "female": "female"}
_SEX_LABELS = {"male": gettext_lazy("Nam"), "female": gettext_lazy("Nữ")}


@dataclass(frozen=True, slots=True)
class CellError:
    row_number: int
    field: str | None
    column_label: str
    message: str


@dataclass
class CleanRow:
    row_number: int
    data: dict[str, Any]
    errors: list[CellError] = field(default_factory=list)
    # What the clerk should check but does not stop the row; a shared empty tuple for the many rows without.
    warnings: list[CellError] | tuple[()] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    """A cell that cannot be cleaned; the message is for the user."""


def _shown(raw: Any) -> str:
    """The value as the user typed it, for error messages."""
    if isinstance(raw, datetime | date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return clean_text(str(raw))


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _as_whole_number(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = clean_text(str(raw))
    if _WHOLE_NUMBER.fullmatch(text):
        return int(re.split(r"[.,]", text)[0])
    return None


# --- text -----------------------------------------------------------------------------------------------------------


def clean_code(raw: Any) -> str:
    """Household codes typed as numbers come back as 12.0: keep them as "12"."""
    if _is_blank(raw):
        return ""
    return _shown(raw) if isinstance(raw, float) else clean_text(str(raw))


def clean_plain_text(raw: Any) -> str:
    if raw.__class__ is str:
        return clean_text(raw)
    return "" if raw is None else _shown(raw)


# --- dates ----------------------------------------------------------------------------------------------------------


def _date_or_invalid(year: int, month: int, day: int, shown: str, invalid: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Invalid(invalid % {"value": shown}) from exc


def parse_date(raw: Any, *, invalid: str) -> tuple[date | None, int | None]:
    """(date or None, year) from a real date, an Excel serial number, "dd/mm/yyyy"-like text or a year alone.

    `invalid` is the message, with %(value)s, for anything else. A 4-digit number is a year, never an Excel serial:
    serials 1000-9999 are dates in 1902-1927, a year is what clerks mean.
    """
    if isinstance(raw, datetime):
        return raw.date(), raw.year
    if isinstance(raw, date):
        return raw, raw.year
    if isinstance(raw, bool):
        raise _Invalid(invalid % {"value": _shown(raw)})
    if isinstance(raw, int | float):
        if 1000 <= raw <= 9999 and float(raw).is_integer():
            return None, int(raw)
        if 61 <= raw <= _LATEST_EXCEL_SERIAL:
            value = _EXCEL_EPOCH + timedelta(days=int(raw))
            return value, value.year
        raise _Invalid(invalid % {"value": _shown(raw)})
    text = clean_text(str(raw))
    shown = text
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        value = _date_or_invalid(year, month, day, shown, invalid)
        return value, value.year
    if match := _YEAR_MONTH_DAY.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        value = _date_or_invalid(year, month, day, shown, invalid)
        return value, value.year
    if match := _MONTH_YEAR.fullmatch(text):
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return None, year
    if _YEAR.fullmatch(text):
        return None, int(text)
    raise _Invalid(invalid % {"value": shown})


# Lazy: translated only when a row is wrong, not once per row.
_INVALID_BIRTH = gettext_lazy("Ngày sinh không hợp lệ: %(value)s")
_INVALID_PLEDGE_DATE = gettext_lazy("Ngày ký cam kết không hợp lệ: %(value)s")


def clean_birth(raw: Any, *, today: date) -> tuple[date | None, int | None]:
    birth_date, year = parse_date(raw, invalid=_INVALID_BIRTH)
    if birth_date and birth_date > today:
        raise _Invalid(_("Ngày sinh nằm trong tương lai: %(value)s") % {"value": birth_date.strftime("%d/%m/%Y")})
    if year is not None and not EARLIEST_BIRTH_YEAR <= year <= today.year:
        if year > today.year:
            raise _Invalid(_("Năm sinh nằm trong tương lai: %(value)s") % {"value": year})
        raise _Invalid(_("Năm sinh không hợp lệ: %(value)s") % {"value": year})
    return birth_date, year


def clean_pledge_date(raw: Any, *, today: date) -> date | None:
    signed_on, _year = parse_date(raw, invalid=_INVALID_PLEDGE_DATE)
    if signed_on is None:
        # A pledge is dated: a year alone does not say when it was signed.
        raise _Invalid(_("Ngày ký cam kết cần đủ ngày, tháng, năm: %(value)s") % {"value": _shown(raw)})
    if signed_on > today:
        raise _Invalid(_("Ngày ký cam kết nằm trong tương lai: %(value)s") % {"value": signed_on.strftime("%d/%m/%Y")})
    return signed_on


# --- other fields ---------------------------------------------------------------------------------------------------


def clean_cccd(raw: Any) -> str:
    """Digits only, the leading zeros Excel dropped from a number restored; raises _Invalid with the reason."""
    if _is_blank(raw):
        return ""
    number = _as_whole_number(raw) if isinstance(raw, int | float) else None
    if number is not None and 0 < number < 10**12:
        # Province codes start with one or two zeros (001 Hà Nội, 038 Thanh Hóa): a number lost them all.
        cccd = str(number).zfill(12) if len(str(number)) >= 10 else str(number)
    else:
        digits = _CCCD_SEPARATORS.sub("", str(raw))
        # Typed as text, a leading zero was kept: 11 digits starting with 0 is a digit missing, not a lost zero.
        cccd = digits if re.fullmatch(r"0\d{10}", digits) else normalise_cccd(raw)
    try:
        validate_cccd_format(cccd)
    except ValidationError as exc:
        raise _Invalid(" ".join(exc.messages)) from exc
    return cccd


def clean_members_count(raw: Any) -> int:
    count = _as_whole_number(raw)
    if count is None or count < 1:
        raise _Invalid(_("Số nhân khẩu phải là số nguyên từ 1 trở lên: %(value)s") % {"value": _shown(raw)})
    return count


@lru_cache(maxsize=1024)
def _key(text: str) -> str:
    """search_key of the few values a column repeats ("Nam", "Nữ", "x"), computed once each."""
    return search_key(text)


def clean_sex(raw: Any) -> str:
    sex = _SEXES.get(_key(_shown(raw)))
    if sex is None:
        raise _Invalid(_("Giới tính không hợp lệ: %(value)s (ghi “Nam” hoặc “Nữ”).") % {"value": _shown(raw)})
    return sex


def clean_pledge_mark(raw: Any) -> bool:
    """Ticked the way clerks tick: "x", "có", "✓", "đã ký", 1 … ; blank, "không", "chưa" mean not signed."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, datetime | date):
        return True
    key = _key(_shown(raw)) if not _is_blank(raw) else ""
    if key in _SIGNED:
        return True
    if key in _NOT_SIGNED:
        return False
    raise _Invalid(
        _("Không hiểu ô cam kết: %(value)s (đánh “x” nếu hộ đã ký, để trống nếu chưa).") % {"value": _shown(raw)}
    )


# --- rows -----------------------------------------------------------------------------------------------------------

_TEXT_FIELDS = ("hamlet", "address", "ethnicity")


# The cleaners of cells whose values repeat down a column (dates, "Nam"/"Nữ", "x", counts), memoised for one
# 100,000-row file: typed, so that 1, 1.0 and True stay apart. A refused value raises each time (messages are
# translated when raised), only what was accepted is remembered. Cells hold str, numbers, bools and dates: hashable.
_birth = lru_cache(maxsize=65_536, typed=True)(lambda raw, today: clean_birth(raw, today=today))
_pledge_date = lru_cache(maxsize=4096, typed=True)(lambda raw, today: clean_pledge_date(raw, today=today))
_members_count = lru_cache(maxsize=1024, typed=True)(lambda raw: clean_members_count(raw))
_sex = lru_cache(maxsize=1024, typed=True)(lambda raw: clean_sex(raw))
_pledge_mark = lru_cache(maxsize=1024, typed=True)(lambda raw: clean_pledge_mark(raw))


def clean_row(source_row: SourceRow, *, labels: Mapping[str, str] | None = None, today: date | None = None) -> CleanRow:
    """Clean every mapped field of one row; `labels` (field -> header text in the file) name columns in errors."""
    today = today or timezone.localdate()
    values = source_row.values
    errors: list[CellError] = []

    def error(field_name: str, message: str) -> None:
        label = (labels or {}).get(field_name) or str(FIELD_LABELS.get(field_name, ""))
        errors.append(CellError(source_row.row_number, field_name, label, str(message)))

    def cleaned(field_name: str, cleaner, default=None, *args):
        raw = values.get(field_name)
        if raw is None or (raw.__class__ is str and not raw.strip()):
            return default
        try:
            return cleaner(raw, *args)
        except _Invalid as exc:
            error(field_name, str(exc))
            return default

    data: dict[str, Any] = {
        "code": clean_code(values.get("code")),
        HEAD_NAME: clean_plain_text(values.get(HEAD_NAME)),
        **{name: clean_plain_text(values.get(name)) for name in _TEXT_FIELDS},
    }
    if not data[HEAD_NAME]:
        error(HEAD_NAME, _("Thiếu họ tên chủ hộ"))
    data["head_cccd"] = cleaned("head_cccd", clean_cccd, "")
    data["members_count"] = cleaned("members_count", _members_count)
    data["head_sex"] = cleaned("head_sex", _sex)

    birth_ok = _clean_birth_columns(values, data, error, today)
    if data["head_cccd"] and birth_ok:
        try:
            validate_cccd_matches_person(data["head_cccd"], birth_year=data["head_birth_year"])
        except ValidationError as exc:
            error("head_cccd", " ".join(exc.messages))
    warnings: list[CellError] = []
    if data["head_cccd"]:
        _sex_from_cccd(data, values, lambda name, message: warnings.append(
            CellError(source_row.row_number, name, _label(labels, name), str(message))
        ))  # fmt: skip

    has_pledge_column = "pledge_signed" in values or "pledge_signed_on" in values
    data["pledge_signed_on"] = cleaned("pledge_signed_on", _pledge_date, None, today)
    signed = cleaned("pledge_signed", _pledge_mark)
    if isinstance(values.get("pledge_signed"), datetime | date) and not data["pledge_signed_on"]:
        data["pledge_signed_on"] = cleaned("pledge_signed", _pledge_date, None, today)  # a date as the tick
    if data["pledge_signed_on"] and signed is False:
        error("pledge_signed", _("Có ngày ký cam kết nhưng ô cam kết ghi là chưa ký."))
    data["pledge_signed"] = bool(signed or data["pledge_signed_on"]) if has_pledge_column else None
    return CleanRow(source_row.row_number, data, errors, warnings or ())


def _label(labels: Mapping[str, str] | None, field_name: str) -> str:
    return (labels or {}).get(field_name) or str(FIELD_LABELS.get(field_name, ""))


def _sex_from_cccd(data: dict[str, Any], values: Mapping[str, Any], warn: Callable[[str, str], None]) -> None:
    """The CCCD's 4th digit says the sex (0, 2, 4 … male; 1, 3, 5 … female): it fills a sex left blank, and a sex
    that contradicts it is a warning, not an error (either may be the typo; the clerk checks the card)."""
    decoded = cccd_birth_century_and_sex(data["head_cccd"])
    if decoded is None:
        return
    cccd_sex = decoded[1]
    if not data["head_sex"]:
        if _is_blank(values.get("head_sex")):
            data["head_sex"] = cccd_sex
    elif data["head_sex"] != cccd_sex:
        warn(
            "head_sex",
            _("Giới tính ghi “%(sex)s” nhưng số CCCD (chữ số thứ 4) là của người %(cccd_sex)s: hãy kiểm tra lại.")
            % {"sex": _SEX_LABELS[data["head_sex"]], "cccd_sex": _SEX_LABELS[cccd_sex].lower()},
        )


def _clean_birth_columns(
    values: Mapping[str, Any], data: dict[str, Any], error: Callable[[str, str], None], today: date
) -> bool:
    """Birth date/year from one column, or from a "Nam | Nữ" pair that also says the sex. False when invalid."""
    data["head_birth_date"] = data["head_birth_year"] = None
    columns = [
        (name, sex)
        for name, sex in (("head_birth", None), ("head_birth_male", "male"), ("head_birth_female", "female"))
        if not _is_blank(values.get(name))
    ]
    if not columns:
        return True
    if {name for name, _sex in columns} == {"head_birth_male", "head_birth_female"}:
        error("head_birth_female", _("Năm sinh được ghi ở cả cột Nam và cột Nữ."))
        return False
    name, sex = columns[0]
    try:
        data["head_birth_date"], data["head_birth_year"] = _birth(values[name], today)
    except _Invalid as exc:
        error(name, str(exc))
        return False
    if sex and not data["head_sex"]:
        data["head_sex"] = sex
    return True
