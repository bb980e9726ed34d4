"""Reads: a programme's criteria evaluated for many communes at once, from the metrics in progress.metrics."""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import Province
from drugfree.figures import format_number, format_percent, percent_text
from drugfree.spreadsheets import Percent

from .metrics import Figure, Kind, Metric, Moment
from .metrics.base import hamlet_tallies
from .models import Comparison, Criterion, CriterionGroup, Level, Programme
from .tallies import HouseholdTally

NO_DATA = _("chưa có số liệu")


@dataclass
class CriterionResult:
    criterion: Criterion
    metric: Metric
    figure: Figure
    met: bool
    gap_size: int
    value_display: str
    # False for a unit that has entered nothing yet: neither met nor a figure, shown as "chưa có số liệu".
    has_data: bool = True
    # The unit's class under the province's classifying set (QĐ 28/2025), when shown beside another programme.
    classified_as: CriterionGroup | None = None

    @cached_property
    def value(self) -> Fraction:
        """The exact value (a Fraction): read by sorting, reports and snapshots, not by the dashboards' cells."""
        return self.metric.value(self.figure)

    @property
    def bar_percent(self) -> int:
        """Width of the progress bar: the rate itself, or full/empty for counts."""
        if not self.has_data:
            return 0
        if self.metric.kind == "rate":
            return max(0, min(100, round(self.value)))
        return 100 if self.met else max(5, 100 - 20 * self.gap_size)


def _places(metric: Metric) -> int:
    return 3 if metric.kind == "share" else 1


def display_value(metric: Metric, value) -> str:
    if metric.kind == "count":
        return format_number(round(Fraction(value)))
    return format_percent(value, _places(metric))


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
    # Whether the unit has entered anything a criterion counts (its residing households, or a record): a unit that
    # has not is listed as "chưa có số liệu", neither met nor unmet.
    has_data: bool = True

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


def province_for(user, chosen: str | None) -> Province | None:
    """The province an area page shows: an administrator may choose one (`?province=`), everyone else sees their
    own."""
    if user.is_administrator and chosen and chosen.isdigit():
        return Province.objects.filter(pk=chosen).first() or default_province(user)
    return default_province(user)


def criteria_of(programme: Programme) -> list[Criterion]:
    return list(programme.criteria.select_related("group"))


def evaluate(criterion: Criterion, figure: Figure, *, has_data: bool = True) -> CriterionResult:
    return Judge(criterion)(figure, has_data)


class Judge:
    """One criterion's verdict on figures: met or not, gap size, the value as written. A province dashboard asks
    for 166 communes × 11 criteria (and QĐ 28's classes): the exact comparison and the percentage's text are done
    in integers (value = numerator ÷ denominator percentage points, compared with the target's own fraction),
    never with a Fraction per cell, and each distinct figure is judged once. Equal, to the last digit, to
    `criterion.is_met(metric.value(figure))` and `display_value` (tests/progress/test_judge.py)."""

    def __init__(self, criterion: Criterion):
        self.criterion = criterion
        self.metric = metric = criterion.metric
        target = Fraction(criterion.target)
        self.target = target.numerator, target.denominator
        self.places = _places(metric)
        # A metric that reads its figures its own way is judged the slow, general way.
        self.exact = type(metric).value is Metric.value
        # The figure of a unit with no row, made once (a province has many).
        self.nothing = metric.nothing
        self.memo: dict = {}

    def __call__(self, figure: Figure, has_data: bool = True) -> CriterionResult:
        key = (figure.numerator, figure.denominator, figure.records, has_data)
        verdict = self.memo.get(key)
        if verdict is None:
            verdict = self.memo[key] = self._verdict(figure, has_data)
        return CriterionResult(self.criterion, self.metric, figure, *verdict, has_data=has_data)

    def _verdict(self, figure: Figure, has_data: bool) -> tuple[bool, int, str]:
        metric = self.metric
        if not has_data:
            return False, 0, str(NO_DATA)
        if not self.exact:
            value = metric.value(figure)
            return self.criterion.is_met(value), metric.gap_size(figure), display_value(metric, value)
        numerator, denominator = points(metric, figure)
        target_numerator, target_denominator = self.target
        left, right = numerator * target_denominator, target_numerator * denominator
        comparison = self.criterion.comparison
        if comparison == Comparison.AT_LEAST:
            met = left >= right
        else:
            met = left <= right if comparison == Comparison.AT_MOST else left == right
        if metric.kind == Kind.COUNT:
            text = format_number(figure.numerator)
        else:
            text = percent_text(numerator, denominator, self.places)
        return met, metric.gap_size(figure), text


