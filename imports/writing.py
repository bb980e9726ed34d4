"""Apply an import plan in ONE transaction with bulk operations: households, their heads, history, the pledge column.

Any exception (a database error, a lost connection, a killed worker) leaves the database as it was: nothing is
committed before the last statement. Audit: every created or changed household and person gets a django-simple-
history row with the acting user and the import's number as change reason, written in bulk (one INSERT per batch,
not one per row), and the ImportRun is the per-import record (who, when, file, counts).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Hamlet
from drugfree.text import search_key
from residents.models import Household, Person
from residents.services.transfers import person_transfer_request

from . import bulk, pledge_columns
from .garbage import cycle_collection_paused
from .headers import HEAD_NAME
from .planning import PlanStream
from .rows import CHANGED, NEW, ImportPlan, PlannedRow


class ImportRefused(Exception):
    """The plan has invalid rows and the user asked for all or nothing."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    people_created: int = 0
    people_updated: int = 0
    extensions: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def wrote_anything(self) -> bool:
        return bool(self.created or self.updated)


HOUSEHOLD_COLUMNS = ("commune_id", "hamlet_id", "code", "head_name", "head_name_key", "head_cccd", "address",
                     "members_count", "ethnicity")  # fmt: skip
PERSON_COLUMNS = ("full_name", "name_key", "cccd", "birth_date", "birth_year", "sex", "ethnicity", "commune_id",
                  "hamlet_id", "household_id", "current_address")  # fmt: skip
NULL = bulk.NULL


def _new_household(commune_id: int, row: PlannedRow) -> tuple:
    data = row.data
    name = data[HEAD_NAME]
    data["head_name_key"] = key = data.get("head_name_key") or search_key(name)  # planned; reused for the head
    return (
        commune_id,
        row.hamlet_id,
        # Without a code column the head's CCCD is the key, and the code the household is known by.
        data.get("code") or data["head_cccd"],
        name,
        key,
        data.get("head_cccd") or "",
        data.get("address") or "",
        data.get("members_count") or 1,
        data.get("ethnicity") or "",
    )


def _new_head(commune_id: int, row: PlannedRow) -> tuple:
    data = row.data
    name = data[HEAD_NAME]
    return (
        name,
        data.get("head_name_key") or search_key(name),
        data.get("head_cccd") or NULL,
        data.get("head_birth_date") or NULL,
        data.get("head_birth_year") or NULL,
        data.get("head_sex") or "",
        data.get("ethnicity") or "",
        commune_id,
        row.hamlet_id,
        row.household_id,
        data.get("address") or "",
    )


def _apply_changes(model, changes_by_id: dict[int, dict], now) -> list:
    """Load the full rows (history snapshots every field), set the changes, return them for bulk_update."""
    objects = []
    for chunk in bulk.chunks(list(changes_by_id)):
        for instance in model.objects.filter(bulk.one_of(model, "pk", chunk)):
            for name, value in changes_by_id[instance.pk].items():
                setattr(instance, name, value)
            if "head_name" in changes_by_id[instance.pk]:
                instance.head_name_key = search_key(instance.head_name)
            if "full_name" in changes_by_id[instance.pk]:
                instance.name_key = search_key(instance.full_name)
            instance.updated_at = now
            # bulk_update bypasses save(): bump the version so a form opened before the import sees the change.
            instance.version += 1
            objects.append(instance)
    return objects


def _row_numbers(rows: Sequence[PlannedRow]) -> list[int]:
    return [row.row_number for row in rows]


def _changed_fields(changes_by_id: dict[int, dict], extra: Sequence[str]) -> list[str]:
    names = {name for changes in changes_by_id.values() for name in changes}
    return sorted(names | set(extra))


@cycle_collection_paused()
def _request_transfers(plan: ImportPlan, *, actor, import_run) -> None:
    """Heads on file in another commune, on rows with no other error: a task for the reviewer (the row itself is
    not imported; once the reviewer moves the person, importing the list again links the household to them)."""
    hamlets = {}
    for row in plan.rows:
        if row.on_file_elsewhere is None or len(row.errors) != 1 or row.hamlet_id is None:
            continue
        if row.hamlet_id not in hamlets:
            hamlets[row.hamlet_id] = Hamlet.objects.select_related("commune").get(pk=row.hamlet_id)
        person_transfer_request(
            actor=actor, person=Person.objects.get(pk=row.on_file_elsewhere), hamlet=hamlets[row.hamlet_id],
            identity={"full_name": row.data.get(HEAD_NAME), "cccd": row.data["head_cccd"], "row_number": row.row_number,
                      **row.data},
            import_run=import_run,
        )  # fmt: skip


