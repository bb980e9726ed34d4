from datetime import date

from django.urls import reverse

from pledges.models import EmulationCompact, HamletCommitment, PreventionModel
from tests import factories as f
from tests.access import COMMUNE_READ, COMMUNE_WRITE, Route, form_routes

YEAR = 2025

# Counts, models, commitments and compacts are not personal: reviewers of the province see them.
COMMUNE_AGGREGATE = {**COMMUNE_READ, "reviewer": 200}
# Commune roles go to their commune's pledges, others to the commune picker.
REDIRECTS = dict.fromkeys(COMMUNE_READ, 302)


def _code(w):
    return [w.places.commune_a.code]


def prevention_model(w) -> PreventionModel:
    return PreventionModel.objects.create(
        commune=w.places.commune_a, name="Khu phố sạch", launched_on=date(2024, 4, 20)
    )


def commitment(w) -> HamletCommitment:
    return HamletCommitment.objects.create(
        hamlet=w.places.hamlet_a, year=YEAR, registered_on=date(2025, 1, 5), signed_by="Lò Văn Hặc"
    )


def compact(w) -> EmulationCompact:
    return EmulationCompact.objects.create(commune=w.places.commune_a, title="Giao ước", signed_on=date(2024, 4, 20))


ROUTES = [
    Route("pledges:index", lambda w: reverse("pledges:index"), REDIRECTS),
    Route("pledges:commune", lambda w: reverse("pledges:commune", args=[*_code(w), YEAR]), COMMUNE_AGGREGATE),
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
    Route("pledges:model_list", lambda w: reverse("pledges:model_list", args=_code(w)), COMMUNE_AGGREGATE),
    Route(
        "pledges:model_detail",
        lambda w: reverse("pledges:model_detail", args=[prevention_model(w).pk]),
        COMMUNE_AGGREGATE,
    ),
    *form_routes("pledges:model_create", lambda w: reverse("pledges:model_create", args=_code(w))),
    *form_routes("pledges:model_edit", lambda w: reverse("pledges:model_edit", args=[prevention_model(w).pk])),
    *form_routes(
        "pledges:activity_create", lambda w: reverse("pledges:activity_create", args=[prevention_model(w).pk])
    ),
    Route("pledges:commitment_list", lambda w: reverse("pledges:commitment_list", args=_code(w)), COMMUNE_AGGREGATE),
    *form_routes("pledges:commitment_create", lambda w: reverse("pledges:commitment_create", args=_code(w))),
    *form_routes("pledges:commitment_edit", lambda w: reverse("pledges:commitment_edit", args=[commitment(w).pk])),
    Route("pledges:compact_list", lambda w: reverse("pledges:compact_list", args=_code(w)), COMMUNE_AGGREGATE),
    *form_routes("pledges:compact_create", lambda w: reverse("pledges:compact_create", args=_code(w))),
    *form_routes("pledges:compact_edit", lambda w: reverse("pledges:compact_edit", args=[compact(w).pk])),
]
