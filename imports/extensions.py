"""Columns of a household list that belong to apps above residents (the pledge column belongs to pledges).

residents may not import from those apps, so they plug into the pipeline here: each registers an extension in its
AppConfig.ready(). The planner asks every extension what it would change for each valid row (so a newly ticked
pledge makes a row "changed", and re-importing the same file changes nothing), and the writer asks it to write
inside the import's single transaction, so its rows are committed or rolled back with the households.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .planning import Change, ImportPlan, PlannedRow

_EXTENSIONS: dict[str, "ImportExtension"] = {}


class ImportExtension(Protocol):
    name: str  # key of its counts in the import summary ("pledges")
    fields: frozenset[str]  # canonical fields it reads; it is skipped when the file maps none of them

    def load(self, *, plan: "ImportPlan", household_ids: Sequence[int]) -> Any:
        """What the database already holds for these households, in a few queries."""

    def plan_row(self, row: "PlannedRow", state: Any, *, today: date) -> list["Change"]:
        """The changes this row would make (stored on row.extra[name] for write); [] when none."""

    def write(self, *, rows: Iterable["PlannedRow"], state: Any, actor, reason: str) -> dict[str, int]:
        """Apply the planned changes of rows whose household now exists (row.household_id set); counts by kind."""


def register(extension: ImportExtension) -> None:
    _EXTENSIONS[extension.name] = extension


def active(mapped_fields: Iterable[str]) -> list[ImportExtension]:
    mapped = set(mapped_fields)
    return [extension for extension in _EXTENSIONS.values() if extension.fields & mapped]
