from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import Hamlet
from drugfree.concurrency import VersionedFormMixin
from drugfree.forms import DateInput
from residents.cccd import normalise_cccd, validate_cccd_format
from residents.models import Household


class HouseholdForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["code", "head_name", "head_cccd", "address", "members_count", "ethnicity"]

    def clean_head_cccd(self):
        cccd = normalise_cccd(self.cleaned_data.get("head_cccd"))
        if cccd:
            validate_cccd_format(cccd)
        return cccd


class HouseholdMoveForm(VersionedFormMixin, forms.Form):
    hamlet = forms.ModelChoiceField(label=_("Chuyển đến thôn/khu phố"), queryset=Hamlet.objects.none())

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, record=kwargs.pop("record", household), **kwargs)
        self.household = household
        # Only the hamlets of the household's own commune: moving to another commune is "moved away".
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=household.commune_id).exclude(
            pk=household.hamlet_id
        )

    def _rebase_kwargs(self):
        return {"household": self.household}


class HouseholdEndForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng mới"),
        choices=[(s.value, s.label) for s in (Household.Status.MOVED_AWAY, Household.Status.DISSOLVED)],
        widget=forms.RadioSelect,
    )
    status_changed_on = forms.DateField(label=_("Từ ngày"), initial=timezone.localdate, widget=DateInput)
