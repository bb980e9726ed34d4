"""Failures are logged to stderr, one line per event, tagged with the request that caused them."""

import io
import logging

import pytest
from django.urls import reverse

from drugfree.log import OneLineFormatter


@pytest.fixture
def stderr_log():
    """What the configured stderr handler writes, read back."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, OneLineFormatter)]
    captured = io.StringIO()
    previous = handler.setStream(captured)
    yield captured
    handler.setStream(previous)


def test_every_response_carries_a_request_id(places, personas, client_for):
    client = client_for(personas.officer_a)

    first, second = client.get("/"), client.get("/")

    assert len(first["X-Request-ID"]) == 16 and first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept_only_when_it_is_plain(places, personas, client_for):
    client = client_for(personas.officer_a)

    kept = client.get("/", headers={"X-Request-ID": "nginx-7f3a.42"})
    replaced = client.get("/", headers={"X-Request-ID": "x\nFAKE ERROR line"})

    assert kept["X-Request-ID"] == "nginx-7f3a.42"
    assert replaced["X-Request-ID"] != "x\nFAKE ERROR line" and "\n" not in replaced["X-Request-ID"]


def test_a_refused_save_is_logged_as_one_line_with_the_request_id(places, personas, client_for, stderr_log):
    client = client_for(personas.officer_a)

    response = client.post(
        reverse("admin:communes_hamlet_add"),
        {"commune": places.commune_a.pk, "name": "Khu phố Sỏi", "kind": "khu_pho", "head_name": ""},
    )

    lines = stderr_log.getvalue().splitlines()
    [line] = [line for line in lines if "drugfree.integrity" in line]
    assert f"[{response['X-Request-ID']}]" in line and "WARNING" in line and "+07:00" in line.split()[0]


def test_a_traceback_stays_on_its_events_line(stderr_log):
    try:
        raise ValueError("ô nhập sai")
    except ValueError:
        logging.getLogger("imports.pipeline").exception("import failed")

    [line] = stderr_log.getvalue().splitlines()
    assert "import failed" in line and "Traceback" in line and "ValueError: ô nhập sai" in line and "[-]" in line
