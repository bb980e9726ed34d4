"""Every page and file that shows a person's name, CCCD or status writes an access log entry with the ids shown;
officers read their commune's entries, reviewers who may see names their area's, administrators all; entries are
never changed or deleted."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AccessLog, ImmutableAccessLog
from residents.models import ArrestedSuspect, DrugCase, Incident, PersonTransfer, UserManagement
from residents.services import lifecycle
from tests import factories as f
from tests.access import PERSONAS
from tests.test_url_access import ROUTES, _request

# GET pages that show no resident's name, CCCD or status (aggregates, empty forms, officials' own records).
NO_PERSONAL_DATA = {
    "accounts:access_log": "the log itself: staff names and record ids (reading it is not a read of a record)",
    "accounts:second_factor_enrol": "the user's own second factor",
    "accounts:manage": "staff accounts and login events, no resident's data",
    "communes:index": "commune picker",
    "commune": "the commune's figures",
    "communes:hotspot_list": "places, not people",
    "communes:hotspot_detail": "places, not people",
    "communes:hotspot_create": "empty form",
    "communes:hotspot_edit": "a place",
    "communes:plant_eradication_list": "areas and plant counts",
    "communes:plant_eradication_create": "empty form",
    "communes:plant_eradication_edit": "areas and plant counts",
    "communes:trafficking_route_list": "routes",
    "communes:trafficking_route_create": "empty form",
    "communes:trafficking_route_edit": "a route",
    "pledges:commune": "pledge counts per hamlet",
    "recognition:overview": "each commune's recognition status",
    "recognition:roadmap": "targets and counts of communes per year",
    "recognition:alerts": "alerts name the event and the criterion, never a person",
    "recognition:commune": "the commune's and its hamlets' cycles and statuses",
    "recognition:cycle": "a cycle's stages, decisions and reviews",
    # Logged when its frozen gap lists name people (tests/recognition/test_pages.py); the matrix's dossier has none.
    "recognition:dossier": "frozen figures; names only in gap lists, logged there",
    "pledges:model_list": "community models (officials acting in office)",
    "pledges:model_detail": "a community model",
    "pledges:model_create": "empty form",
    "pledges:model_edit": "a community model",
    "pledges:activity_create": "empty form",
    "pledges:commitment_list": "hamlet heads signing in office",
    "pledges:commitment_create": "empty form",
    "pledges:commitment_edit": "a hamlet's commitment",
    "pledges:compact_list": "security teams' compacts",
    "pledges:compact_create": "empty form",
    "pledges:compact_edit": "a compact",
    "progress:area_dashboard": "aggregates",
    "progress:area_export": "aggregates",
    "progress:area_print": "aggregates",
    "progress:commune_dashboard": "aggregates",
    "progress:commune_print": "aggregates",
    "progress:commune_export": "aggregates",
    "residents:person_create": "empty form",
    "residents:household_create": "empty form",
    "residents:member_create": "empty form under a household code",
    "residents:person_duplicates": "empty until the officer types (tested below with input)",
    "residents:case_create": "empty form",
    "residents:incident_create": "empty form",
    "workspace:hamlets": "counts per hamlet",
    "imports:index": "file names and who uploaded them",
    "imports:progress": "a progress bar",
    "imports:exports": "links to the exports",
    "imports:template": "blank template",
    "pledge_exports:template": "blank template",
}
# Pages that show personal data to some roles only.
NO_PERSONAL_DATA_FOR = {("home", "admin"): "administrators land on links, not on a commune's work queue"}
# The same page without names for roles that may only see aggregates (a count instead of the list).
NAMES_ONLY_FOR_PERSONAL_ROLES = {"progress:gap_list"}
# Whole lists streamed to a file: logged per commune with the query in the path, not record by record.
WHOLE_LIST_EXPORTS = {
    "imports:export_households",
    "imports:export_people",
    "pledge_exports:export",
    "progress:gap_export",
}


def _people_in(hamlet, officer, *, name: str) -> SimpleNamespace:
    """A residing household without a pledge, a suspect awaiting a test in it, a case and an incident naming him."""
    household = f.household(hamlet, head_name=f"{name} Minh")
    person = f.person(hamlet, full_name=f"{name} An", household_=household)
    lifecycle.person_list_as_suspect(actor=officer, person=person, listed_on=date(2025, 3, 1), trigger="tip")
    case = DrugCase.objects.create(commune=hamlet.commune, number="09/2025", detected_on=date(2025, 1, 9), offence="X")
    ArrestedSuspect.objects.create(case=case, full_name=person.full_name, arrested_on=date(2025, 1, 9), person=person)
    Incident.objects.create(
        commune=hamlet.commune, occurred_on=date(2025, 2, 1), severity="serious", description="x", person=person
    )
    return SimpleNamespace(household=household, person=person, case=case)


@pytest.fixture
def world(places, personas):
    _people_in(places.hamlet_a, personas.officer_a, name="Lò Văn")
    b = _people_in(places.hamlet_b, personas.officer_b, name="Lò Văn")
    PersonTransfer.objects.create(  # commune A registered B's person: the reviewer's task
        person=b.person, to_commune=places.commune_a, to_hamlet=places.hamlet_a, requested_by=personas.officer_a
    )
    ended = f.person(places.hamlet_a, full_name="Hà Thị Cũ", status="ended")  # past the retention period
    UserManagement.objects.create(
        person=ended, starts_on=date(2014, 1, 1), ends_on=date(2014, 12, 31), ended_on=date(2014, 12, 31)
    )
    return SimpleNamespace(places=places, personas=personas, extra=SimpleNamespace())


def _personal_reads():
    for route in ROUTES:
        if route.public or route.method != "get" or route.name in NO_PERSONAL_DATA:
            continue
        for persona in PERSONAS:
            if route.expect[persona] != 200:
                continue
            if persona == "reviewer" and route.name in NAMES_ONLY_FOR_PERSONAL_ROLES:
                continue
            if (route.name, persona) in NO_PERSONAL_DATA_FOR:
                continue
            yield pytest.param(route, persona, id=f"{route.name}-{persona}")


@pytest.mark.parametrize(("route", "persona"), list(_personal_reads()))
def test_every_page_showing_personal_data_writes_an_access_log_entry(route, persona, world, client):
    user = getattr(world.personas, persona)
    client.force_login(user)
    url = route.build(world)
    before = set(AccessLog.objects.values_list("pk", flat=True))
    response = _request(client, route, url)
    assert response.status_code == 200
    entries = AccessLog.objects.exclude(pk__in=before).filter(user=user)
    assert entries.exists(), f"{route.name} as {persona} showed personal data without an access log entry"
    assert all(entry.path == url for entry in entries)
    assert all(entry.commune_id is not None for entry in entries)
    if route.name not in WHOLE_LIST_EXPORTS:
        assert all(entry.object_ids for entry in entries), "the entry says which records were shown"


def test_the_walk_covers_every_get_page(world):
    """A page nobody classified would be skipped silently by a typo in NO_PERSONAL_DATA: names must exist."""
    assert set(NO_PERSONAL_DATA) <= {route.name for route in ROUTES}


def test_search_results_log_every_person_and_household_shown(world, personas, client_for):
    client_for(personas.reviewer_personal).get(reverse("residents:search"), {"q": "lo van"})
    logged = {(e.object_type, e.commune_id): e.object_ids for e in AccessLog.objects.all()}
    person_a = world.places.hamlet_a.people.get(full_name="Lò Văn An")
    person_b = world.places.hamlet_b.people.get(full_name="Lò Văn An")
    # One entry per commune: each commune's officer sees that the province's reviewer read their people.
    assert logged[("residents.person", world.places.commune_a.pk)] == [person_a.pk]
    assert logged[("residents.person", world.places.commune_b.pk)] == [person_b.pk]
    assert logged[("residents.household", world.places.commune_a.pk)] == [person_a.household_id]


def test_the_duplicates_shown_while_typing_are_logged(world, personas, client_for):
    person = world.places.hamlet_a.people.get(full_name="Lò Văn An")
    typed = {"full_name": person.full_name, "household": person.household_id}
    client_for(personas.officer_a).get(reverse("residents:person_duplicates"), typed)
    entry = AccessLog.objects.get()
    assert entry.object_ids == [person.pk] and entry.object_type == "residents.person"


def test_a_person_file_logs_the_household_members_it_lists(places, personas, client_for):
    household = f.household(places.hamlet_a)
    person = f.person(places.hamlet_a, household_=household)
    sister = f.person(places.hamlet_a, full_name="Lò Thị Xuân", household_=household)
    client_for(personas.viewer_a).get(reverse("residents:person", args=[person.pk]))
    entry = AccessLog.objects.get()
    assert (entry.object_id, entry.object_ids) == (str(person.pk), [person.pk, sister.pk])


# --- the page ----------------------------------------------------------------------------------------------------
def _read(user, obj):
    return AccessLog.objects.create(
        user=user, object_type=obj._meta.label_lower, object_id=str(obj.pk), object_ids=[obj.pk],
        commune_id=obj.commune_id, path=f"/residents/people/{obj.pk}/",
    )  # fmt: skip


@pytest.fixture
def reads(places, personas):
    people = SimpleNamespace(
        a=f.person(places.hamlet_a), b=f.person(places.hamlet_b, full_name="Hà Thị Bích"),
        c=f.person(f.hamlet(places.commune_c, "Bản Xa"), full_name="Vi Văn Cường"),
    )  # fmt: skip
    return SimpleNamespace(
        a=_read(personas.reviewer_personal, people.a),
        b=_read(personas.officer_b, people.b),
        c=_read(personas.admin, people.c),
        export=AccessLog.objects.create(user=personas.admin, action="export", object_type="residents.household"),
    )


def _listed(client):
    response = client.get(reverse("accounts:access_log"))
    assert response.status_code == 200
    return {entry.pk for entry in response.context["page"]}


def test_an_officer_sees_who_read_their_communes_records(reads, personas, client_for):
    assert _listed(client_for(personas.officer_a)) == {reads.a.pk}
    assert _listed(client_for(personas.officer_b)) == {reads.b.pk}


def test_a_reviewer_who_may_see_names_sees_their_province(reads, personas, client_for):
    assert _listed(client_for(personas.reviewer_personal)) == {reads.a.pk, reads.b.pk}


def test_an_administrator_sees_every_entry(reads, personas, client_for):
    assert _listed(client_for(personas.admin)) == {reads.a.pk, reads.b.pk, reads.c.pk, reads.export.pk}


def test_viewers_and_aggregate_reviewers_may_not_read_the_log(reads, personas, client_for):
    assert client_for(personas.viewer_a).get(reverse("accounts:access_log")).status_code == 403
    assert client_for(personas.reviewer).get(reverse("accounts:access_log")).status_code == 403


def test_the_log_page_costs_the_same_queries_for_many_entries(places, personas, client_for, django_assert_num_queries):
    person = f.person(places.hamlet_a)
    for _ in range(120):
        _read(personas.reviewer_personal, person)
    client = client_for(personas.officer_a)
    # session, user, count, page of entries with their users and communes
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:access_log"), {"page": 2})
    assert len(response.context["page"]) == 50


def test_the_log_page_has_no_way_to_change_an_entry(reads, personas, client_for):
    client = client_for(personas.admin)
    assert client.post(reverse("accounts:access_log")).status_code == 405
    assert '<form method="post"' not in client.get(reverse("accounts:access_log")).text.split("<main")[-1]


# --- immutability --------------------------------------------------------------------------------------------------
def test_the_database_refuses_to_change_or_delete_an_entry(reads):
    entries = AccessLog.objects.filter(pk=reads.a.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        entries.update(description="sửa")
    with pytest.raises(IntegrityError), transaction.atomic():
        entries.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.all()._raw_delete(AccessLog.objects.db)
    assert AccessLog.objects.get(pk=reads.a.pk).description == ""
    assert AccessLog.objects.count() == 4


def test_the_model_refuses_to_save_or_delete_an_existing_entry(reads):
    reads.a.description = "sửa"
    with pytest.raises(ImmutableAccessLog):
        reads.a.save()
    with pytest.raises(ImmutableAccessLog):
        reads.a.delete()


def test_the_admin_only_reads_the_log(reads, personas, client_for):
    client = client_for(personas.admin)
    change = reverse("admin:accounts_accesslog_change", args=[reads.a.pk])
    delete = reverse("admin:accounts_accesslog_delete", args=[reads.a.pk])
    assert client.get(change).status_code == 200  # a read-only view
    assert client.post(change, {"description": "sửa"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.get(pk=reads.a.pk).description == ""


def test_an_export_of_the_whole_province_is_logged_for_each_commune_it_holds(world, personas, client_for):
    client = client_for(personas.reviewer_personal)
    assert client.get(reverse("imports:export_households", args=["csv"])).status_code == 200
    entries = AccessLog.objects.filter(action="export", object_type="residents.household")
    assert set(entries.values_list("commune_id", flat=True)) == {world.places.commune_a.pk, world.places.commune_b.pk}
    assert _listed(client_for(personas.officer_b)) == {entries.get(commune=world.places.commune_b).pk}
