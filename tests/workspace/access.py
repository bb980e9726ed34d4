from django.urls import reverse

from tests.access import AREA_READ, COMMUNE_READ, Route

ROUTES = [
    # Reviewers are sent on to their area dashboard.
    Route("home", lambda w: reverse("home"), {**AREA_READ, "reviewer": 302, "reviewer_personal": 302}),
    # The commune's page (served by workspace) shows counts, no names: reviewers without the right to names see it.
    Route("commune", lambda w: reverse("commune", args=[w.places.commune_a.code]), {**COMMUNE_READ, "reviewer": 200}),
    Route("workspace:hamlets", lambda w: reverse("workspace:hamlets", args=[w.places.commune_a.code]), COMMUNE_READ),
    Route(
        "workspace:households",
        lambda w: reverse("workspace:households", args=[w.places.commune_a.code]) + "?pledge=missing",
        COMMUNE_READ,
    ),
]
