"""Forms of the commune's situation records: drug cases with their arrested suspects, incidents."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.forms import CommuneRecordForm, VersionedRecordForm, YearAndHamletFilter
from residents.models import ArrestedSuspect, DrugCase, Incident, Person


class LinksPersonByCccd(forms.Form):
    """A CCCD box that links the record to a person of the commune: officers know the number, not a list position."""

    person_cccd = forms.RegexField(
        label=_("CCCD của người (nếu có hồ sơ)"),
        regex=r"^[0-9]{12}$",
        required=False,
        error_messages={"invalid": _("CCCD gồm đúng 12 chữ số.")},
        help_text=_("Để trống nếu người này chưa có hồ sơ trong xã."),
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, commune=commune, **kwargs)
        if self.instance.person_id:
            self.fields["person_cccd"].initial = self.instance.person.cccd

    def clean_person_cccd(self):
        cccd = self.cleaned_data["person_cccd"]
        if not cccd:
            return None
        person = Person.objects.filter(commune=self.commune, cccd=cccd).first()
        if person is None:
            raise forms.ValidationError(_("Không có người nào mang CCCD này trong xã."))
        return person

    def record_fields(self) -> dict:
        return {**super().record_fields(), "person": self.cleaned_data.get("person_cccd")}


class DrugCaseForm(VersionedRecordForm):
    class Meta:
        model = DrugCase
        fields = ["hamlet", "number", "detected_on", "offence", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ArrestedSuspectForm(LinksPersonByCccd, CommuneRecordForm):
    birth_year = forms.IntegerField(
        label=_("Năm sinh"),
        required=False,
        validators=[MinValueValidator(1900), MaxValueValidator(timezone.localdate().year)],
    )

    class Meta:
        model = ArrestedSuspect
        fields = ["full_name", "birth_year", "arrested_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True


class BaseSuspectFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        detected_on = self.instance.detected_on
        for form in self.forms:
            arrested_on = form.cleaned_data.get("arrested_on") if hasattr(form, "cleaned_data") else None
            if detected_on and arrested_on and arrested_on < detected_on and not form.cleaned_data.get("DELETE"):
                form.add_error("arrested_on", _("Ngày bắt không được trước ngày phát hiện vụ án."))

    def changes(self) -> dict:
        """What drug_case_save takes: rows added or edited, as (suspect or None, fields), and suspects removed."""
        suspects, removed = [], []
        for form in self.forms:
            existing = form.instance if form.instance.pk else None
            if self.can_delete and self._should_delete_form(form):
                if existing is not None:
                    removed.append(existing)
            elif form.has_changed():
                suspects.append((existing, form.record_fields()))
        return {"suspects": suspects, "removed_suspects": removed}


# One blank row; the officer adds more, and removes any, in place (static/js/formset.js).
SuspectFormSet = forms.inlineformset_factory(
    DrugCase, ArrestedSuspect, form=ArrestedSuspectForm, formset=BaseSuspectFormSet, extra=1, can_delete=True
)


class IncidentForm(LinksPersonByCccd, VersionedRecordForm):
    class Meta:
        model = Incident
        fields = ["hamlet", "occurred_on", "severity", "caused_by_psychosis", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DrugCaseFilterForm(YearAndHamletFilter):
    date_field = "detected_on"


class IncidentFilterForm(YearAndHamletFilter):
    date_field = "occurred_on"
    severity = forms.ChoiceField(label=_("Mức độ"), choices=[("", _("Tất cả")), *Incident.Severity.choices])
    psychosis = forms.BooleanField(label=_("Chỉ vụ do người loạn thần"), widget=forms.CheckboxInput)

    def filter(self, queryset):
        queryset = super().filter(queryset)
        if self.cleaned_data["severity"]:
            queryset = queryset.filter(severity=self.cleaned_data["severity"])
        if self.cleaned_data["psychosis"]:
            queryset = queryset.filter(caused_by_psychosis=True)
        return queryset
