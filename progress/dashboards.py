"""What the dashboards show, computed once per request: live figures from the metrics, history from the snapshots."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from communes.models import Commune

from .metrics import Moment
from .models import CommuneSnapshot, Criterion, MonthReview, Programme
from .selectors import CommuneResult, criteria_of, evaluate_communes, evaluate_hamlets, programme_for_province, today

TREND_MONTHS = 12


@dataclass
class Change:
    commune: Commune
    criterion: Criterion
    before: bool
    after: bool
    before_value: object
    after_value: str


@dataclass
class TrendPoint:
    month: date
    communes: int
    met_all: int
    met_by_criterion: dict[int, int] = field(default_factory=dict)


@dataclass
class AreaOverview:
    programme: Programme | None
    criteria: list[Criterion]
    moment: Moment
    rows: list[CommuneResult]
    last_month: date | None = None
    changes: list[Change] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def met_all_count(self) -> int:
        return sum(row.met_all for row in self.rows)

    @property
    def met_by_criterion(self) -> list[tuple[Criterion, int]]:
        return [(c, sum(row.results[i].met for row in self.rows)) for i, c in enumerate(self.criteria)]


def area_communes(user, *, province=None, district=None):
    """Communes of the area the user asked for, within what they may see."""
    communes = Commune.objects.visible_to(user)
    if district is not None:
        communes = communes.filter(district=district)
    elif province is not None:
        communes = communes.filter(province=province)
    return communes.order_by("name")


def area_overview(
    user, *, province, district=None, programme: Programme | None = None, commune_ids=None, moment=None
) -> AreaOverview:
    """The area dashboard's data: one query per metric for all communes, plus two over the snapshots."""
    moment = moment or Moment(today())
    programme = programme or programme_for_province(province.pk if province else None)
    communes = area_communes(user, province=province, district=district)
    if commune_ids is not None:
        communes = communes.filter(pk__in=commune_ids)
    if programme is None:
        return AreaOverview(None, [], moment, [])
    criteria = criteria_of(programme)
    rows = evaluate_communes(criteria, communes.select_related("district"), moment)
    overview = AreaOverview(programme, criteria, moment, rows)
    _history(overview)
    return overview


def _history(overview: AreaOverview) -> None:
    """Trend over the frozen months and what changed since the last one, from one query over the snapshots."""
    ids = [row.unit.pk for row in overview.rows]
    by_id = {row.unit.pk: row for row in overview.rows}
    snapshots = (
        CommuneSnapshot.objects.filter(criterion__in=overview.criteria, commune_id__in=ids)
        .order_by("-month")
        .values_list("month", "commune_id", "criterion_id", "met", "value")
    )
    months: dict[date, dict[int, dict[int, tuple]]] = defaultdict(lambda: defaultdict(dict))
    for month, commune_id, criterion_id, met, value in snapshots:
        if len(months) == TREND_MONTHS and month not in months:
            break
        months[month][commune_id][criterion_id] = (met, value)
    for month in sorted(months):
        per_commune = months[month]
        point = TrendPoint(month, len(per_commune), 0)
        for criteria in per_commune.values():
            point.met_all += all(met for met, _ in criteria.values()) and len(criteria) == len(overview.criteria)
            for criterion_id, (met, _) in criteria.items():
                point.met_by_criterion[criterion_id] = point.met_by_criterion.get(criterion_id, 0) + met
        overview.trend.append(point)
    if not overview.trend:
        return
    overview.last_month = overview.trend[-1].month
    for commune_id, criteria in months[overview.last_month].items():
        row = by_id[commune_id]
        for result in row.results:
            frozen = criteria.get(result.criterion.pk)
            if frozen is not None and frozen[0] != result.met:
                overview.changes.append(
                    Change(row.unit, result.criterion, frozen[0], result.met, frozen[1], result.value_display)
                )


@dataclass
class CommuneDashboard:
    commune: Commune
    programme: Programme | None
    criteria: list[Criterion]
    moment: Moment
    row: CommuneResult | None
    hamlet_criteria: list[Criterion] = field(default_factory=list)
    hamlet_rows: list[CommuneResult] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    # {criterion id: {month: snapshot}}
    trend: dict[int, dict[date, CommuneSnapshot]] = field(default_factory=dict)
    reviews: dict[date, MonthReview] = field(default_factory=dict)

    @property
    def month_reviews(self) -> list[tuple[date, MonthReview | None]]:
        return [(month, self.reviews.get(month)) for month in self.months]

    @property
    def trend_rows(self):
        return [(c, [self.trend.get(c.pk, {}).get(m) for m in self.months]) for c in self.criteria]


def commune_dashboard(commune: Commune, *, programme: Programme | None = None, moment=None) -> CommuneDashboard:
    moment = moment or Moment(today())
    programme = programme or programme_for_province(commune.province_id)
    if programme is None:
        return CommuneDashboard(commune, None, [], moment, None)
    criteria = criteria_of(programme)
    [row] = evaluate_communes(criteria, [commune], moment)
    hamlet_criteria, hamlet_rows = evaluate_hamlets(criteria, commune, moment)
    dashboard = CommuneDashboard(commune, programme, criteria, moment, row, hamlet_criteria, hamlet_rows)
    snapshots = CommuneSnapshot.objects.filter(commune=commune, criterion__in=criteria).order_by("-month")
    months = sorted({s.month for s in snapshots})[-TREND_MONTHS:]
    for snapshot in snapshots:
        if snapshot.month in months:
            dashboard.trend.setdefault(snapshot.criterion_id, {})[snapshot.month] = snapshot
    dashboard.months = months
    dashboard.reviews = {
        r.month: r for r in MonthReview.objects.filter(commune=commune, month__in=months).select_related("reviewed_by")
    }
    return dashboard
