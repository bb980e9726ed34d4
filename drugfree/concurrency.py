"""Optimistic concurrency for records edited through forms.

A form carries the version it was read at; the service locks the row and refuses the save if the version moved,
so two officers editing the same record at once never silently lose a change. The second officer is told and
shown the difference (field, their value, your value), and saves again knowingly.
"""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class EditConflict(Exception):
    """Someone saved the record after this form was opened; `current` is the row as it is now."""

    def __init__(self, current: Versioned):
        super().__init__(f"{current._meta.label} {current.pk} changed (now version {current.version})")
        self.current = current


def ensure_unchanged(instance: Versioned, seen_version: int | None) -> None:
    """Lock the row; refuse when it moved past `seen_version` (None: the caller does not track versions)."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if seen_version is not None and current.version != seen_version:
        raise EditConflict(current)
    # The in-memory instance may have been read before the lock: continue from the locked version.
    instance.version = current.version


class VersionedFormMixin:
    """Adds the hidden `seen_version` field, initialised from the instance (or from `record=` for plain forms)."""

    def __init__(self, *args, record: Versioned | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        record = record if record is not None else getattr(self, "instance", None)
        self.fields["seen_version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=getattr(record, "version", None)
        )

    def rebased_on(self, current: Versioned):
        """The same form, bound to the officer's values but carrying the current version: saving again overwrites."""
        data = self.data.copy()
        data[self.add_prefix("seen_version")] = current.version
        kwargs = {"instance": current} if isinstance(self, forms.ModelForm) else {"record": current}
        rebased = type(self)(data, **self._rebase_kwargs(), **kwargs)
        rebased.is_valid()
        return rebased

    def conflict_differences(self, current: Versioned) -> list["Difference"]:
        return differences(self, current)

    def _rebase_kwargs(self) -> dict:
        """Extra constructor arguments of a subclass (e.g. the commune a choice is limited to)."""
        return {}


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


def _shown(field: forms.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, forms.BooleanField):
        return str(_("Có") if value else _("Không"))
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        return date_format(value, "d/m/Y")
    return str(value)


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    return None if value == "" else value


def differences(form: forms.Form, current: Versioned) -> list[Difference]:
    """Fields the other officer changed since the form was opened and where the two values now disagree.

    Without a history row of the version the officer saw, every field where the saved and submitted values differ.
    """
    seen = _seen_snapshot(current, form.cleaned_data.get("seen_version"))
    rows = []
    for name, field in form.fields.items():
        if name == "seen_version" or name not in form.cleaned_data or not hasattr(current, name):
            continue
        theirs, yours = getattr(current, name), form.cleaned_data[name]
        if seen is not None and _comparable(getattr(seen, name, None)) == _comparable(theirs):
            continue  # nobody else touched this field: the officer's value is simply their edit
        if _comparable(theirs) != _comparable(yours):
            rows.append(Difference(str(field.label), _shown(field, theirs), _shown(field, yours)))
    return rows


def _seen_snapshot(current: Versioned, seen_version: int | None):
    history = getattr(current, "history", None)
    if history is None or seen_version is None:
        return None
    return history.filter(version=seen_version).first()


def changes_since(current: Versioned, seen_version: int) -> list[Difference]:
    """What others changed on the record since `seen_version`, from its history (theirs: now; yours: as you saw it)."""
    seen = _seen_snapshot(current, seen_version)
    if seen is None:
        return []
    rows = []
    for model_field in current._meta.concrete_fields:
        if not model_field.editable or model_field.name in {"id", "version"}:
            continue
        theirs, yours = getattr(current, model_field.attname), getattr(seen, model_field.attname, None)
        if theirs != yours:
            display = f"get_{model_field.name}_display"
            if model_field.choices:
                theirs_shown = getattr(current, display)()
                yours_shown = str(dict(model_field.flatchoices).get(yours, yours))
            elif model_field.is_relation:
                # Name the related rows, not their ids (the historical row keeps the same relation).
                theirs_shown = _plain(getattr(current, model_field.name))
                yours_shown = _plain(getattr(seen, model_field.name, None))
            else:
                theirs_shown, yours_shown = _plain(theirs), _plain(yours)
            rows.append(Difference(str(model_field.verbose_name), theirs_shown, yours_shown))
    return rows


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if hasattr(value, "strftime"):
        return date_format(value, "d/m/Y")
    return str(value)
