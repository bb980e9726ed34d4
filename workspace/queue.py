"""The officer's work queue ("Việc cần làm"), computed from the records and the configured legal periods.

One query per kind of task, whatever the number of people: the home page's cost does not grow with the commune. Each
query is compiled once per process and run with the commune and the day (drugfree.prepared_querysets): compiling
the seven cost more Python than reading their rows.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import ShownRecord
from communes.models import Commune, hamlet_full_name
from drugfree.escaping import escaped
from drugfree.links import ID, LinkPattern
from drugfree.prepared_querysets import PreparedQuery
from progress.tallies import HamletPledgeTally, HamletTally
from residents import periods
from residents.models import DrugTest, Person, PostRehabManagement, Treatment, UserManagement
from residents.models.people import PersonStatus as S
from residents.selectors import awaits_restart
from residents.services.lifecycle import Action

# People living at home under some form of management: their residence is checked every month.
RESIDENCE_CHECK_STATUSES = [S.USER, S.ADDICT, S.POST_REHAB]
# What a task shows of a person and what the access log needs (id, commune), read as values: building a person and
# their hamlet as models, every column of both, cost more than the rest of the queue for a hundred suspects.
PERSON_VALUES = ("id", "full_name", "status", "commune", "hamlet__name", "hamlet__kind")


@dataclass(frozen=True)
class Task:
    subject: str
    detail: str
    url: str
    due: date | None = None
    overdue: bool = False
    hamlet: str = ""
    # The person the task names (its read is logged); None for a hamlet's count.
    person: ShownRecord | None = None
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

    def lines(self) -> SafeString:
        """The section's `<li>` lines, written here rather than by a template loop: a large commune's queue has
        ~150 tasks, and the loop's variable lookups were a third of the page (cProfile, issue 17)."""
        overdue = format_html(" · <strong>{}</strong>", gettext("quá hạn"))  # translated once per section
        return mark_safe("".join(_line(task, overdue) for task in self.tasks))


_LINE = (
    '\n        <li class="list-group-item d-flex flex-wrap gap-2 align-items-baseline{}">\n'
    '          <a class="fw-semibold" href="{}">{}</a>\n'
    "          {}\n"
    '          <span class="small ms-auto">{}{}</span>\n'
    "        </li>\n        "
)
_HAMLET = '<span class="small text-body-secondary">{}</span>'


def _line(task: Task, overdue: SafeString) -> str:
    """One task's line, as format_html(_LINE, …) writes it, every value escaped (drugfree.escaping: the ~1,000
    values of a large commune's queue)."""
    hamlet = _HAMLET.format(escaped(task.hamlet)) if task.hamlet and task.hamlet != task.subject else ""
    return _LINE.format(
        " list-group-item-danger" if task.overdue else "",
        escaped(task.url),
        escaped(task.subject),
        hamlet,
        escaped(task.detail),
        overdue if task.overdue else "",
    )


class _PersonLinks:
    """Where a task about a person leads: the action's form for those who may write, the person's file otherwise;
    each address reversed once per page (drugfree.links)."""

    def __init__(self, can_write: bool):
        self.can_write = can_write
        self._file = LinkPattern("residents:person", ID)
        self._actions: dict[str, LinkPattern] = {}

    def __call__(self, pk: int, action: str | None) -> str:
        if not (action and self.can_write):
            return self._file(pk)
        if action not in self._actions:
            self._actions[action] = LinkPattern("residents:person_action", ID, action)
        return self._actions[action](pk)


@lru_cache(maxsize=4096)
def _hamlet_name(name: str, kind: str, language: str) -> str:
    """hamlet_full_name() in the active language, remembered: a large commune's queue names 150 people of 17
    hamlets."""
    return hamlet_full_name(name, kind)


