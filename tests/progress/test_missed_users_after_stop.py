"""Criterion 3 (no missed users) and Mẫu 09 stops, hand-counted on the story of conftest.py.

Commune A's missed users in the story: "Sử Dụng Quản Lý" (positive 100 days ago, before any listing or decision) and
"Nghiện Chưa Cai" (positives 70 and 60 days ago, outside the list).
"""

import pytest
from django.urls import reverse

from progress.metrics import REGISTRY, Figure, Moment
from residents.models.records import EndReason
from residents.services import lifecycle as L

from .conftest import ago, positive

MISSED = REGISTRY["missed_users"]


def missed_in_a(places, as_of):
    return MISSED.figures(Moment(as_of), [places.commune_a.pk]).get(places.commune_a.pk, MISSED.nothing)


def gap_page(client, places):
    url = reverse("progress:gap_list", kwargs={"code": places.commune_a.code, "metric_key": "missed_users"})
    return client.get(url).content.decode()


@pytest.mark.parametrize("reason", [EndReason.MOVED, EndReason.PRISON, EndReason.DEATH])
def test_a_user_stopped_for_leaving_is_no_longer_missed_from_the_stop_on(story, places, personas, client_for, reason):
    officer = personas.officer_a
    L.person_stop_management(actor=officer, person=story.people.user, stopped_on=ago(15), reason=reason)

    content = gap_page(client_for(officer), places)
    assert "Nghiện Chưa Cai" in content and "Sử Dụng Quản Lý" not in content
    assert missed_in_a(places, ago(0)) == Figure(1)
    assert missed_in_a(places, ago(15)) == Figure(1)  # the day of the stop
    # Before the stop, the person was a missed user as before.
    assert missed_in_a(places, ago(16)) == Figure(2)


def test_a_stop_for_another_reason_leaves_the_person_missed(story, places, personas, client_for):
    L.person_stop_management(
        actor=personas.officer_a, person=story.people.addict, stopped_on=ago(15), reason=EndReason.OTHER
    )
    content = gap_page(client_for(personas.officer_a), places)
    assert "Nghiện Chưa Cai" in content and "Sử Dụng Quản Lý" in content
    assert missed_in_a(places, ago(0)) == Figure(2)


def test_a_stopped_treatment_for_death_counts_as_a_stop(story, places, personas):
    officer = personas.officer_a
    person = story.people.addict  # missed, then put in treatment, then dead
    L.person_start_treatment(actor=officer, person=person, form="home", starts_on=ago(40))
    L.person_end_treatment(
        actor=officer, person=person, ended_on=ago(20), outcome="stopped", stop_reason=EndReason.DEATH
    )
    assert missed_in_a(places, ago(0)) == Figure(1)
    assert missed_in_a(places, ago(21)) == Figure(2)


def test_a_person_who_comes_back_and_tests_positive_outside_the_list_is_missed_again(story, places, personas):
    officer = personas.officer_a
    L.person_stop_management(actor=officer, person=story.people.addict, stopped_on=ago(30), reason=EndReason.MOVED)
    assert missed_in_a(places, ago(0)) == Figure(1)
    positive(officer, story.people.addict, days=5)
    assert missed_in_a(places, ago(0)) == Figure(2)
    assert missed_in_a(places, ago(6)) == Figure(1)


def test_stops_recorded_before_stops_were_kept_are_recovered_by_the_migration(story, places):
    """residents 0012 creates the stops that until then lived only as the end reason of the periods they closed."""
    from importlib import import_module

    from django.apps import apps

    from residents.models import ManagementStop, UserManagement

    ManagementStop.objects.all().delete()  # as before the migration
    management = UserManagement.objects.get(person=story.people.user, ended_on__isnull=True)
    UserManagement.objects.filter(pk=management.pk).update(ended_on=ago(15), end_reason=EndReason.MOVED)
    assert missed_in_a(places, ago(0)) == Figure(2)

    import_module("residents.migrations.0012_management_stop").stops_from_closed_periods(apps, None)

    assert missed_in_a(places, ago(0)) == Figure(1)
    assert missed_in_a(places, ago(16)) == Figure(2)
    # "Sử Dụng Đã Dừng" (prison, 50 days ago) from the story's services is recovered as well; nothing twice.
    reasons = sorted(ManagementStop.objects.values_list("person__full_name", "reason"))
    assert reasons == [("Sử Dụng Quản Lý", "moved"), ("Sử Dụng Đã Dừng", "prison")]
