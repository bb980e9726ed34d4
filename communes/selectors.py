"""Communes and hamlets fetched through the user's scope: another commune's is a 404, never a 403 that confirms it.

Two questions, one helper each:
- `commune_for_user(user, code, personal=False)`: a commune the user may see counts of (every role of its area);
  with `personal=True`, one whose households and people the user may see by name (not aggregate-only reviewers).
- `hamlet_for_user(user, pk)`: a hamlet whose households the user may see by name (hamlet pages list households).
"""

from django.shortcuts import get_object_or_404

from accounts.scopes import personal_scope_q, scope_q

from .models import Commune, Hamlet


def commune_for_user(user, code: str, *, personal: bool = False) -> Commune:
    scope = personal_scope_q(user, "") if personal else scope_q(user, "")
    return get_object_or_404(Commune.objects.filter(scope).select_related("province", "district"), code=code)


def hamlet_for_user(user, pk: int) -> Hamlet:
    return get_object_or_404(Hamlet.objects.filter(personal_scope_q(user, "commune")).select_related("commune"), pk=pk)