def _person_task(row: dict, detail: str, url: str, *, prefix: str = "", due=None, overdue=False) -> Task:
    """A task naming a person, from a row of PERSON_VALUES (under `prefix`, "person__" for a period's person)."""
    return Task(
        row[prefix + "full_name"],
        detail,
        url,
        due,
        overdue,
        _hamlet_name(row[prefix + "hamlet__name"], row[prefix + "hamlet__kind"], get_language()),
        ShownRecord(Person, row[prefix + "id"], row[prefix + "commune"]),
    )


@PreparedQuery
def _awaiting_decision_rows(commune: int):
    positive = Max("drugtests__tested_on", filter=Q(drugtests__result=DrugTest.Result.POSITIVE))
    waiting = Person.objects.filter(commune=commune).filter(Q(status=S.POSITIVE) | Q(awaits_restart(), status=S.USER))
    return waiting.annotate(positive_on=positive).order_by("positive_on", "pk").values(*PERSON_VALUES, "positive_on")


def _awaiting_decision(commune: int, today, links) -> Section:
    """Positive tests awaiting a first management decision, and re-use during management awaiting a restart: the
    same deadline (management_decision_working_days) from the latest positive test."""
    section = Section("decision", _("Dương tính, chờ quyết định quản lý hoặc quản lý lại"))
    relapse = gettext(
        "Tái sử dụng khi đang quản lý: xét nghiệm dương tính %(on)s; hạn ra quyết định quản lý lại %(due)s"
    )
    first = gettext("Xét nghiệm dương tính %(on)s; hạn ra quyết định %(due)s")
    for row in _awaiting_decision_rows(commune=commune):
        positive_on = row["positive_on"]
        due = periods.management_decision_due(positive_on) if positive_on else today
        text = relapse if row["status"] == S.USER else first
        url = links(row["id"], Action.ISSUE_MANAGEMENT_DECISION)
        section.tasks.append(
            _person_task(row, text % {"on": _d(positive_on), "due": _d(due)}, url, due=due, overdue=today > due)
        )
    return section


def _periods_ending_rows(model, end_field: str) -> PreparedQuery:
    person_values = [f"person__{name}" for name in PERSON_VALUES]
    return PreparedQuery(
        lambda commune, horizon: model.objects.filter(
            person__commune=commune, ended_on__isnull=True, **{f"{end_field}__lte": horizon}
        ).values(end_field, *(["form"] if model is Treatment else []), *person_values)
    )


_PERIODS_ENDING = {
    UserManagement: _periods_ending_rows(UserManagement, "ends_on"),
    Treatment: _periods_ending_rows(Treatment, "planned_end_on"),
    PostRehabManagement: _periods_ending_rows(PostRehabManagement, "ends_on"),
}


def _periods_ending(commune: int, today, horizon, links) -> Section:
    section = Section("periods", _("Thời hạn quản lý, cai nghiện sắp hết hoặc đã quá hạn"))
    kinds = [
        (UserManagement, "ends_on", gettext("Quản lý người sử dụng đến %(end)s"), None),
        (Treatment, "planned_end_on", gettext("%(form)s, dự kiến kết thúc %(end)s"), Action.END_TREATMENT),
        (PostRehabManagement, "ends_on", gettext("Quản lý sau cai nghiện đến %(end)s"), Action.END_POST_REHAB),
    ]
    forms = dict(Treatment.Form.choices)
    tasks = []
    for model, end_field, text, action in kinds:
        for row in _PERIODS_ENDING[model](commune=commune, horizon=horizon):
            end = row[end_field]
            form = str(forms.get(row["form"], row["form"])) if model is Treatment else ""
            detail = text % {"end": _d(end), "form": form}
            url = links(row["person__id"], action)
            tasks.append(_person_task(row, detail, url, prefix="person__", due=end, overdue=end < today))
    section.tasks = sorted(tasks, key=lambda task: task.due)
    return section


