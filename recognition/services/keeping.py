"""After the decision: the watch's alerts, the yearly maintenance review, revocation."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audited_save
from recognition.models import Alert, MaintenanceReview, Recognition, Revocation

from .transitions import Action, lock, move, require, require_decider


@transaction.atomic
def close_alert(*, alert: Alert, note: str, actor) -> Alert:
    """The province has dealt with the event (the criterion holds again, or the revocation follows)."""
    require_decider(actor, alert.recognition)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.closed_at is not None:
        raise ValidationError(_("Cảnh báo đã được đóng."))
    alert.closed_at, alert.closed_by, alert.closing_note = timezone.now(), actor, note
    return audited_save(alert, actor=actor)


@transaction.atomic
def record_review(
    *, recognition: Recognition, year: int, reviewed_on: date, findings: str, unmet: list[str], actor
) -> MaintenanceReview:
    """The yearly re-confirmation: "giữ vững" when every criterion holds on the day, else "nguy cơ"."""
    require_decider(actor, recognition)
    recognition = lock(recognition)
    require(recognition, Action.REVIEW)
    if recognition.reviews.filter(year=year).exists():
        raise ValidationError(_("Năm %(year)s đã được rà soát.") % {"year": year})
    outcome = MaintenanceReview.Outcome.AT_RISK if unmet else MaintenanceReview.Outcome.CONFIRMED
    review = MaintenanceReview(
        recognition=recognition,
        year=year,
        reviewed_on=reviewed_on,
        outcome=outcome,
        unmet_criteria=unmet,
        findings=findings,
        reviewed_by=actor,
    )
    return audited_save(review, actor=actor)


@transaction.atomic
def revoke(*, recognition: Recognition, number: str, signed_on: date, signer: str, reasons: str, actor) -> Revocation:
    """Thu hồi: the cycle ends with the decision's number and reasons; open alerts close with it."""
    require_decider(actor, recognition)
    recognition = lock(recognition)
    require(recognition, Action.REVOKE)
    revocation = Revocation(
        recognition=recognition, number=number, signed_on=signed_on, signer=signer, reasons=reasons, recorded_by=actor
    )
    audited_save(revocation, actor=actor)
    move(recognition, Action.REVOKE, actor=actor)
    note = _("Đóng theo quyết định thu hồi %(number)s") % {"number": number}
    for alert in recognition.alerts.open():
        alert.closed_at, alert.closed_by, alert.closing_note = timezone.now(), actor, note
        audited_save(alert, actor=actor, validate=False)
    return revocation
