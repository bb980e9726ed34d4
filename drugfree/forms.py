"""Form pieces every app's workspace uses: dates typed as dd/mm/yyyy, as on the paperwork."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A text box showing dd/mm/yyyy: the browser's date picker shows the OS locale's format, not the paperwork's."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class MarksInvalidFields:
    """For forms rendered field by field (table rows): Bootstrap's is-invalid on each field with an error."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class FilterForm:
    """GET filters above a list: every field optional, styled for a one-line Bootstrap row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
