"""The count of open alerts in the main menu: each persona sees its own area's, counted by the database in the query
that fetches the signed-in user (no query of its own, shared with the pages that show it too), and a visitor costs
no query at all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import UserWithUnitBackend
from communes.models import Commune, District
from recognition.models import Alert, Recognition
from recognition.selectors import USER_OPEN_ALERTS

from .conftest import TODAY, open_alert, recognised

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(rw):
    """Commune A: two open alerts and a closed one; Nghệ An's commune: one open alert."""
    recognition = recognised(rw)
    open_alert(recognition, 1), open_alert(recognition, 2), open_alert(recognition, 3, closed=True)
    other = Recognition.objects.create(
        commune=rw.places.commune_c,
        target_year=TODAY.year,
        status=Recognition.Status.RECOGNISED,
        registered_on=TODAY,
        registered_by=rw.personas.admin,
    )
    open_alert(other, 4)
    return rw


# persona: open alerts in the menu (None: no badge)
EXPECTED = {
    "officer_a": 2,  # the commune sees its own
    "viewer_a": 2,
    "officer_b": None,  # another commune: none of its own
    "reviewer": 2,  # the province's
    "reviewer_personal": 2,
    "admin": 3,  # everywhere
    "council": 2,
    "council_other": 1,  # Nghệ An's council
}


def _persona(rw, name):
    return getattr(rw, name, None) or getattr(rw.personas, name)


def _alert_queries(queries) -> int:
    return sum("recognition_alert" in q["sql"] for q in queries)


def _counted_with_the_user(queries) -> bool:
    """The only query that reads the alerts is the one that fetches the signed-in user."""
    reading = [q["sql"] for q in queries if "recognition_alert" in q["sql"]]
    return len(reading) == 1 and 'FROM "accounts_user"' in reading[0]


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_each_persona_sees_its_own_areas_open_alerts_in_the_menu_at_no_query_of_its_own(
    alerts, client, persona, expected
):
    client.force_login(_persona(alerts, persona))
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/recognition/roadmap/").content.decode()
    menu = body[body.index('id="mainnav"') : body.index("</nav>")]

    if expected is None:
        assert "data-menu-alert-count" not in menu
    else:
        assert f"data-menu-alert-count>{expected}<" in menu
    assert _counted_with_the_user(queries.captured_queries)


@pytest.mark.parametrize("persona", EXPECTED)
def test_the_count_with_the_user_is_what_the_users_scope_lets_them_see(alerts, persona):
    """The count in the user's query is accounts.scopes.scope_q() written in SQL: both agree for every persona."""
    user = _persona(alerts, persona)
    fetched = UserWithUnitBackend().get_user(user.pk)
    assert getattr(fetched, USER_OPEN_ALERTS) == Alert.objects.visible_to(user).open().count()


@pytest.mark.parametrize(("in_district", "expected"), [(True, 2), (False, 0)])
def test_a_district_reviewer_counts_their_district_only(alerts, in_district, expected):
    district = District.objects.create(province=alerts.places.province, name="Cụm Quan Sơn")
    if in_district:
        Commune.objects.filter(pk=alerts.places.commune_a.pk).update(district=district)
    reviewer = alerts.personas.reviewer
    reviewer.district = district
    reviewer.save()
    fetched = UserWithUnitBackend().get_user(reviewer.pk)
    assert getattr(fetched, USER_OPEN_ALERTS) == Alert.objects.visible_to(reviewer).open().count() == expected


def test_the_badge_follows_alerts_opening_and_closing(alerts, client):
    client.force_login(alerts.personas.officer_a)
    recognition = Recognition.objects.get(commune=alerts.places.commune_a)
    open_alert(recognition, 5)
    assert "data-menu-alert-count>3<" in client.get("/recognition/roadmap/").content.decode()
    Alert.objects.filter(object_id="5").update(closed_at=timezone.now())
    assert "data-menu-alert-count>2<" in client.get("/recognition/roadmap/").content.decode()


def test_the_pages_that_show_the_count_share_the_menus_query(alerts, client):
    client.force_login(alerts.personas.reviewer)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/recognition/").content.decode()
    assert "data-menu-alert-count>2<" in body and "data-alert-count>2<" in body
    # the count (menu and tab, with the user), and the statuses' open alerts (a subquery of the cycles' query)
    assert _alert_queries(queries.captured_queries) == 2


def test_a_visitor_who_may_see_no_alert_costs_no_query(alerts, client):
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/accounts/login/").content.decode()
    assert "data-menu-alert-count" not in body and "Đăng nhập" in body
    assert _alert_queries(queries.captured_queries) == 0


def test_no_badge_when_nothing_is_open(rw, client):
    recognition = recognised(rw)
    open_alert(recognition, 1, closed=True)
    client.force_login(rw.personas.reviewer)
    assert "data-menu-alerts" not in client.get("/recognition/roadmap/").content.decode()
