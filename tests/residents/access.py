from datetime import date

from django.urls import reverse

from residents.models import DrugCase, Incident
from tests.access import COMMUNE_READ, Route, form_routes


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
ROUTES = [
    Route("residents:case_list", lambda w: reverse("residents:case_list", args=_code(w)), COMMUNE_READ),
    Route("residents:case_detail", lambda w: reverse("residents:case_detail", args=[drug_case(w).pk]), COMMUNE_READ),
    *form_routes("residents:case_create", lambda w: reverse("residents:case_create", args=_code(w))),
    *form_routes("residents:case_edit", lambda w: reverse("residents:case_edit", args=[drug_case(w).pk])),
    Route("residents:incident_list", lambda w: reverse("residents:incident_list", args=_code(w)), COMMUNE_READ),
    *form_routes("residents:incident_create", lambda w: reverse("residents:incident_create", args=_code(w))),
    *form_routes("residents:incident_edit", lambda w: reverse("residents:incident_edit", args=[incident(w).pk])),
]
