from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SecondFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, checked against one device (django-otp throttles failures)."""

    code = forms.CharField(
        label=gettext_lazy("Mã xác thực (6 chữ số trong ứng dụng xác thực)"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(
                _("Đã nhập sai nhiều lần. Đợi ít giây rồi nhập mã mới hiện trên điện thoại."), code="throttled"
            )
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("Mã không đúng hoặc đã hết hạn. Nhập mã đang hiện trong ứng dụng xác thực."), code="wrong"
            )
        return code


class AddressUnlockForm(forms.Form):
    ip_address = forms.GenericIPAddressField(label=gettext_lazy("Địa chỉ IP"))
