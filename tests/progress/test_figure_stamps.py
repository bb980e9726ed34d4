"""The dashboards keep their computed figures under each commune's figures stamp (progress.stamps), which database
triggers draw anew on every write behind the figures (migration 0012). After each kind of write — services, forms
through the views, bulk updates, deletes, raw SQL, the admin's criteria — what the dashboards show equals the figures
computed afresh, and the write did change a figure (so the kept figures would have been wrong). At midnight in Hanoi
the date-windowed figures move on, whatever the UTC date."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from communes.models import Commune, District, Hamlet, Hotspot, SteeringCommittee
from pledges.models import HamletCommitment, PreventionModel
from progress.dashboards import area_overview, commune_dashboard
from progress.metrics import Moment
from progress.models import Criterion
from progress.selectors import today
from progress.services import first_of_month, take_snapshots
from progress.stamps import FigureStamp
from residents.models import ArrestedSuspect, DrugCase, Household, Incident, Person
from residents.services import households as H
from residents.services import lifecycle as L
from tests import factories as f
from tests.pledges.checklist import checklist_data
from tests.progress.conftest import YEAR, ago

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def shown(dashboard) -> tuple:
    """Everything of a commune dashboard that comes from the records (the reviews are always read afresh)."""
    return (
        [(r.criterion.pk, r.figure, r.met, r.value_display, r.has_data) for r in dashboard.row.results],
        [(h.unit.pk, h.unit.name, [(r.figure, r.met, r.has_data) for r in h.results]) for h in dashboard.hamlet_rows],
        {criterion: {m: s.value for m, s in months.items()} for criterion, months in dashboard.trend.items()},
        dashboard.months,
        dashboard.commune_class.pk if dashboard.commune_class else None,
        [(r.criterion.pk, r.figure, r.met) for r in dashboard.classification.rows[dashboard.commune.pk].results],
    )


def shown_area(overview) -> tuple:
    return (
        [
            (
                row.unit.pk,
                row.unit.name,
                str(row.unit.district),
                row.classified_as and row.classified_as.pk,
                [(r.criterion.pk, r.figure, r.met, r.value_display, r.has_data) for r in row.results],
                # The class's own figures (QĐ 28's "k of n"), kept with the rest.
                [(r.criterion.pk, r.figure, r.met) for r in overview.classification.rows[row.unit.pk].results],
            )
            for row in overview.rows
        ],  # fmt: skip
        [(p.month, p.communes, p.met_all) for p in overview.trend],
        [(c.commune.pk, c.criterion.pk, c.after) for c in overview.changes],
    )


def fresh(commune):
    """The commune's dashboard computed from the records now, nothing kept (an explicit moment is never kept)."""
    return shown(commune_dashboard(commune, moment=Moment(today())))


def fresh_area(user, province):
    return shown_area(area_overview(user, province=province, moment=Moment(today())))


def stamp(commune) -> int:
    return FigureStamp.objects.filter(commune_id=commune.pk).values_list("version", flat=True).first() or 0


# Each write changes at least one figure of commune A (asserted), through a different path.
def record_test_through_service(story, places, personas):
    L.person_record_test(actor=personas.officer_a, person=story.people.untested, tested_on=ago(1), result="negative")


def list_a_suspect(story, places, personas):
    person = f.person(places.hamlet_a2, full_name="Nghi Mới")
    L.person_list_as_suspect(actor=personas.officer_a, person=person, listed_on=ago(1), trigger="tip")


def start_treatment(story, places, personas):
    L.person_start_treatment(actor=personas.officer_a, person=story.people.addict, form="home", starts_on=ago(1))


def bulk_update_people(story, places, personas):
    Person.objects.filter(pk=story.people.addict.pk).update(status=Person.Status.IN_TREATMENT)


def raw_sql_update(story, places, personas):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE residents_person SET status = 'in_treatment' WHERE id = %s", [story.people.addict.pk])


def move_a_person_to_another_commune(story, places, personas):
    Person.objects.filter(pk=story.people.addict.pk).update(commune=places.commune_b, hamlet=places.hamlet_b)


def delete_a_person(story, places, personas):
    story.people.untested.delete()


def create_a_household_through_the_service(story, places, personas):
    H.household_create(actor=personas.officer_a, hamlet=places.hamlet_a2, code="A-9", head_name="Lò Văn Chín")


def bulk_update_households(story, places, personas):
    Household.objects.filter(pk=story.households.h3.pk).update(status=Household.Status.MOVED_AWAY)


def delete_a_pledge(story, places, personas):
    story.households.h1.pledges.all().delete()


def clear_hotspots_in_bulk(story, places, personas):
    Hotspot.objects.filter(commune=places.commune_a).update(status=Hotspot.Status.CLEARED, cleared_on=ago(1))


def delete_hotspots(story, places, personas):
    Hotspot.objects.filter(commune=places.commune_a).delete()


def end_the_prevention_model(story, places, personas):
    PreventionModel.objects.filter(commune=places.commune_a).update(status="ended", ended_on=ago(1))


