"""Criteria sets as data: "at least k of n" groups and levels, with QĐ 28/2025's hotspot classes counted by hand on
built communes (each of 1,000 residents, so 5 people are 0.5 % and 1 arrest is 0.1 %)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communes.models import Hotspot
from progress.dashboards import area_overview, commune_dashboard
from progress.metrics import Moment
from progress.models import Criterion, CriterionGroup, Level, Programme
from progress.selectors import (
    classification_programme,
    criteria_of,
    evaluate_communes,
    evaluate_hamlets,
    programme_for_province,
    today,
)
from residents.models import ArrestedSuspect, DrugCase, Person
from tests import factories as f

TODAY = today()
QD28 = "Quyết định 28/2025/QĐ-TTg ngày 24/8/2025 của Thủ tướng Chính phủ"


def build_commune(code, name, *, users=0, places=0, arrests=0, plants=0, area="0", routes=0):
    """A commune of 1,000 residents with the given QĐ 28 indicators (all within the last 12 months)."""
    commune = f.commune(code, name)
    hamlet = f.hamlet(commune, f"Thôn {code}")
    f.household(hamlet, members=1000)
    for i in range(users):
        f.person(hamlet, full_name=f"Người sử dụng {i}", status=Person.Status.USER)
    for i in range(places):
        Hotspot.objects.create(
            commune=commune, kind=Hotspot.Kind.USE_ORGANISED, location=f"Tụ điểm {i}", detected_on=TODAY
        )
    if arrests:
        case = DrugCase.objects.create(commune=commune, detected_on=TODAY, offence="Mua bán trái phép chất ma túy")
        for i in range(arrests):
            ArrestedSuspect.objects.create(case=case, full_name=f"Đối tượng {i}", arrested_on=TODAY)
    if plants or Decimal(area):
        f.plant_eradication(commune, hamlet_=hamlet, destroyed_on=TODAY, plants=plants, area_m2=Decimal(area))
    for i in range(routes):
        f.trafficking_route(commune, identified_on=TODAY - timedelta(days=30), name=f"Tuyến {i}")
    return commune


@pytest.fixture
def qd28(db):
    return Programme.objects.get(legal_document=QD28)


@pytest.fixture
def communes(places):
    return {
        # Class I, exactly k = 3 of its 5 clauses: a (0.5 % on the boundary), b (2 places), d (750 m², no plants).
        "exactly_k": build_commune("90001", "Xã Đúng Ba", users=5, places=2, area="750"),
        # Class I, k − 1 = 2: b and c; a (0.4 %) and d (2,999 plants) fall short. Class II then meets a, b, c, d.
        "k_minus_1": build_commune("90002", "Xã Thiếu Một", users=4, places=2, arrests=1, plants=2999),
        # Class I, all 5 clauses; d is met twice (plants and m²) and still counts once.
        "all": build_commune("90003", "Xã Đủ Cả", users=6, places=3, arrests=2, plants=3000, area="800", routes=1),
        # One user: class III ("at least 1"); class II meets none (0.1 % < 0.3 %).
        "one_user": build_commune("90004", "Xã Một Người", users=1),
        # Nothing at all: no class, and a drug-free area.
        "nothing": build_commune("90005", "Xã Không Có Gì"),
    }


def evaluate(programme, communes):
    rows = evaluate_communes(criteria_of(programme), communes.values(), Moment(TODAY))
    return dict(zip(communes, rows, strict=True))


def class_counts(row):
    return {g.group.short_name: (g.met_count, g.size, g.met) for g in row.groups}


def test_qd28_classes_count_clauses_met_against_at_least_k(qd28, communes):
    rows = evaluate(qd28, communes)
    assert class_counts(rows["exactly_k"]) == {
        "Loại I": (3, 5, True),
        "Loại II": (3, 5, True),  # a 0.5 ≥ 0.3, b, d 750 ≥ 125
        "Loại III": (3, 5, True),
    }
    assert class_counts(rows["k_minus_1"])["Loại I"] == (2, 5, False)
    assert class_counts(rows["k_minus_1"])["Loại II"] == (4, 5, True)
    assert class_counts(rows["all"])["Loại I"] == (5, 5, True)
    assert class_counts(rows["one_user"]) == {
        "Loại I": (0, 5, False),
        "Loại II": (0, 5, False),
        "Loại III": (1, 5, True),
    }
    assert class_counts(rows["nothing"])["Loại III"] == (0, 5, False)


def test_a_commune_takes_the_first_class_it_meets(qd28, communes):
    rows = evaluate(qd28, communes)
    classes = {key: row.classification.short_name if row.classification else None for key, row in rows.items()}
    assert classes == {
        "exactly_k": "Loại I",
        "k_minus_1": "Loại II",
        "all": "Loại I",
        "one_user": "Loại III",
        "nothing": None,
    }


def test_qd28_drug_free_area_is_its_ungrouped_criteria_and_ignores_the_classes(qd28, communes):
    rows = evaluate(qd28, communes)
    # A user under management breaks no drug-free criterion; places, plants and m² do.
    assert {key: row.met_all for key, row in rows.items()} == {
        "exactly_k": False,
        "k_minus_1": False,
        "all": False,
        "one_user": True,
        "nothing": True,
    }


def test_qd28_is_evaluated_with_one_query_per_distinct_metric(qd28, communes, django_assert_num_queries):
    # criteria with their groups (1); 10 distinct metrics in 8 queries: the two shares share one resident
    # population (the hamlet tally), the users' share and the plain criteria over statuses one status count, the
    # hotspot metrics one read of the hotspots, plants and m² one read of the destructions (9); the communes that
    # have entered their households (10).
    with django_assert_num_queries(10):
        rows = evaluate_communes(criteria_of(qd28), list(communes.values()), Moment(TODAY))
    assert len(rows) == 5


@pytest.fixture
def requirement_set(places):
    """A set with one plain criterion and a requirement group "at least 2 of 3"."""
    programme = Programme.objects.create(
        name="Thử nhóm bắt buộc",
        legal_document="Thử",
        period_start=TODAY - timedelta(days=10),
        period_end=TODAY + timedelta(days=10),
    )
    Criterion.objects.create(programme=programme, order=1, metric_key="psychosis_serious_incidents", target=0,
                             comparison="eq")  # fmt: skip
    group = CriterionGroup.objects.create(programme=programme, name="Ít nhất 2 trong 3", short_name="2/3",
                                          role=CriterionGroup.Role.REQUIREMENT, min_met=2)  # fmt: skip
    for order, (key, target) in enumerate(
        [("qd28_use_places", 0), ("qd28_arrested_share", 0), ("qd28_trafficking_routes", 0)], start=2
    ):
        Criterion.objects.create(programme=programme, group=group, order=order, metric_key=key, target=target,
                                 comparison="eq")  # fmt: skip
    return programme


def test_a_requirement_group_is_met_from_exactly_k_clauses(requirement_set, places):
    built = {
        "three_of_three": build_commune("90011", "Xã Ba", users=0),
        "two_of_three": build_commune("90012", "Xã Hai", routes=1),
        "one_of_three": build_commune("90013", "Xã Một", routes=1, places=1),
    }
    rows = evaluate(requirement_set, built)
    assert {key: (row.groups[0].met_count, row.met_all) for key, row in rows.items()} == {
        "three_of_three": (3, True),
        "two_of_three": (2, True),
        "one_of_three": (1, False),
    }
    assert all(row.classification is None for row in rows.values())


def test_the_seeded_sets_have_their_levels_and_groups(db):
    qd28 = Programme.objects.get(legal_document=QD28)
    assert qd28.province is None and qd28.level == Level.COMMUNE
    assert [(g.short_name, g.min_met, g.criteria.count()) for g in qd28.groups.all()] == [
        ("Loại I", 3, 6),
        ("Loại II", 3, 6),
        ("Loại III", 1, 6),
    ]
    assert qd28.criteria.filter(group__isnull=True).count() == 6
    hamlet_set = Programme.objects.get(level=Level.HAMLET)
    assert hamlet_set.province.code == "38"
    assert all(c.metric.has_hamlets for c in hamlet_set.criteria.all())
    de_an = Programme.objects.get(legal_document__startswith="Đề án 3822")
    assert (de_an.level, de_an.groups.count(), de_an.criteria.count()) == (Level.COMMUNE, 0, 11)


def test_a_province_gets_its_own_commune_set_first_and_the_national_classes(places):
    thanh_hoa, nghe_an = places.province, places.other_province
    assert programme_for_province(thanh_hoa.pk).legal_document.startswith("Đề án 3822")
    assert programme_for_province(nghe_an.pk).legal_document == QD28
    assert programme_for_province(thanh_hoa.pk, level=Level.HAMLET).level == Level.HAMLET
    assert programme_for_province(nghe_an.pk, level=Level.HAMLET) is None
    assert classification_programme(thanh_hoa.pk).legal_document == QD28


def test_the_hamlet_set_evaluates_each_hamlet(places):
    hamlet_set = programme_for_province(places.province.pk, level=Level.HAMLET)
    hamlet = places.hamlet_a
    f.household(hamlet, members=3)
    Hotspot.objects.create(commune=places.commune_a, hamlet=places.hamlet_a2, kind=Hotspot.Kind.SELLING,
                           location="Bến xe", detected_on=TODAY)  # fmt: skip
    criteria, rows = evaluate_hamlets(criteria_of(hamlet_set), places.commune_a, Moment(TODAY))
    assert len(criteria) == hamlet_set.criteria.count()
    by_name = {row.unit.name: row for row in rows}
    hotspots = [r for r in by_name["Bản Na Nghịu"].results if r.criterion.metric_key == "active_hotspots"][0]
    assert not hotspots.met
    assert next(r for r in by_name["Khu phố Sỏi"].results if r.criterion.metric_key == "active_hotspots").met


def test_a_hamlet_set_refuses_a_metric_without_a_hamlet_breakdown(db):
    hamlet_set = Programme.objects.get(level=Level.HAMLET)
    criterion = Criterion(programme=hamlet_set, metric_key="active_prevention_models", target=1)
    with pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert "metric_key" in refused.value.message_dict


def test_a_criterion_cannot_join_another_programmes_group(qd28):
    other = Programme.objects.get(legal_document__startswith="Đề án 3822")
    criterion = Criterion(programme=other, group=qd28.groups.first(), metric_key="qd28_use_places", target=1)
    with pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert "group" in refused.value.message_dict


def test_a_metric_may_repeat_across_groups_but_not_within_one(qd28):
    group = qd28.groups.first()
    duplicate = Criterion(programme=qd28, group=group, metric_key="qd28_use_places", target=5)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    twice_ungrouped = Criterion(programme=qd28, metric_key="active_hotspots", target=1)
    with pytest.raises(ValidationError):
        twice_ungrouped.full_clean()


def test_the_dashboards_carry_each_communes_qd28_class_beside_the_provinces_result(communes, places, personas):
    overview = area_overview(personas.reviewer, province=places.province)
    assert overview.programme.legal_document.startswith("Đề án 3822")
    assert overview.classification.programme.legal_document == QD28
    classes = {row.unit.code: overview.classification.of(row.unit.pk) for row in overview.rows}
    assert classes["90001"].short_name == "Loại I" and classes["90002"].short_name == "Loại II"
    assert classes["90004"].short_name == "Loại III" and classes["90005"] is None
    dashboard = commune_dashboard(communes["k_minus_1"])
    assert dashboard.commune_class.short_name == "Loại II"
    assert dashboard.classification.rows[communes["k_minus_1"].pk].groups[1].met_count == 4


def test_the_area_and_commune_pages_show_the_class_beside_the_result(communes, places, personas, client_for):
    client = client_for(personas.reviewer)
    content = client.get(reverse("progress:area_dashboard")).content.decode()
    assert "Trọng điểm (QĐ 28)" in content
    row = content[content.index("Xã Thiếu Một") :]
    assert row.index('data-class="Loại II"') < row.index("</tr>")
    row = content[content.index("Xã Không Có Gì") :]
    assert row.index('data-class=""') < row.index("</tr>")
    code = communes["exactly_k"].code
    page = client.get(reverse("progress:commune_dashboard", kwargs={"code": code})).content.decode()
    assert 'id="hotspot-class"' in page and 'data-class="Loại I"' in page
