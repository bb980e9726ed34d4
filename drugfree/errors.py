"""Error pages in Vietnamese in the site's layout; a database outage is a 503 "service unavailable", not a 500.

500 and 503 are rendered without the request's context processors: those read the user and the session, which live
in the database that may be what just failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from django.shortcuts import render
from django.template import loader

from .log import current_request_id

# How long a client (or a load balancer) should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Lost or refused database connections (Django wraps the driver's errors in these two)."""
    return isinstance(exc, OperationalError | InterfaceError)


def _render_without_database(template_name: str, status: int) -> HttpResponseServerError:
    html = loader.get_template(template_name).render({"request_id": current_request_id()})
    response = HttpResponseServerError(html)
    response.status_code = status
    return response


def service_unavailable() -> HttpResponseServerError:
    response = _render_without_database("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, template_name: str = "500.html"):
    """handler500: Django calls it while handling the uncaught exception, which `sys.exc_info()` still holds."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    return _render_without_database(template_name, 500)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the form was refused (Django has logged why); say so in Vietnamese, nothing was saved."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "no_referer": reason == REASON_NO_REFERER}
    return HttpResponseForbidden(render(request, "403_csrf.html", context).content)
