"""Chuyển xã: a person on file in one commune registered by another (see residents.models.transfers)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audited_save
from communes.models import Hamlet
from residents.models import Household, Person, PersonTransfer


@transaction.atomic
def person_transfer_request(
    *,
    actor,
    person: Person,
    hamlet: Hamlet,
    identity: dict,
    household: Household | None = None,
    import_run=None,
) -> PersonTransfer:
    """Open (or keep) the reviewer's task; the officer's commune learns nothing about `person`."""
    open_request = PersonTransfer.objects.filter(
        person=person, to_commune=hamlet.commune, status=PersonTransfer.Status.OPEN
    ).first()
    if open_request is not None:
        return open_request
    transfer = PersonTransfer(
        person=person, to_commune=hamlet.commune, to_hamlet=hamlet, to_household=household, identity=identity,
        import_run=import_run, requested_by=actor,
    )  # fmt: skip
    transfer.full_clean()
    transfer.save()
    return transfer


def _close(transfer: PersonTransfer, *, actor, status: str, note: str) -> PersonTransfer:
    if not PersonTransfer.objects.visible_to(actor).filter(pk=transfer.pk).exists() or actor.is_commune_role:
        raise PermissionDenied("transfer outside the reviewer's area")
    if transfer.status != PersonTransfer.Status.OPEN:
        raise ValidationError(_("Yêu cầu này đã được xử lý."))
    transfer.status, transfer.resolved_by, transfer.resolved_at, transfer.note = status, actor, timezone.now(), note
    transfer.save(update_fields=["status", "resolved_by", "resolved_at", "note"])
    return transfer


@transaction.atomic
def person_transfer_accept(*, actor, transfer: PersonTransfer, note: str = "") -> Person:
    """The person moved: their file (with every dated record) now belongs to the requesting commune."""
    transfer = PersonTransfer.objects.select_for_update().get(pk=transfer.pk)
    _close(transfer, actor=actor, status=PersonTransfer.Status.ACCEPTED, note=note)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    person.commune_id, person.hamlet_id = transfer.to_commune_id, transfer.to_hamlet_id
    person.household_id = transfer.to_household_id
    person._change_reason = _("Chuyển xã theo yêu cầu #%(number)s") % {"number": transfer.pk}
    return audited_save(person, actor=actor)


@transaction.atomic
def person_transfer_reject(*, actor, transfer: PersonTransfer, note: str = "") -> PersonTransfer:
    transfer = PersonTransfer.objects.select_for_update().get(pk=transfer.pk)
    return _close(transfer, actor=actor, status=PersonTransfer.Status.REJECTED, note=note)
