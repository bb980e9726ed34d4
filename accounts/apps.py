from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self):
        # Connects the login receiver that decides a session's second-factor state.
        from . import second_factor  # noqa: F401
