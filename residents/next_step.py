"""The next legal step on a person's file (docs/domain.md §4): among the transitions allowed from the current
status (services/lifecycle.TRANSITIONS), the one the law asks for next, with its deadline from periods.py.

The work queue lists the same deadlines for a whole commune; this answers for one person, in one query.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery

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
from residents.selectors import awaits_restart
from residents.services.lifecycle import Action, allowed_actions

# People living at home under some form of management have their residence checked every month.
RESIDENCE_CHECK_STATUSES = {S.USER, S.ADDICT, S.POST_REHAB}
DATE_NAMES = (
    "positive_on", "assessed_on", "treatment_end", "post_rehab_end", "management_end", "managed_since", "last_check"
)  # fmt: skip


@dataclass(frozen=True)
class NextStep:
    action: str
    # None where the law sets no date (a suspect is tested as soon as possible).
    due: date | None
    overdue: bool


def _latest(model, field: str, **filters) -> Subquery:
    """The person's latest `field` among `model` rows: a subquery each, so that the counts never join each other."""
    rows = model.objects.filter(person=OuterRef("pk"), **filters).order_by(f"-{field}").values(field)
    return Subquery(rows[:1])


def _dates(person: Person) -> dict:
    """Every date a deadline of this person is counted from (one query)."""
    return (
        Person.objects.filter(pk=person.pk)
        .annotate(
            positive_on=_latest(DrugTest, "tested_on", result=DrugTest.Result.POSITIVE),
            assessed_on=_latest(AddictionAssessment, "assessed_on"),
            treatment_end=_latest(Treatment, "planned_end_on", ended_on__isnull=True),
            post_rehab_end=_latest(PostRehabManagement, "ends_on", ended_on__isnull=True),
            management_end=_latest(UserManagement, "ends_on", ended_on__isnull=True),
            managed_since=_latest(UserManagement, "starts_on", ended_on__isnull=True),
            last_check=_latest(ResidenceCheck, "checked_on"),
            restart=awaits_restart(),
        )
        .values(*DATE_NAMES, "restart")
        .get()
    )


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


def next_legal_step(person: Person, *, today: date) -> NextStep | None:
    """The allowed step due first; None when the law asks nothing. A suspect's test has no legal date but is due now;
    a residence check with nothing to count from comes after every dated step."""
    allowed = set(allowed_actions(person))
    steps = [(action, due) for action, due in _candidates(person, _dates(person)) if action in allowed]
    if not steps:
        return None

    def urgency(step):
        action, due = step
        return due or (today if action == Action.RECORD_TEST else date.max)

    action, due = min(steps, key=urgency)
    return NextStep(action=action, due=due, overdue=due is not None and due < today)
