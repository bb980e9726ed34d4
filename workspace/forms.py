from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from residents.models import Household

from .selectors import PledgeFilter

ALL = "all"


class HouseholdFilterForm(forms.Form):
    hamlet = forms.ModelChoiceField(label=_("Thôn/khu phố"), queryset=None, required=False, empty_label=_("Tất cả"))
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[*Household.Status.choices, (ALL, _("Tất cả"))],
    )
    pledge = forms.ChoiceField(
        label=_("Cam kết năm nay"),
        required=False,
        choices=[("", _("Tất cả")), (PledgeFilter.SIGNED, _("Đã ký")), (PledgeFilter.MISSING, _("Chưa ký"))],
    )

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = commune.hamlets.order_by("name")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def status_filter(self) -> str | None:
        """Residing households unless the officer asks for others."""
        status = (
            self.cleaned_data.get("status") if self.is_bound and self.is_valid() else ""
        ) or Household.Status.RESIDING
        return None if status == ALL else status
