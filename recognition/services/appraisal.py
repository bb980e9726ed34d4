"""The council's side: verdicts per criterion, the field check, a return for supplements, the decision."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audited_save
from recognition.models import Decision, Dossier, DossierCriterion, FieldInspection, Recognition, Verdict

from .transitions import Action, lock, move, require, require_appraiser, require_decider


def _submitted(dossier: Dossier) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.state != Dossier.State.SUBMITTED:
        raise ValidationError(_("Chỉ thẩm định hồ sơ đã nộp."))
    return dossier


@transaction.atomic
def give_verdict(*, criterion: DossierCriterion, result: str, comment: str, actor) -> Verdict:
    """Đạt / không đạt / cần bổ sung on one frozen criterion; the first one opens the appraisal."""
    recognition = criterion.dossier.recognition
    require_appraiser(actor, recognition)
    recognition = lock(recognition)
    _submitted(criterion.dossier)
    move(recognition, Action.APPRAISE, actor=actor)
    verdict = Verdict.objects.filter(criterion=criterion).first() or Verdict(criterion=criterion)
    verdict.result, verdict.comment, verdict.given_by = result, comment.strip(), actor
    return audited_save(verdict, actor=actor)


@transaction.atomic
def record_inspection(*, dossier: Dossier, inspected_on: date, members: str, findings: str, actor) -> FieldInspection:
    require_appraiser(actor, dossier.recognition)
    recognition = lock(dossier.recognition)
    dossier = _submitted(dossier)
    if inspected_on > timezone.localdate():
        raise ValidationError(_("Ngày kiểm tra không được sau hôm nay."))
    move(recognition, Action.APPRAISE, actor=actor)
    inspection = FieldInspection(
        dossier=dossier, inspected_on=inspected_on, members=members, findings=findings, recorded_by=actor
    )
    return audited_save(inspection, actor=actor)


def supplement_requests(dossier: Dossier) -> list[Verdict]:
    return list(
        Verdict.objects.filter(criterion__dossier=dossier)
        .exclude(result=Verdict.Result.PASS)
        .select_related("criterion")
        .order_by("criterion__order")
    )


@transaction.atomic
def return_dossier(*, dossier: Dossier, reasons: str, actor) -> Dossier:
    """Back to the commune with the reasons; the criteria judged "cần bổ sung"/"không đạt" are listed with it."""
    require_appraiser(actor, dossier.recognition)
    recognition = lock(dossier.recognition)
    dossier = _submitted(dossier)
    if not reasons.strip():
        raise ValidationError(_("Hãy nêu lý do trả lại và nội dung cần bổ sung."))
    move(recognition, Action.RETURN, actor=actor)
    dossier.state, dossier.return_reasons = Dossier.State.RETURNED, reasons.strip()
    dossier.returned_by, dossier.returned_at = actor, timezone.now()
    dossier.full_clean()
    return audited_save(dossier, actor=actor, validate=False, update_fields=sorted(Dossier.WRITABLE_AFTER_SUBMISSION))


@transaction.atomic
def record_decision(
    *,
    recognition: Recognition,
    outcome: str,
    number: str,
    signed_on: date,
    signer: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
    note: str = "",
    actor,
) -> Decision:
    """Recognised (every criterion judged "đạt") or refused, with the period a recognition holds (by default
    RECOGNITION_VALID_MONTHS from its start)."""
    require_decider(actor, recognition)
    recognition = lock(recognition)
    require(recognition, Action.DECIDE)
    dossier = recognition.dossiers.filter(state=Dossier.State.SUBMITTED).order_by("-number").first()
    if dossier is None:
        raise ValidationError(_("Không có hồ sơ đang thẩm định."))
    if outcome == Decision.Outcome.RECOGNISED:
        _require_every_criterion_passed(dossier)
        valid_from = valid_from or signed_on
        valid_until = valid_until or valid_from + relativedelta(months=settings.RECOGNITION_VALID_MONTHS, days=-1)
    decision = Decision(
        recognition=recognition,
        dossier=dossier,
        outcome=outcome,
        number=number,
        signed_on=signed_on,
        signer=signer,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
        recorded_by=actor,
    )
    audited_save(decision, actor=actor)
    to = Recognition.Status.RECOGNISED if outcome == Decision.Outcome.RECOGNISED else Recognition.Status.REFUSED
    # Saved with the new status: how long the recognition holds (maintenance reviews move it on).
    recognition.valid_until = valid_until if to == Recognition.Status.RECOGNISED else None
    move(recognition, Action.DECIDE, actor=actor, to=to)
    return decision


def _require_every_criterion_passed(dossier: Dossier) -> None:
    judged = dict(Verdict.objects.filter(criterion__dossier=dossier).values_list("criterion_id", "result"))
    missing = [c.title for c in dossier.criteria.all() if judged.get(c.pk) != Verdict.Result.PASS]
    if missing:
        raise ValidationError(
            _("Chưa thể công nhận: các tiêu chí chưa được hội đồng kết luận đạt: %(titles)s.")
            % {"titles": "; ".join(missing)}
        )
