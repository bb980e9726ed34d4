from django.urls import reverse

from tests.access import COMMUNE_READ, Route

# Aggregate figures of a commune: its own roles, and reviewers of its area (with or without names).
COMMUNE_FIGURES = {**COMMUNE_READ, "reviewer": 200}
# Area figures: reviewers and administrators; commune roles are sent to their commune's dashboard.
AREA = {"officer_a": 302, "viewer_a": 302, "officer_b": 302, "reviewer": 200, "reviewer_personal": 200, "admin": 200}
AREA_REPORT = {**AREA, "officer_a": 403, "viewer_a": 403, "officer_b": 403}
# Names behind a figure: exported only to roles that may see personal data.
GAP_EXPORT = {**COMMUNE_READ, "reviewer": 403}
# Marking a month reviewed: reviewers and administrators (302 back to the dashboard); commune roles may not.
REVIEW = {"officer_a": 403, "viewer_a": 403, "officer_b": 404, "reviewer": 302, "reviewer_personal": 302, "admin": 302}


def _commune(name):
    return lambda w: reverse(name, kwargs={"code": w.places.commune_a.code})


def _gap(name):
    return lambda w: reverse(name, kwargs={"code": w.places.commune_a.code, "metric_key": "households_pledged"})


ROUTES = [
    Route("progress:area_dashboard", lambda w: reverse("progress:area_dashboard"), AREA),
    Route("progress:area_export", lambda w: reverse("progress:area_export"), AREA_REPORT),
    Route("progress:area_print", lambda w: reverse("progress:area_print"), AREA_REPORT),
    Route("progress:commune_dashboard", _commune("progress:commune_dashboard"), COMMUNE_FIGURES),
    Route("progress:commune_print", _commune("progress:commune_print"), COMMUNE_FIGURES),
    Route("progress:commune_export", _commune("progress:commune_export"), COMMUNE_FIGURES),
    Route("progress:gap_list", _gap("progress:gap_list"), COMMUNE_FIGURES),
    Route("progress:gap_export", _gap("progress:gap_export"), GAP_EXPORT),
    Route("progress:review_month", _commune("progress:review_month"), REVIEW, method="post", data={"month": "2026-01"}),
]
