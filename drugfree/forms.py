"""Form pieces every app's pages use: dates typed as dd/mm/yyyy, as on the paperwork; service errors next to
their fields; edits refused on a concurrent change."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .concurrency import Difference, EditConflict
from .integrity import describe_integrity_error


class DateInput(forms.DateInput):
    """A text box showing dd/mm/yyyy: the browser's date picker shows the OS locale's format, not the paperwork's.
    static/js/dates.js adds a calendar (flatpickr) to every box marked data-datepicker; typing still works."""

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-datepicker": "",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y")


def dates_as_text(form: forms.Form) -> None:
    """Every date field of the form typed as dd/mm/yyyy (see DateInput)."""
    for form_field in form.fields.values():
        if isinstance(form_field, forms.DateField):
            form_field.widget = DateInput(attrs=form_field.widget.attrs)


class MarksInvalidFields:
    """For forms rendered field by field (table rows): Bootstrap's is-invalid on each field with an error."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_integrity_error(form: forms.Form, error: IntegrityError) -> None:
    """A database rule the form could not check beforehand (a race): its message next to its field if shown."""
    violation = describe_integrity_error(error)
    if violation.field in form.fields:
        form.add_error(violation.field, violation.message)
    else:
        form.add_error(None, violation.text)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@dataclass
class Submission:
    form: forms.Form
    saved: object = None
    ok: bool = False
    conflict: list[Difference] = field(default_factory=list)


def submit(form: forms.Form, save: Callable[[dict], object], *, formset=None) -> Submission:
    """Validate, then run `save(cleaned_data)` atomically (nothing half-saved).

    A service's ValidationError (or a database rule's IntegrityError) lands next to its fields; an EditConflict gives
    back the officer's form rebased on the current version, with the differences to show. An inline `formset` of
    the record's children is checked against the record as submitted; `save` saves both or neither.
    """
    valid = form.is_valid()
    if formset is not None:
        formset.instance = form.instance
        valid = formset.is_valid() and valid
    if not valid:
        return Submission(form)
    try:
        with transaction.atomic():
            saved = save(form.cleaned_data)
    except EditConflict as conflict:
        rows = form.conflict_differences(conflict.current)
        return Submission(form.rebased_on(conflict.current), conflict=rows)
    except ValidationError as error:
        add_service_errors(form, error)
        return Submission(form)
    except IntegrityError as error:
        add_integrity_error(form, error)
        return Submission(form)
    return Submission(form, saved=saved, ok=True)


class FilterForm:
    """GET filters above a list: every field optional, styled for a one-line Bootstrap row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.required = False
            css = "form-select" if isinstance(form_field.widget, forms.Select) else "form-control"
            form_field.widget.attrs["class"] = css
