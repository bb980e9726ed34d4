"""What planning makes of a file: each row's kind and changes, and the plan as a whole (data only, no queries).

Apart from planning so that the pledge column (pledge_columns) can speak of rows and changes while planning calls it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from communes.models import Commune

from .cleaning import CellError
from .table import Table

NEW, CHANGED, UNCHANGED, INVALID = "new", "changed", "unchanged", "invalid"
KINDS = (NEW, CHANGED, UNCHANGED, INVALID)


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class HeadChange:
    """The household's code matched, but its head is now another person: confirmed on its own, never silent."""

    old_name: str
    old_cccd: str


@dataclass(slots=True)
class PlannedRow:
    row_number: int
    data: dict[str, Any]
    errors: list[CellError]
    kind: str = NEW
    hamlet_id: int | None = None
    household_id: int | None = None
    head_id: int | None = None
    household_changes: dict[str, Any] = field(default_factory=dict)  # field -> new value (existing household)
    head_changes: dict[str, Any] | None = None  # field -> new value (existing head)
    changes: list[Change] = field(default_factory=list)
    # Column name ("pledges") -> what it will write. None rather than an empty dict: 100,000 rows, no empty containers.
    extra: dict[str, Any] | None = None
    warnings: list[CellError] | tuple[()] = ()  # to check, not blocking (a sex the CCCD contradicts)
    head_change: HeadChange | None = None
    # The id of a person of another commune with the head's CCCD (never shown; see ON_FILE_ELSEWHERE).
    on_file_elsewhere: int | None = None

    def set_extra(self, name: str, value: Any) -> None:
        self.extra = {**(self.extra or {}), name: value}

    def extra_for(self, name: str) -> Any:
        return self.extra.get(name) if self.extra else None

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class MissingHousehold:
    id: int
    code: str
    head_name: str
    hamlet: str


@dataclass
class ImportPlan:
    commune: Commune
    table: Table
    rows: list[PlannedRow]
    today: date
    full_list: bool = False
    missing: list[MissingHousehold] = field(default_factory=list)
    hamlet_names: dict[int, str] = field(default_factory=dict)
    extension_states: dict[str, Any] = field(default_factory=dict)
    extension_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # what each would write
    # A stream's batch: its new rows made ready for COPY while the batch before is written (writing.prepare).
    prepared: Any = None

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for row in self.rows:
            counts[row.kind] += 1
        return counts

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def head_changes(self) -> list[PlannedRow]:
        """Valid rows whose household gets another person as its head."""
        return [row for row in self.rows if row.head_change is not None and row.kind != INVALID]

    @property
    def warnings(self) -> list[CellError]:
        return [warning for row in self.rows for warning in row.warnings]
