from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The commune officer's home: work queue and hamlet/household overview (reads residents and pledges)."""

    name = "workspace"
    verbose_name = _("Bàn làm việc của công an xã")
