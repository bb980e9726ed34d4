from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scopes import personal_scope_q
from communes.models import Commune, Hamlet


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm người, hộ"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(
            attrs={
                "placeholder": _("Họ tên (không cần dấu), số CCCD hoặc 4 số cuối, mã hộ, tên chủ hộ"),
                "autocomplete": "off",
                "autofocus": True,
            }
        ),
    )
    hamlet = forms.ModelChoiceField(
        label=_("Thôn/khu phố"), queryset=Hamlet.objects.none(), required=False, empty_label=_("Tất cả thôn")
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=Commune.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả xã"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A commune officer filters by hamlet; a reviewer or administrator first narrows to a commune.
        if user.commune_id:
            del self.fields["commune"]
            self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=user.commune_id)
        else:
            self.fields["commune"].queryset = Commune.objects.filter(personal_scope_q(user, ""))
            commune_code = self.data.get("commune") if self.is_bound else None
            hamlets = Hamlet.objects.filter(personal_scope_q(user, "commune"), commune__code=commune_code or None)
            self.fields["hamlet"].queryset = hamlets
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def has_criteria(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("q") or data.get("hamlet") or data.get("commune"))
