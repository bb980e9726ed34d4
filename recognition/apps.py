from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recognition"
    verbose_name = _("Công nhận xã không ma túy")

    def ready(self):
        from . import watch  # noqa: F401  (connects the live watch to the events that can break a criterion)
