from django import forms
from django.utils.translation import gettext_lazy as _

from drugfree.concurrency import VersionedFormMixin
from drugfree.forms import dates_as_text
from residents.cccd import normalise_cccd
from residents.models import Household, Person


class PersonForm(VersionedFormMixin, forms.ModelForm):
    """Identity of a person; hamlet and household come from where the officer started (or the move form)."""

    class Meta:
        model = Person
        fields = [
            "full_name",
            "cccd",
            "birth_date",
            "birth_year",
            "sex",
            "ethnicity",
            "household",
            "current_address",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, hamlet, **kwargs):
        super().__init__(*args, **kwargs)
        self.hamlet = hamlet
        dates_as_text(self)
        self.fields["household"].queryset = Household.objects.filter(hamlet=hamlet).order_by("code")
        self.fields["household"].required = False
        if self.instance.household_id and self.instance._state.adding:
            # Adding a member to a given household: the household is where the officer came from.
            self.fields["household"].disabled = True
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"

    def _rebase_kwargs(self):
        return {"hamlet": self.hamlet}

    def clean_cccd(self):
        return normalise_cccd(self.cleaned_data.get("cccd")) or None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("birth_date") and not cleaned.get("birth_year"):
            cleaned["birth_year"] = cleaned["birth_date"].year
            self.instance.birth_year = cleaned["birth_year"]
        return cleaned


class NewPersonForm(PersonForm):
    confirm_new = forms.BooleanField(
        label=_("Đây là người khác, vẫn tạo hồ sơ mới"),
        required=False,
        help_text=_("Chỉ đánh dấu khi đã xem các hồ sơ có thể trùng ở trên."),
    )
