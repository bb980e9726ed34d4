from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recognition"
    verbose_name = _("Công nhận xã không ma túy")

    def ready(self):
        from accounts.backends import annotate_signed_in_user
        from communes.marks import Mark
        from communes.marks import register as register_mark
        from progress.extensions import register_province_summary
        from progress.metrics import register as register_metric

        from . import watch  # noqa: F401  (connects the live watch to the events that can break a criterion)
        from .province import PROVINCE_METRICS
        from .selectors import OPEN_ALERTS_OF_USER, USER_OPEN_ALERTS, commune_statuses
        from .summaries import roadmap_summary

        # The status beside a commune's name on the pages of the apps below (progress's dashboards, the communes
        # list), which must not import recognition.
        register_mark(
            Mark(
                key="recognition",
                label=_("Công nhận"),
                template="recognition/_commune_mark.html",
                fetch=commune_statuses,
                text=lambda status: status.text,
                # What _status_badge.html shows of a status.
                render_key=lambda status: (
                    status.status,
                    status.label,
                    status.at_risk,
                    status.review_soon,
                    status.review_overdue,
                    status.review_due,
                ),
            )
        )
        # The province level's shares of communes: criteria of a province-level set may use them.
        for metric in PROVINCE_METRICS:
            register_metric(metric)
        # The province dashboard's link to the roadmap, with the progress toward the national goal.
        register_province_summary(roadmap_summary)
        # The menu's count of open alerts, in the query that fetches the signed-in user (no query of its own).
        annotate_signed_in_user(USER_OPEN_ALERTS, OPEN_ALERTS_OF_USER)
