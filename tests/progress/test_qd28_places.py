"""QĐ 28/2025's indicators about places: drug plants destroyed (plants, m²) and trafficking routes, counted by hand."""

import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from openpyxl import load_workbook

from progress.metrics import REGISTRY, Figure, Moment
from progress.models import Criterion, Programme
from progress.selectors import evaluate_communes, evaluate_hamlets, today
from tests import factories as f

TODAY = today()


def ago(days: int):
    return TODAY - timedelta(days=days)


@pytest.fixture
def plants(places):
    """A: three destructions in the last 12 months (one with no hamlet, one measured only in m²), one exactly on the
    window's first day, one 13 months ago and one exactly a year ago (both outside); B: one; C (another province):
    none."""
    a, a2 = places.hamlet_a, places.hamlet_a2
    first_day = Moment(TODAY).window_start
    for hamlet, destroyed_on, count, area in [
        (a, ago(10), 1200, "300.5"),
        (a2, ago(200), 2000, "0"),
        (None, ago(30), 0, "480.7"),
        (a2, first_day, 5, "1"),
        (a, TODAY - relativedelta(months=13), 9000, "900"),
        (a, first_day - timedelta(days=1), 700, "70"),
    ]:
        f.plant_eradication(
            places.commune_a, hamlet_=hamlet, destroyed_on=destroyed_on, plants=count, area_m2=Decimal(area),
            location=f"Nương {count} cây",
        )  # fmt: skip
    f.plant_eradication(
        places.commune_b, hamlet_=places.hamlet_b, destroyed_on=ago(5), plants=40, area_m2=Decimal("10.2")
    )


@pytest.fixture
def routes(places):
    return SimpleNamespace(
        open=f.trafficking_route(places.commune_a, identified_on=ago(400), name="Đường mòn Pù Mùn"),
        ended=f.trafficking_route(places.commune_a, identified_on=ago(300), ended_on=ago(20), name="Khe suối Sỏi"),
        ends_today=f.trafficking_route(places.commune_a, identified_on=ago(100), ended_on=TODAY, name="Bến đò"),
    )


def figures(key, places, moment=None, **kwargs):
    units = [places.commune_a.pk, places.commune_b.pk, places.commune_c.pk]
    return REGISTRY[key].figures(moment or Moment(TODAY), units, **kwargs)


def test_plants_destroyed_add_up_the_last_twelve_months(plants, places):
    # A: 1200 + 2000 + 5 (on the window's first day); the 13-month-old and year-old ones are out; the destruction
    # measured only in m² adds no plant and is not one of the records behind the figure. C has none.
    assert figures("qd28_plants_destroyed", places) == {
        places.commune_a.pk: Figure(3205, records=3),
        places.commune_b.pk: Figure(40, records=1),
    }
    assert REGISTRY["qd28_plants_destroyed"].nothing == Figure(0)


def test_plants_destroyed_by_hamlet(plants, places):
    assert figures("qd28_plants_destroyed", places, by_hamlet=True) == {
        places.hamlet_a.pk: Figure(1200, records=1),
        places.hamlet_a2.pk: Figure(2005, records=2),
        places.hamlet_b.pk: Figure(40, records=1),
    }


def test_area_destroyed_is_summed_in_whole_square_metres_rounded_down(plants, places):
    # A: 300.5 + 480.7 + 1 = 782.2 m² → 782 (so "≥ 750 m²" is decided exactly); B: 10.2 → 10.
    assert figures("qd28_plants_area", places) == {
        places.commune_a.pk: Figure(782, records=3),
        places.commune_b.pk: Figure(10, records=1),
    }
    # The destruction with no hamlet counts for the commune but for none of its hamlets.
    by_hamlet = figures("qd28_plants_area", places, by_hamlet=True)
    assert by_hamlet[places.hamlet_a.pk] == Figure(300, records=1)
    assert by_hamlet[places.hamlet_a2.pk] == Figure(1, records=1)


def test_plant_gap_lists_are_the_destructions_behind_each_total(plants, places):
    moment = Moment(TODAY)
    plant_list = REGISTRY["qd28_plants_destroyed"].gap_list(moment, places.commune_a)
    area_list = REGISTRY["qd28_plants_area"].gap_list(moment, places.commune_a)
    assert sorted(e.plants for e in plant_list) == [5, 1200, 2000]
    assert sorted(e.area_m2 for e in area_list) == [Decimal("1"), Decimal("300.5"), Decimal("480.7")]
    assert REGISTRY["qd28_plants_destroyed"].gap_list(moment, places.commune_c).count() == 0


