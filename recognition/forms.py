"""Forms of the cycle: each cleans input into what its service takes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drugfree.forms import dates_as_text

from .models import Decision, Evidence, Verdict
from .models.cycle import FIRST_YEAR, LAST_YEAR


class DatedForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates_as_text(self)


class RegisterForm(forms.Form):
    target_year = forms.IntegerField(label=_("Năm đăng ký đạt"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    hamlet = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Thôn, bản, khu phố"), empty_label=_("— Cả xã —")
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = commune.hamlets.order_by("name")
        self.fields["target_year"].initial = timezone.localdate().year


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    target_communes = forms.IntegerField(label=_("Chỉ tiêu số xã được công nhận"), min_value=0)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class FreezeForm(DatedForm):
    as_of = forms.DateField(label=_("Số liệu tính đến ngày"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class TextsForm(forms.Form):
    self_assessment = forms.CharField(label=_("Biên bản tự đánh giá"), widget=forms.Textarea(attrs={"rows": 4}))
    proposal = forms.CharField(label=_("Tờ trình của ban chỉ đạo"), widget=forms.Textarea(attrs={"rows": 4}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG, DOCX, XLSX)"))
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=Evidence.Kind.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    criterion = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Minh chứng cho tiêu chí"), empty_label=_("— Cả hồ sơ —")
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = dossier.criteria.all()


class VerdictForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết luận"), choices=Verdict.Result.choices)
    comment = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InspectionForm(DatedForm):
    inspected_on = forms.DateField(label=_("Ngày kiểm tra"))
    members = forms.CharField(label=_("Thành phần đoàn"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    reasons = forms.CharField(label=_("Lý do trả lại, nội dung cần bổ sung"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(DatedForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Decision.Outcome.choices)
    number = forms.CharField(label=_("Số quyết định"), max_length=50)
    signed_on = forms.DateField(label=_("Ngày ký"))
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), required=False)
    valid_until = forms.DateField(
        label=_("Hiệu lực đến ngày"), required=False, help_text=_("Để trống: theo thời hạn mặc định.")
    )
    note = forms.CharField(label=_("Ghi chú"), required=False)


class ReviewForm(DatedForm):
    year = forms.IntegerField(label=_("Năm rà soát"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    reviewed_on = forms.DateField(label=_("Ngày rà soát"))
    findings = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial, self.fields["reviewed_on"].initial = today.year, today


class RevokeForm(DatedForm):
    number = forms.CharField(label=_("Số quyết định thu hồi"), max_length=50)
    signed_on = forms.DateField(label=_("Ngày ký"))
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    reasons = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseAlertForm(forms.Form):
    note = forms.CharField(label=_("Đã xử lý thế nào"), max_length=500)
