"""What the cycle's and the dossier's pages show to a given user: the records, and the forms their role may use."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from . import forms
from .models import CommuneStatus, Dossier, DossierCriterion, Evidence
from .selectors import unit_status
from .services.appraisal import supplement_requests
from .services.transitions import Action, allowed, may_appraise, may_approve, may_decide


def _writer(user, recognition) -> bool:
    return user.can_write_records and (user.is_administrator or user.commune_id == recognition.commune_id)


def _related(recognition, name):
    try:
        return getattr(recognition, name)
    except ObjectDoesNotExist:
        return None


def cycle_context(user, recognition) -> dict:
    writer, decider = _writer(user, recognition), may_decide(user, recognition)
    decision = _related(recognition, "decision")
    reviews = list(recognition.reviews.select_related("reviewed_by"))
    status = unit_status(recognition.commune, recognition.hamlet)
    # The unit's status is this cycle's unless a later cycle followed it (after a refusal or a revocation).
    current = status.recognition is not None and status.recognition.pk == recognition.pk
    return {
        "review_due": status.review_due if current else None,
        "review_soon": current and status.review_soon,
        "expired": current and status.status == CommuneStatus.EXPIRED,
        "recognition": recognition,
        "status": status,
        "dossiers": list(recognition.dossiers.select_related("approved_by", "submitted_by").order_by("-number")),
        "decision": decision,
        "revocation": _related(recognition, "revocation"),
        "reviews": reviews,
        "alerts": list(recognition.alerts.select_related("closed_by")),
        "may_decide": decider,
        "freeze_form": forms.FreezeForm() if writer and allowed(recognition, Action.FREEZE_DOSSIER) else None,
        "decision_form": forms.DecisionForm() if decider and allowed(recognition, Action.DECIDE) else None,
        "review_form": forms.ReviewForm() if decider and allowed(recognition, Action.REVIEW) else None,
        "revoke_form": forms.RevokeForm() if decider and allowed(recognition, Action.REVOKE) else None,
    }


def dossier_context(user, dossier: Dossier) -> dict:
    recognition = dossier.recognition
    writer, appraiser = _writer(user, recognition), may_appraise(user, recognition)
    evidence = Evidence.objects.filter(dossier=dossier).select_related("uploaded_by")
    criteria = list(
        DossierCriterion.objects.filter(dossier=dossier)
        .select_related("verdict__given_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )
    editable = dossier.is_editable and writer
    appraising = appraiser and dossier.state == Dossier.State.SUBMITTED
    return {
        "dossier": dossier,
        "recognition": recognition,
        "criteria": criteria,
        "unmet": [c for c in criteria if not c.met],
        "general_evidence": [e for e in evidence if e.criterion_id is None],
        "inspections": list(dossier.inspections.select_related("recorded_by")),
        "requests": supplement_requests(dossier) if dossier.state == Dossier.State.RETURNED else [],
        "may_see_names": user.can_view_personal_data,
        "may_open_evidence": user.can_view_personal_data or appraiser,
        "texts_form": _texts_form(dossier) if editable else None,
        "evidence_form": forms.EvidenceForm(dossier=dossier) if editable else None,
        "may_submit": editable,
        "may_approve": dossier.is_editable and dossier.state == Dossier.State.DRAFT and may_approve(user, recognition),
        "appraising": appraising,
        "verdict_form": forms.VerdictForm() if appraising else None,
        "inspection_form": forms.InspectionForm() if appraising else None,
        "return_form": forms.ReturnForm() if appraising else None,
    }


def _texts_form(dossier: Dossier) -> forms.TextsForm:
    return forms.TextsForm(initial={"self_assessment": dossier.self_assessment, "proposal": dossier.proposal})
