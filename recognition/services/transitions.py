"""The allowed moves of a recognition cycle, in one table (the shape of residents.services.lifecycle)."""

from django.conf import settings
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
    EXPIRE = "expire"
    RENEW = "renew"
    REVOKE = "revoke"


# action: (statuses it starts from, status it leads to; None when the status stays)
TRANSITIONS: dict[str, tuple[set[str], str | None]] = {
    Action.FREEZE_DOSSIER: ({S.REGISTERED, S.RETURNED}, None),
    Action.SUBMIT: ({S.REGISTERED, S.RETURNED}, S.SUBMITTED),
    # The council's first verdict or field check opens the appraisal.
    Action.APPRAISE: ({S.SUBMITTED, S.IN_APPRAISAL}, S.IN_APPRAISAL),
    Action.RETURN: ({S.SUBMITTED, S.IN_APPRAISAL}, S.RETURNED),
    Action.DECIDE: ({S.SUBMITTED, S.IN_APPRAISAL}, None),  # recognised or refused: the decision says which
    # The yearly maintenance review, on time or after the recognition ran out; a confirmed one renews it.
    Action.REVIEW: ({S.RECOGNISED, S.EXPIRED}, None),
    # The nightly job: past `valid_until`, with no confirmed review renewing it.
    Action.EXPIRE: ({S.RECOGNISED}, S.EXPIRED),
    # A confirmed ("giữ vững") maintenance review of an expired recognition.
    Action.RENEW: ({S.EXPIRED}, S.RECOGNISED),
    Action.REVOKE: ({S.RECOGNISED, S.EXPIRED}, S.REVOKED),
}

ACTION_LABELS = {
    Action.FREEZE_DOSSIER: _("Chốt số liệu, lập hồ sơ"),
    Action.SUBMIT: _("Nộp hồ sơ"),
    Action.APPRAISE: _("Thẩm định"),
    Action.RETURN: _("Trả lại để bổ sung"),
    Action.DECIDE: _("Ghi quyết định"),
    Action.REVIEW: _("Rà soát duy trì"),
    Action.EXPIRE: _("Hết hiệu lực"),
    Action.RENEW: _("Công nhận lại sau rà soát"),
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
    return (
        Recognition.objects.select_for_update(of=("self",)).select_related("commune", "hamlet").get(pk=recognition.pk)
    )


def _in_roles(user, names) -> bool:
    return user.is_active and (user.is_administrator or user.role in names)


def _commune_leader(user, recognition: Recognition, roles) -> bool:
    """A leader's account (User.is_unit_leader) of the cycle's commune, with one of the configured roles."""
    return user.is_active and user.is_unit_leader and user.role in roles and user.commune_id == recognition.commune_id


def may_appraise(user, recognition: Recognition) -> bool:
    """Verdicts, field checks, returns: the council (RECOGNITION_APPRAISE_ROLES) for a commune; for a hamlet, which
    the commune recognises, its leader (RECOGNITION_HAMLET_DECIDE_ROLES)."""
    if recognition.hamlet_id:
        return user.is_administrator or _commune_leader(user, recognition, settings.RECOGNITION_HAMLET_DECIDE_ROLES)
    return _in_roles(user, settings.RECOGNITION_APPRAISE_ROLES)


def may_decide(user, recognition: Recognition) -> bool:
    """Decisions, maintenance reviews, revocations, closing alerts: RECOGNITION_DECIDE_ROLES for a commune; the
    commune's leader for a hamlet."""
    if recognition.hamlet_id:
        return may_appraise(user, recognition)
    return _in_roles(user, settings.RECOGNITION_DECIDE_ROLES)


def require_appraiser(user, recognition: Recognition) -> None:
    if not may_appraise(user, recognition):
        raise PermissionDenied("only the appraisal council (the commune's leader for a hamlet) appraises")


def require_decider(user, recognition: Recognition) -> None:
    if not may_decide(user, recognition):
        raise PermissionDenied("only the deciding authority (the commune's leader for a hamlet) decides")


def may_approve(user, recognition: Recognition) -> bool:
    """The commune's leader approves its dossiers (of the commune and of its hamlets): RECOGNITION_SUBMIT_ROLES."""
    return user.is_administrator or _commune_leader(user, recognition, settings.RECOGNITION_SUBMIT_ROLES)
