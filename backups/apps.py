from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Whole-database backup and restore (`manage.py backup`, `manage.py restore`): depends on every app (a restore
    recounts the progress tallies), nothing depends on it."""

    name = "backups"
    verbose_name = "Sao lưu"
