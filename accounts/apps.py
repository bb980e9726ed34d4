from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self):
        # Connects the login receiver that decides a session's second-factor state.
        from . import (
            db,  # noqa: F401  (registers the access log guard's SQLite function)
            second_factor,  # noqa: F401
        )


class ScopedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of accounts.admin_site (listed in INSTALLED_APPS in its place)."""

    default = False
    default_site = "accounts.admin_site.ScopedAdminSite"
