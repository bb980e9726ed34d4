"""Every metric against the hand-counted story in conftest.py (commune A: places.commune_a, B: places.commune_b)."""

from fractions import Fraction

import pytest

from progress.metrics import REGISTRY, Figure, Moment
from progress.selectors import evaluate_communes, today
from tests import factories as f


def figures(key, places, **kwargs):
    return REGISTRY[key].figures(Moment(today()), [places.commune_a.pk, places.commune_b.pk], **kwargs)


def gap_names(key, commune, attribute="full_name"):
    return sorted(getattr(row, attribute) for row in REGISTRY[key].gap_list(Moment(today()), commune))


def test_addicts_in_treatment_counts_current_addicts_and_not_a_stopped_one(story, places):
    # Addicts: "Nghiện Chưa Cai" (no treatment) and "Đang Cai Nghiện"; "Nghiện Đã Chết" is ended, not counted.
    assert figures("addicts_in_treatment", places)[places.commune_a.pk] == Figure(1, 2)
    assert gap_names("addicts_in_treatment", places.commune_a) == ["Nghiện Chưa Cai"]
    assert places.commune_b.pk not in figures("addicts_in_treatment", places)


def test_addicts_in_treatment_by_hamlet(story, places):
    by_hamlet = figures("addicts_in_treatment", places, by_hamlet=True)
    assert by_hamlet[places.hamlet_a.pk] == Figure(1, 1)
    assert by_hamlet[places.hamlet_a2.pk] == Figure(0, 1)


def test_users_with_decision_excludes_ended_management(story, places):
    # "Dương Tính Chờ" awaits a decision, "Sử Dụng Quản Lý" has one; "Sử Dụng Đã Dừng" (prison) is not active.
    assert figures("users_with_decision", places)[places.commune_a.pk] == Figure(1, 2)
    assert gap_names("users_with_decision", places.commune_a) == ["Dương Tính Chờ"]


def test_suspects_tested_counts_a_person_listed_twice_once(story, places):
    # Within 12 months: untested, negative, twice (listed twice, counted once), awaiting (tested positive);
    # the suspect who moved away before a test is stopped and out of reach; listings older than a year are closed.
    assert figures("suspects_tested", places)[places.commune_a.pk] == Figure(3, 4)
    assert gap_names("suspects_tested", places.commune_a) == ["Nghi Chưa Test"]


def test_missed_users_are_positives_found_outside_the_list_each_counted_once(story, places):
    # "Sử Dụng Quản Lý" (first positive before any listing; the second, while managed, is not a miss) and
    # "Nghiện Chưa Cai" (two positives outside the list, one person); in B "Người Xã Khác".
    result = figures("missed_users", places)
    assert result[places.commune_a.pk] == Figure(2)
    assert result[places.commune_b.pk] == Figure(1)
    assert gap_names("missed_users", places.commune_a) == ["Nghiện Chưa Cai", "Sử Dụng Quản Lý"]


def test_serious_psychosis_incidents_within_twelve_months_only(story, places):
    assert figures("psychosis_serious_incidents", places) == {places.commune_a.pk: Figure(1)}


def test_households_pledged_excludes_moved_away_and_last_years_pledges(story, places):
    # Residing in A: h1, h2 (pledged this year), h3 (last year only); h4 moved away and h5 dissolved are out.
    result = figures("households_pledged", places)
    assert result[places.commune_a.pk] == Figure(2, 3)
    assert result[places.commune_b.pk] == Figure(0, 1)
    assert gap_names("households_pledged", places.commune_a, "code") == ["A-3"]
    by_hamlet = figures("households_pledged", places, by_hamlet=True)
    assert by_hamlet[places.hamlet_a.pk] == Figure(1, 2)
    assert by_hamlet[places.hamlet_a2.pk] == Figure(1, 1)


def test_active_prevention_models_ignore_ended_ones(story, places):
    assert figures("active_prevention_models", places) == {places.commune_a.pk: Figure(1)}


def test_post_rehab_managed_needs_a_decision(story, places):
    assert figures("post_rehab_managed", places)[places.commune_a.pk] == Figure(1, 2)
    assert gap_names("post_rehab_managed", places.commune_a) == ["Sau Cai Chưa QĐ"]


def test_active_hotspots_exclude_cleared_ones(story, places):
    assert figures("active_hotspots", places) == {places.commune_a.pk: Figure(2)}
    assert figures("qd28_use_places", places) == {places.commune_a.pk: Figure(1)}


