"""A gap list's rows as links to the fix: the record's own page (a person's file, a household, a hotspot…) and,
for an officer, the one action that closes the gap, which brings them back to the list (`?next=`).
For an aggregates-only reviewer, the same gap as counts by hamlet and by cause, without a name."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import DrugPlantEradication, Hamlet, Hotspot, TraffickingRoute, hamlet_full_name
from pledges.models import PreventionModel
from residents.models import ArrestedSuspect, Household, Incident, Person
from residents.services.lifecycle import ACTION_LABELS, Action, allowed_actions

# The lifecycle action that closes a person's gap, per metric (the others have no single action: see the file).
PERSON_FIXES = {
    "addicts_in_treatment": Action.START_TREATMENT,
    "users_with_decision": Action.ISSUE_MANAGEMENT_DECISION,
    "suspects_tested": Action.RECORD_TEST,
}

# Where each kind of record is seen: its page (by name and the record's key).
RECORD_PAGES = {
    Person: ("residents:person", "pk"),
    Household: ("residents:household", "pk"),
    Incident: ("residents:incident_edit", "pk"),
    ArrestedSuspect: ("residents:case_detail", "case_id"),
    Hotspot: ("communes:hotspot_detail", "pk"),
    PreventionModel: ("pledges:model_detail", "pk"),
    DrugPlantEradication: ("communes:plant_eradication_edit", "pk"),
    TraffickingRoute: ("communes:trafficking_route_edit", "pk"),
}

# The field a gap is broken down by for reviewers who see no names ("why is this record in the list").
CAUSE_FIELDS = {Person: "status", Hotspot: "status", Incident: "severity", DrugPlantEradication: "plant_kind"}


@dataclass
class GapRow:
    cells: list
    url: str | None = None
    fix_label: str = ""
    fix_url: str | None = None


@dataclass
class Breakdown:
    by_hamlet: list[tuple[str, int]] = field(default_factory=list)
    by_cause: list[tuple[str, int]] = field(default_factory=list)


def gap_rows(metric, records, *, user, commune, back: str, year: int) -> list[GapRow]:
    """One row per record of a page of the gap list, with where to see it and, for writers, how to close it."""
    next_query = f"?{urlencode({'next': back})}"
    rows = []
    for record in records:
        row = GapRow([column.value(record) for column in metric.gap_columns], url=_record_url(record))
        if user.can_write_records:
            _add_fix(row, metric, record, next_query, year, commune)
        rows.append(row)
    return rows


def _record_url(record) -> str | None:
    if isinstance(record, Hamlet):
        return None
    page = RECORD_PAGES.get(type(record))
    return reverse(page[0], args=[getattr(record, page[1])]) if page else None


def _add_fix(row: GapRow, metric, record, next_query: str, year: int, commune) -> None:
    if isinstance(record, Person):
        action = PERSON_FIXES.get(metric.key)
        if action is not None and action in allowed_actions(record):
            row.fix_label = ACTION_LABELS[action]
            row.fix_url = reverse("residents:person_action", args=[record.pk, action]) + next_query
    elif isinstance(record, Household):
        row.fix_label = _("Đánh dấu đã ký cam kết")
        row.fix_url = reverse("pledges:checklist", args=[record.hamlet_id, year]) + next_query
    elif isinstance(record, Hamlet):
        row.fix_label = _("Ghi nhận đăng ký cam kết")
        row.fix_url = reverse("pledges:commitment_create", args=[commune.code]) + next_query


def breakdown(metric, records) -> Breakdown:
    """The gap counted by hamlet and by cause: two grouped queries, no record fetched."""
    result = Breakdown()
    hamlet = _hamlet_path(metric)
    if hamlet is not None:
        rows = records.order_by().values(f"{hamlet}name", f"{hamlet}kind").annotate(n=Count("pk"))
        named = [(hamlet_full_name(r[f"{hamlet}name"], r[f"{hamlet}kind"]), r["n"]) for r in rows if r[f"{hamlet}name"]]
        result.by_hamlet = sorted(named, key=lambda item: (-item[1], item[0]))
    cause = CAUSE_FIELDS.get(records.model)
    if cause is not None:
        choices = dict(records.model._meta.get_field(cause).flatchoices)
        rows = records.order_by().values(cause).annotate(n=Count("pk"))
        result.by_cause = sorted(((str(choices.get(r[cause], r[cause])), r["n"]) for r in rows), key=lambda i: -i[1])
    return result


def _hamlet_path(metric) -> str | None:
    """The lookup prefix from the counted record to its hamlet: "hamlet__", "case__hamlet__", or "" for a hamlet."""
    if metric.hamlet_field is None:
        return None
    if metric.hamlet_field == "id":
        return ""
    return metric.hamlet_field.removesuffix("_id") + "__"
