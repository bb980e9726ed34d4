"""What a valid row changes: in its household (matched by code or CCCD) and in its head's Person row."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from drugfree.text import search_key
from residents.models import Household, Person

from .headers import HEAD_NAME
from .rows import CHANGED, NEW, UNCHANGED, Change, HeadChange, PlannedRow

if TYPE_CHECKING:
    from .planning import Planner


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def compare(planner: Planner, row: PlannedRow, household: dict | None) -> None:
    """The row's kind (new, changed, unchanged) and what it changes in its household and its head."""
    data = row.data
    cccd = data.get("head_cccd") or ""
    if household is None:
        row.kind = NEW
        # The search key of the name its household and head are written with, made here: a stream plans ahead of
        # the write (`plan_ahead`), so the write's COPY only formats it.
        data["head_name_key"] = search_key(data[HEAD_NAME])
        person = planner.people.get(cccd)
        if person is not None:
            row.head_id = person["id"]
            row.head_changes = head_changes(row, person, None)
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
                old, new = planner.hamlet_names.get(old, ""), planner.hamlet_names.get(new, "")
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
        planner.people.get(cccd) if cccd else planner.heads_by_name.get((household["id"], search_key(data[HEAD_NAME])))
    )
    if person is not None:
        row.head_id = person["id"]
        row.head_changes = head_changes(row, person, household["id"])
    row.kind = CHANGED if row.changes else UNCHANGED


def head_changes(row: PlannedRow, person: dict, household_id: int | None) -> dict[str, Any]:
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


def _is_another_head(household: dict, data: dict[str, Any]) -> bool:
    """Another name and not the same CCCD: another person. The same CCCD under another name is the name corrected;
    the same name (ignoring case and diacritics) under another CCCD is the number corrected."""
    if search_key(household["head_name"]) == search_key(data[HEAD_NAME]):
        return False
    old_cccd, new_cccd = household["head_cccd"], data.get("head_cccd")
    return not (old_cccd and new_cccd and old_cccd == new_cccd)


def _sex_label(value: str | None) -> str:
    return {"male": _("Nam"), "female": _("Nữ")}.get(value or "", "")
