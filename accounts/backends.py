"""The authentication backend: Django's, with the user's unit fetched with the user.

Every page shows the signed-in user's unit in the menu (and links to their commune's pages), so the commune,
district or province was a second query on every request. Here it comes in the one query that fetches the user
from the session.
"""

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserWithUnitBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User.objects.select_related("commune", "district", "province").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
