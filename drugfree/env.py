"""Environment readers that fail loudly: a typo in production config must stop the server, not be ignored."""

import os
from datetime import date, datetime

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dates(name: str) -> frozenset[date]:
    """Comma-separated dates, each dd/mm/yyyy (as on the paperwork) or ISO yyyy-mm-dd."""
    days = set()
    for item in env_list(name, []):
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                days.add(datetime.strptime(item, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise ImproperlyConfigured(f"{name}: {item!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)")
    return frozenset(days)
