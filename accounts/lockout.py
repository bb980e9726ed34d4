"""Login lockout on top of django-axes: one limit per account, another per client address.

Axes compares the failures of every lockout parameter with one limit. A commune's officers often reach the server
from one address, so the address needs a higher limit than the account; the handler scales each parameter's count
to the per-account limit so that axes' single comparison applies each parameter's own limit.
"""

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

# Same order as settings.AXES_LOCKOUT_PARAMETERS.
_PARAMETERS = ("username", "ip_address")


def _limits() -> dict[str, int]:
    return {"username": settings.LOGIN_FAILURES_PER_ACCOUNT, "ip_address": settings.LOGIN_FAILURES_PER_ADDRESS}


def account_limit(request=None, credentials=None) -> int:
    """Axes' single limit: the per-account one (read at each check, so tests and settings agree)."""
    return settings.LOGIN_FAILURES_PER_ACCOUNT


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # failures * L // limit reaches L (the account limit axes compares with) exactly when failures reach limit.
        scale = settings.LOGIN_FAILURES_PER_ACCOUNT
        limits = _limits()
        scaled = [0]
        for parameter, attempts in zip(_PARAMETERS, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            scaled.append(failures * scale // limits[parameter])
        return max(scaled)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry our own proxies appended to X-Forwarded-For.

    Entries further left were written by the client and could be forged to escape the per-address limit.
    """
    proxies = settings.LOGIN_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_threshold() -> datetime:
    """Failures older than this no longer count (the cool-off)."""
    return timezone.now() - settings.AXES_COOLOFF_TIME


def locked_addresses() -> list[dict]:
    """Client addresses locked out now, with their failure count, most failures first."""
    from axes.models import AccessAttempt

    return list(
        AccessAttempt.objects.filter(attempt_time__gte=lockout_threshold())
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.LOGIN_FAILURES_PER_ADDRESS)
        .order_by("-failures", "ip_address")
    )