def delete_the_steering_committee(story, places, personas):
    SteeringCommittee.objects.filter(commune=places.commune_a).delete()


def commit_a_hamlet(story, places, personas):
    HamletCommitment.objects.create(hamlet=places.hamlet_a2, year=YEAR, registered_on=ago(1), signed_by="Lò Văn Hai")


def arrest_through_a_case(story, places, personas):
    case = DrugCase.objects.get(commune=places.commune_a, detected_on=ago(60))
    ArrestedSuspect.objects.create(case=case, full_name="Bắt Ba", arrested_on=ago(1))


def move_an_incident_out_of_the_window(story, places, personas):
    Incident.objects.filter(commune=places.commune_a, caused_by_psychosis=True).update(occurred_on=ago(500))


def rename_a_hamlet(story, places, personas):
    Hamlet.objects.filter(pk=places.hamlet_a2.pk).update(name="Bản Đổi Tên")


def change_a_target_in_the_admin(story, places, personas):
    Criterion.objects.filter(metric_key="households_pledged").update(target=50)


def take_this_months_snapshots(story, places, personas):
    take_snapshots(month=first_of_month(today()))


WRITES = [
    record_test_through_service,
    list_a_suspect,
    start_treatment,
    bulk_update_people,
    raw_sql_update,
    move_a_person_to_another_commune,
    delete_a_person,
    create_a_household_through_the_service,
    bulk_update_households,
    delete_a_pledge,
    clear_hotspots_in_bulk,
    delete_hotspots,
    end_the_prevention_model,
    delete_the_steering_committee,
    commit_a_hamlet,
    arrest_through_a_case,
    move_an_incident_out_of_the_window,
    rename_a_hamlet,
    change_a_target_in_the_admin,
    take_this_months_snapshots,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_kept_figures_follow_every_kind_of_write(write, story, places, personas, programme):
    commune = places.commune_a
    before = shown(commune_dashboard(commune))
    assert shown(commune_dashboard(commune)) == before == fresh(commune)  # kept, and right
    area_before = shown_area(area_overview(personas.reviewer, province=places.province))
    stamped = stamp(commune)

    write(story, places, personas)

    assert stamp(commune) != stamped
    after = fresh(commune)
    assert after != before, "the write changed no figure: the test would prove nothing"
    assert shown(commune_dashboard(commune)) == after
    assert shown_area(area_overview(personas.reviewer, province=places.province)) == fresh_area(
        personas.reviewer, places.province
    )
    if write is not rename_a_hamlet:  # the area table names no hamlet
        assert fresh_area(personas.reviewer, places.province) != area_before


def test_a_district_renamed_shows_on_the_area_dashboard(story, places, personas, programme):
    district = District.objects.create(province=places.province, code="999", name="Huyện Cũ")
    places.commune_a.district = district
    places.commune_a.save()
    before = shown_area(area_overview(personas.reviewer, province=places.province))
    District.objects.filter(pk=district.pk).update(name="Huyện Mới")
    after = fresh_area(personas.reviewer, places.province)
    assert after != before
    assert shown_area(area_overview(personas.reviewer, province=places.province)) == after


def test_a_write_in_another_commune_keeps_this_communes_figures(story, places, personas, programme):
    commune_dashboard(places.commune_a)
    stamped = stamp(places.commune_a)
    L.person_record_test(actor=personas.officer_b, person=story.people.user_b, tested_on=ago(1), result="positive")
    assert stamp(places.commune_a) == stamped


def rows_by_commune(overview) -> dict:
    return {row.unit.pk: row for row in overview.rows}


def test_a_write_in_one_commune_computes_only_that_communes_row(story, places, personas, programme):
    """The area overview keeps each commune's part under its own stamp: after a write in A, A's row is computed
    again and B's (the same object) is reused, and both equal a fresh computation."""
    reviewer, province = personas.reviewer, places.province
    a, b = places.commune_a.pk, places.commune_b.pk
    before = rows_by_commune(area_overview(reviewer, province=province))

    L.person_record_test(actor=personas.officer_a, person=story.people.untested, tested_on=ago(1), result="negative")

    overview = area_overview(reviewer, province=province)
    after = rows_by_commune(overview)
    assert after[b] is before[b]
    assert after[a] is not before[a]
    assert [r.figure for r in after[a].results] != [r.figure for r in before[a].results]
    assert shown_area(overview) == fresh_area(reviewer, province)


def test_a_district_page_reuses_the_province_pages_rows(story, places, personas, programme):
    district = District.objects.create(province=places.province, code="998", name="Huyện Mường Lát")
    Commune.objects.filter(pk=places.commune_b.pk).update(district=district)
    province = area_overview(personas.reviewer, province=places.province)
    part = area_overview(personas.reviewer, province=places.province, district=district)
    assert [row.unit.pk for row in part.rows] == [places.commune_b.pk]
    assert part.rows[0] is rows_by_commune(province)[places.commune_b.pk]
    assert shown_area(part) == shown_area(
        area_overview(personas.reviewer, province=places.province, district=district, moment=Moment(today()))
    )


def test_forms_through_the_views_show_on_the_next_dashboard(story, places, personas, client_for, programme):
    client = client_for(personas.officer_a)
    url = reverse("progress:commune_dashboard", kwargs={"code": places.commune_a.code})
    assert "Điểm mới ven suối" not in client.get(url).content.decode()
    client.get(url)  # kept
    response = client.post(
        reverse("communes:hotspot_create", args=[places.commune_a.code]),
        {"hamlet": places.hamlet_a.pk, "kind": "use", "location": "Điểm mới ven suối", "detected_on": "02/05/2025"},
    )
    assert response.status_code == 302
    dashboard = client.get(url).context["dashboard"]
    assert shown(dashboard) == fresh(places.commune_a)
    hotspots = next(r for r in dashboard.row.results if r.criterion.metric_key == "active_hotspots")
    assert hotspots.figure.numerator == 3  # two in the story, one through the form

    # The pledge checklist: households ticked through the page count on the next request.
    f.household(places.hamlet_a2, code="A-8", head_name="Lò Văn Tám")
    checklist = reverse("pledges:checklist", args=[places.hamlet_a2.pk, YEAR])
    before = next(
        r for r in client.get(url).context["dashboard"].row.results if r.criterion.metric_key == "households_pledged"
    )
    client.post(checklist, checklist_data(client.get(checklist), tick={"A-8"}, default_signed_on=f"{ago(0):%d/%m/%Y}"))
    after = next(
        r for r in client.get(url).context["dashboard"].row.results if r.criterion.metric_key == "households_pledged"
    )
    assert after.figure.numerator == before.figure.numerator + 1
    assert shown(client.get(url).context["dashboard"]) == fresh(places.commune_a)


@pytest.mark.parametrize("hanoi_hour", [0, 3, 6])
def test_kept_figures_do_not_survive_midnight_in_hanoi(hanoi_hour, story, places, personas, programme):
    """Between 00:00 and 07:00 in Hanoi the UTC date is still the day before: the kept figures are those of
    Hanoi's day, and an incident that leaves the 12-month window at Hanoi's midnight leaves the figure then."""
    evening = datetime.combine(today(), datetime.min.time(), HANOI).replace(hour=23, minute=30)
    night = evening.replace(hour=hanoi_hour, minute=30) + timedelta(days=1)
    assert night.astimezone(ZoneInfo("UTC")).date() == evening.date()  # same UTC day
    with time_machine.travel(evening, tick=False):
        # The last day of the window: occurred a year ago tomorrow (Hanoi), counted until midnight.
        window_start = Moment(today()).window_start
        Incident.objects.filter(caused_by_psychosis=True, severity="very_serious").update(occurred_on=window_start)
        before = shown(commune_dashboard(places.commune_a))
        incidents = _figure(commune_dashboard(places.commune_a), "psychosis_serious_incidents")
        assert incidents.numerator == 1
    with time_machine.travel(night, tick=False):
        assert today() == evening.date() + timedelta(days=1)
        after = shown(commune_dashboard(places.commune_a))
        assert after == fresh(places.commune_a) != before
        assert _figure(commune_dashboard(places.commune_a), "psychosis_serious_incidents").numerator == 0


@pytest.mark.parametrize("hanoi_hour", [0, 3, 6])
def test_kept_area_rows_do_not_survive_midnight_in_hanoi(hanoi_hour, story, places, personas, programme):
    """The communes' parts of the area overview are kept under the day in Hanoi too: after midnight there, every
    commune's row is computed again, stamps unchanged, and the incident that left the window has left the figure."""
    reviewer, province = personas.reviewer, places.province
    evening = datetime.combine(today(), datetime.min.time(), HANOI).replace(hour=23, minute=30)
    night = evening.replace(hour=hanoi_hour, minute=30) + timedelta(days=1)
    with time_machine.travel(evening, tick=False):
        window_start = Moment(today()).window_start
        Incident.objects.filter(caused_by_psychosis=True, severity="very_serious").update(occurred_on=window_start)
        before = rows_by_commune(area_overview(reviewer, province=province))
        assert _row_figure(before[places.commune_a.pk], "psychosis_serious_incidents").numerator == 1
    with time_machine.travel(night, tick=False):
        overview = area_overview(reviewer, province=province)
        after = rows_by_commune(overview)
        assert after[places.commune_b.pk] is not before[places.commune_b.pk]
        assert _row_figure(after[places.commune_a.pk], "psychosis_serious_incidents").numerator == 0
        assert shown_area(overview) == fresh_area(reviewer, province)


def _row_figure(row, key):
    return next(r.figure for r in row.results if r.criterion.metric_key == key)


def _figure(dashboard, key):
    return next(r.figure for r in dashboard.row.results if r.criterion.metric_key == key)


def test_every_trigger_is_installed(db):
    """SQLite drops a table's triggers when a migration rebuilds the table: a later migration that does so must
    install them again."""
    sources = importlib.import_module("progress.migrations.0012_figure_stamp_triggers").SOURCES
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'progress_stamp_%%'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'progress_stamp_%'")
        assert cursor.fetchone()[0] == 3 * len(sources)
