from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.forms import CommuneRecordForm, VersionedRecordForm
from communes.models import Hamlet
from drugfree.forms import DateInput, FilterForm, MarksInvalidFields
from drugfree.text import clean_text

from .models import EmulationCompact, HamletCommitment, ModelActivity, PreventionModel
from .services import PledgeEntry


def validate_signing_date(signed_on: date, year: int) -> None:
    if signed_on > timezone.localdate():
        raise forms.ValidationError(_("Ngày ký không được ở tương lai."))
    # A pledge for a year may be collected in the campaign at the end of the year before.
    if not year - 1 <= signed_on.year <= year:
        raise forms.ValidationError(
            _("Cam kết năm %(year)s phải ký trong năm %(year)s hoặc năm %(previous)s."),
            params={"year": year, "previous": year - 1},
        )


class ChecklistDefaultsForm(forms.Form):
    """The hamlet meeting's date, used for every ticked household whose own date is left empty."""

    default_signed_on = forms.DateField(label=_("Ngày ký chung"), required=False, widget=DateInput)

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def clean_default_signed_on(self):
        value = self.cleaned_data["default_signed_on"]
        if value is not None:
            validate_signing_date(value, self.year)
        return value


class PledgeRowForm(MarksInvalidFields, forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    # The pledge_state() shown when the page was loaded: the concurrency check compares it with the database.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    signed = forms.BooleanField(label=_("Đã ký"), required=False)
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm", "aria-label": _("Ngày ký")}),
    )
    representative_name = forms.CharField(
        label=_("Người đại diện ký"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "aria-label": _("Người đại diện ký")}),
    )

    def __init__(self, *args, households: dict, year: int, default_signed_on: date | None, **kwargs):
        self.households = households
        self.year = year
        self.default_signed_on = default_signed_on
        super().__init__(*args, **kwargs)
        self.fields["signed"].widget.attrs["class"] = "form-check-input"

    @property
    def household_obj(self):
        """The household this row is about, from the bound or initial id."""
        value = self.data.get(self.add_prefix("household")) if self.is_bound else self.initial.get("household")
        try:
            return self.households.get(int(value))
        except (TypeError, ValueError):
            return None

    def clean_household(self):
        household = self.households.get(self.cleaned_data["household"])
        if household is None:
            raise forms.ValidationError(_("Hộ này không còn cư trú trong thôn; tải lại danh sách."))
        return household

    def clean_representative_name(self):
        return clean_text(self.cleaned_data["representative_name"])

    def clean(self):
        data = super().clean()
        household = data.get("household")
        if not data.get("signed") or household is None:
            return data
        if data.get("signed_on") is None and "signed_on" not in self.errors:
            if self.default_signed_on is None:
                self.add_error("signed_on", _("Nhập ngày ký."))
            else:
                data["signed_on"] = self.default_signed_on
        if data.get("signed_on") is not None:
            try:
                validate_signing_date(data["signed_on"], self.year)
            except forms.ValidationError as error:
                self.add_error("signed_on", error)
        if not data.get("representative_name"):
            data["representative_name"] = household.head_name
        return data

    @property
    def changed_by_officer(self) -> bool:
        """Whether the submitted row differs from what the page showed (unchanged rows are not written)."""
        data = self.cleaned_data
        seen = data.get("seen") or ""
        if not data["signed"]:
            return seen != ""
        return seen != f"{data['signed_on'].isoformat()}|{data['representative_name']}"

    @property
    def withdraws_pledge(self) -> bool:
        return not self.cleaned_data["signed"] and bool(self.cleaned_data.get("seen"))

    def entry(self) -> PledgeEntry:
        data = self.cleaned_data
        return PledgeEntry(
            household=data["household"],
            signed=data["signed"],
            signed_on=data["signed_on"] if data["signed"] else None,
            representative_name=data["representative_name"] if data["signed"] else "",
            seen=data.get("seen") or "",
        )


class BasePledgeChecklistFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            household = form.cleaned_data.get("household")
            if household is not None and household.pk in seen:
                raise forms.ValidationError(_("Một hộ xuất hiện hai lần; tải lại danh sách."))
            if household is not None:
                seen.add(household.pk)

    def entries(self) -> list[PledgeEntry]:
        return [form.entry() for form in self.forms if form.changed_by_officer]

    def withdrawn(self) -> list:
        """Households whose existing pledge the officer unticked: the view asks before removing them."""
        return [form.cleaned_data["household"] for form in self.forms if form.withdraws_pledge]


PledgeChecklistFormSet = forms.formset_factory(
    PledgeRowForm, formset=BasePledgeChecklistFormSet, extra=0, max_num=5000, validate_max=True
)


class PreventionModelForm(VersionedRecordForm):
    class Meta:
        model = PreventionModel
        fields = [
            "name",
            "hamlets",
            "launched_on",
            "decision_number",
            "decision_date",
            "status",
            "ended_on",
            "description",
        ]
        widgets = {"hamlets": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        self.require_order("launched_on", "ended_on")
        if data.get("status") == PreventionModel.Status.ENDED and not data.get("ended_on"):
            self.add_error("ended_on", _("Mô hình đã dừng cần có ngày dừng."))
        if data.get("status") == PreventionModel.Status.ACTIVE and data.get("ended_on"):
            self.add_error("ended_on", _("Mô hình đang duy trì không có ngày dừng; chọn trạng thái “Đã dừng”."))
        return data


class ModelActivityForm(CommuneRecordForm):
    class Meta:
        model = ModelActivity
        fields = ["held_on", "title", "participants", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class HamletCommitmentForm(VersionedRecordForm):
    class Meta:
        model = HamletCommitment
        fields = ["hamlet", "year", "registered_on", "signed_by", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].validators += [MinValueValidator(2000), MaxValueValidator(2100)]

    def clean(self):
        data = super().clean()
        hamlet, year, registered_on = data.get("hamlet"), data.get("year"), data.get("registered_on")
        if hamlet and year:
            taken = HamletCommitment.objects.filter(hamlet=hamlet, year=year).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "year", _("%(hamlet)s đã đăng ký cam kết năm %(year)s.") % {"hamlet": hamlet, "year": year}
                )
        if year and registered_on and registered_on.year > year:
            self.add_error("registered_on", _("Ngày đăng ký không được sau năm cam kết."))
        return data

    def validate_unique(self):
        """Checked in clean() with a message naming the hamlet and the year."""


class EmulationCompactForm(VersionedRecordForm):
    class Meta:
        model = EmulationCompact
        fields = ["title", "signed_on", "teams", "content"]
        widgets = {"teams": forms.CheckboxSelectMultiple, "content": forms.Textarea(attrs={"rows": 3})}

    def clean_teams(self):
        teams = self.cleaned_data["teams"]
        if len(teams) < 2:
            raise forms.ValidationError(_("Giao ước thi đua cần ít nhất hai tổ an ninh trật tự tham gia."))
        return teams


class CommitmentFilterForm(FilterForm, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    hamlet = forms.ModelChoiceField(label=_("Thôn"), queryset=Hamlet.objects.none())

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune=commune).order_by("name")

    def filter(self, queryset):
        if self.cleaned_data["year"]:
            queryset = queryset.filter(year=self.cleaned_data["year"])
        if self.cleaned_data["hamlet"]:
            queryset = queryset.filter(hamlet=self.cleaned_data["hamlet"])
        return queryset


class PreventionModelFilterForm(FilterForm, forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=[("", _("Tất cả")), *PreventionModel.Status.choices])

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset
