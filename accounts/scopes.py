"""The one scoping layer: what part of the country a user may see, as a Q object over a commune path.

Every app filters personal data with `scope_q(user, "<path to commune>")`, so a record of another commune is
simply absent from the user's querysets (and therefore a 404), never a 403 that confirms it exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role

_NOTHING = Q(pk__in=[])


def scope_q(user, commune_path: str = "commune") -> Q:
    """Q limiting a queryset to rows whose commune (reached through `commune_path`) the user may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_administrator:
        return Q()
    # "" means the queryset is of communes themselves.
    prefix = f"{commune_path}__" if commune_path else ""
    if user.role in (Role.COMMUNE_OFFICER, Role.COMMUNE_VIEWER):
        return Q(**{f"{prefix}id": user.commune_id}) if user.commune_id else _NOTHING
    if user.role == Role.REVIEWER:
        if user.district_id:
            return Q(**{f"{prefix}district_id": user.district_id})
        if user.province_id:
            return Q(**{f"{prefix}province_id": user.province_id})
    if user.role == Role.APPRAISAL_COUNCIL and user.province_id:
        return Q(**{f"{prefix}province_id": user.province_id})
    return _NOTHING


def personal_scope_q(user, commune_path: str = "commune") -> Q:
    """Like scope_q, but empty for roles that may only see aggregates."""
    if user is None or not user.is_authenticated or not user.can_view_personal_data:
        return _NOTHING
    return scope_q(user, commune_path)


def require_write(user) -> None:
    """403 for read-only roles; scope is checked separately (by fetching through scope_q)."""
    if not user.can_write_records:
        raise PermissionDenied("read-only role")


def require_review(user) -> None:
    """403 unless the user confirms communes' figures (`User.may_review`); scope is checked by fetching the commune."""
    if not user.may_review:
        raise PermissionDenied("only reviewers mark months as reviewed")


def require_administrator(user) -> None:
    """403 unless the user manages accounts (administrators)."""
    if not (user.is_active and user.is_administrator):
        raise PermissionDenied("administrators only")
