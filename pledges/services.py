from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from residents.models import Household
from residents.services.audit import audited_save

from .models import HouseholdPledge


@dataclass(frozen=True)
class PledgeEntry:
    household: Household
    signed: bool
    signed_on: date | None = None
    representative_name: str = ""


@transaction.atomic
def pledges_record(*, actor, year: int, entries: list[PledgeEntry]) -> dict[str, int]:
    """Save a hamlet checklist in one go: create, update or withdraw each household's pledge for `year`."""
    existing = {
        pledge.household_id: pledge
        for pledge in HouseholdPledge.objects.select_for_update().filter(
            year=year, household__in=[entry.household for entry in entries]
        )
    }
    counts = {"created": 0, "updated": 0, "removed": 0}
    for entry in entries:
        pledge = existing.get(entry.household.pk)
        if not entry.signed:
            if pledge is not None:
                pledge._history_user = actor
                pledge.delete()
                counts["removed"] += 1
            continue
        if entry.signed_on is None or not entry.representative_name:
            raise ValidationError(
                _("Hộ %(code)s: cần ngày ký và người đại diện ký."), params={"code": entry.household.code}
            )
        if pledge is None:
            audited_save(
                HouseholdPledge(
                    household=entry.household,
                    year=year,
                    signed_on=entry.signed_on,
                    representative_name=entry.representative_name,
                ),
                actor=actor,
            )
            counts["created"] += 1
        elif (pledge.signed_on, pledge.representative_name) != (entry.signed_on, entry.representative_name):
            pledge.signed_on = entry.signed_on
            pledge.representative_name = entry.representative_name
            audited_save(pledge, actor=actor)
            counts["updated"] += 1
    return counts
