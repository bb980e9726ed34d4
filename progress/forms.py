from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import District, Province

from .models import Programme

SORTS = [("name", _("Tên xã")), ("met", _("Số tiêu chí đạt"))]


class AreaFilterForm(forms.Form):
    """The area dashboard's choices: which area and programme, how to filter and sort the table."""

    STATUS_CHOICES = [("", _("Tất cả")), ("met", _("Đạt tất cả tiêu chí")), ("unmet", _("Chưa đạt"))]

    province = forms.ModelChoiceField(Province.objects.none(), required=False, label=_("Tỉnh"))
    district = forms.ModelChoiceField(District.objects.none(), required=False, label=_("Huyện/cụm"))
    programme = forms.ModelChoiceField(Programme.objects.none(), required=False, label=_("Bộ tiêu chí"))
    q = forms.CharField(required=False, label=_("Tìm xã"))
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label=_("Kết quả"))
    unmet = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    desc = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, province, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_administrator:
            self.fields["province"].queryset = Province.objects.filter(communes__isnull=False).distinct()
        else:
            del self.fields["province"]
        districts = District.objects.filter(province=province) if province else District.objects.none()
        if user.district_id:
            districts = districts.filter(pk=user.district_id)
        self.fields["district"].queryset = districts
        self.fields["programme"].queryset = Programme.objects.for_province(province.pk if province else None)
