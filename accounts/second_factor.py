"""Second factor (TOTP, django-otp): who must pass it, and the gate that holds a session until they have.

The state lives in the session, decided once at login, so the gate costs no query on ordinary pages:
"verify" (the user has a confirmed device: enter its code), "enrol" (an administrator without a device: set one up
first), "passed". A session without a state (logged in before this existed) is decided on its first request.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "second_factor"
VERIFY, ENROL, PASSED = "verify", "enrol", "passed"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def is_required(user) -> bool:
    return user.is_administrator and settings.TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS


def state_at_login(user) -> str:
    if confirmed_device(user) is not None:
        return VERIFY
    return ENROL if is_required(user) else PASSED


def mark_passed(request, device: TOTPDevice) -> None:
    """The session has shown a code of `device`; django-otp's own session key is kept in step."""
    otp_login(request, device)
    request.session[SESSION_KEY] = PASSED


@receiver(user_logged_in)
def _decide_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_at_login(user)


def _gate_url(state: str) -> str:
    return reverse("accounts:second_factor_verify" if state == VERIFY else "accounts:second_factor_enrol")


class SecondFactorMiddleware:
    """Until the second factor is passed, every page (the admin too) sends the user to verification or enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            state = request.session.get(SESSION_KEY)
            if state is None:
                state = request.session[SESSION_KEY] = state_at_login(user)
            if state != PASSED and not self._open_before_passing(request.path_info):
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(f"{_gate_url(state)}?{query}" if query else _gate_url(state))
        return self.get_response(request)

    @staticmethod
    def _open_before_passing(path: str) -> bool:
        open_paths = (
            reverse("accounts:second_factor_verify"),
            reverse("accounts:second_factor_enrol"),
            reverse("accounts:logout"),
            reverse("set_language"),
        )
        return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same secret on every reload until the user confirms it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG, drawn here: the secret never leaves the server for a QR service."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for a phone that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
