"""After the decision: the watch's alerts, the yearly maintenance review, revocation."""

import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audited_save
from recognition.models import Alert, MaintenanceReview, Recognition, Revocation

from .transitions import Action, lock, move, require, require_decider

log = logging.getLogger(__name__)


def renewed_until(reviewed_on: date) -> date:
    """A confirmed maintenance review makes the recognition hold RECOGNITION_VALID_MONTHS from its date."""
    return reviewed_on + relativedelta(months=settings.RECOGNITION_VALID_MONTHS, days=-1)


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
    audited_save(review, actor=actor)
    if outcome == MaintenanceReview.Outcome.CONFIRMED:
        # Renewed: it holds on from the review (never shortened by an early one), and an expired one is back.
        until = max(recognition.valid_until or reviewed_on, renewed_until(reviewed_on))
        changed, recognition.valid_until = until != recognition.valid_until, until
        if recognition.status == Recognition.Status.EXPIRED:
            move(recognition, Action.RENEW, actor=actor)
        elif changed:
            audited_save(recognition, actor=actor)
    return review


def expire_lapsed(*, today: date) -> list[Recognition]:
    """The nightly job: every recognition still stored as recognised whose validity ended before `today`
    (Vietnam's date) moves to "hết hiệu lực", one cycle at a time under its row lock, with no user in its history
    (the system). Idempotent: a second run finds nothing."""
    expired = []
    for pk in Recognition.objects.lapsed(today).values_list("pk", flat=True):
        with transaction.atomic():
            recognition = lock(Recognition(pk=pk))
            if recognition.lapsed(today):  # a review may have renewed it since the list was read
                expired.append(move(recognition, Action.EXPIRE, actor=None))
    if expired:
        log.info("recognition: %s recognition(s) expired on %s", len(expired), today)
    return expired


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
