from django.urls import NoReverseMatch, reverse

from tests.access import AREA_READ, COMMUNE_READ, Route


def _home_expectation():
    """Reviewers are sent on to their area dashboard once the progress app provides one."""
    try:
        reverse("progress:area_dashboard")
    except NoReverseMatch:
        return AREA_READ
    return {**AREA_READ, "reviewer": 302, "reviewer_personal": 302}


ROUTES = [
    Route("home", lambda w: reverse("home"), _home_expectation()),
    Route("workspace:hamlets", lambda w: reverse("workspace:hamlets", args=[w.places.commune_a.code]), COMMUNE_READ),
    Route(
        "workspace:households",
        lambda w: reverse("workspace:households", args=[w.places.commune_a.code]) + "?pledge=missing",
        COMMUNE_READ,
    ),
]
