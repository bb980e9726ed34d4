"""The officer's work queue ("Việc cần làm"), computed from the records and the configured legal periods.

One query per kind of task, whatever the number of people: the home page's cost does not grow with the commune.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, hamlet_full_name
from drugfree.links import ID, LinkPattern
from progress.tallies import HamletPledgeTally, HamletTally
from residents import periods
from residents.models import DrugTest, Person, PostRehabManagement, Treatment, UserManagement
from residents.models.people import PersonStatus as S
from residents.selectors import awaits_restart
from residents.services.lifecycle import Action

# People living at home under some form of management: their residence is checked every month.
RESIDENCE_CHECK_STATUSES = [S.USER, S.ADDICT, S.POST_REHAB]


@dataclass(frozen=True)
class Task:
    subject: str
    detail: str
    url: str
    due: date | None = None
    overdue: bool = False
    hamlet: str = ""
    # The person the task names (its read is logged); None for a hamlet's count.
    person: Person | None = None
    # How many things the task stands for: a hamlet's line counts its households without a pledge.
    count: int = 1


@dataclass
class Section:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(task.overdue for task in self.tasks)

    @property
    def count(self) -> int:
        """The badge's number: people, or households for the pledge section (one line per hamlet)."""
        return sum(task.count for task in self.tasks)


class _PersonLinks:
    """Where a task about a person leads: the action's form for those who may write, the person's file otherwise;
    each address reversed once per page (drugfree.links)."""

    def __init__(self, can_write: bool):
        self.can_write = can_write
        self._file = LinkPattern("residents:person", ID)
        self._actions: dict[str, LinkPattern] = {}

    def __call__(self, person, action: str | None) -> str:
        if not (action and self.can_write):
            return self._file(person.pk)
        if action not in self._actions:
            self._actions[action] = LinkPattern("residents:person_action", ID, action)
        return self._actions[action](person.pk)


def _awaiting_decision(people, today, links) -> Section:
    """Positive tests awaiting a first management decision, and re-use during management awaiting a restart: the
    same deadline (management_decision_working_days) from the latest positive test."""
    section = Section("decision", _("Dương tính, chờ quyết định quản lý hoặc quản lý lại"))
    positive = Max("drugtests__tested_on", filter=Q(drugtests__result=DrugTest.Result.POSITIVE))
    waiting = people.filter(Q(status=S.POSITIVE) | Q(awaits_restart(), status=S.USER))
    for person in waiting.annotate(positive_on=positive).order_by("positive_on", "pk"):
        due = periods.management_decision_due(person.positive_on) if person.positive_on else today
        text = (
            _("Tái sử dụng khi đang quản lý: xét nghiệm dương tính %(on)s; hạn ra quyết định quản lý lại %(due)s")
            if person.status == S.USER
            else _("Xét nghiệm dương tính %(on)s; hạn ra quyết định %(due)s")
        )
        section.tasks.append(
            Task(
                person.full_name,
                text % {"on": _d(person.positive_on), "due": _d(due)},
                links(person, Action.ISSUE_MANAGEMENT_DECISION),
                due,
                today > due,
                person.hamlet.full_name,
                person,
            )
        )
    return section


def _periods_ending(commune, today, horizon, links) -> Section:
    section = Section("periods", _("Thời hạn quản lý, cai nghiện sắp hết hoặc đã quá hạn"))
    kinds = [
        (UserManagement, "ends_on", _("Quản lý người sử dụng đến %(end)s"), None),
        (Treatment, "planned_end_on", _("%(form)s, dự kiến kết thúc %(end)s"), Action.END_TREATMENT),
        (PostRehabManagement, "ends_on", _("Quản lý sau cai nghiện đến %(end)s"), Action.END_POST_REHAB),
    ]
    tasks = []
    for model, end_field, text, action in kinds:
        periods_ = model.objects.filter(
            person__commune=commune, ended_on__isnull=True, **{f"{end_field}__lte": horizon}
        ).select_related("person__hamlet")
        for period in periods_:
            end = getattr(period, end_field)
            form = period.get_form_display() if model is Treatment else ""
            tasks.append(
                Task(
                    period.person.full_name,
                    text % {"end": _d(end), "form": form},
                    links(period.person, action),
                    end,
                    end < today,
                    period.person.hamlet.full_name,
                    period.person,
                )
            )
    section.tasks = sorted(tasks, key=lambda task: task.due)
    return section


