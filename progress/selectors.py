"""Reads: a programme's criteria evaluated for many communes at once, from the metrics in progress.metrics."""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from django.utils import timezone

from communes.models import Province
from drugfree.spreadsheets import Percent

from .metrics import Figure, Metric, Moment
from .models import Criterion, CriterionGroup, Level, Programme, format_number


@dataclass
class CriterionResult:
    criterion: Criterion
    metric: Metric
    figure: Figure
    value: Fraction
    met: bool
    gap_size: int
    value_display: str

    @property
    def bar_percent(self) -> int:
        """Width of the progress bar: the rate itself, or full/empty for counts."""
        if self.metric.kind == "rate":
            return max(0, min(100, round(self.value)))
        return 100 if self.met else max(5, 100 - 20 * self.gap_size)


def _places(metric: Metric) -> int:
    return 3 if metric.kind == "share" else 1


def display_value(metric: Metric, value) -> str:
    if metric.kind == "count":
        return format_number(round(Fraction(value)))
    return f"{format_number(f'{float(value):.{_places(metric)}f}')} %"


def spreadsheet_value(metric: Metric, value) -> int | Percent:
    """The figure display_value shows, as a spreadsheet number: a count an integer, a rate or share a percentage."""
    if metric.kind == "count":
        return round(Fraction(value))
    return Percent(Fraction(value), _places(metric))


def target_spreadsheet_value(criterion: Criterion) -> int | float | Percent:
    target = criterion.target
    whole = target == target.to_integral_value()
    if criterion.metric.kind == "count":
        return int(target) if whole else float(target)
    return Percent(target, 0 if whole else _places(criterion.metric))


@dataclass
class GroupResult:
    """ "At least k of n": n is the group's clauses; a clause is met when one of its criteria is."""

    group: CriterionGroup
    clauses: list[list[CriterionResult]]

    @property
    def size(self) -> int:
        return len(self.clauses)

    @property
    def met_count(self) -> int:
        return sum(any(r.met for r in clause) for clause in self.clauses)

    @property
    def met(self) -> bool:
        return self.met_count >= self.group.min_met


def group_results(results: list[CriterionResult]) -> list[GroupResult]:
    """The groups of a unit's results, in the groups' order; criteria keep their order inside each clause."""
    groups: dict[int, tuple[CriterionGroup, dict[str, list[CriterionResult]]]] = {}
    for result in results:
        group = result.criterion.group
        if group is not None:
            clauses = groups.setdefault(group.pk, (group, {}))[1]
            clauses.setdefault(result.criterion.clause_key, []).append(result)
    ordered = sorted(groups.values(), key=lambda item: (item[0].order, item[0].pk))
    return [GroupResult(group, list(clauses.values())) for group, clauses in ordered]


@dataclass
class CommuneResult:
    unit: object  # a Commune, or a Hamlet in a commune's breakdown
    results: list[CriterionResult] = field(default_factory=list)
    url: str = ""

    @cached_property
    def groups(self) -> list[GroupResult]:
        return group_results(self.results)

    @property
    def met_all(self) -> bool:
        """The programme is met: every ungrouped criterion, and every requirement group's "k of n"."""
        return all(r.met for r in self.results if r.criterion.group_id is None) and all(
            g.met for g in self.groups if g.group.role == CriterionGroup.Role.REQUIREMENT
        )

    @property
    def met_count(self) -> int:
        return sum(r.met for r in self.results)

    @property
    def classification(self) -> CriterionGroup | None:
        """The first class group (QĐ 28: loại I, then II, then III) whose "at least k" the unit meets; None when
        it meets none."""
        for group in self.groups:
            if group.group.role == CriterionGroup.Role.CLASS and group.met:
                return group.group
        return None


def today() -> date:
    return timezone.localdate()


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def programme_for_province(province_id, *, level: str = Level.COMMUNE) -> Programme | None:
    """The province's own active programme at that level, else a national one."""
    return Programme.objects.active().at_level(level).for_province(province_id).first()


def classification_programme(province_id) -> Programme | None:
    """The active commune programme that classifies communes (QĐ 28/2025's hotspot classes), the province's own
    first."""
    programmes = Programme.objects.active().at_level(Level.COMMUNE).for_province(province_id)
    return programmes.filter(groups__role=CriterionGroup.Role.CLASS).distinct().first()


def default_province(user) -> Province | None:
    """The province dashboards and the progress admin open on: the user's own (through their commune or cluster);
    for users without one (administrators), the newest active provincial programme's, else the first province that
    has communes (a fresh install), so an administrator never lands on an empty page."""
    for unit in (user.commune, user.district):
        if unit is not None:
            return unit.province
    if user.province_id:
        return user.province
    programme = (
        Programme.objects.active()
        .filter(province__isnull=False)
        .select_related("province")
        .order_by("-period_start")
        .first()
    )
    if programme is not None:
        return programme.province
    return Province.objects.filter(communes__isnull=False).order_by("code").first()


def criteria_of(programme: Programme) -> list[Criterion]:
    return list(programme.criteria.select_related("group"))


def evaluate(criterion: Criterion, figure: Figure) -> CriterionResult:
    metric = criterion.metric
    value = metric.value(figure)
    met = criterion.is_met(value)
    return CriterionResult(criterion, metric, figure, value, met, metric.gap_size(figure), display_value(metric, value))


def evaluate_communes(criteria: list[Criterion], communes, moment: Moment) -> list[CommuneResult]:
    """Every criterion for every commune: one query per distinct metric, whatever the number of communes."""
    communes = list(communes)
    ids = [c.pk for c in communes]
    figures = _figures(criteria, lambda metric: metric.figures(moment, ids))
    return [_row(commune, criteria, figures) for commune in communes]


def _figures(criteria: list[Criterion], compute) -> dict:
    """Each distinct metric once: a QĐ 28 indicator is the criterion of several classes."""
    figures: dict = {}
    for criterion in criteria:
        if criterion.metric_key not in figures:
            figures[criterion.metric_key] = compute(criterion.metric)
    return figures


def _row(unit, criteria: list[Criterion], figures: dict) -> CommuneResult:
    return CommuneResult(unit, [evaluate(c, figures[c.metric_key].get(unit.pk, c.metric.nothing)) for c in criteria])


def evaluate_hamlets(criteria: list[Criterion], commune, moment: Moment) -> tuple[list[Criterion], list[CommuneResult]]:
    """The hamlet breakdown of one commune for the criteria whose metric has one."""
    with_hamlets = [c for c in criteria if c.metric.has_hamlets]
    hamlets = list(commune.hamlets.order_by("name"))
    figures = _figures(with_hamlets, lambda metric: metric.figures(moment, [commune.pk], by_hamlet=True))
    return with_hamlets, [_row(hamlet, with_hamlets, figures) for hamlet in hamlets]
