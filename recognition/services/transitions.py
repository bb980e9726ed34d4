"""The allowed moves of a recognition cycle, in one table (the shape of residents.services.lifecycle)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.audit import audited_save
from recognition.models import Recognition

S = Recognition.Status


class Action:
    FREEZE_DOSSIER = "freeze_dossier"
    SUBMIT = "submit"
    APPRAISE = "appraise"
    RETURN = "return"
    DECIDE = "decide"
    REVIEW = "review"
    REVOKE = "revoke"


# action: (statuses it starts from, status it leads to; None when the status stays)
TRANSITIONS: dict[str, tuple[set[str], str | None]] = {
    Action.FREEZE_DOSSIER: ({S.REGISTERED, S.RETURNED}, None),
    Action.SUBMIT: ({S.REGISTERED, S.RETURNED}, S.SUBMITTED),
    # The council's first verdict or field check opens the appraisal.
    Action.APPRAISE: ({S.SUBMITTED, S.IN_APPRAISAL}, S.IN_APPRAISAL),
    Action.RETURN: ({S.SUBMITTED, S.IN_APPRAISAL}, S.RETURNED),
    Action.DECIDE: ({S.SUBMITTED, S.IN_APPRAISAL}, None),  # recognised or refused: the decision says which
    Action.REVIEW: ({S.RECOGNISED}, None),
    Action.REVOKE: ({S.RECOGNISED}, S.REVOKED),
}

ACTION_LABELS = {
    Action.FREEZE_DOSSIER: _("Chốt số liệu, lập hồ sơ"),
    Action.SUBMIT: _("Nộp hồ sơ"),
    Action.APPRAISE: _("Thẩm định"),
    Action.RETURN: _("Trả lại để bổ sung"),
    Action.DECIDE: _("Ghi quyết định"),
    Action.REVIEW: _("Rà soát duy trì"),
    Action.REVOKE: _("Thu hồi"),
}


def allowed(recognition: Recognition, action: str) -> bool:
    return recognition.status in TRANSITIONS[action][0]


def require(recognition: Recognition, action: str) -> None:
    if not allowed(recognition, action):
        raise ValidationError(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": ACTION_LABELS[action], "status": recognition.get_status_display()}
        )


def move(recognition: Recognition, action: str, *, actor, to: str | None = None) -> Recognition:
    """Check the move against the table and save the new status (the caller holds the row lock)."""
    require(recognition, action)
    target = to or TRANSITIONS[action][1]
    if target and target != recognition.status:
        recognition.status = target
        audited_save(recognition, actor=actor)
    return recognition


def lock(recognition: Recognition) -> Recognition:
    """The cycle's row, locked for the rest of the transaction: two clicks never move it twice."""
    return Recognition.objects.select_for_update().select_related("commune", "hamlet").get(pk=recognition.pk)


def may_decide(user, recognition: Recognition) -> bool:
    """A commune's cycle is appraised and decided by the province's council; a hamlet's by its commune's leader."""
    if not user.is_active:
        return False
    if user.is_administrator:
        return True
    if recognition.hamlet_id:
        return user.is_commune_role and user.can_write_records and user.is_unit_leader
    return user.may_appraise


def require_decider(user, recognition: Recognition) -> None:
    if not may_decide(user, recognition):
        raise PermissionDenied("only the appraisal council (the commune's leader for a hamlet) decides")


def may_approve(user, recognition: Recognition) -> bool:
    """The commune's leader approves its dossiers (of the commune and of its hamlets)."""
    return user.is_active and (
        user.is_administrator
        or (user.is_commune_role and user.commune_id == recognition.commune_id and user.is_unit_leader)
    )
