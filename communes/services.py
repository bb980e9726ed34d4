"""Writes on the commune's records of places: a hotspot's status only moves along the transitions below, and every
move is in the history; plant destructions and trafficking routes have no rule beyond their model's."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_edit, audited_save

from .models import DrugPlantEradication, Hotspot, HotspotStatusChange, TraffickingRoute

Status = Hotspot.Status

# Detected → being dealt with → cleared; a cleared place can re-emerge (detected again).
HOTSPOT_TRANSITIONS: dict[str, list[str]] = {
    Status.DETECTED: [Status.DEALING, Status.CLEARED],
    Status.DEALING: [Status.CLEARED],
    Status.CLEARED: [Status.DETECTED],
}


@transaction.atomic
def hotspot_save(*, actor, record: Hotspot, seen_version: int | None = None, **fields) -> Hotspot:
    """A new hotspot is saved as detected, with the first entry of its status history; an edit (refused on a
    colleague's save since `seen_version`) changes what was found, never the status (hotspot_change_status does)."""
    new = record._state.adding
    if new:
        record.status = Status.DETECTED
    audited_edit(record, actor=actor, seen_version=seen_version, **fields)
    if new:
        HotspotStatusChange.objects.create(
            hotspot=record, status=Status.DETECTED, changed_on=record.detected_on, recorded_by=actor
        )
    return record


@transaction.atomic
def place_record_save(
    *, actor, record: DrugPlantEradication | TraffickingRoute, seen_version: int | None = None, **fields
) -> DrugPlantEradication | TraffickingRoute:
    """A plant destruction or a trafficking route, new or edited (refused on a colleague's save since
    `seen_version`): their model's rules, checked by full_clean, are all there is to check."""
    return audited_edit(record, actor=actor, seen_version=seen_version, **fields)


@transaction.atomic
def hotspot_change_status(
    *, actor, hotspot: Hotspot, status: str, changed_on: date, note: str = "", seen_status: str | None = None
) -> HotspotStatusChange:
    hotspot = Hotspot.objects.select_for_update().get(pk=hotspot.pk)
    if seen_status is not None and hotspot.status != seen_status:
        raise ValidationError(
            _("Người khác vừa chuyển tụ điểm sang “%(status)s”. Xem lại diễn biến trước khi cập nhật."),
            params={"status": hotspot.get_status_display()},
        )
    if status not in HOTSPOT_TRANSITIONS[hotspot.status]:
        raise ValidationError(
            _("Không thể chuyển từ “%(current)s” sang “%(new)s”."),
            params={"current": hotspot.get_status_display(), "new": Status(status).label},
        )
    last = hotspot.status_changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
    last = max(filter(None, [last, hotspot.detected_on]))
    if changed_on < last:
        message = ValidationError(
            _("Ngày không được trước lần cập nhật gần nhất (%(date)s)."), params={"date": last.strftime("%d/%m/%Y")}
        )
        raise ValidationError({"changed_on": message})
    if status == Status.DEALING:
        hotspot.dealing_since = changed_on
    elif status == Status.CLEARED:
        hotspot.cleared_on = changed_on
    else:  # re-emerged: a new detection, the earlier episode stays in the status history
        hotspot.detected_on, hotspot.dealing_since, hotspot.cleared_on = changed_on, None, None
    hotspot.status = status
    audited_save(hotspot, actor=actor)
    return HotspotStatusChange.objects.create(
        hotspot=hotspot, status=status, changed_on=changed_on, note=note, recorded_by=actor
    )


def allowed_statuses(hotspot: Hotspot) -> list[str]:
    return HOTSPOT_TRANSITIONS[hotspot.status]
