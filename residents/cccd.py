"""Citizen identity numbers (CCCD / số định danh cá nhân): cleaning and validation.

Layout: 3 digits province of birth registration, 1 digit century+sex, 2 digits birth year, 6 digits serial.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CCCD_LENGTH = 12
_SEPARATORS = re.compile(r"[\s.\-]")

# century digit -> (century start, sex); 0/1 born 1900s, 2/3 2000s, 4/5 2100s …
_CENTURY_SEX = {
    "0": (1900, "male"),
    "1": (1900, "female"),
    "2": (2000, "male"),
    "3": (2000, "female"),
    "4": (2100, "male"),
    "5": (2100, "female"),
}


def normalise_cccd(raw) -> str:
    """Return the CCCD as typed by a careful clerk: digits only, leading zero restored.

    Excel stores CCCD as numbers, so 38012345678 (11 digits, or 38012345678.0) must become 038012345678.
    Anything that is not digits is returned cleaned but unchanged, for the validator to refuse.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _SEPARATORS.sub("", str(raw).strip())
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isdigit() and len(text) == CCCD_LENGTH - 1:
        text = "0" + text
    return text


def cccd_birth_century_and_sex(cccd: str) -> tuple[int, str] | None:
    return _CENTURY_SEX.get(cccd[3]) if len(cccd) == CCCD_LENGTH else None


def validate_cccd_format(value: str) -> None:
    if not value.isdigit():
        raise ValidationError(_("Số CCCD chỉ được gồm chữ số."), code="cccd_not_digits")
    if len(value) != CCCD_LENGTH:
        raise ValidationError(
            _("Số CCCD phải có đúng 12 chữ số (đang có %(count)d)."),
            code="cccd_length",
            params={"count": len(value)},
        )
    if value[3] not in _CENTURY_SEX:
        raise ValidationError(_("Chữ số thứ 4 của CCCD (thế kỷ, giới tính) không hợp lệ."), code="cccd_century")


def validate_cccd_matches_person(cccd: str, *, birth_year: int | None = None, sex: str | None = None) -> None:
    """Digits 4-6 encode century, sex and birth year: refuse a CCCD that contradicts what is known."""
    decoded = cccd_birth_century_and_sex(cccd)
    if decoded is None:
        return
    century, cccd_sex = decoded
    errors = []
    if birth_year is not None:
        year_in_cccd = century + int(cccd[4:6])
        if year_in_cccd != birth_year:
            errors.append(
                ValidationError(
                    _("CCCD ghi năm sinh %(cccd_year)d nhưng năm sinh là %(birth_year)d."),
                    code="cccd_birth_year",
                    params={"cccd_year": year_in_cccd, "birth_year": birth_year},
                )
            )
    if sex in ("male", "female") and sex != cccd_sex:
        errors.append(ValidationError(_("Chữ số giới tính trong CCCD không khớp với giới tính."), code="cccd_sex"))
    if errors:
        raise ValidationError(errors)
