from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recognition"
    verbose_name = _("Công nhận xã không ma túy")

    def ready(self):
        from communes.marks import Mark, register

        from . import watch  # noqa: F401  (connects the live watch to the events that can break a criterion)
        from .selectors import commune_statuses

        # The status beside a commune's name on the pages of the apps below (progress's dashboards, the communes
        # list), which must not import recognition.
        register(
            Mark(
                key="recognition",
                label=_("Công nhận"),
                template="recognition/_commune_mark.html",
                fetch=commune_statuses,
                text=lambda status: status.text,
            )
        )
