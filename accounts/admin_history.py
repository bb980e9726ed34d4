"""The history page's "what changed" column in the words of the forms, not the database's.

django-simple-history shows raw values: "addict → in_treatment", "None → 2026-02-20", "False → True". An officer
reads the choice's label, an empty value as a dash, Có/Không and dates as dd/mm/yyyy, as on the change form.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class ReadableChangesHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return EMPTY
        if isinstance(value, DeletedObject) and value.pk is None:
            # An empty foreign key, which django-simple-history calls "Deleted user (pk=None)".
            return EMPTY
        if getattr(field, "flatchoices", None):
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, date):
            return date_format(value, "SHORT_DATE_FORMAT")
        return super().prepare_delta_change_value(change, value)
