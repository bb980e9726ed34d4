from django.urls import reverse

from tests.access import Route

ROUTES = [
    Route("accounts:login", lambda w: reverse("accounts:login"), {}, public=True),
    Route("accounts:logout", lambda w: reverse("accounts:logout"), {}, method="post", public=True),
]
