"""The demo seed on a server (DEBUG off): the published password is refused; only the one given in the environment
is used. Apart from tests/demo/test_seed_demo.py, whose tests share one seeded database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from residents.models import Household


def test_seed_refuses_the_published_password_when_debug_is_off(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists() and not Household.objects.exists()


def test_seed_refuses_the_published_password_given_in_the_variable_when_debug_is_off(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", "demo-Khongmatuy-2026")
    with pytest.raises(CommandError, match="đã công bố"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_seed_with_debug_off_uses_the_password_from_the_environment(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", "Mat-khau-rieng-2026")
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo-Khongmatuy-2026" not in out.getvalue() and "Mat-khau-rieng-2026" not in out.getvalue()

    def signs_in(password):  # through the login form: the lockout backend needs the request
        response = Client().post(reverse("accounts:login"), {"username": "cand.quanson", "password": password})
        return response.status_code == 302

    assert signs_in("Mat-khau-rieng-2026") and not signs_in("demo-Khongmatuy-2026")
