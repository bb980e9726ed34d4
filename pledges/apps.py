from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Cam kết và mô hình")

    def ready(self):
        from .imports import register

        register()  # the pledge column of household imports (residents.imports.extensions)
