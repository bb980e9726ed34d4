"""Walk every URL for every persona: logged out → login, wrong commune → 404, read-only → 403, allowed → 200."""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.access import PERSONAS, Route

# Namespaces walked elsewhere: the Django admin in tests/test_admin_access.py.
EXTERNAL_NAMESPACES = {"admin"}
EXTERNAL_NAMES = {"set_language"}


def _registered_routes() -> list[Route]:
    routes = []
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.access")
        except ModuleNotFoundError:
            continue
        routes.extend(module.ROUTES)
    return routes


def _named_urls(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXTERNAL_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in EXTERNAL_NAMES:
            names.add(f"{namespace}{pattern.name}")
    return names


ROUTES = _registered_routes()


def test_every_url_has_an_access_decision():
    classified = {route.name for route in ROUTES}
    assert _named_urls() - classified == set(), "classify these URLs in tests/<app>/access.py"


@pytest.fixture
def world(module_places_and_personas, db):
    shared = module_places_and_personas
    return SimpleNamespace(places=shared.places, personas=shared.personas, extra=SimpleNamespace())


def _request(client, route: Route, url: str):
    return getattr(client, route.method)(url, route.data) if route.data else getattr(client, route.method)(url)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_is_sent_to_login(route, world, client):
    response = _request(client, route, route.build(world))
    if route.public:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public], ids=lambda r: r.name)
def test_persona_gets_expected_status(route, persona, world, client):
    client.force_login(getattr(world.personas, persona))
    response = _request(client, route, route.build(world))
    assert response.status_code == route.expect[persona], f"{route.name} as {persona}"
