"""Classify each cleaned row against the database: new, changed, unchanged or invalid, with what would change.

A handful of queries whatever the file's length: the commune's hamlets, its households, the people whose CCCD the
file names (in chunks), the heads without CCCD of matched households, and one or two for the pledge column.

Keys: a household is its code when the row has one, else its head's CCCD. A blank optional cell never erases what
the database knows (clerks leave cells blank when they do not know, not to clear them).
"""

from collections.abc import Callable, Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune, Hamlet
from residents.models import Household, Person

from . import bulk, pledge_columns
from .cleaning import CellError, CleanRow, clean_row
from .comparing import compare
from .garbage import cycle_collection_paused
from .headers import FIELD_LABELS
from .row_checks import check_cells, hamlet_lookup, mark_duplicates
from .rows import CHANGED, INVALID, UNCHANGED, ImportPlan, MissingHousehold, PlannedRow
from .table import Table

PROGRESS_EVERY = 5000

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
    """One file's plan against one commune: the commune's hamlets, households and the people the file names are
    loaded once (`_load`), then each row is checked (`row_checks`), matched and compared (`comparing`)."""

    def __init__(self, commune: Commune, table: Table, today: date, full_list: bool):
        self.commune = commune
        self.table = table
        self.today = today
        self.full_list = full_list
        self.mapped = {f for f in table.columns.values() if f}
        self.labels = table.field_headers

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name) or str(FIELD_LABELS.get(field_name, field_name))

    def error(self, row: PlannedRow, field_name: str, message: str) -> None:
        row.errors.append(CellError(row.row_number, field_name, self.label(field_name), message))

    def plan(self, cleaned: list[CleanRow]) -> ImportPlan:
        households = self._load(cleaned)
        rows = [PlannedRow(row.row_number, row.data, row.errors, warnings=row.warnings) for row in cleaned]
        check_cells(self, rows)
        matched = [self._match(row) for row in rows]
        mark_duplicates(self, rows)
        needs_head = [h["id"] for row, h in zip(rows, matched, strict=True) if h and not row.data.get("head_cccd")]
        self.heads_by_name = _heads_without_cccd(needs_head) if needs_head else {}

        plan = ImportPlan(self.commune, self.table, rows, self.today, self.full_list, hamlet_names=self.hamlet_names)
        for row, household in zip(rows, matched, strict=True):
            if row.errors:
                row.kind = INVALID
                continue
            compare(self, row, household)
        _plan_pledges(plan, self.mapped, self.today)
        if self.full_list:
            plan.missing = _missing(households, {h["id"] for h in matched if h}, self.hamlet_names)
        return plan

    def _load(self, cleaned: list[CleanRow]) -> list[dict]:
        """The commune's hamlets and households, and the people whose CCCD the file names; returns the households."""
        hamlets = list(Hamlet.objects.filter(commune=self.commune).only("id", "name", "name_key"))
        self.hamlet_names = {hamlet.id: hamlet.name for hamlet in hamlets}
        self.hamlets = hamlet_lookup(hamlets)
        households = list(Household.objects.filter(commune=self.commune).values(*_HOUSEHOLD_FIELDS, "status"))
        self.by_code = {h["code"]: h for h in households}
        self.by_cccd: dict[str, dict] = {}
        for household in households:
            if household["head_cccd"]:
                self.by_cccd.setdefault(household["head_cccd"], household)
        cccds = sorted({row.data["head_cccd"] for row in cleaned if row.data.get("head_cccd")})
        self.people = _people_by_cccd(cccds)
        return households

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
) -> ImportPlan:
    """Clean every row of the table and classify it against the commune's households.

    The table's raw rows are consumed (table.rows is emptied): a 100,000-row file need not be held twice.
    """
    today = today or timezone.localdate()
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
