"""Figures written one way everywhere, Vietnamese style: "93,3 %", "1.250", "0,5".

`format_percent` is the one helper for percentages in Python; templates use the same function through the `figures`
filter library (`{% load figures %}` … `{{ value|percent }}`, registered in settings.TEMPLATES).
"""

import math
from decimal import Decimal
from fractions import Fraction

from django import template

register = template.Library()


def format_number(number) -> str:
    """100.000 → "100", 0.500 → "0,5" (Vietnamese decimal comma)."""
    text = f"{Decimal(number).normalize():f}"
    return text.replace(".", ",")


def format_percent(points, places: int = 1) -> str:
    """66.666… → "66,7 %", 100 → "100 %": rounded half up to `places` decimals, except that a rate just short of
    100 % is rounded down (99.96 → "99,9 %"), so it never reads as a met 100 % target."""
    exact, scale = Fraction(points), 10**places
    rounded = Fraction(math.floor(exact * scale + Fraction(1, 2)), scale)
    if rounded >= 100 > exact:
        rounded = Fraction(math.floor(exact * scale), scale)
    return f"{format_number(Decimal(rounded.numerator) / Decimal(rounded.denominator))} %"


def percent_text(numerator: int, denominator: int, places: int = 1) -> str:
    """format_percent(Fraction(numerator, denominator), places) for a non-negative value, in integers: the
    dashboards write thousands of percentages per page (tests/test_figures.py compares the two)."""
    scale = 10**places
    rounded = (2 * numerator * scale + denominator) // (2 * denominator)
    if rounded >= 100 * scale and numerator < 100 * denominator:
        rounded = numerator * scale // denominator
    whole, fraction = divmod(rounded, scale)
    decimals = f"{fraction:0{places}d}".rstrip("0") if places else ""
    return f"{whole},{decimals} %" if decimals else f"{whole} %"


def share_percent(part: int, whole: int, places: int = 1) -> str | None:
    """part of whole as a percentage (see format_percent); None when there is nothing to divide."""
    return format_percent(Fraction(100 * part, whole), places) if whole else None


@register.filter
def percent(points, places=1):
    """{{ value|percent }}: percentage points (66.7, a Fraction or a Decimal) as "66,7 %"; empty for None."""
    if points in (None, ""):
        return ""
    return format_percent(Fraction(str(points)) if isinstance(points, float) else Fraction(points), int(places))


@register.filter
def percent_of(part, whole):
    """{{ signed|percent_of:residing }}: "66,7 %"; empty when whole is 0 or missing."""
    return share_percent(int(part or 0), int(whole)) if whole else ""