def _new_and_changed(plan: ImportPlan) -> tuple[list[PlannedRow], list[PlannedRow]]:
    return [row for row in plan.rows if row.kind == NEW], [row for row in plan.rows if row.kind == CHANGED]


def _headless(rows: list[PlannedRow]) -> list[PlannedRow]:
    """The rows whose head is not on file: each gets a new Person."""
    return [row for row in rows if row.head_id is None]


@dataclass
class PreparedBatch:
    """A stream batch's new households, heads and pledges made ready for COPY ahead of the batch's write."""

    households: bulk.Prepared
    heads: bulk.Prepared
    pledges: bulk.Prepared | None


def prepare(plan: ImportPlan, *, now) -> None:
    """Make a planned batch's new rows ready for COPY (`bulk.prepare_insert`: ids drawn, text formatted), in the
    planning thread while the batch before is written, so that the write only sends them (PostgreSQL). The new
    households get their ids here, which their heads and pledges refer to. The rows are those `_write` writes, in
    the same order; what it updates is still read and written by the write."""
    commune_id = plan.commune.id
    new_rows, changed_rows = _new_and_changed(plan)
    households = bulk.prepare_insert(
        Household, HOUSEHOLD_COLUMNS, [_new_household(commune_id, row) for row in new_rows], now=now
    )
    for row, household_id in zip(new_rows, households.ids, strict=True):
        row.household_id = household_id
    rows = new_rows + changed_rows
    new_heads = [_new_head(commune_id, row) for row in _headless(rows)]
    heads = bulk.prepare_insert(Person, PERSON_COLUMNS, new_heads, now=now)
    pledges = None
    if pledge_columns.NAME in plan.extension_states:
        pledges = pledge_columns.prepare(rows=rows, state=plan.extension_states[pledge_columns.NAME], now=now)
    plan.prepared = PreparedBatch(households, heads, pledges)


def _insert_new(model, columns, make, commune_id: int, rows: list[PlannedRow], now, prepared: bulk.Prepared | None):
    """A record per row, made by `make` as COPY reads them, or `prepared`'s when they were made ready ahead (from the
    same rows, in the same order); a failed write names its spreadsheet row."""
    with bulk.blame(_row_numbers(rows)):
        if prepared is not None:
            return prepared.insert()
        new = (make(commune_id, row) for row in rows)
        return bulk.insert(model, columns, new, now=now, count=len(rows))


def _write_households(
    commune_id: int, new_rows: list[PlannedRow], changed_rows: list[PlannedRow], now, prepared: bulk.Prepared | None
):
    """The new households inserted (each row learns its id), the changed ones updated; returns both."""
    households = _insert_new(Household, HOUSEHOLD_COLUMNS, _new_household, commune_id, new_rows, now, prepared)
    for row, household_id in zip(new_rows, households.ids, strict=True):
        row.household_id = household_id
    household_changes = {row.household_id: row.household_changes for row in changed_rows if row.household_changes}
    updated_households = _apply_changes(Household, household_changes, now)
    if updated_households:
        fields = _changed_fields(household_changes, ["updated_at", "version"])
        if "head_name" in fields:
            fields.append("head_name_key")
        row_of = {row.household_id: row.row_number for row in changed_rows}
        with bulk.blame([row_of[household.pk] for household in updated_households]):
            bulk.update(Household, updated_households, fields)
    return households, updated_households


def _write_heads(commune_id: int, rows: list[PlannedRow], now, prepared: bulk.Prepared | None):
    """Heads: a new Person unless the row matched one (by CCCD, or by name in its household; `prepared` holds the
    new ones when they were made ready ahead). Returns the inserted heads, the rows that had none, and the people
    updated."""
    head_changes: dict[int, dict] = {}
    for row in rows:
        if row.head_id is None:
            continue
        if row.kind == NEW:
            head_changes[row.head_id] = {**(row.head_changes or {}), "household_id": row.household_id}
        elif row.head_changes:
            head_changes[row.head_id] = row.head_changes
    headless = _headless(rows)
    heads = _insert_new(Person, PERSON_COLUMNS, _new_head, commune_id, headless, now, prepared)
    # Only people whose values differ: a head already in its household with the same data is left alone.
    updated_people = _apply_changes(Person, head_changes, now)
    if updated_people:
        fields = _changed_fields(head_changes, ["updated_at", "version"])
        if "full_name" in fields:
            fields.append("name_key")
        row_of = {row.head_id: row.row_number for row in rows if row.head_id}
        with bulk.blame([row_of[person.pk] for person in updated_people]):
            bulk.update(Person, updated_people, fields)
    return heads, headless, updated_people


