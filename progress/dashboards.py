"""What the dashboards show, computed once per request: live figures from the metrics, history from the snapshots."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from dateutil.relativedelta import relativedelta
from django.db.models import Count, OuterRef, Q, Subquery

from communes.models import Commune

from .metrics import Moment
from .metrics.catalogue import METRICS
from .models import CommuneSnapshot, Criterion, CriterionGroup, MonthReview, Programme
from .selectors import (
    CommuneResult,
    classification_programme,
    criteria_of,
    display_value,
    evaluate_communes,
    evaluate_hamlets,
    figures_by_hamlet,
    first_of_month,
    programme_for_province,
    today,
)
from .stamps import FigureStamp, keep, kept, stamps_key, stamps_of

TREND_MONTHS = 12
# The metrics whose records the figures stamps watch (migration 0012): a dashboard is kept only when all its
# criteria use them (a metric registered by another app may read tables no trigger watches).
STAMPED_METRICS = frozenset(metric.key for metric in METRICS)
# The area page lists this many changes one by one; the rest are counted per criterion.
CHANGES_SHOWN = 30


@dataclass
class Change:
    commune: Commune
    criterion: Criterion
    before: bool
    after: bool
    # The frozen value; written (before_value) only for the changes shown: a province may have hundreds.
    frozen_value: object
    after_value: str

    @property
    def before_value(self) -> str:
        return display_value(self.criterion.metric, self.frozen_value)


@dataclass
class TrendPoint:
    month: date
    communes: int
    met_all: int


@dataclass
class Classification:
    """Each commune's class under the classifying set (QĐ 28/2025: loại I, II, III), shown beside the programme's
    result; `rows` keep the "k of n" counts behind each class."""

    programme: Programme | None = None
    rows: dict[int, CommuneResult] = field(default_factory=dict)

    def of(self, commune_id: int) -> CriterionGroup | None:
        row = self.rows.get(commune_id)
        return row.classification if row else None


def classify(
    province_id, communes, moment: Moment, *, programme: Programme | None = None, rows=None, by_hamlet=False
) -> Classification:
    """One query for the classifying set, one for its criteria, then one per distinct metric of its class groups
    (its other criteria are not needed; metrics the programme shown has already computed cost nothing); nothing
    more when the programme shown is that set itself. `by_hamlet` (one commune's dashboard): the metrics with a
    hamlet breakdown are asked by hamlet, where the programme's metrics already counted what they share
    (metrics.catalogue.status_counts)."""
    classifier = classification_programme(province_id)
    if classifier is None:
        return Classification()
    if programme is not None and classifier.pk == programme.pk and rows is not None:
        return Classification(classifier, {row.unit.pk: row for row in rows})
    criteria = [c for c in criteria_of(classifier) if c.group_id is not None]
    if by_hamlet:
        [commune] = communes
        figures_by_hamlet([c for c in criteria if c.metric.has_hamlets], commune, moment)
    return Classification(classifier, {row.unit.pk: row for row in evaluate_communes(criteria, communes, moment)})


@dataclass
class AreaOverview:
    programme: Programme | None
    criteria: list[Criterion]
    moment: Moment
    rows: list[CommuneResult]
    last_month: date | None = None
    changes: list[Change] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    classification: Classification = field(default_factory=Classification)
    # When kept (progress.stamps): the page's HTML written from these figures, kept with them (kept_fragment).
    fragments: dict | None = None

    # Cached: an overview is not changed once composed (and a kept one is read by every request).
    @cached_property
    def met_all_count(self) -> int:
        return sum(row.met_all for row in self.rows)

    @cached_property
    def with_data_count(self) -> int:
        """Communes that have entered their households: the others have no figure yet (see selectors._row)."""
        return sum(row.has_data for row in self.rows)

    @property
    def changes_shown(self) -> list[Change]:
        return self.changes[:CHANGES_SHOWN]

    @cached_property
    def changes_by_criterion(self) -> list[tuple[Criterion, int, int]]:
        """(criterion, communes newly meeting it, communes no longer meeting it) since the last frozen month."""
        counts = Counter((change.criterion.pk, change.after) for change in self.changes)
        return [
            (c, counts[c.pk, True], counts[c.pk, False])
            for c in self.criteria
            if counts[c.pk, True] or counts[c.pk, False]
        ]

    @cached_property
    def met_by_criterion(self) -> list[tuple[Criterion, int]]:
        return [(c, sum(row.results[i].met for row in self.rows)) for i, c in enumerate(self.criteria)]

    @property
    def summary(self) -> tuple:
        """Everything the page's kept fragment (the summary, the charts, the changes: {% kept_fragment %} in
        templates/progress/area_dashboard.html) is written from: an overview composed again after a write that left
        all of it as it was (most writes: one commune's figures moved, not what the province adds up to) shows the
        fragment already written."""
        # Raw fields, not the texts written from them (a criterion's title, a frozen value as written): the same
        # fields write the same texts, in the language the fragment is kept for.
        criteria = {c.pk: (c.pk, c.order, c.label, c.metric_key) for c in self.criteria}
        return (
            len(self.rows),
            self.met_all_count,
            self.with_data_count,
            [(criteria[c.pk], met) for c, met in self.met_by_criterion],
            [(p.month, p.communes, p.met_all) for p in self.trend],
            self.last_month,
            len(self.changes),
            [(criteria[c.pk], gained, lost) for c, gained, lost in self.changes_by_criterion],
            [
                (c.commune.pk, c.commune.code, c.commune.name, c.criterion.pk, c.after, c.frozen_value, c.after_value)
                for c in self.changes_shown
            ],
        )


def area_communes(user, *, province=None, district=None):
    """Communes of the area the user asked for, within what they may see."""
    communes = Commune.objects.visible_to(user)
    if district is not None:
        communes = communes.filter(district=district)
    elif province is not None:
        communes = communes.filter(province=province)
    return communes.order_by("name")


@dataclass
class CommunePart:
    """What one commune contributes to an area overview, computed for it alone or with others and kept under its
    own figures stamp: its row, its row under the classifying set, its frozen months and what changed since the
    latest of them."""

    row: CommuneResult
    classified: CommuneResult | None
    # The trend's months in which it was frozen, in order, and those in which it froze every criterion and met all.
    months: tuple[date, ...]
    met_months: tuple[date, ...]
    # Against the commune's latest frozen month (the last of `months`).
    changes: list[Change]
    # What the part was computed with (every part of one computation shares them).
    criteria: list[Criterion]
    classifier: Programme | None


@dataclass
class ComputedParts:
    criteria: list[Criterion]
    classifier: Programme | None
    parts: dict[int, CommunePart]
    # Every criterion shown reads only records the figures stamps watch: the parts may be kept.
    stamped: bool


# The version the communes' parts are kept at: each part carries its own (the day and its commune's stamp).
PARTS = "per commune"


def area_overview(
    user, *, province, district=None, programme: Programme | None = None, commune_ids=None, moment=None
) -> AreaOverview:
    """The area dashboard's data: one query per metric for all communes, plus two over the snapshots.

    Live figures (no `moment` given) are kept (progress.stamps) twice over. Each commune's part (its row, its class,
    its frozen months) is kept under its own figures stamp and the date in Vietnam, so that after a write in one
    commune only that commune is computed again (the same queries, restricted to the communes whose stamp moved,
    as many whatever their number) and the other communes' parts are reused. The overview composed from the parts
    is kept under the stamps of every commune shown and reused while none has moved: two queries then (the
    programme, the communes with their stamps)."""
    live = moment is None
    moment = moment or Moment(today())
    programme = programme or programme_for_province(province.pk if province else None)
    communes = area_communes(user, province=province, district=district)
    if commune_ids is not None:
        communes = communes.filter(pk__in=commune_ids)
    if programme is None:
        return AreaOverview(None, [], moment, [])
    province_id = province.pk if province else None
    if not live:
        communes = list(communes.select_related("district"))
        computed = _compute_parts(programme, province_id, communes, moment)
        return _compose(programme, moment, computed, [computed.parts[c.pk] for c in communes])
    # Stamps read before the figures are computed, so what is kept is never older than its key.
    # The communes with their stamps, in the query that fetches them anyway.
    stamp = Subquery(FigureStamp.objects.filter(commune_id=OuterRef("pk")).values("version")[:1])
    communes = list(communes.select_related("district").annotate(figures_stamp=stamp))
    stamps = {c.pk: c.figures_stamp or 0 for c in communes}
    day = moment.as_of.isoformat()
    key = stamps_key("area", ("area", programme.pk, province_id, day), stamps, list(stamps))
    overview = kept(*key)
    if overview is not None:
        return overview
    # The parts are kept per programme and province, whatever area showed them (a district's page reuses the
    # province's), as {commune id: ((day, stamp), part)}.
    slot = f"progress:area-parts:{programme.pk}:{province_id}"
    parts = kept(slot, PARTS) or {}
    reused = {pk: part for pk, (version, part) in parts.items() if version == (day, stamps.get(pk))}
    missing = [c for c in communes if c.pk not in reused]
    if missing or not reused:
        computed = _compute_parts(programme, province_id, missing, moment)
    else:
        # Nothing to compute: the criteria are those the parts were computed with (a programme, criterion or group
        # edited stamps every commune, so the parts under today's stamps were all computed after the last edit).
        some = next(iter(reused.values()))
        computed = ComputedParts(some.criteria, some.classifier, {}, stamped=True)
    overview = _compose(programme, moment, computed, [reused.get(c.pk) or computed.parts[c.pk] for c in communes])
    if computed.stamped:
        if computed.parts:
            moment.memo.clear()
            fresh = {pk: ((day, stamps[pk]), part) for pk, part in computed.parts.items()}
            # A new dict, not the kept one changed: another request may be reading it.
            keep(slot, PARTS, {**parts, **fresh})
        overview.fragments = _fragments(key[0], overview)
        keep(*key, overview)
    return overview


def _fragments(slot: str, overview: AreaOverview) -> dict:
    """The HTML written from the overview's summary (progress_cells.kept_fragment), shared by the overviews of one
    area whose summaries are the same."""
    slot = f"{slot}:fragments"
    version = hashlib.sha1(repr(overview.summary).encode(), usedforsecurity=False).hexdigest()
    fragments = kept(slot, version)
    if fragments is None:
        fragments = {}
        keep(slot, version, fragments)
    return fragments


def _compute_parts(programme: Programme, province_id, communes, moment: Moment) -> ComputedParts:
    """The parts of these communes: one query per metric (and per class metric), two over the snapshots, whatever
    their number."""
    criteria = criteria_of(programme)
    rows = evaluate_communes(criteria, communes, moment)
    classification = classify(province_id, [row.unit for row in rows], moment, programme=programme, rows=rows)
    history = _history(criteria, rows, moment)
    parts = {}
    for row in rows:
        pk = row.unit.pk
        row.classified_as = classification.of(pk)
        months, met_months, changes = history.get(pk, ((), (), []))
        parts[pk] = CommunePart(
            row, classification.rows.get(pk), months, met_months, changes, criteria, classification.programme
        )
    return ComputedParts(criteria, classification.programme, parts, _stamped(criteria, classification))


def _stamped(criteria, classification) -> bool:
    """Whether every criterion shown (the programme's, and the classifying set's behind the class) reads only
    records the figures stamps watch."""
    classified = next(iter(classification.rows.values()), None)
    if classified is not None:
        criteria = [*criteria, *(result.criterion for result in classified.results)]
    return all(c.metric_key in STAMPED_METRICS for c in criteria)


def _history(criteria: list[Criterion], rows: list[CommuneResult], moment: Moment) -> dict:
    """{commune id: (its frozen months, those it met in full, what changed since the latest)}: two queries over the
    snapshots, the first aggregated per commune and month in SQL (never the months × communes × criteria rows),
    the second the latest frozen month of each commune (usually one month for all)."""
    ids = [row.unit.pk for row in rows]
    snapshots = CommuneSnapshot.objects.filter(criterion__in=criteria, commune_id__in=ids).order_by()
    since = first_of_month(moment.as_of) - relativedelta(months=TREND_MONTHS)
    months: dict[int, dict[date, tuple[int, int]]] = {}
    per_commune = (
        snapshots.filter(month__gte=since)
        .values_list("commune_id", "month")
        .annotate(frozen=Count("pk"), unmet=Count("pk", filter=Q(met=False)))
    )
    for commune_id, month, frozen, unmet in per_commune:
        months.setdefault(commune_id, {})[month] = (frozen, unmet)
    if not months:
        return {}
    latest: dict[date, list[int]] = {}
    for commune_id, frozen_months in months.items():
        latest.setdefault(max(frozen_months), []).append(commune_id)
    which = Q()
    for month, commune_ids in latest.items():
        which |= Q(month=month, commune_id__in=commune_ids)
    frozen = {
        (commune_id, criterion_id): (met, value)
        for commune_id, criterion_id, met, value in snapshots.filter(which).values_list(
            "commune_id", "criterion_id", "met", "value"
        )
    }
    history = {}
    for row in rows:
        commune_id = row.unit.pk
        if commune_id not in months:
            continue
        changes = []
        for criterion, result in zip(criteria, row.results, strict=True):
            before = frozen.get((commune_id, criterion.pk))
            if before is not None and before[0] != result.met:
                changes.append(Change(row.unit, criterion, before[0], result.met, before[1], result.value_display))
        frozen_months = sorted(months[commune_id].items())
        met_months = tuple(m for m, (n, unmet) in frozen_months if unmet == 0 and n == len(criteria))
        history[commune_id] = (tuple(m for m, _ in frozen_months), met_months, changes)
    return history


def _compose(programme: Programme, moment: Moment, computed: ComputedParts, parts: list[CommunePart]) -> AreaOverview:
    """The overview from its communes' parts, in the communes' order: the trend counts, month by month, the
    communes frozen and those that froze every criterion and met them all; the changes listed are those of the
    communes frozen in the latest month any of them was."""
    overview = AreaOverview(programme, computed.criteria, moment, [part.row for part in parts])
    if computed.classifier is not None:
        overview.classification = Classification(
            computed.classifier, {part.row.unit.pk: part.classified for part in parts if part.classified}
        )
    communes, met_all = Counter(), Counter()
    for part in parts:
        communes.update(part.months)
        met_all.update(part.met_months)
    overview.trend = [TrendPoint(month, communes[month], met_all[month]) for month in sorted(communes)][-TREND_MONTHS:]
    if overview.trend:
        overview.last_month = last = overview.trend[-1].month
        overview.changes = [
            change for part in parts if part.months and part.months[-1] == last for change in part.changes
        ]
    return overview


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
    classification: Classification = field(default_factory=Classification)
    # When kept (progress.stamps): the page's HTML written from these figures, kept with them (kept_fragment).
    fragments: dict | None = None

    @property
    def commune_class(self) -> CriterionGroup | None:
        return self.classification.of(self.commune.pk)

    @property
    def month_reviews(self) -> list[tuple[date, MonthReview | None]]:
        return [(month, self.reviews.get(month)) for month in self.months]

    @property
    def trend_rows(self):
        """(criterion, [(snapshot or None, its value as the dashboard writes it)] per month)."""
        rows = []
        for criterion in self.criteria:
            frozen = [self.trend.get(criterion.pk, {}).get(month) for month in self.months]
            cells = [(s, display_value(criterion.metric, s.value) if s else "—") for s in frozen]
            rows.append((criterion, cells))
        return rows


def commune_dashboard(commune: Commune, *, programme: Programme | None = None, moment=None) -> CommuneDashboard:
    """One commune's dashboard. Live figures (no `moment` given) are kept (progress.stamps) under the commune's
    figures stamp and the date in Vietnam, and reused while no write has touched its records: two queries then (the
    stamp, the month reviews, which name their reviewer and so are always read)."""
    live = moment is None
    moment = moment or Moment(today())
    programme = programme or programme_for_province(commune.province_id)
    if programme is None:
        return CommuneDashboard(commune, None, [], moment, None)
    key = None
    if live:
        parts = ("commune", programme.pk, moment.as_of.isoformat())
        key = stamps_key("commune", parts, stamps_of([commune.pk]), [commune.pk])
        dashboard = kept(*key)
        if dashboard is not None:
            # A copy: what is kept is shared with other requests; the reviews name their reviewer, read afresh.
            dashboard = replace(dashboard, commune=commune, reviews={})
            _reviews(dashboard)
            return dashboard
    dashboard = _commune_figures(commune, programme, moment)
    if key is not None and _stamped(dashboard.criteria, dashboard.classification):
        moment.memo.clear()
        dashboard.fragments = {}
        keep(*key, dashboard)
        dashboard = replace(dashboard)
    _reviews(dashboard)
    return dashboard


def _commune_figures(commune: Commune, programme: Programme, moment: Moment) -> CommuneDashboard:
    criteria = criteria_of(programme)
    # The hamlets first: the commune's figures of the metrics with a breakdown are their sums (no query more).
    hamlet_criteria, hamlet_rows = evaluate_hamlets(criteria, commune, moment)
    [row] = evaluate_communes(criteria, [commune], moment)
    dashboard = CommuneDashboard(commune, programme, criteria, moment, row, hamlet_criteria, hamlet_rows)
    dashboard.classification = classify(
        commune.province_id, [commune], moment, programme=programme, rows=[row], by_hamlet=True
    )
    snapshots = CommuneSnapshot.objects.filter(commune=commune, criterion__in=criteria).order_by("-month")
    months = sorted({s.month for s in snapshots})[-TREND_MONTHS:]
    for snapshot in snapshots:
        if snapshot.month in months:
            dashboard.trend.setdefault(snapshot.criterion_id, {})[snapshot.month] = snapshot
    dashboard.months = months
    return dashboard


def _reviews(dashboard: CommuneDashboard) -> None:
    dashboard.reviews = {
        r.month: r
        for r in MonthReview.objects.filter(commune=dashboard.commune, month__in=dashboard.months).select_related(
            "reviewed_by"
        )
    }
