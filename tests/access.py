"""Registry of every URL's expected access, per persona (pretix-style permission walk).

Each app lists its routes in tests/<app>/access.py as ROUTES = [Route(...), ...]. tests/test_url_access.py fails
for any named URL that no module classifies, so a new view cannot ship without an access decision.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

PERSONAS = ("officer_a", "viewer_a", "officer_b", "reviewer", "reviewer_personal", "admin")

# Common expectations, persona -> HTTP status.
COMMUNE_READ = {
    "officer_a": 200,
    "viewer_a": 200,
    "officer_b": 404,
    "reviewer": 404,
    "reviewer_personal": 200,
    "admin": 200,
}
COMMUNE_WRITE = {
    "officer_a": 200,
    "viewer_a": 403,
    "officer_b": 404,
    "reviewer": 403,
    "reviewer_personal": 403,
    "admin": 200,
}
AREA_READ = {
    "officer_a": 200,
    "viewer_a": 200,
    "officer_b": 200,
    "reviewer": 200,
    "reviewer_personal": 200,
    "admin": 200,
}
ADMIN_ONLY = {
    "officer_a": 403,
    "viewer_a": 403,
    "officer_b": 403,
    "reviewer": 403,
    "reviewer_personal": 403,
    "admin": 200,
}


@dataclass(frozen=True)
class Route:
    """`build(world)` returns the URL for objects of commune A; `world` has places, personas and `extra`."""

    name: str
    build: Callable[[SimpleNamespace], str]
    expect: dict[str, int]
    method: str = "get"
    data: dict = field(default_factory=dict)
    public: bool = False


def form_routes(name: str, build: Callable[[SimpleNamespace], str]) -> list[Route]:
    """A form page: showing the form is already a write (403 for read-only roles), and so is posting it."""
    return [Route(name, build, COMMUNE_WRITE), Route(name, build, COMMUNE_WRITE, method="post")]