def apply_plan(
    plan: ImportPlan | PlanStream,
    *,
    actor,
    reason: str,
    valid_only: bool = False,
    before_commit: Callable[[ImportResult], None] | None = None,
    import_run=None,
    check_batch: Callable[[ImportPlan], bool] | None = None,
    check_end: Callable[[], None] | None = None,
) -> ImportResult:
    """Write the plan's new and changed rows. `before_commit` runs inside the transaction (the ImportRun's final
    state is saved there, so that the run says "done" exactly when the data is there).

    A PlanStream is written batch by batch as it is planned (`_apply_stream`); `check_batch` sees each batch first
    and says whether the import will be refused (then nothing more is written, the rest only planned), `check_end`
    runs after the last batch and may raise ImportRefused. Either way a refusal rolls back everything."""
    if isinstance(plan, PlanStream):
        return _apply_stream(
            plan, actor=actor, reason=reason, valid_only=valid_only, before_commit=before_commit,
            import_run=import_run, check_batch=check_batch, check_end=check_end,
        )  # fmt: skip
    counts = plan.counts
    if counts["invalid"] and not valid_only:
        raise _refused(counts["invalid"])
    result = ImportResult(unchanged=counts["unchanged"], invalid=counts["invalid"])
    now = timezone.now()
    with transaction.atomic(), bulk.foreign_keys_checked_per_statement():
        _write(plan, result, actor=actor, reason=reason, now=now, import_run=import_run)
        if before_commit is not None:
            before_commit(result)
    return result


def _refused(invalid: int) -> ImportRefused:
    return ImportRefused(
        _("Tệp còn %(count)d dòng lỗi: hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.") % {"count": invalid}
    )


def _apply_stream(
    stream: PlanStream, *, actor, reason: str, valid_only: bool, before_commit, import_run, check_batch, check_end
) -> ImportResult:
    """One transaction around the whole stream: each batch written by COPY while the reading child reads and cleans
    the rows after it and, when the stream plans ahead (`plan_ahead`), while the next batch is planned."""
    result = ImportResult()
    now = timezone.now()
    if stream.ahead:  # the planning thread's own connection draws the ids, and it formats the COPY text
        stream.prepare = partial(prepare, now=now)
    writing = True
    try:
        with transaction.atomic(), bulk.foreign_keys_checked_per_statement():
            for batch in stream.batches():
                counts = batch.counts
                result.unchanged += counts["unchanged"]
                result.invalid += counts["invalid"]
                if check_batch is not None and check_batch(batch):
                    writing = False
                if counts["invalid"] and not valid_only:
                    writing = False
                if writing:
                    _write(batch, result, actor=actor, reason=reason, now=now, import_run=import_run)
            if check_end is not None:
                check_end()
            if result.invalid and not valid_only:
                raise _refused(result.invalid)
            if before_commit is not None:
                before_commit(result)
    finally:
        stream.close()
    return result


def _write(plan: ImportPlan, result: ImportResult, *, actor, reason: str, now, import_run) -> None:
    """Write one plan (a whole file, or one batch of a stream) inside the caller's transaction; counts added."""
    new_rows, changed_rows = _new_and_changed(plan)
    prepared: PreparedBatch | None = plan.prepared
    households, updated_households = _write_households(
        plan.commune.id, new_rows, changed_rows, now, prepared and prepared.households
    )
    heads, headless, updated_people = _write_heads(
        plan.commune.id, new_rows + changed_rows, now, prepared and prepared.heads
    )

    bulk.history_rows(households, actor=actor, reason=reason, now=now)
    bulk.history(Household, updated_households, actor=actor, reason=reason, now=now, update=True)
    bulk.history_rows(heads, actor=actor, reason=reason, now=now)
    bulk.history(Person, updated_people, actor=actor, reason=reason, now=now, update=True)

    if pledge_columns.NAME in plan.extension_states:  # the file has a pledge column
        written = pledge_columns.write(
            rows=new_rows + changed_rows,
            state=plan.extension_states[pledge_columns.NAME],
            actor=actor,
            reason=reason,
            prepared=prepared and prepared.pledges,
        )
        counts = result.extensions.setdefault(pledge_columns.NAME, {})
        for kind, count in written.items():
            counts[kind] = counts.get(kind, 0) + count
    _request_transfers(plan, actor=actor, import_run=import_run)
    result.created += len(households.ids)
    result.updated += len(changed_rows)
    result.people_created += len(headless)
    result.people_updated += len(updated_people)
