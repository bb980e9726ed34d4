"""Marks beside a commune's name, added by the apps above: an inversion, so that the pages of communes and progress
show what a higher app knows about each commune (recognition's status, README "Recognition") without importing it.

A higher app registers a `Mark` in its `AppConfig.ready()`; a page asks `marks_for(ids)` once for all the communes it
lists, which calls each mark's `fetch` once (a constant number of queries, whatever the number of communes), and
its template renders them with the `commune_marks` library. With no app registered, pages show nothing more.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    key: str
    # The column's heading where a table gives each mark a column.
    label: str
    # Renders one commune's value, given to it as `value`.
    template: str
    # {commune id: value} for many communes at once, in a constant number of queries.
    fetch: Callable[[list[int]], Mapping[int, object]]
    # The value as plain text (spreadsheets).
    text: Callable[[object], str] = str
    # What the rendering depends on, hashable: a page renders each distinct one once (a province table lists 166
    # communes, most of them with the same mark). None: rendered for every commune.
    render_key: Callable[[object], object] | None = None


_REGISTRY: dict[str, Mark] = {}


def register(mark: Mark) -> None:
    """Called from a higher app's AppConfig.ready(); registering the same key again replaces the mark."""
    _REGISTRY[mark.key] = mark


def registered() -> list[Mark]:
    return list(_REGISTRY.values())


@dataclass
class CommuneMarks:
    """The marks of the communes one page lists."""

    columns: list[Mark] = field(default_factory=list)
    values: dict[str, Mapping[int, object]] = field(default_factory=dict)

    def of(self, commune_id: int) -> list[tuple[Mark, object]]:
        return [(mark, self.values[mark.key].get(commune_id)) for mark in self.columns]

    def texts(self, commune_id: int) -> list[str]:
        return [mark.text(value) if value is not None else "" for mark, value in self.of(commune_id)]


def marks_for(commune_ids: Iterable[int]) -> CommuneMarks:
    ids = list(commune_ids)
    columns = registered()
    return CommuneMarks(columns, {mark.key: mark.fetch(ids) if ids else {} for mark in columns})
