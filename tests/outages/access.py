from django.urls import reverse

from tests.access import Route

ROUTES = [
    # For load balancers: no login, no personal data (tests/outages/test_healthz.py).
    Route("healthz", lambda w: reverse("healthz"), {}, public=True),
]
