"""/healthz reports the database, the broker and the workers separately; 503 only when the database is gone."""

import socket

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from drugfree.celery import app as celery_app

from .conftest import broker

LOCAL_REDIS = ("127.0.0.1", 6379)


def health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def test_without_a_broker_jobs_run_in_process_and_health_says_so(client, db):
    assert health(client) == (
        200,
        {
            "status": "ok",
            "database": {"status": "ok"},
            "broker": {"status": "not configured"},
            "worker": {"status": "not configured"},
        },
    )


def test_a_broker_outage_is_reported_as_degraded_not_as_down(client, db, broker_down):
    status, body = health(client)

    assert status == 200 and body["status"] == "degraded"
    assert body["database"] == {"status": "ok"}
    assert body["broker"] == {"status": "error"} and body["worker"] == {"status": "unknown"}


def _redis_listening() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(LOCAL_REDIS) == 0


@pytest.fixture
def broker_up_without_workers():
    if not _redis_listening():
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one)")
    with broker("redis://127.0.0.1:6379/13"):  # a database of its own, where no worker listens
        yield


def test_a_broker_without_workers_is_degraded(client, db, broker_up_without_workers):
    status, body = health(client)

    assert status == 200 and body["status"] == "degraded"
    assert body["broker"] == {"status": "ok"} and body["worker"] == {"status": "error", "workers": 0}


def test_answering_workers_are_counted(client, db, broker_up_without_workers, monkeypatch):
    monkeypatch.setattr(celery_app.control, "ping", lambda timeout: [{"celery@app1": {"ok": "pong"}}])

    status, body = health(client)

    assert status == 200 and body["status"] == "ok"
    assert body["worker"] == {"status": "ok", "workers": 1}


def test_a_database_outage_takes_the_server_out_of_the_load_balancer(client, db, monkeypatch):
    def database_down(self, sql, params=None):
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", database_down)
        status, body = health(client)

    assert status == 503 and body["status"] == "down" and body["database"] == {"status": "error"}
    assert "Connection refused" not in str(body)  # details go to the log only
