"""The next legal step on a person's file (docs/domain.md §4): among the transitions allowed from the current
status (services/lifecycle.TRANSITIONS), the one the law asks for next, with its deadline from periods.py.

The work queue lists the same deadlines for a whole commune in SQL; the file already holds every record of the
person (its timeline), so the dates are read from those records, without a query of its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from residents import periods
from residents.models import (
    AddictionAssessment,
    DrugTest,
    Person,
    PostRehabManagement,
    ResidenceCheck,
    Treatment,
    UserManagement,
)
from residents.models.people import PersonStatus as S
from residents.services.lifecycle import Action, allowed_actions

# People living at home under some form of management have their residence checked every month.
RESIDENCE_CHECK_STATUSES = {S.USER, S.ADDICT, S.POST_REHAB}


@dataclass(frozen=True)
class NextStep:
    action: str
    # None where the law sets no date (a suspect is tested as soon as possible).
    due: date | None
    overdue: bool


def _latest(records: list, model, field: str, *, open_only: bool = False) -> date | None:
    """The latest `field` among the person's `model` records (only those not ended, with open_only)."""
    days = [
        getattr(record, field)
        for record in records
        if type(record) is model and not (open_only and record.ended_on is not None)
    ]
    return max(days, default=None)


def _dates(records: Iterable) -> dict:
    """Every date a deadline of this person is counted from, read from all their records (the file's timeline)."""
    records = list(records)
    positive = [r.tested_on for r in records if type(r) is DrugTest and r.result == DrugTest.Result.POSITIVE]
    managed_since = _latest(records, UserManagement, "starts_on", open_only=True)
    return {
        "positive_on": max(positive, default=None),
        "assessed_on": _latest(records, AddictionAssessment, "assessed_on"),
        "treatment_end": _latest(records, Treatment, "planned_end_on", open_only=True),
        "post_rehab_end": _latest(records, PostRehabManagement, "ends_on", open_only=True),
        "management_end": _latest(records, UserManagement, "ends_on", open_only=True),
        "managed_since": managed_since,
        "last_check": _latest(records, ResidenceCheck, "checked_on"),
        # As residents.selectors.awaits_restart: a positive test after the open management period started.
        "restart": managed_since is not None and any(day > managed_since for day in positive),
    }


def _candidates(person: Person, dates: dict) -> list[tuple[str, date | None]]:
    """(action, deadline) for each step the law asks of this status; the deadline None when it sets none."""
    status, steps = person.status, []
    if status == S.SUSPECTED:
        steps.append((Action.RECORD_TEST, None))
    if status == S.POSITIVE or (status == S.USER and dates["restart"]):
        positive_on = dates["positive_on"]
        steps.append((Action.ISSUE_MANAGEMENT_DECISION, positive_on and periods.management_decision_due(positive_on)))
    if status == S.USER and dates["management_end"]:
        steps.append((Action.STOP_MANAGEMENT, dates["management_end"]))
    if status == S.ADDICT and dates["assessed_on"]:
        steps.append((Action.START_TREATMENT, periods.treatment_registration_due(dates["assessed_on"])))
    if status == S.IN_TREATMENT and dates["treatment_end"]:
        steps.append((Action.END_TREATMENT, dates["treatment_end"]))
    if status == S.POST_REHAB and dates["post_rehab_end"]:
        steps.append((Action.END_POST_REHAB, dates["post_rehab_end"]))
    if status in RESIDENCE_CHECK_STATUSES:
        # As on the work queue: due a full interval after the last check (or the start of management).
        reference = dates["last_check"] or dates["managed_since"]
        interval = timedelta(days=periods.period("residence_check_interval_days"))
        steps.append((Action.RECORD_RESIDENCE_CHECK, reference + interval if reference else None))
    return steps


def next_legal_step(person: Person, *, records: Iterable, today: date) -> NextStep | None:
    """The allowed step due first; None when the law asks nothing. `records`: every record of the person's file
    (residents.selectors.person_timeline's). A suspect's test has no legal date but is due now; a residence check
    with nothing to count from comes after every dated step."""
    allowed = set(allowed_actions(person))
    steps = [(action, due) for action, due in _candidates(person, _dates(records)) if action in allowed]
    if not steps:
        return None

    def urgency(step):
        action, due = step
        return due or (today if action == Action.RECORD_TEST else date.max)

    action, due = min(steps, key=urgency)
    return NextStep(action=action, due=due, overdue=due is not None and due < today)
