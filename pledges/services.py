"""Writes of the pledges app: a hamlet's pledge checklist in one go, and the commune's programme records."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_delete, audited_edit, audited_save
from drugfree.integrity import describe_integrity_error
from residents.models import Household

from .models import EmulationCompact, HamletCommitment, HouseholdPledge, ModelActivity, PreventionModel

ProgrammeRecord = PreventionModel | ModelActivity | HamletCommitment | EmulationCompact


def pledge_state(pledge: HouseholdPledge | None) -> str:
    """What a checklist row showed for a household: "" (not signed) or "date|representative"."""
    if pledge is None:
        return ""
    return f"{pledge.signed_on.isoformat()}|{pledge.representative_name}"


@dataclass(frozen=True)
class PledgeEntry:
    household: Household
    signed: bool
    signed_on: date | None = None
    representative_name: str = ""
    # The pledge_state() the officer saw when the checklist was loaded; None skips the concurrency check.
    seen: str | None = None


class PledgeConflict(ValidationError):
    """Someone else saved some of these households' pledges after the officer loaded the checklist."""

    def __init__(self, current: dict[int, HouseholdPledge | None]):
        self.current = current  # household id -> the pledge now in the database (or None)
        super().__init__(
            _("%(count)s hộ đã được người khác cập nhật sau khi bạn mở danh sách."), params={"count": len(current)}
        )


class PledgeRowRefused(ValidationError):
    """One household's row broke a rule (checked by the model or, in a race, by the database); nothing was saved."""

    def __init__(self, household: Household, reasons: dict[str | None, list[str]]):
        self.household = household
        self.reasons = reasons  # field of the checklist row (None: the row as a whole) -> messages
        text = " ".join(message for messages in reasons.values() for message in messages)
        super().__init__(_("Hộ %(code)s: %(reason)s"), params={"code": household.code, "reason": text})


@transaction.atomic
def pledges_record(*, actor, year: int, entries: list[PledgeEntry]) -> dict[str, int]:
    """Save a hamlet checklist in one go: create, update or withdraw each household's pledge for `year`.

    Rows whose `seen` state no longer matches the database raise PledgeConflict before anything is written,
    so one officer's save never silently undoes another's.
    """
    existing = {
        pledge.household_id: pledge
        for pledge in HouseholdPledge.objects.select_for_update().filter(
            year=year, household__in=[entry.household for entry in entries]
        )
    }
    conflicts = {
        entry.household.pk: existing.get(entry.household.pk)
        for entry in entries
        if entry.seen is not None and entry.seen != pledge_state(existing.get(entry.household.pk))
    }
    if conflicts:
        raise PledgeConflict(conflicts)
    counts = {"created": 0, "updated": 0, "removed": 0, "unchanged": 0}
    for entry in entries:
        try:
            counts[_record_entry(entry, existing.get(entry.household.pk), actor=actor, year=year)] += 1
        except ValidationError as error:
            reasons = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            raise PledgeRowRefused(entry.household, reasons) from error
        except IntegrityError as error:
            violation = describe_integrity_error(error)
            raise PledgeRowRefused(entry.household, {violation.field: [violation.message]}) from error
    del counts["unchanged"]
    return counts


def _record_entry(entry: PledgeEntry, pledge: HouseholdPledge | None, *, actor, year: int) -> str:
    if not entry.signed:
        if pledge is None:
            return "unchanged"
        audited_delete(pledge, actor=actor)
        return "removed"
    if entry.signed_on is None or not entry.representative_name:
        raise ValidationError(_("cần ngày ký và người đại diện ký."))
    if pledge is None:
        pledge = HouseholdPledge(
            household=entry.household,
            year=year,
            signed_on=entry.signed_on,
            representative_name=entry.representative_name,
        )
        audited_save(pledge, actor=actor)
        return "created"
    if (pledge.signed_on, pledge.representative_name) == (entry.signed_on, entry.representative_name):
        return "unchanged"
    pledge.signed_on = entry.signed_on
    pledge.representative_name = entry.representative_name
    audited_save(pledge, actor=actor)
    return "updated"


@transaction.atomic
def programme_record_save(*, actor, record: ProgrammeRecord, seen_version: int | None = None, **fields):
    """A community model or one of its activities, a hamlet's commitment for a year or an emulation compact, new or
    edited (refused on a colleague's save since `seen_version`); many-to-many fields (hamlets, teams) included."""
    return audited_edit(record, actor=actor, seen_version=seen_version, **fields)
