"""The shapes a metric can take: a rate over a population of records, a count of records, a share of the resident
population. Each one computes every commune (or every hamlet of one commune) in ONE grouped SQL query, so a
province dashboard costs the same number of queries for 5 communes as for 166.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

# Grouped querysets kept per metric (Metric._grouped): today's, by commune and by hamlet, and a few past dates.
BUILT_AT_MOST = 8


class Kind(models.TextChoices):
    RATE = "rate", _("Tỷ lệ hoàn thành (%)")
    COUNT = "count", _("Số lượng")
    SHARE = "share", _("Tỷ lệ trên dân số cư trú (%)")


@dataclass
class Moment:
    """The date figures are computed at, with its assessment windows; memoises figures shared by several metrics."""

    as_of: date
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def year(self) -> int:
        # Pledges and hamlet commitments are renewed each calendar year.
        return self.as_of.year

    @property
    def window_start(self) -> date:
        """First day of the rolling 12 months ending on as_of: events (incidents, arrests, missed users) count there."""
        return self.as_of - relativedelta(years=1) + relativedelta(days=1)


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int | None = None
    # How many records a summed numerator adds up (see CountMetric.sum_field); None when it counts them.
    records: int | None = None
    # The summed total before rounding down, so that hamlets' figures add up to their commune's exactly.
    exact: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Column:
    header: str
    value: object  # callable(record) -> cell value


class Metric:
    """A measurable quantity per commune (and per hamlet where meaningful) with the list of records behind it."""

    key: str = ""
    label = ""
    # A table column's heading (the full label is shown on hover and in print).
    short_label = ""
    description = ""
    kind: str = Kind.RATE
    # The lookup from the counted model to the commune id, and to the hamlet id (None: no hamlet breakdown).
    commune_field = "commune_id"
    hamlet_field: str | None = "hamlet_id"
    gap_title = _("Danh sách còn thiếu")
    gap_columns: tuple[Column, ...] = ()
    gap_select_related: tuple[str, ...] = ()

    # --- computing -------------------------------------------------------------------------------------------
    def figures(self, moment: Moment, commune_ids=None, *, by_hamlet: bool = False) -> dict[int, Figure]:
        """{commune id (or hamlet id): Figure}, for the given communes (None: all) in one query."""
        raise NotImplementedError

    def gap_list(self, moment: Moment, commune) -> models.QuerySet | None:
        """The records missing (or counted, for counts) in one commune; None when there is no list of records."""
        return None

    @property
    def nothing(self) -> Figure:
        """The figure of a unit with no row at all."""
        return Figure(0) if self.kind == Kind.COUNT else Figure(0, 0)

    @property
    def has_hamlets(self) -> bool:
        return self.hamlet_field is not None

    def combine(self, figures) -> Figure | None:
        """One commune's figure from its hamlets' (`figures(..., by_hamlet=True)` of that commune, the records
        without a hamlet included): every record counts in exactly one hamlet, so the commune's figure is their
        sum. None when no hamlet has one (the commune has no row either)."""
        figures = list(figures)
        if not figures:
            return None
        numerator = sum(f.numerator for f in figures)
        if self.kind == Kind.COUNT:
            return Figure(numerator)
        return Figure(numerator, sum(f.denominator or 0 for f in figures))

    # --- reading a figure --------------------------------------------------------------------------------------
    def value(self, figure: Figure) -> Fraction:
        if self.kind == Kind.COUNT:
            return Fraction(figure.numerator)
        if not figure.denominator:
            # Nobody to bring into line: a completion rate is complete; a share of no residents is nil.
            return Fraction(100) if self.kind == Kind.RATE else Fraction(0)
        return Fraction(figure.numerator * 100, figure.denominator)

    def gap_size(self, figure: Figure) -> int:
        if self.kind == Kind.RATE:
            return (figure.denominator or 0) - figure.numerator
        return figure.numerator

    def _group_field(self, by_hamlet: bool) -> str:
        if by_hamlet:
            if self.hamlet_field is None:
                raise ValueError(f"metric {self.key} has no hamlet breakdown")
            return self.hamlet_field
        return self.commune_field

    def _restrict(self, queryset, commune_ids):
        if commune_ids is None:
            return queryset.all()  # a copy: the queryset may be kept (_grouped)
        return queryset.filter(**{f"{self.commune_field}__in": list(commune_ids)})

    def _grouped(self, moment: Moment, group: str, build) -> models.QuerySet:
        """`build()`, the metric's grouped queryset over every commune, built once per date and grouping and kept
        on the metric; callers restrict a copy to their communes (`_restrict`), never evaluate it. Building a
        queryset with its subqueries costs more than running it for one commune (missed users: four correlated
        subqueries, ~7 ms of Python on the busy development host), and the area overview after a write computes
        one commune. What it is built from is the date only (the windows, the year), never the moment's memo."""
        built = self.__dict__.setdefault("_built", {})
        key = (moment.as_of, group)
        queryset = built.get(key)
        if queryset is None:
            if len(built) >= BUILT_AT_MOST:  # past dates (snapshots of earlier months)
                built.clear()
            queryset = built[key] = build()
        return queryset


