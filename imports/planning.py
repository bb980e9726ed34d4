"""Classify each cleaned row against the database: new, changed, unchanged or invalid, with what would change.

A handful of queries whatever the file's length: the commune's hamlets, its households, the people whose CCCD the
file names (in chunks), the heads without CCCD of matched households, and one or two for the pledge column.

Keys: a household is its code when the row has one, else its head's CCCD. A blank optional cell never erases what
the database knows (clerks leave cells blank when they do not know, not to clear them).
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune, Hamlet
from drugfree.text import compact_key, search_key
from residents.models import Household, Person

from . import bulk, pledge_columns
from .cleaning import CellError, CleanRow, clean_row
from .garbage import cycle_collection_paused
from .headers import FIELD_LABELS, HEAD_NAME
from .rows import CHANGED, INVALID, NEW, UNCHANGED, Change, HeadChange, ImportPlan, MissingHousehold, PlannedRow
from .table import Table

PROGRESS_EVERY = 5000
# A head whose CCCD is on file in another commune: the same words as the person form (residents/models/transfers.py).
ON_FILE_ELSEWHERE = gettext_lazy(
    "Số CCCD này cần cán bộ theo dõi cấp trên xác minh trước khi lập hồ sơ ở xã; khi nhập các dòng hợp lệ, "
    "yêu cầu xác minh được gửi cho cán bộ theo dõi."
)

# Database limits a cell must fit (CharField max_length, PositiveSmallIntegerField).
_MAX_LENGTHS = {"code": 30, HEAD_NAME: 100, "address": 255, "ethnicity": 50}
_MAX_MEMBERS = 32767
# Words hamlet names start with; "Quang Thắng" finds "Thôn Quang Thắng" when no other hamlet has that name.
_HAMLET_KINDS = ("todanpho", "khudancu", "tieukhu", "khupho", "khoipho", "thon", "ban", "lang", "buon", "xom", "khom")
_HAMLET_KINDS_AP = ("ap",)

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


def _hamlet_lookup(hamlets: Iterable[Hamlet]) -> dict[str, int]:
    """compact key -> hamlet id; also the name without its kind word when that is unambiguous."""
    exact: dict[str, int] = {}
    bare: dict[str, set[int]] = {}
    for hamlet in hamlets:
        key = hamlet.name_key or compact_key(hamlet.name)
        exact[key] = hamlet.id
        for prefix in _HAMLET_KINDS + _HAMLET_KINDS_AP:
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                bare.setdefault(key[len(prefix) :], set()).add(hamlet.id)
                break
        else:
            bare.setdefault(key, set()).add(hamlet.id)
    lookup = {key: ids.pop() for key, ids in bare.items() if len(ids) == 1 and key not in exact}
    lookup.update(exact)
    return lookup


def _find_hamlet(lookup: dict[str, int], name: str) -> int | None:
    key = compact_key(name)
    if key in lookup:
        return lookup[key]
    for prefix in _HAMLET_KINDS + _HAMLET_KINDS_AP:
        if key.startswith(prefix) and key[len(prefix) :] in lookup:
            return lookup[key[len(prefix) :]]
    return None


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


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class _Planner:
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
        hamlets = list(Hamlet.objects.filter(commune=self.commune).only("id", "name", "name_key"))
        self.hamlet_names = {hamlet.id: hamlet.name for hamlet in hamlets}
        self.hamlets = _hamlet_lookup(hamlets)
        households = list(Household.objects.filter(commune=self.commune).values(*_HOUSEHOLD_FIELDS, "status"))
        self.by_code = {h["code"]: h for h in households}
        self.by_cccd: dict[str, dict] = {}
        for household in households:
            if household["head_cccd"]:
                self.by_cccd.setdefault(household["head_cccd"], household)
        cccds = sorted({row.data["head_cccd"] for row in cleaned if row.data.get("head_cccd")})
        self.people = _people_by_cccd(cccds)

        rows = [PlannedRow(row.row_number, row.data, row.errors, warnings=row.warnings) for row in cleaned]
        self._check_cells(rows)
        matched = [self._match(row) for row in rows]
        self._mark_duplicates(rows)
        needs_head = [h["id"] for row, h in zip(rows, matched, strict=True) if h and not row.data.get("head_cccd")]
        self.heads_by_name = _heads_without_cccd(needs_head) if needs_head else {}

        plan = ImportPlan(self.commune, self.table, rows, self.today, self.full_list, hamlet_names=self.hamlet_names)
        for row, household in zip(rows, matched, strict=True):
            if row.errors:
                row.kind = INVALID
                continue
            self._compare(row, household)
        self._plan_pledges(plan)
        if self.full_list:
            seen = {h["id"] for h in matched if h}
            plan.missing = [
                MissingHousehold(h["id"], h["code"], h["head_name"], self.hamlet_names.get(h["hamlet_id"], ""))
                for h in households
                if h["id"] not in seen and h["status"] == Household.Status.RESIDING
            ]
        return plan

    def _check_cells(self, rows: list[PlannedRow]) -> None:
        single_hamlet = next(iter(self.hamlet_names)) if len(self.hamlet_names) == 1 else None
        hamlet_ids: dict[str, int | None] = {}  # a file names its few hamlets over and over
        for row in rows:
            data = row.data
            for field_name, limit in _MAX_LENGTHS.items():
                if len(data.get(field_name) or "") > limit:
                    self.error(row, field_name, _("Dài quá %(limit)d ký tự.") % {"limit": limit})
            if (data.get("members_count") or 0) > _MAX_MEMBERS:
                self.error(row, "members_count", _("Số nhân khẩu không hợp lý: %(value)s") % {
                    "value": data["members_count"]
                })  # fmt: skip
            if not data.get("code") and not data.get("head_cccd") and data.get(HEAD_NAME):
                field_name = "head_cccd" if "head_cccd" in self.mapped else "code"
                self.error(row, field_name, _("Cần mã hộ hoặc số CCCD của chủ hộ để nhận ra hộ."))
            if name := data.get("hamlet"):
                if name not in hamlet_ids:
                    hamlet_ids[name] = _find_hamlet(self.hamlets, name)
                row.hamlet_id = hamlet_ids[name]
                if row.hamlet_id is None:
                    self.error(
                        row,
                        "hamlet",
                        _("Thôn/khu phố “%(name)s” không có trong %(commune)s.")
                        % {"name": data["hamlet"], "commune": self.commune.name},
                    )
            elif single_hamlet is not None:
                row.hamlet_id = single_hamlet
            person = self.people.get(data.get("head_cccd") or "")
            if person is not None and person["commune_id"] != self.commune.id:
                # Neither where nor whose: the officer learns only that a reviewer must check it (README, "Access
                # and audit"); importing the valid rows sends the reviewer a transfer request for this one.
                row.on_file_elsewhere = person["id"]
                self.error(row, "head_cccd", str(ON_FILE_ELSEWHERE))

    def _match(self, row: PlannedRow) -> dict | None:
        code, cccd = row.data.get("code"), row.data.get("head_cccd")
        household = self.by_code.get(code) if code else self.by_cccd.get(cccd) or self.by_code.get(cccd)
        if household is None and not row.errors and row.hamlet_id is None:
            self.error(row, "hamlet", _("Thiếu thôn/khu phố của hộ."))
        return household

    def _mark_duplicates(self, rows: list[PlannedRow]) -> None:
        """A later row with the same household (its code, else its head's CCCD) or the same head is an error naming
        the first row: the one duplicate check of a file (tests/imports/test_duplicates.py)."""
        first_key: dict[str, PlannedRow] = {}
        first_cccd: dict[str, PlannedRow] = {}
        for row in rows:
            code, cccd = row.data.get("code"), row.data.get("head_cccd")
            key = code or cccd
            if key:
                earlier = first_key.setdefault(key, row)
                if earlier is not row:
                    self.error(
                        row,
                        "code" if code else "head_cccd",
                        _("Trùng với dòng %(row)d (hộ %(key)s).") % {"row": earlier.row_number, "key": key},
                    )
                    continue
            if cccd:
                earlier = first_cccd.setdefault(cccd, row)
                if earlier is not row:
                    self.error(
                        row,
                        "head_cccd",
                        _("Số CCCD trùng với chủ hộ ở dòng %(row)d.") % {"row": earlier.row_number},
                    )

    def _compare(self, row: PlannedRow, household: dict | None) -> None:
        data = row.data
        cccd = data.get("head_cccd") or ""
        if household is None:
            row.kind = NEW
            person = self.people.get(cccd)
            if person is not None:
                row.head_id = person["id"]
                row.head_changes = self._head_changes(row, person, None)
            return
        row.household_id = household["id"]
        if row.hamlet_id is None:
            row.hamlet_id = household["hamlet_id"]
        if _is_another_head(household, data):
            row.head_change = HeadChange(household["head_name"], household["head_cccd"])
        wanted = {"hamlet_id": row.hamlet_id, "head_name": data[HEAD_NAME]}
        if cccd:
            wanted["head_cccd"] = cccd
        for name in ("address", "members_count", "ethnicity"):
            if data.get(name) not in (None, ""):
                wanted[name] = data[name]
        for name, value in wanted.items():
            if household[name] != value:
                row.household_changes[name] = value
                old, new = household[name], value
                if name == "hamlet_id":
                    old, new = self.hamlet_names.get(old, ""), self.hamlet_names.get(new, "")
                row.changes.append(Change(str(Household._meta.get_field(name).verbose_name), _shown(old), _shown(new)))
        if household.get("status") and household["status"] != Household.Status.RESIDING:
            row.household_changes["status"] = Household.Status.RESIDING
            row.changes.append(
                Change(
                    str(Household._meta.get_field("status").verbose_name),
                    str(Household.Status(household["status"]).label),
                    str(Household.Status.RESIDING.label),
                )
            )
        person = (
            self.people.get(cccd) if cccd else self.heads_by_name.get((household["id"], search_key(data[HEAD_NAME])))
        )
        if person is not None:
            row.head_id = person["id"]
            row.head_changes = self._head_changes(row, person, household["id"])
        row.kind = CHANGED if row.changes else UNCHANGED

    def _head_changes(self, row: PlannedRow, person: dict, household_id: int | None) -> dict[str, Any]:
        """What the row changes in the head's Person row (household_id None: the household is new)."""
        data = row.data
        wanted: dict[str, Any] = {"full_name": data[HEAD_NAME], "hamlet_id": row.hamlet_id}
        if household_id is not None:
            wanted["household_id"] = household_id
        if data.get("head_birth_year"):
            wanted["birth_year"] = data["head_birth_year"]
            if data.get("head_birth_date"):
                wanted["birth_date"] = data["head_birth_date"]
            elif person["birth_date"] and person["birth_date"].year != data["head_birth_year"]:
                wanted["birth_date"] = None
        if data.get("head_sex"):
            wanted["sex"] = data["head_sex"]
        if data.get("ethnicity"):
            wanted["ethnicity"] = data["ethnicity"]
        if data.get("address"):
            wanted["current_address"] = data["address"]
        changes = {name: value for name, value in wanted.items() if person[name] != value}
        for name, value in changes.items():
            if name in ("hamlet_id", "household_id", "full_name") and household_id is not None:
                continue  # shown once, as the household's change
            old = person[name]
            if name == "sex":
                old, value = _sex_label(old), _sex_label(value)
            label = _("Chủ hộ – %(field)s") % {"field": Person._meta.get_field(name).verbose_name}
            row.changes.append(Change(label, _shown(old), _shown(value)))
        if household_id is None:
            return changes  # a new household: the existing person becomes its head, not a "change" of the row
        if "household_id" in changes:
            row.changes.append(Change(_("Chủ hộ – hộ"), _("hộ khác"), _("hộ này")))
        return changes

    def _plan_pledges(self, plan: ImportPlan) -> None:
        """The pledge column, when the file has one: a newly ticked pledge makes a row "changed"."""
        if not pledge_columns.FIELDS & self.mapped:
            return
        valid = [row for row in plan.rows if row.kind != INVALID]
        household_ids = [row.household_id for row in valid if row.household_id]
        state = pledge_columns.load(plan=plan, household_ids=household_ids)
        plan.extension_states[pledge_columns.NAME] = state
        counts: dict[str, int] = {}
        for row in valid:
            changes = pledge_columns.plan_row(row, state, today=self.today)
            if changes:
                row.changes.extend(changes)
                if row.kind == UNCHANGED:
                    row.kind = CHANGED
            for kind in (row.extra_for(pledge_columns.NAME) or {}).get("counts", ()):
                counts[kind] = counts.get(kind, 0) + 1
        plan.extension_counts[pledge_columns.NAME] = counts


def _is_another_head(household: dict, data: dict[str, Any]) -> bool:
    """Another name and not the same CCCD: another person. The same CCCD under another name is the name corrected;
    the same name (ignoring case and diacritics) under another CCCD is the number corrected."""
    if search_key(household["head_name"]) == search_key(data[HEAD_NAME]):
        return False
    old_cccd, new_cccd = household["head_cccd"], data.get("head_cccd")
    return not (old_cccd and new_cccd and old_cccd == new_cccd)


def _sex_label(value: str | None) -> str:
    return {"male": _("Nam"), "female": _("Nữ")}.get(value or "", "")


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
    return _Planner(commune, table, today, full_list).plan(cleaned)
