"""What apps above progress add to its pages, registered from their AppConfig.ready(): progress imports none of
them, and a page shows nothing of an app that is not installed.

`register_province_summary(fn)`: `fn(user, province)` returns a `Summary` (or None) shown on the province
dashboard under its title: recognition's progress toward the national goal (README "Recognition").
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """A line on the province dashboard: a link to the app's page and one sentence."""

    key: str
    link_text: str
    url: str
    text: str = ""


ProvinceSummary = Callable[[object, object], Summary | None]
_PROVINCE_SUMMARIES: list[ProvinceSummary] = []


def register_province_summary(summary: ProvinceSummary) -> ProvinceSummary:
    if summary not in _PROVINCE_SUMMARIES:
        _PROVINCE_SUMMARIES.append(summary)
    return summary


def province_summaries(user, province) -> list[Summary]:
    if province is None:
        return []
    return [s for s in (summary(user, province) for summary in _PROVINCE_SUMMARIES) if s is not None]
