from django.urls import reverse

from tests import factories as f
from tests.access import COMMUNE_READ, COMMUNE_WRITE, Route

# Pages over people of the whole area the user may see (no object in the URL): refused to aggregate-only roles.
PERSONAL_AREA_READ = {
    "officer_a": 200,
    "viewer_a": 200,
    "officer_b": 200,
    "reviewer": 403,
    "reviewer_personal": 200,
    "admin": 200,
}
# A successful state change redirects to the changed record.
COMMUNE_POST = {**COMMUNE_WRITE, "officer_a": 302, "admin": 302}


def _person(w):
    return f.person(w.places.hamlet_a, full_name="Lò Văn Tám")


def _household(w):
    return f.household(w.places.hamlet_a, code="SOI-900")


ROUTES = [
    Route("residents:search", lambda w: reverse("residents:search") + "?q=lo+van", PERSONAL_AREA_READ),
    Route("residents:person_duplicates", lambda w: reverse("residents:person_duplicates"), PERSONAL_AREA_READ),
    Route("residents:person", lambda w: reverse("residents:person", args=[_person(w).pk]), COMMUNE_READ),
    Route("residents:person_edit", lambda w: reverse("residents:person_edit", args=[_person(w).pk]), COMMUNE_WRITE),
    Route(
        "residents:person_action",
        lambda w: reverse("residents:person_action", args=[_person(w).pk, "record_test"]),
        COMMUNE_WRITE,
    ),
    Route(
        "residents:person_action",
        lambda w: reverse("residents:person_action", args=[_person(w).pk, "list_suspect"]),
        COMMUNE_POST,
        method="post",
        data={"listed_on": "01/03/2025", "trigger": "tip"},
    ),
    Route(
        "residents:person_create",
        lambda w: reverse("residents:person_create", args=[w.places.hamlet_a.pk]),
        COMMUNE_WRITE,
    ),
    Route(
        "residents:household_create",
        lambda w: reverse("residents:household_create", args=[w.places.hamlet_a.pk]),
        COMMUNE_WRITE,
    ),
    Route("residents:household", lambda w: reverse("residents:household", args=[_household(w).pk]), COMMUNE_READ),
    Route(
        "residents:household_edit",
        lambda w: reverse("residents:household_edit", args=[_household(w).pk]),
        COMMUNE_WRITE,
    ),
    Route(
        "residents:household_move",
        lambda w: reverse("residents:household_move", args=[_household(w).pk]),
        COMMUNE_WRITE,
    ),
    Route(
        "residents:household_end",
        lambda w: reverse("residents:household_end", args=[_household(w).pk]),
        COMMUNE_WRITE,
    ),
    Route(
        "residents:household_end",
        lambda w: reverse("residents:household_end", args=[_household(w).pk]),
        COMMUNE_POST,
        method="post",
        data={"status": "moved_away", "status_changed_on": "01/03/2025"},
    ),
    Route(
        "residents:member_create",
        lambda w: reverse("residents:member_create", args=[_household(w).pk]),
        COMMUNE_WRITE,
    ),
]
