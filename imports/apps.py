from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Household and pledge lists in and out of spreadsheets: sits above residents and pledges, beside `workspace`."""

    name = "imports"
    verbose_name = _("Nhập và xuất danh sách")