def test_a_moment_in_the_past_uses_its_own_window(plants, places):
    # On the day 12 months ago: the 13-month-old (9000), the year-old (700) and the 200-day-old (2000) destructions.
    moment = Moment(TODAY - relativedelta(months=12))
    assert figures("qd28_plants_destroyed", places, moment)[places.commune_a.pk] == Figure(9700, records=2)


def test_trafficking_routes_count_those_identified_and_not_ended_by_the_date(routes, places):
    # Now: only the open route; the one ended 20 days ago and the one ended today are no longer counted.
    assert figures("qd28_trafficking_routes", places) == {places.commune_a.pk: Figure(1)}
    # 30 days ago all three were running; 500 days ago none had been identified.
    assert figures("qd28_trafficking_routes", places, Moment(ago(30))) == {places.commune_a.pk: Figure(3)}
    assert figures("qd28_trafficking_routes", places, Moment(ago(500))) == {}
    gap = REGISTRY["qd28_trafficking_routes"].gap_list(Moment(TODAY), places.commune_a)
    assert [r.name for r in gap] == ["Đường mòn Pù Mùn"]


def test_trafficking_routes_have_no_hamlet_breakdown(routes, places):
    assert not REGISTRY["qd28_trafficking_routes"].has_hamlets
    with pytest.raises(ValueError):
        figures("qd28_trafficking_routes", places, by_hamlet=True)


@pytest.fixture
def qd28_programme(places):
    programme = Programme.objects.create(
        name="Thử QĐ 28",
        legal_document="QĐ 28/2025/QĐ-TTg",
        province=places.province,
        period_start=ago(365),
        period_end=TODAY + timedelta(days=365),
    )
    for order, (key, target) in enumerate(
        [("qd28_plants_destroyed", 3000), ("qd28_plants_area", 750), ("qd28_trafficking_routes", 1)], start=1
    ):
        Criterion.objects.create(programme=programme, order=order, metric_key=key, target=target)
    return programme


def test_criteria_on_the_new_metrics_are_met_or_not_with_the_records_as_gap(plants, routes, places, qd28_programme):
    criteria = list(qd28_programme.criteria.all())
    row_a, row_b, row_c = evaluate_communes(
        criteria, [places.commune_a, places.commune_b, places.commune_c], Moment(TODAY)
    )
    assert [(r.met, r.gap_size, r.value_display) for r in row_a.results] == [
        (True, 3, "3205"),
        (True, 3, "782"),
        (True, 1, "1"),
    ]
    assert [r.met for r in row_b.results] == [False, False, False]
    assert [(r.met, r.gap_size) for r in row_c.results] == [(False, 0)] * 3
    with_hamlets, hamlet_rows = evaluate_hamlets(criteria, places.commune_a, Moment(TODAY))
    assert [c.metric_key for c in with_hamlets] == ["qd28_plants_destroyed", "qd28_plants_area"]
    assert {row.unit.name: row.results[0].figure.numerator for row in hamlet_rows} == {
        "Bản Na Nghịu": 2005,
        "Khu phố Sỏi": 1200,
    }


def test_each_new_metric_is_one_query_for_many_communes(plants, routes, places, django_assert_num_queries):
    units = [places.commune_a.pk, places.commune_b.pk]
    for n in range(25):
        commune = f.commune(f"17{n:03d}", f"Xã Thử {n}")
        f.plant_eradication(commune, destroyed_on=ago(n + 1), plants=n + 1, area_m2=n)
        f.trafficking_route(commune, identified_on=ago(n + 1))
        units.append(commune.pk)
    with django_assert_num_queries(3):
        results = [
            REGISTRY[key].figures(Moment(TODAY), units)
            for key in ["qd28_plants_destroyed", "qd28_plants_area", "qd28_trafficking_routes"]
        ]
    assert [len(result) for result in results] == [27, 26, 26]  # area: the first new commune destroyed 0 m²


def test_gap_list_page_and_export_of_destructions(plants, places, personas, client_for):
    client = client_for(personas.officer_a)
    kwargs = {"code": places.commune_a.code, "metric_key": "qd28_plants_destroyed"}

    page = client.get(reverse("progress:gap_list", kwargs=kwargs)).content.decode()
    export = client.get(reverse("progress:gap_export", kwargs=kwargs))

    assert "Nương 2000 cây" in page and "Nương 9000 cây" not in page
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == [5, 1200, 2000]