def _residence_checks(people, today, links) -> Section:
    section = Section("residence", _("Chưa kiểm tra cư trú tháng này"))
    first_of_month = today.replace(day=1)
    interval = timedelta(days=periods.period("residence_check_interval_days"))
    people = (
        people.filter(status__in=RESIDENCE_CHECK_STATUSES)
        .annotate(
            last_check=Max("residencechecks__checked_on"),
            managed_since=Max("usermanagements__starts_on"),
        )
        .filter(Q(last_check__isnull=True) | Q(last_check__lt=first_of_month))
        .order_by("last_check", "name_key")
    )
    for person in people:
        detail = (
            _("Lần kiểm tra gần nhất %(on)s") % {"on": _d(person.last_check)}
            if person.last_check
            else _("Chưa kiểm tra lần nào")
        )
        # Never checked: overdue once a full interval has passed since management started (or if unknown).
        reference = person.last_check or person.managed_since
        overdue = reference is None or today - reference > interval
        section.tasks.append(
            Task(
                person.full_name,
                detail,
                links(person, Action.RECORD_RESIDENCE_CHECK),
                overdue=overdue,
                hamlet=person.hamlet.full_name,
                person=person,
            )
        )
    return section


def _untested_suspects(people, today, links) -> Section:
    section = Section("untested", _("Người nghi sử dụng chưa được xét nghiệm"))
    listed = Max("suspicions__listed_on", filter=Q(suspicions__closed_on__isnull=True))
    for person in people.filter(status=S.SUSPECTED).annotate(listed_on=listed).order_by("listed_on", "pk"):
        section.tasks.append(
            Task(
                person.full_name,
                _("Đưa vào danh sách nghi từ %(on)s") % {"on": _d(person.listed_on)},
                links(person, Action.RECORD_TEST),
                person.listed_on,
                False,
                person.hamlet.full_name,
                person,
            )
        )
    return section


def _households_without_pledge(commune, year) -> Section:
    """Per hamlet: residing households less the year's pledges of residing households, both from the hamlet
    tallies the database keeps (progress.tallies), so a 5,000-household commune costs what a small one does."""
    section = Section("pledges", _("Hộ chưa ký cam kết năm %(year)s") % {"year": year})
    pledged = HamletPledgeTally.objects.filter(hamlet_id=OuterRef("hamlet_id"), year=year).values("pledges")
    missing = (
        HamletTally.objects.filter(hamlet__commune=commune, households__gt=0)
        .annotate(count=F("households") - Coalesce(Subquery(pledged), 0))
        .filter(count__gt=0)
        .values("hamlet_id", "hamlet__name", "hamlet__kind", "count")
        .order_by("hamlet__name")
    )
    for row in missing:
        hamlet = hamlet_full_name(row["hamlet__name"], row["hamlet__kind"])
        section.tasks.append(
            Task(
                hamlet,
                _("%(count)s hộ chưa ký") % {"count": row["count"]},
                reverse("pledges:checklist", args=[row["hamlet_id"], year]),
                hamlet=hamlet,
                count=row["count"],
            )
        )
    return section


def work_queue(commune: Commune, *, today: date, can_write: bool) -> list[Section]:
    """Every section, empty ones included (the page says "nothing to do" for them)."""
    people = Person.objects.filter(commune=commune).select_related("hamlet")
    horizon = today + timedelta(days=periods.period("period_ending_warning_days"))
    links = _PersonLinks(can_write)
    return [
        _awaiting_decision(people, today, links),
        _periods_ending(commune, today, horizon, links),
        _residence_checks(people, today, links),
        _untested_suspects(people, today, links),
        _households_without_pledge(commune, today.year),
    ]


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"
