from datetime import date

from django.urls import reverse

from communes.models import Hotspot
from tests import factories as f
from tests.access import AREA_READ, COMMUNE_READ, COMMUNE_WRITE, Route, form_routes

# Hotspots carry no names: reviewers of the province see them without the right to names.
COMMUNE_AGGREGATE = {**COMMUNE_READ, "reviewer": 200}
# Commune roles are sent straight to their commune.
PICK_COMMUNE = {**AREA_READ, "officer_a": 302, "viewer_a": 302, "officer_b": 302}


def hotspot(w) -> Hotspot:
    return Hotspot.objects.create(
        commune=w.places.commune_a, kind=Hotspot.Kind.SELLING, location="Quán ngã ba", detected_on="2025-01-02"
    )


def _edit(name: str, record) -> list[Route]:
    return form_routes(name, lambda w: reverse(name, args=[record(w).pk]))


def _commune_pages(prefix: str) -> list[Route]:
    """A list of the commune's records (no names: aggregate reviewers see it) and its "new" form."""
    return [
        Route(f"{prefix}_list", lambda w: reverse(f"{prefix}_list", args=_code(w)), COMMUNE_AGGREGATE),
        *form_routes(f"{prefix}_create", lambda w: reverse(f"{prefix}_create", args=_code(w))),
    ]


def _code(w):
    return [w.places.commune_a.code]


ROUTES = [
    Route("communes:index", lambda w: reverse("communes:index"), PICK_COMMUNE),
    Route("communes:hotspot_list", lambda w: reverse("communes:hotspot_list", args=_code(w)), COMMUNE_AGGREGATE),
    *form_routes("communes:hotspot_create", lambda w: reverse("communes:hotspot_create", args=_code(w))),
    Route(
        "communes:hotspot_detail", lambda w: reverse("communes:hotspot_detail", args=[hotspot(w).pk]), COMMUNE_AGGREGATE
    ),
    *form_routes("communes:hotspot_edit", lambda w: reverse("communes:hotspot_edit", args=[hotspot(w).pk])),
    Route(
        "communes:hotspot_status",
        lambda w: reverse("communes:hotspot_status", args=[hotspot(w).pk]),
        COMMUNE_WRITE,
        method="post",
    ),
    *_commune_pages("communes:plant_eradication"),
    *_edit(
        "communes:plant_eradication_edit",
        lambda w: f.plant_eradication(w.places.commune_a, destroyed_on=date(2025, 3, 4), plants=1200),
    ),
    *_commune_pages("communes:trafficking_route"),
    *_edit(
        "communes:trafficking_route_edit",
        lambda w: f.trafficking_route(w.places.commune_a, identified_on=date(2024, 6, 1)),
    ),
]
