from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from drugfree.concurrency import VersionedFormMixin
from drugfree.forms import dates_as_text
from drugfree.prepared_querysets import PreparedQuery
from residents.cccd import normalise_cccd
from residents.models import Household, Person
from residents.models.households import household_label


def _hamlet_households(hamlet):
    return Household.objects.filter(hamlet=hamlet).order_by("code")


_HAMLET_HOUSEHOLD_OPTIONS = PreparedQuery(
    lambda hamlet: _hamlet_households(hamlet).values_list("pk", "code", "head_name")
)


class HouseholdOptions(ModelChoiceIterator):
    """A hamlet's household select: its options from three values a row (a model built per option was most of a
    large hamlet's person form), named as `Household.__str__` names them, read by the field's queryset's query
    compiled once (drugfree.prepared_querysets)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, code, head_name in _HAMLET_HOUSEHOLD_OPTIONS(hamlet=self.field.hamlet_pk):
            yield (ModelChoiceIteratorValue(pk, None), household_label(code, head_name))


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
        # A hamlet may have 300 households: the select reads what an option shows (id, code, head of household), not
        # a model each; a save still fetches the chosen household through the queryset.
        if hamlet is not None and hamlet.pk is not None:
            self.fields["household"].hamlet_pk = hamlet.pk
            self.fields["household"].iterator = HouseholdOptions  # before the queryset, which fills the select
        self.fields["household"].queryset = _hamlet_households(hamlet)
        self.fields["household"].required = False
        if self.instance.household_id and self.instance._state.adding:
            # Adding a member to a given household: the household is where the officer came from.
            self.fields["household"].disabled = True
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"

    def _rebase_kwargs(self):
        return {"hamlet": self.hamlet}

    # The officer is told this, never "already exists" (which says the person is on file in another commune).
    ON_FILE_ELSEWHERE = _(
        "Số CCCD này cần cán bộ theo dõi cấp trên xác minh trước khi dùng cho hồ sơ ở xã: "
        "hãy kiểm tra lại số, hoặc liên hệ cán bộ theo dõi."
    )

    on_file_elsewhere: Person | None = None
    # Editing a file: the number is refused; creating one: see NewPersonForm.
    accepts_transfer = False

    def clean_cccd(self):
        cccd = normalise_cccd(self.cleaned_data.get("cccd")) or None
        # A CCCD of another commune's record: not the unique-constraint error (see residents/models/transfers.py).
        self.on_file_elsewhere = (
            Person.objects.filter(cccd=cccd)
            .exclude(commune=self.hamlet.commune_id)
            .exclude(pk=self.instance.pk)
            .first()
            if cccd
            else None
        )
        return cccd

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.on_file_elsewhere is not None:
            exclude.add("cccd")  # skips the unique check, whose message would confirm the record exists
        return exclude

    def clean(self):
        cleaned = super().clean()
        if self.on_file_elsewhere is not None and not self.accepts_transfer:
            self.add_error("cccd", self.ON_FILE_ELSEWHERE)
        if cleaned.get("birth_date") and not cleaned.get("birth_year"):
            cleaned["birth_year"] = cleaned["birth_date"].year
            self.instance.birth_year = cleaned["birth_year"]
        return cleaned


class NewPersonForm(PersonForm):
    # A new person whose CCCD is on file elsewhere becomes a transfer request for the reviewer (person_new).
    accepts_transfer = True

    confirm_new = forms.BooleanField(
        label=_("Đây là người khác, vẫn tạo hồ sơ mới"),
        required=False,
        help_text=_("Chỉ đánh dấu khi đã xem các hồ sơ có thể trùng ở trên."),
    )
