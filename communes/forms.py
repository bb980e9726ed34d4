from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drugfree.concurrency import Difference, VersionedFormMixin, differences
from drugfree.forms import DateInput, FilterForm

from .models import DrugPlantEradication, Hamlet, Hotspot, SecurityTeam, TraffickingRoute


def validate_not_in_future(value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("Ngày không được ở tương lai."))


class CommuneRecordForm(forms.ModelForm):
    """A record of one commune: hamlet choices limited to it, dates typed dd/mm/yyyy and never in the future."""

    # Date fields that may lie ahead (planned ends); every other date is checked against today.
    future_dates_allowed: tuple[str, ...] = ()

    def __init__(self, *args, commune, **kwargs):
        self.commune = commune
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DateInput(attrs=field.widget.attrs)
                if name not in self.future_dates_allowed:
                    field.validators.append(validate_not_in_future)
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Hamlet:
                field.queryset = Hamlet.objects.filter(commune=commune).order_by("name")
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is SecurityTeam:
                field.queryset = SecurityTeam.objects.filter(hamlet__commune=commune).select_related("hamlet")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def record_fields(self) -> dict:
        """The cleaned values of the model's fields, as the record's service takes them (not `seen_version`)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}

    def require_order(self, earlier: str, later: str) -> None:
        """Attach a message to `later` when it is before `earlier` (the database refuses it anyway)."""
        first, second = self.cleaned_data.get(earlier), self.cleaned_data.get(later)
        if first and second and second < first:
            self.add_error(
                later,
                _("%(later)s không được trước %(earlier)s.")
                % {"later": self.fields[later].label, "earlier": self.fields[earlier].label.lower()},
            )


class VersionedRecordForm(VersionedFormMixin, CommuneRecordForm):
    """A commune record edited with optimistic concurrency: a colleague's save in between is shown, not lost."""

    def _rebase_kwargs(self) -> dict:
        return {"commune": self.commune}

    def conflict_differences(self, current) -> list[Difference]:
        many = {name for name, field in self.fields.items() if isinstance(field, forms.ModelMultipleChoiceField)}
        rows = differences(self, current) if not many else self._differences_without(many, current)
        for name in many:
            theirs = list(getattr(current, name).all())
            yours = list(self.cleaned_data.get(name, []))
            if {each.pk for each in theirs} != {each.pk for each in yours}:
                shown = [", ".join(map(str, each)) or "—" for each in (theirs, yours)]
                rows.append(Difference(str(self.fields[name].label), *shown))
        return rows

    def _differences_without(self, names: set[str], current) -> list[Difference]:
        labels = {str(self.fields[name].label) for name in names}
        return [row for row in differences(self, current) if row.label not in labels]


class HotspotForm(VersionedRecordForm):
    class Meta:
        model = Hotspot
        fields = ["hamlet", "kind", "location", "detected_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_detected_on(self):
        detected_on = self.cleaned_data["detected_on"]
        later = [on for on in (self.instance.dealing_since, self.instance.cleared_on) if on]
        if self.instance.pk and later and detected_on > min(later):
            raise forms.ValidationError(
                _("Ngày phát hiện không được sau ngày bắt đầu xử lý hoặc ngày triệt xóa (%(date)s).")
                % {"date": min(later).strftime("%d/%m/%Y")}
            )
        return detected_on


class HotspotFilterForm(FilterForm, forms.Form):
    ACTIVE = "active"
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), (ACTIVE, _("Chưa triệt xóa")), *Hotspot.Status.choices],
    )
    hamlet = forms.ModelChoiceField(label=_("Thôn"), queryset=Hamlet.objects.none(), required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune=commune).order_by("name")

    def filter(self, queryset: models.QuerySet) -> models.QuerySet:
        status, hamlet = self.cleaned_data["status"], self.cleaned_data["hamlet"]
        if status == self.ACTIVE:
            queryset = queryset.exclude(status=Hotspot.Status.CLEARED)
        elif status:
            queryset = queryset.filter(status=status)
        if hamlet:
            queryset = queryset.filter(hamlet=hamlet)
        return queryset


class YearAndHamletFilter(FilterForm, forms.Form):
    """A commune's dated records by year (of `date_field`) and hamlet."""

    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    hamlet = forms.ModelChoiceField(label=_("Thôn"), queryset=Hamlet.objects.none())
    date_field = ""

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune=commune).order_by("name")

    def filter(self, queryset):
        if self.cleaned_data["year"]:
            queryset = queryset.filter(**{f"{self.date_field}__year": self.cleaned_data["year"]})
        if self.cleaned_data["hamlet"]:
            queryset = queryset.filter(hamlet=self.cleaned_data["hamlet"])
        return queryset


class DrugPlantEradicationForm(VersionedRecordForm):
    class Meta:
        model = DrugPlantEradication
        fields = ["hamlet", "destroyed_on", "plant_kind", "plants", "area_m2", "location", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"area_m2": _("Ghi 0 nếu chỉ đếm được số cây; số cây ghi 0 nếu chỉ đo được diện tích.")}


class DrugPlantEradicationFilterForm(YearAndHamletFilter):
    date_field = "destroyed_on"
    plant_kind = forms.ChoiceField(
        label=_("Loại cây"), choices=[("", _("Tất cả")), *DrugPlantEradication.PlantKind.choices]
    )

    def filter(self, queryset):
        queryset = super().filter(queryset)
        if self.cleaned_data["plant_kind"]:
            queryset = queryset.filter(plant_kind=self.cleaned_data["plant_kind"])
        return queryset


class TraffickingRouteForm(VersionedRecordForm):
    class Meta:
        model = TraffickingRoute
        fields = ["name", "description", "identified_on", "ended_on", "note"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"ended_on": _("Để trống khi tuyến vẫn còn hoạt động.")}

    def clean(self):
        cleaned_data = super().clean()
        self.require_order("identified_on", "ended_on")
        return cleaned_data


class TraffickingRouteFilterForm(FilterForm, forms.Form):
    ACTIVE, ENDED = "active", "ended"
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[("", _("Tất cả")), (ACTIVE, _("Còn hoạt động")), (ENDED, _("Đã chấm dứt"))],
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)  # nothing to limit to the commune: routes have no hamlet

    def filter(self, queryset: models.QuerySet) -> models.QuerySet:
        # An end date is never in the future (database constraint): a route with one has ended.
        state = self.cleaned_data["state"]
        if state:
            queryset = queryset.filter(ended_on__isnull=state == self.ACTIVE)
        return queryset


class HotspotStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Chuyển sang"))
    changed_on = forms.DateField(label=_("Ngày"), widget=DateInput, validators=[validate_not_in_future])
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
    # The status the officer saw: a colleague's change in between is reported instead of overwritten.
    seen_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, hotspot: Hotspot, allowed: list[str], **kwargs):
        kwargs.setdefault("initial", {"seen_status": hotspot.status, "changed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        labels = dict(Hotspot.Status.choices)
        if hotspot.status == Hotspot.Status.CLEARED:
            labels[Hotspot.Status.DETECTED] = _("Tái xuất hiện (phát hiện lại)")
        self.fields["status"].choices = [(status, labels[status]) for status in allowed]
        self.helper = FormHelper()
        self.helper.form_tag = False