@PreparedQuery
def _residence_check_rows(commune: int, first_of_month: date):
    return (
        Person.objects.filter(commune=commune, status__in=RESIDENCE_CHECK_STATUSES)
        .annotate(
            last_check=Max("residencechecks__checked_on"),
            managed_since=Max("usermanagements__starts_on"),
        )
        .filter(Q(last_check__isnull=True) | Q(last_check__lt=first_of_month))
        .order_by("last_check", "name_key")
        .values(*PERSON_VALUES, "last_check", "managed_since")
    )


def _residence_checks(commune: int, today, links) -> Section:
    section = Section("residence", _("Chưa kiểm tra cư trú tháng này"))
    interval = timedelta(days=periods.period("residence_check_interval_days"))
    last_checked, never_checked = gettext("Lần kiểm tra gần nhất %(on)s"), gettext("Chưa kiểm tra lần nào")
    for row in _residence_check_rows(commune=commune, first_of_month=today.replace(day=1)):
        last_check = row["last_check"]
        detail = last_checked % {"on": _d(last_check)} if last_check else never_checked
        # Never checked: overdue once a full interval has passed since management started (or if unknown).
        reference = last_check or row["managed_since"]
        overdue = reference is None or today - reference > interval
        url = links(row["id"], Action.RECORD_RESIDENCE_CHECK)
        section.tasks.append(_person_task(row, detail, url, overdue=overdue))
    return section


@PreparedQuery
def _untested_suspect_rows(commune: int):
    listed = Max("suspicions__listed_on", filter=Q(suspicions__closed_on__isnull=True))
    suspects = Person.objects.filter(commune=commune).filter(status=S.SUSPECTED)
    return suspects.annotate(listed_on=listed).order_by("listed_on", "pk").values(*PERSON_VALUES, "listed_on")


def _untested_suspects(commune: int, today, links) -> Section:
    section = Section("untested", _("Người nghi sử dụng chưa được xét nghiệm"))
    text = gettext("Đưa vào danh sách nghi từ %(on)s")
    for row in _untested_suspect_rows(commune=commune):
        url = links(row["id"], Action.RECORD_TEST)
        section.tasks.append(_person_task(row, text % {"on": _d(row["listed_on"])}, url, due=row["listed_on"]))
    return section


@PreparedQuery
def _households_without_pledge_rows(commune: int, year: int):
    pledged = HamletPledgeTally.objects.filter(hamlet_id=OuterRef("hamlet_id"), year=year).values("pledges")
    return (
        HamletTally.objects.filter(hamlet__commune=commune, households__gt=0)
        .annotate(count=F("households") - Coalesce(Subquery(pledged), 0))
        .filter(count__gt=0)
        .values("hamlet_id", "hamlet__name", "hamlet__kind", "count")
        .order_by("hamlet__name")
    )


def _households_without_pledge(commune: int, year: int) -> Section:
    """Per hamlet: residing households less the year's pledges of residing households, both from the hamlet
    tallies the database keeps (progress.tallies), so a 5,000-household commune costs what a small one does."""
    section = Section("pledges", _("Hộ chưa ký cam kết năm %(year)s") % {"year": year})
    checklist = LinkPattern("pledges:checklist", ID, year)
    for row in _households_without_pledge_rows(commune=commune, year=year):
        hamlet = hamlet_full_name(row["hamlet__name"], row["hamlet__kind"])
        section.tasks.append(
            Task(
                hamlet,
                _("%(count)s hộ chưa ký") % {"count": row["count"]},
                checklist(row["hamlet_id"]),
                hamlet=hamlet,
                count=row["count"],
            )
        )
    return section


def work_queue(commune: Commune, *, today: date, can_write: bool) -> list[Section]:
    """Every section, empty ones included (the page says "nothing to do" for them)."""
    horizon = today + timedelta(days=periods.period("period_ending_warning_days"))
    links = _PersonLinks(can_write)
    return [
        _awaiting_decision(commune.pk, today, links),
        _periods_ending(commune.pk, today, horizon, links),
        _residence_checks(commune.pk, today, links),
        _untested_suspects(commune.pk, today, links),
        _households_without_pledge(commune.pk, today.year),
    ]


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"
