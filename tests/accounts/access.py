from django.urls import reverse

from tests.access import Route

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
]
