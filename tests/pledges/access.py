from django.urls import reverse

from tests import factories as f
from tests.access import COMMUNE_READ, COMMUNE_WRITE, Route

YEAR = 2025

# Counts per hamlet are aggregates: a reviewer without access to names still sees them (their province).
COMMUNE_AGGREGATE = {**COMMUNE_READ, "reviewer": 200}
# Commune roles are sent straight to their commune's summary.
PICK_COMMUNE = {
    "officer_a": 302,
    "viewer_a": 302,
    "officer_b": 302,
    "reviewer": 200,
    "reviewer_personal": 200,
    "admin": 200,
}

ROUTES = [
    Route("pledges:index", lambda w: reverse("pledges:index"), PICK_COMMUNE),
    Route(
        "pledges:commune", lambda w: reverse("pledges:commune", args=[w.places.commune_a.code, YEAR]), COMMUNE_AGGREGATE
    ),
    Route("pledges:checklist", lambda w: reverse("pledges:checklist", args=[w.places.hamlet_a.pk, YEAR]), COMMUNE_READ),
    Route(
        "pledges:checklist",
        lambda w: reverse("pledges:checklist", args=[w.places.hamlet_a.pk, YEAR]),
        COMMUNE_WRITE,
        method="post",
    ),
    Route(
        "pledges:print_form",
        lambda w: reverse("pledges:print_form", args=[f.household(w.places.hamlet_a).pk, YEAR]),
        COMMUNE_READ,
    ),
]
