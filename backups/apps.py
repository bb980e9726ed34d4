from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Whole-database backup and restore (`manage.py backup`, `manage.py restore`): depends on every app (a restore
    recounts the progress tallies), nothing depends on it."""

    name = "backups"
    verbose_name = _("Sao lưu")
