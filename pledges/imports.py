"""The "Đã ký cam kết" column of a household list: pledges written by the residents import pipeline.

residents sits below pledges and may not import it, so this module plugs into the pipeline as an extension
(registered in PledgesConfig.ready): it plans per row whether a pledge would be created or re-dated, and writes
inside the import's transaction, with history rows attributed to the importing user.

A tick records the pledge for the year it was signed (the "Ngày ký cam kết" date when the file has one, else the
import's year, signed on the import's date). A blank or "không" never withdraws a recorded pledge: withdrawing is a
decision taken on the pledge checklist, not a side effect of a spreadsheet.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from residents.imports import bulk, extensions
from residents.imports.planning import Change, ImportPlan, PlannedRow

from .models import HouseholdPledge

NAME = "pledges"


class PledgeColumn:
    name = NAME
    fields = frozenset({"pledge_signed", "pledge_signed_on"})

    def load(self, *, plan: ImportPlan, household_ids: Sequence[int]) -> dict[tuple[int, int], dict]:
        existing: dict[tuple[int, int], dict] = {}
        for chunk in bulk.chunks(list(household_ids)):
            for pledge in HouseholdPledge.objects.filter(household_id__in=chunk).values(
                "id", "household_id", "year", "signed_on"
            ):
                existing[(pledge["household_id"], pledge["year"])] = pledge
        return existing

    def plan_row(self, row: PlannedRow, state: dict, *, today: date) -> list[Change]:
        if not row.data.get("pledge_signed"):
            return []
        dated = row.data.get("pledge_signed_on")
        year = dated.year if dated else today.year
        pledge = state.get((row.household_id, year)) if row.household_id else None
        label = _("Cam kết năm %(year)d") % {"year": year}
        if pledge is None:
            row.extra[NAME] = {"year": year, "signed_on": dated or today, "counts": ["created"]}
            return [Change(label, "", _("Đã ký ngày %(date)s") % {"date": (dated or today).strftime("%d/%m/%Y")})]
        if dated and pledge["signed_on"] != dated:
            row.extra[NAME] = {"year": year, "signed_on": dated, "id": pledge["id"], "counts": ["updated"]}
            return [Change(label, pledge["signed_on"].strftime("%d/%m/%Y"), dated.strftime("%d/%m/%Y"))]
        return []

    def write(self, *, rows: Iterable[PlannedRow], state, actor, reason: str) -> dict[str, int]:
        created, redated = [], {}
        for row in rows:
            planned = row.extra.get(NAME)
            if planned is None:
                continue
            if "id" in planned:
                redated[planned["id"]] = planned["signed_on"]
            else:
                created.append({
                    "household_id": row.household_id,
                    "year": planned["year"],
                    "signed_on": planned["signed_on"],
                    "representative_name": row.data["head_name"],
                })  # fmt: skip
        now = timezone.now()
        bulk.insert(HouseholdPledge, created, now=now)
        updated = []
        for chunk in bulk.chunks(list(redated)):
            for pledge in HouseholdPledge.objects.filter(pk__in=chunk):
                pledge.signed_on = redated[pledge.pk]
                updated.append(pledge)
        if updated:
            HouseholdPledge.objects.bulk_update(updated, ["signed_on"], batch_size=bulk.BATCH)
        bulk.history_rows(HouseholdPledge, created, actor=actor, reason=reason, now=now)
        bulk.history(HouseholdPledge, updated, actor=actor, reason=reason, now=now, update=True)
        return {"created": len(created), "updated": len(updated)}


def register() -> None:
    extensions.register(PledgeColumn())
