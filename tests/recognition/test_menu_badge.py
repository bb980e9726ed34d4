"""The count of open alerts in the main menu: each persona sees its own area's, counted in one query per request
(shared with the pages that show it too), and a user who may see no alert costs no query at all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recognition.models import Recognition

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
    return sum('"recognition_alert"' in q["sql"] for q in queries)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_each_persona_sees_its_own_areas_open_alerts_in_the_menu_for_one_query(alerts, client, persona, expected):
    client.force_login(_persona(alerts, persona))
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/recognition/roadmap/").content.decode()
    menu = body[body.index('id="mainnav"') : body.index("</nav>")]

    if expected is None:
        assert "data-menu-alert-count" not in menu
    else:
        assert f"data-menu-alert-count>{expected}<" in menu
    assert _alert_queries(queries.captured_queries) == 1


def test_the_pages_that_show_the_count_share_the_menus_query(alerts, client):
    client.force_login(alerts.personas.reviewer)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/recognition/").content.decode()
    assert "data-menu-alert-count>2<" in body and "data-alert-count>2<" in body
    # the count (menu and tab), and the statuses' open alerts (a subquery of the cycles' query)
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
