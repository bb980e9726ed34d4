"""The province level: a criteria set (progress.Programme, level "province") evaluated over all of a province's
communes, and the two shares of communes it needs, which only this app can compute (docs/recognition.md,
"The province level").

A province's figure for a metric is the sum of its communes' figures (numerators, denominators): the share of
residents using drugs is the province's users over its residents, not an average of communes' rates. The two
metrics below count communes: each commune is 1 of 1, counted or not.
"""

from fractions import Fraction

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from progress.metrics import Figure, Kind, Metric, Moment
from progress.models import Level, Programme
from progress.selectors import (
    CommuneResult,
    classification_programme,
    criteria_of,
    evaluate,
    evaluate_communes,
    programme_for_province,
)

from .models import Recognition


class CommuneShare(Metric):
    """A share of the province's communes; meaningful only in a province-level set (no hamlet breakdown)."""

    kind = Kind.RATE
    hamlet_field = None

    def counted(self, moment: Moment, commune_ids: list[int]) -> set[int]:
        raise NotImplementedError

    def figures(self, moment, commune_ids=None, *, by_hamlet=False):
        self._group_field(by_hamlet)  # refuses a hamlet breakdown
        ids = list(commune_ids) if commune_ids is not None else list(Commune.objects.values_list("pk", flat=True))
        counted = self.counted(moment, ids)
        return {pk: Figure(int(pk in counted), 1) for pk in ids}

    def value(self, figure: Figure) -> Fraction:
        # No commune at all is no share, not "100 % done".
        return super().value(figure) if figure.denominator else Fraction(0)

    def gap_size(self, figure: Figure) -> int:
        return (figure.denominator or 0) - figure.numerator


class RecognisedCommunes(CommuneShare):
    key = "recognised_communes_share"
    short_label = _("Xã được công nhận")
    label = _("Tỷ lệ xã, phường được công nhận “không ma túy” (còn hiệu lực)")
    description = _(
        "Số xã có quyết định công nhận còn hiệu lực (chưa bị thu hồi, chưa hết hạn) trên tổng số xã của tỉnh; "
        "mục tiêu toàn quốc: ít nhất 50 % đến hết năm 2030."
    )

    def counted(self, moment, commune_ids):
        cycles = holding_cycles(moment.as_of).filter(commune_id__in=commune_ids)
        return set(cycles.values_list("commune_id", flat=True))


def holding_cycles(day):
    """Communes' cycles whose recognition holds on `day`: recognised, not revoked, within its validity — the cycle's
    own `valid_until` (the decision's, moved on by each confirmed maintenance review), the same date that makes it
    lapse (`RecognitionQuerySet.lapsed`)."""
    holding = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    return Recognition.objects.communes().filter(
        holding, status=Recognition.Status.RECOGNISED, decision__valid_from__lte=day
    )


class HotspotCommunes(CommuneShare):
    key = "qd28_hotspot_communes_share"
    short_label = _("Xã trọng điểm")
    label = _("QĐ 28/2025: tỷ lệ xã trọng điểm phức tạp về ma túy (loại I, II, III)")
    description = _(
        "Số xã thuộc một loại trọng điểm theo bộ tiêu chí phân loại cấp xã đang áp dụng (QĐ 28/2025) trên tổng số "
        "xã của tỉnh."
    )

    def counted(self, moment, commune_ids):
        counted = set()
        communes = list(Commune.objects.filter(pk__in=commune_ids))
        for province_id in sorted({c.province_id for c in communes}):
            programme = classification_programme(province_id)
            if programme is None:
                continue
            rows = evaluate_communes(
                criteria_of(programme), [c for c in communes if c.province_id == province_id], moment
            )
            counted |= {row.unit.pk for row in rows if row.classification is not None}
        return counted


PROVINCE_METRICS = (RecognisedCommunes(), HotspotCommunes())


def _total(metric: Metric, figures: dict[int, Figure]) -> Figure:
    """The province's figure: its communes' figures added up."""
    values = list(figures.values())
    records = [f.records for f in values if f.records is not None]
    return Figure(
        sum(f.numerator for f in values),
        None if metric.kind == Kind.COUNT else sum(f.denominator or 0 for f in values),
        sum(records) if records else None,
    )


def province_programme(province) -> Programme | None:
    return programme_for_province(province.pk, level=Level.PROVINCE)


def province_result(province, programme: Programme, moment: Moment) -> CommuneResult:
    """Every criterion of a province-level set for the province: one computation per distinct metric over its
    communes. `met_all`, `groups` and `classification` read as for a commune (progress.selectors)."""
    criteria = criteria_of(programme)
    ids = list(Commune.objects.filter(province=province).values_list("pk", flat=True))
    totals: dict[str, Figure] = {}
    for criterion in criteria:
        if criterion.metric_key not in totals:
            totals[criterion.metric_key] = _total(criterion.metric, criterion.metric.figures(moment, ids))
    return CommuneResult(province, [evaluate(c, totals[c.metric_key]) for c in criteria])
