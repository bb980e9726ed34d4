"""Classify each cleaned row against the database: new, changed, unchanged or invalid, with what would change.

A handful of queries whatever the file's length: the commune's hamlets, its households, the people whose CCCD the
file names (in chunks), the heads without CCCD of matched households, and one or two for the pledge column.

Keys: a household is its code when the row has one, else its head's CCCD. A blank optional cell never erases what
the database knows (clerks leave cells blank when they do not know, not to clear them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune, Hamlet
from residents.models import Household, Person

from . import bulk, pledge_columns
from .cleaning import CellError, CleanRow, clean_row
from .comparing import compare
from .garbage import cycle_collection_paused
from .headers import FIELD_LABELS
from .plan_ahead import planned_ahead
from .row_checks import check_cells, hamlet_lookup, mark_duplicates
from .rows import CHANGED, INVALID, UNCHANGED, ImportPlan, MissingHousehold, PlannedRow
from .table import Table

PROGRESS_EVERY = 5000
# Rows planned and written together when the rows stream (`PlanStream`): each batch is one COPY per table.
STREAM_BATCH = 5000
# The first batch is smaller: PostgreSQL starts writing as soon as a few rows are read and planned, instead of
# waiting for the reading child to read a whole batch (the batches after it are read while it writes).
STREAM_FIRST_BATCH = 1000

_HOUSEHOLD_FIELDS = ("id", "code", "head_cccd", "hamlet_id", "head_name", "address", "members_count", "ethnicity")
_PERSON_FIELDS = (
    "id",
    "cccd",
    "commune_id",
    "household_id",
    "full_name",
    "birth_date",
    "birth_year",
    "sex",
    "ethnicity",
    "hamlet_id",
    "current_address",
)


# --- lookups --------------------------------------------------------------------------------------------------------


def _people_by_cccd(cccds: Sequence[str]) -> dict[str, dict]:
    people: dict[str, dict] = {}
    for chunk in bulk.chunks(cccds):
        for person in Person.objects.filter(bulk.one_of(Person, "cccd", chunk)).values(*_PERSON_FIELDS):
            people[person["cccd"]] = person
    return people


def _heads_without_cccd(household_ids: Sequence[int]) -> dict[tuple[int, str], dict]:
    heads: dict[tuple[int, str], dict] = {}
    for chunk in bulk.chunks(household_ids):
        people = Person.objects.filter(bulk.one_of(Person, "household", chunk), cccd__isnull=True).values(
            *_PERSON_FIELDS, "name_key"
        )
        for person in people:
            heads.setdefault((person["household_id"], person["name_key"]), person)
    return heads


# --- planning -------------------------------------------------------------------------------------------------------


class Planner:
    """One file's plan against one commune: the commune's hamlets and households are loaded once (`load`), then each
    batch of rows (the whole file, or a stream's batches: `plan_batch`) with the people its CCCDs name is checked
    (`row_checks`), matched and compared (`comparing`). Duplicates are found across batches (`row_checks`)."""

    def __init__(self, commune: Commune, table: Table, today: date, full_list: bool):
        self.commune = commune
        self.table = table
        self.today = today
        self.full_list = full_list
        self.mapped = {f for f in table.columns.values() if f}
        self.labels = table.field_headers
        self.first_key: dict[str, int] = {}  # household key -> the first row naming it (`mark_duplicates`)
        self.first_cccd: dict[str, int] = {}  # head CCCD -> the first row naming it
        self.first_household: dict[int, int] = {}  # id of a household on file -> the first row it matched
        self.seen: set[int] = set()  # ids of the commune's households the rows matched (for a full list)

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name) or str(FIELD_LABELS.get(field_name, field_name))

    def error(self, row: PlannedRow, field_name: str, message: str) -> None:
        row.errors.append(CellError(row.row_number, field_name, self.label(field_name), message))

    def plan(self, cleaned: list[CleanRow]) -> ImportPlan:
        self.load()
        plan = self.plan_batch(cleaned)
        plan.missing = self.missing()
        return plan

    def plan_batch(self, cleaned: Sequence[CleanRow]) -> ImportPlan:
        cccds = sorted({row.data["head_cccd"] for row in cleaned if row.data.get("head_cccd")})
        self.people = _people_by_cccd(cccds)
        rows = [PlannedRow(row.row_number, row.data, row.errors, warnings=row.warnings) for row in cleaned]
        check_cells(self, rows)
        matched = [self._match(row) for row in rows]
        mark_duplicates(self, rows, matched)
        needs_head = [h["id"] for row, h in zip(rows, matched, strict=True) if h and not row.data.get("head_cccd")]
        self.heads_by_name = _heads_without_cccd(needs_head) if needs_head else {}

        plan = ImportPlan(self.commune, self.table, rows, self.today, self.full_list, hamlet_names=self.hamlet_names)
        for row, household in zip(rows, matched, strict=True):
            if household is not None:
                self.seen.add(household["id"])
            if row.errors:
                row.kind = INVALID
                continue
            compare(self, row, household)
        _plan_pledges(plan, self.mapped, self.today)
        return plan

    def load(self) -> None:
        """The commune's hamlets and households."""
        hamlets = list(Hamlet.objects.filter(commune=self.commune).only("id", "name", "name_key"))
        self.hamlet_names = {hamlet.id: hamlet.name for hamlet in hamlets}
        self.hamlets = hamlet_lookup(hamlets)
        households = list(Household.objects.filter(commune=self.commune).values(*_HOUSEHOLD_FIELDS, "status"))
        self.households = households
        self.by_code = {h["code"]: h for h in households}
        self.by_cccd: dict[str, dict] = {}
        for household in households:
            if household["head_cccd"]:
                self.by_cccd.setdefault(household["head_cccd"], household)

    def missing(self) -> list[MissingHousehold]:
        if not self.full_list:
            return []
        return _missing(self.households, self.seen, self.hamlet_names)

    def _match(self, row: PlannedRow) -> dict | None:
        code, cccd = row.data.get("code"), row.data.get("head_cccd")
        household = self.by_code.get(code) if code else self.by_cccd.get(cccd) or self.by_code.get(cccd)
        if household is None and not row.errors and row.hamlet_id is None:
            self.error(row, "hamlet", _("Thiếu thôn/khu phố của hộ."))
        return household


def _missing(households: list[dict], seen: set[int], hamlet_names: dict[int, str]) -> list[MissingHousehold]:
    """A full list's residing households that no row names."""
    return [
        MissingHousehold(h["id"], h["code"], h["head_name"], hamlet_names.get(h["hamlet_id"], ""))
        for h in households
        if h["id"] not in seen and h["status"] == Household.Status.RESIDING
    ]


@cycle_collection_paused()
def plan_import(
    table: Table,
    *,
    commune: Commune,
    today: date | None = None,
    full_list: bool = False,
    on_progress: Callable[[str, int], None] | None = None,
) -> ImportPlan | PlanStream:
    """Clean every row of the table and classify it against the commune's households.

    The table's raw rows are consumed (table.rows is emptied): a 100,000-row file need not be held twice. A table
    whose rows are a stream (`reading.read_stream`) gets a PlanStream: its batches are planned as they are read.
    """
    today = today or timezone.localdate()
    if not isinstance(table.rows, list):
        # Progress is not reported batch by batch: the batches are planned inside the import's transaction, where
        # a report would stay unseen until the commit (the run says "writing" from the stream's start).
        return PlanStream(Planner(commune, table, today, full_list))
    labels = table.field_headers
    cleaned = []
    source_rows, table.rows = table.rows, []
    for index, source_row in enumerate(source_rows, 1):
        cleaned.append(clean_row(source_row, labels=labels, today=today))
        if on_progress and index % PROGRESS_EVERY == 0:
            on_progress("cleaning", index)
    del source_rows
    if on_progress:
        on_progress("planning", len(cleaned))
    return Planner(commune, table, today, full_list).plan(cleaned)


class PlanStream:
    """A plan made batch by batch as the table's rows stream in: each batch is an ImportPlan of its rows, planned
    against the database as it was before the import (no row of a batch depends on what the batches before it
    write: `row_checks.mark_duplicates`). Consumed once; `missing()` after the last batch, `close()` to stop
    reading early. With `ahead` (set by the writer, `plan_ahead.can_plan_ahead`) the batches are read and planned
    in a thread, one ahead of the batch being written."""

    def __init__(self, planner: Planner):
        self.planner = planner
        self.table = planner.table
        self.commune = planner.commune
        self.today = planner.today
        self.full_list = planner.full_list
        self.hamlet_names: dict[int, str] = {}
        self.ahead = False
        # Called in the planning thread on each batch planned (writing.prepare), when the writer sets it.
        self.prepare: Callable[[ImportPlan], None] | None = None
        self._batches: Iterator[ImportPlan] | None = None

    def batches(self, size: int | None = None) -> Iterator[ImportPlan]:
        size = size or STREAM_BATCH
        if self.ahead:
            self._batches = planned_ahead(lambda: self._planned(size))
        else:
            self._batches = self._planned(size)
        return self._batches

    def _planned(self, size: int) -> Iterator[ImportPlan]:
        planner = self.planner
        planner.load()
        self.hamlet_names = planner.hamlet_names
        rows = iter(self.table.rows)
        cleaned_already = self.table.rows_cleaned
        labels = self.table.field_headers
        next_size = min(size, STREAM_FIRST_BATCH)
        try:
            while batch := list(islice(rows, next_size)):
                next_size = size
                # Paused for the planning only: with the writing of each batch it would keep every batch's cycles
                # (the queries' and writes' objects) to the end, and a stream holds few live objects to rescan. In the
                # planning thread the pause is the process's: the write's cycles wait for the next collection after it
                # (measured: 164–172 MB for 100,000 rows).
                with cycle_collection_paused():
                    if not cleaned_already:
                        batch = [clean_row(row, labels=labels, today=self.today) for row in batch]
                    plan = planner.plan_batch(batch)
                    if self.prepare is not None:
                        self.prepare(plan)
                yield plan
        finally:
            self._close_rows()  # in the thread that reads the rows (a generator is closed where it runs)

    def missing(self) -> list[MissingHousehold]:
        return self.planner.missing()

    def close(self) -> None:
        """Stop reading (the reading child ends) when the stream is left before its end: the batches first (a
        planning thread is stopped and waited for: it closes the rows it reads), then the rows."""
        batches, self._batches = self._batches, None
        close = getattr(batches, "close", None)
        if close is not None:
            close()
        self._close_rows()

    def _close_rows(self) -> None:
        close = getattr(self.table.rows, "close", None)
        if close is not None:
            close()


def _plan_pledges(plan: ImportPlan, mapped: set[str], today: date) -> None:
    """The pledge column, when the file has one: a newly ticked pledge makes a row "changed"."""
    if not pledge_columns.FIELDS & mapped:
        return
    valid = [row for row in plan.rows if row.kind != INVALID]
    household_ids = [row.household_id for row in valid if row.household_id]
    state = pledge_columns.load(plan=plan, household_ids=household_ids)
    plan.extension_states[pledge_columns.NAME] = state
    counts: dict[str, int] = {}
    for row in valid:
        changes = pledge_columns.plan_row(row, state, today=today)
        if changes:
            row.changes.extend(changes)
            if row.kind == UNCHANGED:
                row.kind = CHANGED
        for kind in (row.extra_for(pledge_columns.NAME) or {}).get("counts", ()):
            counts[kind] = counts.get(kind, 0) + 1
    plan.extension_counts[pledge_columns.NAME] = counts
