"""The authentication backend: Django's, with the user's unit fetched with the user.

Every page shows the signed-in user's unit in the menu (and links to their commune's pages), so the commune,
district or province was a second query on every request. Here it comes in the one query that fetches the user
from the session. That query is the same on every request but for the user's id: the ORM compiles it once per
process (drugfree.prepared_querysets), not on every request (~1 ms of Python a page, issue 17).
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from drugfree.prepared_querysets import PreparedQuery

from .models import User

_ANNOTATIONS: dict[str, RawSQL] = {}


def annotate_signed_in_user(name: str, expression: RawSQL) -> None:
    """Called from a higher app's `AppConfig.ready()`: the user fetched for every request carries `name`, computed
    by the database in that same query (a figure the menu shows on every page, at no query of its own).

    Raw SQL over the outer row's columns (`accounts_user.<column>`): the same subquery built with the ORM
    (OuterRef, lookups) cost ~2.4 ms of Python to compile. Registering the same name again replaces the
    expression."""
    _ANNOTATIONS[name] = expression
    _signed_in_user.forget()


def signed_in_users():
    """The queryset the backend fetches a signed-in user from: with their unit and the annotations."""
    return User.objects.select_related("commune", "district", "province").annotate(**_ANNOTATIONS)


_signed_in_user = PreparedQuery(lambda pk: signed_in_users().filter(pk=pk))


class UserWithUnitBackend(ModelBackend):
    def get_user(self, user_id):
        user = next(iter(_signed_in_user(pk=user_id)), None)
        return user if user is not None and self.user_can_authenticate(user) else None
