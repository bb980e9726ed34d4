"""The authentication backend: Django's, with the user's unit fetched with the user.

Every page shows the signed-in user's unit in the menu (and links to their commune's pages), so the commune,
district or province was a second query on every request. Here it comes in the one query that fetches the user
from the session.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from .models import User

_ANNOTATIONS: dict[str, RawSQL] = {}


def annotate_signed_in_user(name: str, expression: RawSQL) -> None:
    """Called from a higher app's `AppConfig.ready()`: the user fetched for every request carries `name`, computed
    by the database in that same query (a figure the menu shows on every page, at no query of its own).

    Raw SQL over the outer row's columns (`accounts_user.<column>`), because it is compiled on every request: the
    same subquery built with the ORM (OuterRef, lookups) cost ~2.4 ms of Python each time, more than a query of
    its own. Registering the same name again replaces the expression."""
    _ANNOTATIONS[name] = expression


class UserWithUnitBackend(ModelBackend):
    def get_user(self, user_id):
        users = User.objects.select_related("commune", "district", "province").annotate(**_ANNOTATIONS)
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
