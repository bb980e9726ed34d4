"""The checklist's rows as the page writes them: one household each, from the values the page starts with or from
what the officer submitted.

A hamlet of 300 households made 300 forms, 1,500 fields copied and 1,500 widgets rendered for every look at the
list, most of the checklist's time. The rows are written with the names, ids and values the formset reads back
(PledgeChecklistFormSet, prefix "pledges"): the forms are built only when a list is submitted, to validate and
save it.

The rows' HTML is written here too (`rows_html`), not by a template: a row has some forty values, and the template
engine's lookup of each ({{ row.prefix }} twelve times a row, 12,000 lookups for 300 households) was ~85 % of the
page's time under the profiler (README "Page cost"). Every value is escaped as the template escaped it.
"""

import html
from dataclasses import dataclass, field
from datetime import date

from django.forms import CheckboxInput
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


def rows_html(rows: list[ChecklistRow], conflicts) -> SafeString:
    """The rows of the officer's checklist (the form's table body); `conflicts` names the households a colleague
    saved meanwhile (their row is highlighted with the colleague's value). The labels repeated on every row are
    translated once."""
    labels = _Labels(
        signed_on=conditional_escape(gettext("Ngày ký")),
        date_placeholder=conditional_escape(gettext("dd/mm/yyyy")),
        representative=conditional_escape(gettext("Người đại diện ký")),
        print=conditional_escape(gettext("In mẫu")),
    )
    return mark_safe("".join(_row_html(row, labels, conflicts) for row in rows))


@dataclass(frozen=True)
class _Labels:
    signed_on: str
    date_placeholder: str
    representative: str
    print: str


def _e(value) -> str:
    """conditional_escape() without its check for lazy strings on every call (a third of the rows' time): the rows'
    values are the database's strings and numbers, and the labels are translated before."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _messages(messages, html_class: str) -> str:
    return "".join(f'<div class="{html_class}">{conditional_escape(message)}</div>' for message in messages)


def _invalid(errors) -> tuple[str, str]:
    """The input's extra class and attribute when its field has errors."""
    return (" is-invalid", ' aria-invalid="true"') if errors else ("", "")


def _row_html(row: ChecklistRow, labels: _Labels, conflicts) -> str:
    household, errors, p = row.household, row.errors, row.prefix
    code = "" if household is None else _e(household.code)
    conflict = household is not None and household.pk in conflicts
    date_class, date_aria = _invalid(errors["signed_on"])
    name_class, name_aria = _invalid(errors["representative_name"])
    checked = " checked" if row.signed else ""
    highlighted = ' class="table-warning"' if conflict else ""
    print_link = (
        f'<a class="btn btn-link btn-sm" href="{_e(row.print_url)}" target="_blank" rel="noopener">{labels.print}</a>'
        if household is not None
        else ""
    )
    return (
        f'<tr data-household-code="{code}"{highlighted}>\n'
        f'<td><input type="hidden" name="{p}-household" value="{_e(row.household_id)}" id="id_{p}-household">'
        f'<input type="hidden" name="{p}-seen" value="{_e(row.seen)}" id="id_{p}-seen">\n'
        f'<input type="checkbox" name="{p}-signed" class="form-check-input" id="id_{p}-signed"{checked}>\n'
        f"{_messages(errors['household'], 'text-danger small')}\n"
        "</td>\n"
        f'<td class="text-nowrap"><label for="id_{p}-signed">{code}</label></td>\n'
        f"<td>{'' if household is None else _e(household.head_name)}\n"
        f"{_colleagues_save(household) if conflict else ''}"
        "</td>\n"
        f'<td class="text-end">{"" if household is None else _e(household.members_count)}</td>\n'
        '<td style="min-width: 9rem">\n'
        f'<input type="text" name="{p}-signed_on" value="{_e(row.signed_on)}" '
        f'class="form-control form-control-sm{date_class}" aria-label="{labels.signed_on}" '
        f'placeholder="{labels.date_placeholder}" inputmode="numeric" autocomplete="off" data-datepicker="" '
        f'id="id_{p}-signed_on"{date_aria}>\n'
        f"{_messages(errors['signed_on'], 'invalid-feedback')}\n"
        "</td>\n"
        '<td style="min-width: 12rem">\n'
        f'<input type="text" name="{p}-representative_name" value="{_e(row.representative_name)}" '
        f'class="form-control form-control-sm{name_class}" aria-label="{labels.representative}" maxlength="100" '
        f'id="id_{p}-representative_name"{name_aria}>\n'
        f"{_messages(errors['representative_name'], 'invalid-feedback')}\n"
        "</td>\n"
        f'<td class="d-print-none">{print_link}</td>\n'
        "</tr>\n"
    )


def _colleagues_save(household: Household) -> str:
    """What the colleague saved, under the head of household's name (the household as read for this request)."""
    if household.pledge_id is not None:
        # As {% blocktranslate %} writes it: the values escaped, the sentence as the catalogue has it.
        saved = gettext("đã ký ngày %(date)s, đại diện %(name)s") % {
            "date": _e(household.pledge_signed_on.strftime(DATE_FORMAT)),
            "name": _e(household.pledge_representative),
        }
    else:
        saved = _e(gettext("chưa ký"))
    return f'<div class="small text-warning-emphasis">{_e(gettext("Người khác vừa lưu:"))}\n{saved}\n</div>\n'