def points(metric: Metric, figure: Figure) -> tuple[int, int]:
    """Metric.value(figure) as (numerator, denominator) integers, without building a Fraction."""
    if metric.kind == Kind.COUNT:
        return figure.numerator, 1
    if not figure.denominator:
        return (100 if metric.kind == Kind.RATE else 0), 1
    return figure.numerator * 100, figure.denominator


def evaluate_communes(criteria: list[Criterion], communes, moment: Moment) -> list[CommuneResult]:
    """Every criterion for every commune: one query per distinct metric, whatever the number of communes (fewer
    where metrics share one, see metrics.catalogue.status_counts), and one for the communes that have entered their
    households (the tally the database keeps)."""
    communes = list(communes)
    ids = [c.pk for c in communes]
    figures = _figures(criteria, moment, ids)
    key = ("with_households", tuple(ids))
    if key not in moment.memo:
        # Memoised: a dashboard evaluates the same communes for its programme and for QĐ 28's classes.
        moment.memo[key] = set(
            HouseholdTally.objects.filter(commune_id__in=ids, households__gt=0).values_list("commune_id", flat=True)
        )
    with_households = moment.memo[key]
    judges = [Judge(c) for c in criteria]
    return [_row(commune, criteria, judges, figures, commune.pk in with_households) for commune in communes]


def metric_figures(metric: Metric, moment: Moment, ids, *, by_hamlet: bool = False) -> dict:
    """The metric's figures for these communes (or their hamlets), computed once per moment: a dashboard evaluates
    its programme and QĐ 28's classes, which share metrics."""
    key = ("figures", metric.key, tuple(ids), by_hamlet)
    if key not in moment.memo:
        moment.memo[key] = metric.figures(moment, ids, by_hamlet=by_hamlet)
    return moment.memo[key]


def _figures(criteria: list[Criterion], moment: Moment, ids, *, by_hamlet: bool = False) -> dict:
    """Each distinct metric once: a QĐ 28 indicator is the criterion of several classes."""
    return {c.metric_key: metric_figures(c.metric, moment, ids, by_hamlet=by_hamlet) for c in criteria}


def _row(unit, criteria: list[Criterion], judges: list[Judge], figures: dict, has_households: bool) -> CommuneResult:
    """A commune (or hamlet) that has entered neither its households nor any record a criterion counts has no
    figure for it: 0 of 0 addicts in treatment there is not "100 %", it is nothing known yet."""
    results = []
    pk = unit.pk
    for criterion, judge in zip(criteria, judges, strict=True):
        figure = figures[criterion.metric_key].get(pk)
        if figure is None:
            results.append(judge(judge.nothing, has_households))
        else:
            results.append(judge(figure, has_households or bool(figure.numerator or figure.records)))
    return CommuneResult(unit, results, has_data=any(r.has_data for r in results))


def figures_by_hamlet(criteria: list[Criterion], commune, moment: Moment) -> dict:
    """The figures of one commune's hamlets for these criteria (all with a hamlet breakdown), one query per metric
    (fewer where metrics share one); the commune's own figure of each is the sum of its hamlets'
    (Metric.combine), kept in the moment for evaluate_communes."""
    figures = _figures(criteria, moment, [commune.pk], by_hamlet=True)
    for criterion in criteria:
        key = ("figures", criterion.metric_key, (commune.pk,), False)
        if key not in moment.memo:
            combined = criterion.metric.combine(figures[criterion.metric_key].values())
            moment.memo[key] = {} if combined is None else {commune.pk: combined}
    return figures


def evaluate_hamlets(criteria: list[Criterion], commune, moment: Moment) -> tuple[list[Criterion], list[CommuneResult]]:
    """The hamlet breakdown of one commune for the criteria whose metric has one.

    Each metric is queried once, by hamlet; the commune's own figure is the sum of its hamlets' (Metric.combine),
    kept in the moment, so that evaluating the commune afterwards (its dashboard, QĐ 28's classes) asks nothing
    more of those metrics."""
    with_hamlets = [c for c in criteria if c.metric.has_hamlets]
    hamlets = list(commune.hamlets.order_by("name"))
    figures = figures_by_hamlet(with_hamlets, commune, moment)
    with_households = set(hamlet_tallies(moment, [commune.pk]))
    # The commune has entered its households when one of its hamlets has: evaluate_communes need not ask.
    moment.memo.setdefault(("with_households", (commune.pk,)), {commune.pk} if with_households else set())
    judges = [Judge(c) for c in with_hamlets]
    return with_hamlets, [
        _row(hamlet, with_hamlets, judges, figures, hamlet.pk in with_households) for hamlet in hamlets
    ]