def test_steering_committee_and_plan(story, places):
    result = figures("steering_committee_and_plan", places)
    assert result[places.commune_a.pk] == Figure(2, 2)
    assert result[places.commune_b.pk] == Figure(1, 2)


def test_hamlets_committed_this_year(story, places):
    result = figures("hamlets_committed", places)
    assert result[places.commune_a.pk] == Figure(1, 2)
    assert result[places.commune_b.pk] == Figure(0, 1)
    assert gap_names("hamlets_committed", places.commune_a, "name") == ["Bản Na Nghịu"]


def test_qd28_shares_are_over_the_resident_population(story, places):
    # Residents of A: 4 + 3 + 5 members of residing households = 12; B: 8.
    users = figures("qd28_users_addicts_share", places)
    # user, addict, in treatment, two post-rehab (the positive awaiting a decision has no record yet).
    assert users[places.commune_a.pk] == Figure(5, 12)
    assert users[places.commune_b.pk] == Figure(0, 8)
    assert REGISTRY["qd28_users_addicts_share"].value(users[places.commune_a.pk]) == Fraction(500, 12)
    assert figures("qd28_arrested_share", places)[places.commune_a.pk] == Figure(2, 12)


def test_programme_evaluation_for_commune_a(story, places, programme):
    criteria = list(programme.criteria.all())
    [row_a] = evaluate_communes(criteria, [places.commune_a], Moment(today()))
    met = {r.criterion.metric_key: r.met for r in row_a.results}
    assert met == {
        "addicts_in_treatment": False,
        "suspects_tested": False,
        "missed_users": False,
        "psychosis_serious_incidents": False,
        "households_pledged": False,
        "active_prevention_models": True,
        "users_with_decision": False,
        "post_rehab_managed": False,
        "active_hotspots": False,
        "steering_committee_and_plan": True,
        "hamlets_committed": False,
    }
    assert not row_a.met_all


def test_commune_without_households_has_no_data_rather_than_meeting_empty_rates(places, programme):
    # Commune B has one hamlet and nothing else entered: 0 of 0 addicts treated is not "100 %", it is unknown.
    [row] = evaluate_communes(list(programme.criteria.all()), [places.commune_b], Moment(today()))
    assert not row.has_data and row.met_count == 0
    assert {(r.has_data, r.met, r.value_display, r.gap_size) for r in row.results} == {
        (False, False, "chưa có số liệu", 0)
    }


def test_commune_with_households_only_meets_empty_rates_but_not_model_plan_or_hamlet_commitment(places, programme):
    # Once its households are entered, no addicts means 100 % of them are treated: nobody to bring into line.
    f.household(places.hamlet_b, code="B-1")
    [row] = evaluate_communes(list(programme.criteria.all()), [places.commune_b], Moment(today()))
    unmet = [r.criterion.metric_key for r in row.results if not r.met]
    assert row.has_data
    assert unmet == [
        "households_pledged",
        "active_prevention_models",
        "steering_committee_and_plan",
        "hamlets_committed",
    ]


def test_the_programme_seeds_every_criterion_of_de_an_3822(programme):
    assert [c.metric_key for c in programme.criteria.all()] == [
        "addicts_in_treatment",
        "suspects_tested",
        "missed_users",
        "psychosis_serious_incidents",
        "households_pledged",
        "active_prevention_models",
        "users_with_decision",
        "post_rehab_managed",
        "active_hotspots",
        "steering_committee_and_plan",
        "hamlets_committed",
    ]
    assert programme.province.code == "38"


@pytest.mark.parametrize("communes", [2, 25])
def test_evaluation_costs_one_query_per_metric_whatever_the_number_of_communes(
    communes, places, programme, django_assert_num_queries
):
    units = [places.commune_a, places.commune_b]
    for n in range(communes - 2):
        commune = f.commune(f"17{n:03d}", f"Xã Thử {n}")
        hamlet = f.hamlet(commune, "Thôn 1")
        f.pledge(f.household(hamlet))
        f.person(hamlet, full_name=f"Người {n}", status="addict")
        units.append(commune)
    criteria = list(programme.criteria.all())
    # One grouped query for each of the 11 metrics, but one for the two whose population is a set of statuses
    # (addicts in treatment, users with a decision), and one for the communes that have entered their households.
    with django_assert_num_queries(11):
        rows = evaluate_communes(criteria, units, Moment(today()))
    assert len(rows) == communes
