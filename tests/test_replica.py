"""With DATABASE_REPLICA_URL set, the dashboards read the domain's records from the replica and everything else
(writes, other pages, sessions and accounts) uses the primary. Here the replica alias is the test database itself,
opened through a second connection, so each query shows which alias ran it."""

import copy
from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drugfree.replica import REPLICA
from tests import factories as f

# Committed rows: the replica's connection sees only what the primary committed.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
DOMAIN_TABLES = ("communes_", "residents_", "pledges_", "progress_")


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """What settings.py builds from DATABASE_REPLICA_URL, pointed at the test database."""
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {**copy.deepcopy(primary), "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def routed(settings):
    settings.DATABASE_ROUTERS = ["drugfree.replica.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "drugfree.replica.DashboardReadsMiddleware"]


@pytest.fixture
def commune_a(places, personas, seeded_programmes):
    today = timezone.localdate()
    for index in range(3):
        household = f.household(places.hamlet_a, head_name=f"Lò Văn Hộ {index}")
        f.pledge(household, year=today.year, signed_on=today - timedelta(days=1))
    return places.commune_a


def tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


def test_the_commune_dashboard_reads_its_figures_from_the_replica(client_for, personas, commune_a):
    client = client_for(personas.officer_a)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse("progress:commune_dashboard", args=[commune_a.code]))
    assert response.status_code == 200
    # The figures: people by status, and households and pledges from the hamlet tallies the database keeps.
    assert "residents_person" in tables(replica.captured_queries)
    assert "progress_hamlettally" in tables(replica.captured_queries)
    assert "progress_hamletpledgetally" in tables(replica.captured_queries)
    # The primary served the session and the user only (the user with their unit, for the menu: account data).
    others = [query for query in primary.captured_queries if not query["sql"].startswith('SELECT "accounts_user"')]
    assert not any(table in tables(others) for table in DOMAIN_TABLES)
    assert "django_session" in tables(primary.captured_queries)


def test_other_pages_and_writes_stay_on_the_primary(client_for, personas, commune_a):
    client = client_for(personas.officer_a)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get(reverse("residents:search"), {"q": "lo van ho"}).status_code == 200
        assert client.get(reverse("home")).status_code == 200
        review = reverse("progress:review_month", args=[commune_a.code])
        client.post(review, {"month": "2025-01"})
    assert replica.captured_queries == []
