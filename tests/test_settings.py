"""Configuration fails loudly on bad values, and production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from drugfree.env import env_bool, env_dates, env_int

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests in the same worker; production never has it.
        if k
        not in {"SECRET_KEY", "DEBUG", "TESTING", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False)


def test_bad_integer_is_refused(monkeypatch):
    monkeypatch.setenv("DB_CONN_MAX_AGE", "sixty")
    with pytest.raises(ImproperlyConfigured):
        env_int("DB_CONN_MAX_AGE", 60)


def test_make_up_working_days_are_read_as_paperwork_or_iso_dates(monkeypatch):
    monkeypatch.setenv("DRUGFREE_MAKEUP_WORKING_DAYS", "12/12/2026, 2027-01-09")
    assert env_dates("DRUGFREE_MAKEUP_WORKING_DAYS") == {date(2026, 12, 12), date(2027, 1, 9)}
    monkeypatch.setenv("DRUGFREE_EXTRA_DAYS_OFF", "31/02/2027")
    with pytest.raises(ImproperlyConfigured, match="DRUGFREE_EXTRA_DAYS_OFF: '31/02/2027' is not a date"):
        env_dates("DRUGFREE_EXTRA_DAYS_OFF")


def test_a_day_both_worked_and_off_stops_the_server():
    days = {"DRUGFREE_MAKEUP_WORKING_DAYS": "12/12/2026", "DRUGFREE_EXTRA_DAYS_OFF": "2026-12-12"}
    result = _manage("check", DEBUG="1", **days)
    assert result.returncode != 0
    assert "DRUGFREE_MAKEUP_WORKING_DAYS and DRUGFREE_EXTRA_DAYS_OFF share a date" in result.stderr


def test_secret_key_is_required_without_debug():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_variables():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="k" * 20 + "-production-like-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="drugfree.example.vn",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _setting(name: str, **env) -> str:
    result = _manage("shell", "-c", f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own "objects imported" line


def test_second_factor_is_required_for_administrators_unless_debug():
    production = {"DEBUG": "0", "SECRET_KEY": "k" * 50}
    assert _setting("TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS", **production) == "True"
    assert _setting("TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS", DEBUG="1") == "False"
    assert _setting(
        "TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS", DEBUG="1", TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS="1"
    ) == ("True")


def test_login_lockout_limits_come_from_the_environment():
    assert _setting("AXES_COOLOFF_TIME", DEBUG="1", LOGIN_LOCKOUT_MINUTES="30") == "0:30:00"
    result = _manage("check", DEBUG="1", LOGIN_FAILURES_PER_ACCOUNT="0")
    assert result.returncode != 0 and "LOGIN_FAILURES_PER_*" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RECOGNITION_VALID_MONTHS", "0"),
        ("RECOGNITION_EVIDENCE_MAX_BYTES", "-1"),
        ("RECOGNITION_VALID_MONTHS", "x"),
        ("RECOGNITION_TARGET_PERCENT", "101"),
    ],
)
def test_recognition_procedure_settings_refuse_bad_values(variable, value):
    result = _manage("check", DEBUG="1", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_recognition_procedure_settings_have_documented_defaults(settings):
    assert (settings.RECOGNITION_VALID_MONTHS, settings.RECOGNITION_DOCX_TEMPLATE_DIR) == (12, "")
    documented = (ROOT / "docs" / "recognition.md").read_text(encoding="utf-8")
    for name in [n for n in dir(settings) if n.startswith("RECOGNITION_")]:
        assert f"`{name}`" in documented, name
