"""The appraisal council: a province's council appraises that province's dossiers, sees nothing of another's, and
writes nothing for the commune. The shared persona matrix has no council member; this walks the recognition routes
for two (ours, another province's)."""

from types import SimpleNamespace

import pytest

from tests.test_url_access import ROUTES as ALL_ROUTES
from tests.test_url_access import _request

from . import access
from .conftest import submitted

pytestmark = pytest.mark.django_db

ROUTES = [r for r in ALL_ROUTES if r.name.startswith("recognition:")]
# Our province's council: reads the area and the commune, appraises, opens evidence; records no decision (the
# deciding authority does, RECOGNITION_DECIDE_ROLES) and never writes for the commune.
COUNCIL = {
    "recognition:overview": 200,
    "recognition:roadmap": 200,
    "recognition:set_target": 403,
    "recognition:alerts": 200,
    "recognition:close_alert": 403,
    "recognition:commune": 200,
    "recognition:register": 403,
    "recognition:cycle": 200,
    "recognition:freeze": 403,
    "recognition:decide": 403,
    "recognition:review": 403,
    "recognition:revoke": 403,
    "recognition:dossier": 200,
    "recognition:paper_print": 200,
    "recognition:paper_docx": 200,
    "recognition:texts": 403,
    "recognition:upload_evidence": 403,
    "recognition:approve": 403,
    "recognition:submit": 403,
    "recognition:inspection": 302,
    "recognition:return": 302,
    "recognition:verdict": 302,
    "recognition:evidence": 200,
}


def test_every_recognition_route_has_a_council_decision():
    assert {r.name for r in ROUTES} == set(COUNCIL)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.name}-{r.method}")
def test_council_of_the_province(route, rw, client):
    world = _world(rw)
    client.force_login(rw.council)
    assert _request(client, route, route.build(world)).status_code == COUNCIL[route.name]


@pytest.mark.parametrize(
    "name", ["recognition:cycle", "recognition:dossier", "recognition:verdict", "recognition:evidence"]
)
def test_council_of_another_province_finds_nothing(name, rw, client):
    world = _world(rw)
    route = next(r for r in ROUTES if r.name == name)
    client.force_login(rw.council_other)
    assert _request(client, route, route.build(world)).status_code == 404


def test_the_council_verdict_moves_the_dossier_into_appraisal(rw, client):
    recognition, dossier = submitted(rw)
    criterion = dossier.criteria.first()
    client.force_login(rw.council)
    response = client.post(f"/recognition/criteria/{criterion.pk}/verdict/", {"result": "pass"})
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.get_status_display() == "Đang thẩm định"
    criterion.refresh_from_db()
    assert criterion.verdict.given_by == rw.council


def _world(rw):
    world = SimpleNamespace(places=rw.places, personas=rw.personas, extra=SimpleNamespace())
    access.cycle(world)
    return world
