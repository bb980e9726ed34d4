from django.urls import reverse

from accounts.services import issue_password_reset_link
from tests.access import ADMIN_ONLY, AREA_READ, PERSONAS, Route

# Unlocking answers with a redirect back to the account page.
ADMIN_ONLY_REDIRECT = {**ADMIN_ONLY, "admin": 302}
EVERYONE_REDIRECT = dict.fromkeys(PERSONAS, 302)


def _reset_link(world) -> str:
    token = issue_password_reset_link(actor=world.personas.admin, user=world.personas.officer_a)
    return reverse("accounts:password_reset", args=[token])


# Officers (their commune), reviewers who may see names (their area), administrators; not viewers nor aggregate
# reviewers: the log names people.
ACCESS_LOG_READERS = {
    "officer_a": 200,
    "viewer_a": 403,
    "officer_b": 200,
    "reviewer": 403,
    "reviewer_personal": 200,
    "admin": 200,
}

ROUTES = [
    Route("accounts:login", lambda w: reverse("accounts:login"), {}, public=True),
    Route("accounts:logout", lambda w: reverse("accounts:logout"), {}, method="post", public=True),
    Route("accounts:access_log", lambda w: reverse("accounts:access_log"), ACCESS_LOG_READERS),
    Route("accounts:password_reset", _reset_link, {}, public=True),
    # Sessions of the matrix have passed the second factor: verification sends them on; anyone may enrol a phone.
    Route("accounts:second_factor_verify", lambda w: reverse("accounts:second_factor_verify"), EVERYONE_REDIRECT),
    Route("accounts:second_factor_enrol", lambda w: reverse("accounts:second_factor_enrol"), AREA_READ),
    # Administrators keep theirs (required while DEBUG is off, as in the suite).
    Route(
        "accounts:second_factor_disable",
        lambda w: reverse("accounts:second_factor_disable"),
        {**EVERYONE_REDIRECT, "admin": 403},
        method="post",
    ),
    Route("accounts:manage", lambda w: reverse("accounts:manage"), ADMIN_ONLY),
    Route(
        "accounts:account_unlock",
        lambda w: reverse("accounts:account_unlock", args=[w.personas.officer_a.pk]),
        ADMIN_ONLY_REDIRECT,
        method="post",
    ),
    Route(
        "accounts:reset_link_issue",
        lambda w: reverse("accounts:reset_link_issue", args=[w.personas.officer_a.pk]),
        ADMIN_ONLY,
        method="post",
    ),
    Route(
        "accounts:address_unlock",
        lambda w: reverse("accounts:address_unlock"),
        ADMIN_ONLY_REDIRECT,
        method="post",
        data={"ip_address": "10.0.0.9"},
    ),
]
