"""Writes on hotspots: their status only moves along the transitions below, and every move is in the history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_save

from .models import Hotspot, HotspotStatusChange

Status = Hotspot.Status

# Detected → being dealt with → cleared; a cleared place can re-emerge (detected again).
HOTSPOT_TRANSITIONS: dict[str, list[str]] = {
    Status.DETECTED: [Status.DEALING, Status.CLEARED],
    Status.DEALING: [Status.CLEARED],
    Status.CLEARED: [Status.DETECTED],
}


@transaction.atomic
def hotspot_create(*, actor, hotspot: Hotspot) -> Hotspot:
    """Save a newly detected hotspot with the first entry of its status history."""
    hotspot.status = Status.DETECTED
    audited_save(hotspot, actor=actor)
    HotspotStatusChange.objects.create(
        hotspot=hotspot, status=Status.DETECTED, changed_on=hotspot.detected_on, recorded_by=actor
    )
    return hotspot


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
