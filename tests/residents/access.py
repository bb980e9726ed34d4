from datetime import date

from django.urls import reverse

from residents.models import DrugCase, Incident, PersonTransfer
from tests import factories as f
from tests.access import COMMUNE_READ, COMMUNE_WRITE, Route, form_routes

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


def _code(w):
    return [w.places.commune_a.code]


def drug_case(w) -> DrugCase:
    return DrugCase.objects.create(
        commune=w.places.commune_a, number="01/2025", detected_on=date(2025, 1, 19), offence="Tàng trữ"
    )


def incident(w) -> Incident:
    return Incident.objects.create(
        commune=w.places.commune_a, occurred_on=date(2025, 2, 1), severity="serious", description="Đập phá tài sản"
    )


# Cases and incidents name people: reviewers need the right to see names (COMMUNE_READ).
ROUTES += [
    Route("residents:case_list", lambda w: reverse("residents:case_list", args=_code(w)), COMMUNE_READ),
    Route("residents:case_detail", lambda w: reverse("residents:case_detail", args=[drug_case(w).pk]), COMMUNE_READ),
    *form_routes("residents:case_create", lambda w: reverse("residents:case_create", args=_code(w))),
    *form_routes("residents:case_edit", lambda w: reverse("residents:case_edit", args=[drug_case(w).pk])),
    Route("residents:incident_list", lambda w: reverse("residents:incident_list", args=_code(w)), COMMUNE_READ),
    *form_routes("residents:incident_create", lambda w: reverse("residents:incident_create", args=_code(w))),
    *form_routes("residents:incident_edit", lambda w: reverse("residents:incident_edit", args=[incident(w).pk])),
]


def transfer(w) -> PersonTransfer:
    """Commune A registered someone on file in commune B."""
    person = f.person(w.places.hamlet_b, full_name="Hà Thị Bích", cccd="038178000123")
    return PersonTransfer.objects.create(
        person=person, to_commune=w.places.commune_a, to_hamlet=w.places.hamlet_a, requested_by=w.personas.officer_a,
        identity={"full_name": "Hà Thị Bích", "cccd": "038178000123"},
    )  # fmt: skip


# Decided above the commune: reviewers who may see names and administrators; officers never see the task.
TRANSFER_READ = {**PERSONAL_AREA_READ, "officer_a": 403, "viewer_a": 403, "officer_b": 403}
TRANSFER_DECIDE = {**TRANSFER_READ, "reviewer_personal": 302, "admin": 302}
ROUTES += [
    Route("residents:transfers", lambda w: reverse("residents:transfers"), TRANSFER_READ),
    Route("residents:past_retention", lambda w: reverse("residents:past_retention"), TRANSFER_READ),
    Route(
        "residents:transfer_resolve",
        lambda w: reverse("residents:transfer_resolve", args=[transfer(w).pk, "reject"]),
        TRANSFER_DECIDE,
        method="post",
    ),
]
