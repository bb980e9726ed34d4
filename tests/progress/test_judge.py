"""The dashboards judge figures in integers (selectors.Judge, figures.percent_text): the verdicts and the text must be
those of the exact, general way (Fractions: criterion.is_met, display_value, format_percent) for every figure."""

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest

from drugfree.figures import format_percent, percent_text
from progress.metrics import REGISTRY, Figure
from progress.models import Comparison, Criterion
from progress.selectors import NO_DATA, Judge, display_value


def test_percent_text_writes_what_format_percent_writes():
    for places in (0, 1, 3):
        for denominator in [*range(1, 60), 997, 1000, 3000, 99_999, 100_000, 1_234_567]:
            numerators = {*range(0, min(denominator, 60) + 1), denominator - 1, denominator, denominator * 3}
            numerators |= {denominator * 999 // 1000, denominator * 9995 // 10000, denominator // 3}
            for numerator in sorted(n for n in numerators if n >= 0):
                assert percent_text(100 * numerator, denominator, places) == format_percent(
                    Fraction(100 * numerator, denominator), places
                ), (numerator, denominator, places)


@pytest.mark.parametrize("metric_key", ["addicts_in_treatment", "missed_users", "qd28_users_addicts_share",
                                        "qd28_plants_area", "active_prevention_models"])  # fmt: skip
def test_judge_agrees_with_the_exact_comparison_and_display(metric_key):
    metric = REGISTRY[metric_key]
    targets = [Decimal("0"), Decimal("1"), Decimal("0.5"), Decimal("0.001"), Decimal("99.9"), Decimal("100"),
               Decimal("750"), Decimal("3000")]  # fmt: skip
    pairs = itertools.product([0, 1, 2, 3, 7, 999, 1000, 3000], [0, 1, 3, 7, 1000, 3001])
    if metric.kind == "count":  # a count has no denominator; a summed one counts its records
        figures = [Figure(n, records=d if metric.sum_field else None) for n, d in pairs]
    else:
        figures = [Figure(n, d) for n, d in pairs]
    for comparison, target in itertools.product(Comparison.values, targets):
        criterion = Criterion(metric_key=metric_key, comparison=comparison, target=target)
        judge = Judge(criterion)
        for figure in figures:
            value = metric.value(figure)
            result = judge(figure)
            assert (result.met, result.gap_size, result.value_display) == (
                criterion.is_met(value),
                metric.gap_size(figure),
                display_value(metric, value),
            ), (comparison, target, figure)
            assert result.value == value
            assert judge(figure, False).value_display == str(NO_DATA) and not judge(figure, False).met
