from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_edit, audited_save
from communes.models import Hamlet
from drugfree.concurrency import ensure_unchanged
from residents.models import Household


@transaction.atomic
def household_create(*, actor, hamlet: Hamlet, **fields) -> Household:
    return audited_save(Household(hamlet=hamlet, commune_id=hamlet.commune_id, **fields), actor=actor)


@transaction.atomic
def household_update(*, actor, household: Household, seen_version: int | None = None, **fields) -> Household:
    """Refused with EditConflict when someone saved the household after `seen_version` was read."""
    return audited_edit(household, actor=actor, seen_version=seen_version, **fields)


@transaction.atomic
def household_move(*, actor, household: Household, hamlet: Hamlet, seen_version: int | None = None) -> Household:
    """Move to another hamlet of the same commune; its members move with it."""
    ensure_unchanged(household, seen_version)
    if hamlet.commune_id != household.commune_id:
        raise ValidationError({"hamlet": _("Chỉ chuyển được sang thôn trong cùng xã.")})
    household.hamlet = hamlet
    audited_save(household, actor=actor)
    for member in household.members.all():
        member.hamlet = hamlet
        audited_save(member, actor=actor, validate=False)
    return household


@transaction.atomic
def household_change_status(
    *, actor, household: Household, status: str, on: date, seen_version: int | None = None
) -> Household:
    """Moved away or dissolved households stop counting as residing; they are never deleted."""
    ensure_unchanged(household, seen_version)
    if on > timezone.localdate():
        raise ValidationError({"status_changed_on": _("Ngày không được ở tương lai.")})
    household.status = status
    household.status_changed_on = on
    return audited_save(household, actor=actor)
