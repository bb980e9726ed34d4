from django.urls import reverse

from tests.access import AREA_READ, Route

ROUTES = [
    Route("home", lambda w: reverse("home"), AREA_READ),
    Route("accounts:login", lambda w: reverse("accounts:login"), {}, public=True),
    Route("accounts:logout", lambda w: reverse("accounts:logout"), {}, method="post", public=True),
]
