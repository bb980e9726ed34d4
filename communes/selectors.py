"""Communes and hamlets fetched through the user's scope: another commune's is a 404, never a 403 that confirms it.

Two questions, one helper each:
- `commune_for_user(user, code, personal=False)`: a commune the user may see counts of (every role of its area);
  with `personal=True`, one whose households and people the user may see by name (not aggregate-only reviewers).
- `hamlet_for_user(user, pk)`: a hamlet whose households the user may see by name (hamlet pages list households).
"""

from accounts.scopes import personal_scope_q, scope_q
from drugfree.prepared_querysets import PreparedQuery, one_or_404

from .models import Commune, Hamlet

# The queries get_object_or_404(queryset, …) makes (no ordering, 21 rows at most), compiled once per scope
# (drugfree.prepared_querysets): every page about a commune or a hamlet asks one.


@PreparedQuery
def _commune_in_scope(scope, code: str):
    return Commune.objects.filter(scope).select_related("province", "district").filter(code=code).order_by()[:21]


@PreparedQuery
def _hamlet_in_scope(scope, pk: int):
    return Hamlet.objects.filter(scope).select_related("commune").filter(pk=pk).order_by()[:21]


def commune_for_user(user, code: str, *, personal: bool = False) -> Commune:
    scope = personal_scope_q(user, "") if personal else scope_q(user, "")
    return one_or_404(_commune_in_scope(scope, code=code), Commune)


def hamlet_for_user(user, pk: int) -> Hamlet:
    return one_or_404(_hamlet_in_scope(personal_scope_q(user, "commune"), pk=pk), Hamlet)
