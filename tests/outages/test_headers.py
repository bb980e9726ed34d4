"""Security headers: a Content-Security-Policy without inline script, a Permissions-Policy, and no-store on every
page and file Django serves (they name people); no template carries an inline script or handler."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loaders.app_directories import get_app_template_dirs
from django.test import Client
from django.urls import reverse

from tests import factories as f

ROOT = Path(settings.BASE_DIR)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def assert_protected(response):
    policy = directives(response)
    assert policy["script-src"] == "script-src 'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["default-src"] == "default-src 'self'" and policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.fixture
def officer(client_for, personas):
    return client_for(personas.officer_a)


def test_pages_with_personal_data_are_never_stored(officer, places):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    for url in (reverse("home"), reverse("residents:person", args=[person.pk]), reverse("imports:index")):
        response = officer.get(url)
        assert response.status_code == 200, url
        assert_protected(response)


def test_files_with_personal_data_are_never_stored(officer, places):
    f.household(places.hamlet_a, code="SOI-001")

    response = officer.get(reverse("imports:export_households", args=["xlsx"]))

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert_protected(response)


def test_error_pages_the_login_page_and_health_carry_the_headers_too(client, officer):
    assert_protected(client.get(reverse("accounts:login")))
    assert_protected(client.get(reverse("healthz")))
    assert_protected(officer.get("/khong-co-trang-nay/"))


def test_static_files_keep_their_cache(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from the source folders, as without collectstatic
    response = Client().get("/static/js/app.js")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _templates() -> list[Path]:
    """The project's templates (the site's and each app's), not the installed packages' (see README: Headers)."""
    ours = [Path(d) for d in get_app_template_dirs("templates") if ROOT in Path(d).parents]
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [d for d in ours if "site-packages" not in d.parts]
    return sorted(path for d in dirs for path in d.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
FORBIDDEN = [
    (INLINE_SCRIPT, "inline <script>"),
    (HANDLER, "on* handler attribute"),
    (re.compile(r"<style\b", re.I), "<style> element (style-src allows only files)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"hx-on|hx-vars|js:", re.I), "htmx code in an attribute (needs eval)"),
]


def test_the_scan_finds_every_kind_of_inline_code():
    samples = ['<script>alert(1)</script>', '<button onclick="x()">', "<style>p{}</style>",
               '<a href="javascript:x()">', '<div hx-on:click="x()">']  # fmt: skip
    assert all(any(pattern.search(sample) for pattern, _ in FORBIDDEN) for sample in samples)
    assert not any(pattern.search('<script src="/static/js/app.js" defer></script>') for pattern, _ in FORBIDDEN)


def test_no_template_carries_inline_script_or_handlers():
    templates = _templates()
    assert len(templates) > 50 and ROOT / "templates" / "base.html" in templates
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}: {what}"
        for path in templates
        for text in [path.read_text()]
        for pattern, what in FORBIDDEN
        for match in pattern.finditer(text)
    ]
    assert found == []
