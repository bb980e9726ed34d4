"""The "Đã ký cam kết" column of a household list: pledges written by the household import.

The planner calls it when the file maps one of its FIELDS: it plans per row whether a pledge would be created or
re-dated (so re-importing the same file changes nothing), and the writer calls it inside the import's single
transaction, with history rows attributed to the importing user.

A tick records the pledge for the year it was signed (the "Ngày ký cam kết" date when the file has one, else the
import's year, signed on the import's date). A blank or "không" never withdraws a recorded pledge: withdrawing is a
decision taken on the pledge checklist, not a side effect of a spreadsheet.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pledges.models import HouseholdPledge

from . import bulk
from .rows import Change, ImportPlan, PlannedRow

NAME = "pledges"  # key of its counts in the import summary (summary["extensions"]["pledges"])
FIELDS = frozenset({"pledge_signed", "pledge_signed_on"})  # canonical fields it reads
PLEDGE_COLUMNS = ("household_id", "commune_id", "year", "signed_on", "representative_name")


@dataclass(frozen=True, slots=True)
class PledgeState:
    """What the database holds for the file's households, and the commune every pledge of the import belongs to."""

    commune_id: int
    existing: dict[tuple[int, int], dict]
    language: str | None  # of the labels: asking for it per row costs more than the rest of plan_row


# Translated once per value, not once per row of a 100,000-row file.
@lru_cache(maxsize=64)
def _label_in(language: str, year: int) -> str:
    return _("Cam kết năm %(year)d") % {"year": year}


@lru_cache(maxsize=4096)
def _signed_on_in(language: str, day: date) -> str:
    return _("Đã ký ngày %(date)s") % {"date": day.strftime("%d/%m/%Y")}


def load(*, plan: ImportPlan, household_ids: Sequence[int]) -> PledgeState:
    """What the database already holds for these households, in a few queries."""
    existing: dict[tuple[int, int], dict] = {}
    for chunk in bulk.chunks(list(household_ids)):
        for pledge in HouseholdPledge.objects.filter(bulk.one_of(HouseholdPledge, "household", chunk)).values(
            "id", "household_id", "year", "signed_on"
        ):
            existing[(pledge["household_id"], pledge["year"])] = pledge
    return PledgeState(plan.commune.pk, existing, get_language())


def plan_row(row: PlannedRow, state: PledgeState, *, today: date) -> list[Change]:
    """The changes this row would make (stored on row.extra[NAME] for write); [] when none."""
    if not row.data.get("pledge_signed"):
        return []
    dated = row.data.get("pledge_signed_on")
    year = dated.year if dated else today.year
    pledge = state.existing.get((row.household_id, year)) if row.household_id else None
    if pledge is None:
        row.set_extra(NAME, {"year": year, "signed_on": dated or today, "counts": ("created",)})
        if not row.household_id:
            return []  # a new household: its pledge is not a change to show
        return [Change(_label_in(state.language, year), "", _signed_on_in(state.language, dated or today))]
    if dated and pledge["signed_on"] != dated:
        row.set_extra(NAME, {"year": year, "signed_on": dated, "id": pledge["id"], "counts": ("updated",)})
        label = _label_in(state.language, year)
        return [Change(label, pledge["signed_on"].strftime("%d/%m/%Y"), dated.strftime("%d/%m/%Y"))]
    return []


def _planned_writes(rows: Iterable[PlannedRow]) -> tuple[list[PlannedRow], list[PlannedRow]]:
    """The rows whose planned pledge is new, and those whose pledge is redated."""
    created, redated = [], []
    for row in rows:
        planned = row.extra_for(NAME)
        if planned is not None:
            (redated if "id" in planned else created).append(row)
    return created, redated


def _new_pledge(row: PlannedRow, commune_id: int) -> tuple:
    planned = row.extra_for(NAME)
    return (row.household_id, commune_id, planned["year"], planned["signed_on"], row.data["head_name"])


def prepare(*, rows: Iterable[PlannedRow], state: PledgeState, now) -> bulk.Prepared:
    """The new pledges made ready ahead of their write (`bulk.prepare_insert`); their households' ids are known."""
    created, _redated = _planned_writes(rows)
    return bulk.prepare_insert(
        HouseholdPledge, PLEDGE_COLUMNS, [_new_pledge(row, state.commune_id) for row in created], now=now
    )


def write(
    *, rows: Iterable[PlannedRow], state: PledgeState, actor, reason: str, prepared: bulk.Prepared | None = None
) -> dict[str, int]:
    """Apply the planned changes of rows whose household now exists (row.household_id set); counts by kind. The new
    pledges are `prepared`'s when they were made ready ahead (`prepare`, from the same rows)."""
    created, redated_rows = _planned_writes(rows)
    now = prepared.now if prepared is not None else timezone.now()
    with bulk.blame([row.row_number for row in created]):  # a failed write names the spreadsheet row
        if prepared is not None:
            inserted = prepared.insert()
        else:
            new = [_new_pledge(row, state.commune_id) for row in created]
            inserted = bulk.insert(HouseholdPledge, PLEDGE_COLUMNS, new, now=now)
    redated = {row.extra_for(NAME)["id"]: row for row in redated_rows}
    updated = []
    for chunk in bulk.chunks(list(redated)):
        for pledge in HouseholdPledge.objects.filter(bulk.one_of(HouseholdPledge, "pk", chunk)):
            pledge.signed_on = redated[pledge.pk].extra_for(NAME)["signed_on"]
            updated.append(pledge)
    if updated:
        with bulk.blame([redated[pledge.pk].row_number for pledge in updated]):
            bulk.update(HouseholdPledge, updated, ["signed_on"])
    bulk.history_rows(inserted, actor=actor, reason=reason, now=now)
    bulk.history(HouseholdPledge, updated, actor=actor, reason=reason, now=now, update=True)
    return {"created": len(created), "updated": len(updated)}