class RateMetric(Metric):
    """Numerator ÷ denominator over one population of records: how many of them meet a condition."""

    kind = Kind.RATE

    def population(self, moment: Moment) -> models.QuerySet:
        raise NotImplementedError

    def met(self, moment: Moment) -> Q:
        raise NotImplementedError

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        group = self._group_field(by_hamlet)

        def build():
            population = self.population(moment).values(group)
            return population.annotate(
                denominator=Count("pk"), numerator=Count("pk", filter=self.met(moment))
            ).order_by()

        rows = self._restrict(self._grouped(moment, group, build), commune_ids)
        return {row[group]: Figure(row["numerator"], row["denominator"]) for row in rows}

    def gap_list(self, moment, commune):
        queryset = self.population(moment).filter(**{self.commune_field: commune.pk}).filter(~self.met(moment))
        return _ordered(queryset.select_related(*self.gap_select_related))


class CountMetric(Metric):
    """How many records there are (target usually 0, or at least 1); the gap list is the records themselves.

    With `sum_field`, the total of that field over the records instead (plants destroyed, m² destroyed), in whole
    units rounded down, so a threshold such as "≥ 750 m²" is decided exactly; the gap size is then the records.
    """

    kind = Kind.COUNT
    sum_field: str | None = None

    def records(self, moment: Moment) -> models.QuerySet:
        raise NotImplementedError

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        group = self._group_field(by_hamlet)

        def build():
            rows = self.records(moment).values(group).order_by()
            if self.sum_field is None:
                return rows.annotate(numerator=Count("pk"))
            return rows.annotate(total=Sum(self.sum_field), records=Count("pk"))

        rows = self._restrict(self._grouped(moment, group, build), commune_ids)
        if self.sum_field is None:
            return {row[group]: Figure(row["numerator"]) for row in rows}
        return {row[group]: self._summed(row["total"], row["records"]) for row in rows}

    @staticmethod
    def _summed(total, records) -> Figure:
        return Figure(math.floor(total), records=records, exact=total)

    def combine(self, figures):
        figures = list(figures)
        if self.sum_field is None or not figures:
            return super().combine(figures)
        return self._summed(sum(f.exact for f in figures), sum(f.records for f in figures))

    def gap_size(self, figure):
        return figure.numerator if figure.records is None else figure.records

    def gap_list(self, moment, commune):
        queryset = self.records(moment).filter(**{self.commune_field: commune.pk})
        return _ordered(queryset.select_related(*self.gap_select_related))


def _ordered(queryset):
    """Gap lists are paginated: a stable order even for models without a default one."""
    return queryset if queryset.ordered else queryset.order_by("pk")


def hamlet_tallies(moment: Moment, commune_ids) -> dict[int, tuple[int, int, int]]:
    """{hamlet id: (commune id, residing households, their members)} from the tally the database keeps
    (progress.tallies.HamletTally), hamlets with residing households only; read once per moment."""
    from progress.tallies import HamletTally

    key = ("hamlet_tallies", tuple(commune_ids) if commune_ids is not None else None)
    if key not in moment.memo:
        rows = HamletTally.objects.filter(households__gt=0)
        if commune_ids is not None:
            rows = rows.filter(hamlet__commune_id__in=list(commune_ids))
        moment.memo[key] = {
            hamlet: (commune, households, members)
            for hamlet, commune, households, members in rows.values_list(
                "hamlet_id", "hamlet__commune_id", "households", "members"
            )
        }
    return moment.memo[key]


def resident_population(moment: Moment, commune_ids=None, *, by_hamlet: bool = False) -> dict[int, int]:
    """Members of residing households per commune (or hamlet): the hamlet tallies (never the households), added up
    per commune in SQL (a province's 6,640 hamlets are 166 rows); computed once per moment and grouping."""
    from progress.tallies import HamletTally

    if by_hamlet:
        tallies = hamlet_tallies(moment, commune_ids)
        return {hamlet: members for hamlet, (_commune, _households, members) in tallies.items()}
    key = ("resident_population", tuple(commune_ids) if commune_ids is not None else None)
    if key not in moment.memo:
        rows = HamletTally.objects.filter(households__gt=0)
        if commune_ids is not None:
            rows = rows.filter(hamlet__commune_id__in=list(commune_ids))
        rows = rows.values("hamlet__commune_id").annotate(people=Sum("members")).order_by()
        moment.memo[key] = {row["hamlet__commune_id"]: row["people"] for row in rows}
    return moment.memo[key]


class ShareMetric(CountMetric):
    """A count of records as a percentage of the resident population (QĐ 28/2025's indicators)."""

    kind = Kind.SHARE

    def counts(self, moment, commune_ids=None, *, by_hamlet=False) -> dict[int, Figure]:
        """The records counted per unit (the numerators)."""
        return super().figures(moment, commune_ids, by_hamlet=by_hamlet)

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        counts = self.counts(moment, commune_ids, by_hamlet=by_hamlet)
        population = resident_population(moment, commune_ids, by_hamlet=by_hamlet)
        return {
            unit: Figure(counts[unit].numerator if unit in counts else 0, population.get(unit, 0))
            for unit in set(counts) | set(population)
        }
