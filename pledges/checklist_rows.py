"""The checklist's rows as the page writes them: one household each, from the values the page starts with or from
what the officer submitted.

A hamlet of 300 households made 300 forms, 1,500 fields copied and 1,500 widgets rendered for every look at the
list, most of the checklist's time. The rows are written straight into `pledges/_checklist_row.html` with the
names, ids and values the formset reads back (PledgeChecklistFormSet, prefix "pledges"): the forms are built only
when a list is submitted, to validate and save it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.forms import CheckboxInput

from drugfree.links import ID, LinkPattern
from residents.models import Household

PREFIX = "pledges"
DATE_FORMAT = "%d/%m/%Y"  # as drugfree.forms.DateInput shows dates


class RowErrors(dict):
    """A row's messages by field; a field without any gives an empty list to the template at once (a plain dict's
    miss costs the template engine an attribute lookup and a dir() of the dict on every row)."""

    def __missing__(self, key):
        return ()


@dataclass(frozen=True)
class ChecklistRow:
    prefix: str  # "pledges-<n>": the row's fields are "<prefix>-household", "<prefix>-signed"…
    household: Household | None  # None when a submitted id names no residing household of the hamlet
    household_id: str
    seen: str
    signed: bool
    signed_on: str
    representative_name: str
    print_url: str
    errors: RowErrors = field(default_factory=RowErrors)  # field name → messages, for a submitted list refused


def initial_rows(households, year: int) -> list[ChecklistRow]:
    """Each residing household with its pledge for the year (fields of checklist_households())."""
    print_url = LinkPattern("pledges:print_form", ID, year)  # the blank pledge form, reversed once for the list
    return [_initial_row(number, household, print_url(household.pk)) for number, household in enumerate(households)]


def _initial_row(number: int, household: Household, print_url: str) -> ChecklistRow:
    prefix = f"{PREFIX}-{number}"
    if household.pledge_id is None:
        return ChecklistRow(prefix, household, str(household.pk), "", False, "", household.head_name, print_url)
    signed_on: date = household.pledge_signed_on
    seen = f"{signed_on.isoformat()}|{household.pledge_representative}"  # as pledge_state() writes a pledge
    signed = signed_on.strftime(DATE_FORMAT)
    representative = household.pledge_representative
    return ChecklistRow(prefix, household, str(household.pk), seen, True, signed, representative, print_url)


def submitted_rows(formset, year: int) -> list[ChecklistRow]:
    """The officer's input again, with each row's errors, after a refused save."""
    print_url = LinkPattern("pledges:print_form", ID, year)
    rows = []
    for form in formset.forms:
        data, name = form.data, form.add_prefix
        rows.append(
            ChecklistRow(
                form.prefix,
                form.household_obj,
                data.get(name("household"), ""),
                data.get(name("seen"), ""),
                CheckboxInput().value_from_datadict(data, form.files, name("signed")),
                data.get(name("signed_on"), ""),
                data.get(name("representative_name"), ""),
                "" if form.household_obj is None else print_url(form.household_obj.pk),
                RowErrors({key: list(messages) for key, messages in form.errors.items()}),
            )
        )
    return rows
