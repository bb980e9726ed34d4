"""Access decisions for the import and export pages (/imports/)."""

from django.urls import reverse

from tests.access import AREA_READ, COMMUNE_WRITE, Route

from .conftest import WITH_ERRORS

# Writers (officer of the commune, administrator) see the import pages; viewers and reviewers get 403.
IMPORT_LIST = {**COMMUNE_WRITE, "officer_b": 200}
# After a POST the page redirects back to the run.
COMMUNE_WRITE_POST = {**COMMUNE_WRITE, "officer_a": 302, "admin": 302}
# Lists with names: every role that may see personal data; aggregate-only reviewers get 403.
PERSONAL_EXPORT = {**AREA_READ, "reviewer": 403}
# ?commune=A for an officer of B is a 404 (outside their scope).
PERSONAL_EXPORT_OF_A = {**PERSONAL_EXPORT, "officer_b": 404}


def run_of_a(world):
    """A run of commune A at the preview, uploaded by its officer (built once per test)."""
    if not hasattr(world.extra, "run"):
        from imports.previews import create_run

        world.extra.run, _plan = create_run(
            actor=world.personas.officer_a, commune=world.places.commune_a, uploaded=WITH_ERRORS.read_bytes(),
            file_name=WITH_ERRORS.name,
        )  # fmt: skip
    return world.extra.run


def run_url(name):
    return lambda w: reverse(name, args=[run_of_a(w).pk])


ROUTES = [
    Route("imports:index", lambda w: reverse("imports:index"), IMPORT_LIST),
    Route("imports:run", run_url("imports:run"), COMMUNE_WRITE),
    Route("imports:progress", run_url("imports:progress"), COMMUNE_WRITE),
    Route("imports:annotated", run_url("imports:annotated"), COMMUNE_WRITE),
    Route("imports:mapping", run_url("imports:mapping"), COMMUNE_WRITE_POST, method="post"),
    Route("imports:confirm", run_url("imports:confirm"), COMMUNE_WRITE_POST, method="post"),
    Route("imports:cancel", run_url("imports:cancel"), COMMUNE_WRITE_POST, method="post"),
    Route("imports:exports", lambda w: reverse("imports:exports"), PERSONAL_EXPORT),
    Route(
        "imports:export_households",
        lambda w: reverse("imports:export_households", args=["xlsx"]) + f"?commune={w.places.commune_a.code}",
        PERSONAL_EXPORT_OF_A,
    ),
    Route(
        "imports:export_people",
        lambda w: reverse("imports:export_people", args=["csv"]) + f"?commune={w.places.commune_a.code}",
        PERSONAL_EXPORT_OF_A,
    ),
    Route("imports:template", lambda w: reverse("imports:template", args=["households"]), AREA_READ),
    Route(
        "pledge_exports:export",
        lambda w: reverse("pledge_exports:export", args=["xlsx"]) + f"?commune={w.places.commune_a.code}",
        PERSONAL_EXPORT_OF_A,
    ),
    Route("pledge_exports:template", lambda w: reverse("pledge_exports:template"), AREA_READ),
]
