from django.urls import reverse

from communes.models import Hotspot
from tests.access import AREA_READ, COMMUNE_READ, COMMUNE_WRITE, Route, form_routes

# Hotspots and the commune's page carry no names: reviewers of the province see them without the right to names.
COMMUNE_AGGREGATE = {**COMMUNE_READ, "reviewer": 200}
# Commune roles are sent straight to their commune.
PICK_COMMUNE = {**AREA_READ, "officer_a": 302, "viewer_a": 302, "officer_b": 302}


def hotspot(w) -> Hotspot:
    return Hotspot.objects.create(
        commune=w.places.commune_a, kind=Hotspot.Kind.SELLING, location="Quán ngã ba", detected_on="2025-01-02"
    )


def _code(w):
    return [w.places.commune_a.code]


ROUTES = [
    Route("communes:index", lambda w: reverse("communes:index"), PICK_COMMUNE),
    Route("communes:detail", lambda w: reverse("communes:detail", args=_code(w)), COMMUNE_AGGREGATE),
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
]
