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

from residents.models import Household

PREFIX = "pledges"
DATE_FORMAT = "%d/%m/%Y"  # as drugfree.forms.DateInput shows dates


@dataclass(frozen=True)
class ChecklistRow:
    prefix: str  # "pledges-<n>": the row's fields are "<prefix>-household", "<prefix>-signed"…
    household: Household | None
    seen: str
    signed: bool
    signed_on: str
    representative_name: str
    errors: dict = field(default_factory=dict)  # field name → messages, for a submitted list refused


def initial_rows(households) -> list[ChecklistRow]:
    """Each residing household with its pledge for the year (fields of checklist_households())."""
    return [_initial_row(number, household) for number, household in enumerate(households)]


def _initial_row(number: int, household: Household) -> ChecklistRow:
    prefix = f"{PREFIX}-{number}"
    if household.pledge_id is None:
        return ChecklistRow(prefix, household, "", False, "", household.head_name)
    signed_on: date = household.pledge_signed_on
    seen = f"{signed_on.isoformat()}|{household.pledge_representative}"  # as pledge_state() writes a pledge
    return ChecklistRow(prefix, household, seen, True, signed_on.strftime(DATE_FORMAT), household.pledge_representative)


def submitted_rows(formset) -> list[ChecklistRow]:
    """The officer's input again, with each row's errors, after a refused save."""
    rows = []
    for form in formset.forms:
        data, name = form.data, form.add_prefix
        rows.append(
            ChecklistRow(
                form.prefix,
                form.household_obj,
                data.get(name("seen"), ""),
                CheckboxInput().value_from_datadict(data, form.files, name("signed")),
                data.get(name("signed_on"), ""),
                data.get(name("representative_name"), ""),
                {key: list(messages) for key, messages in form.errors.items()},
            )
        )
    return rows
