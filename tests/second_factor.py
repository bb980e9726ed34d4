"""Helpers for the second factor in tests: a confirmed device for a user, and the code it shows now."""

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="TOTP", confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    """The code the phone shows now (django-otp's own TOTP, the same the server checks)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user) -> None:
    """Mark a test client's session as past the second factor, for users whose login asks for it."""
    session = client.session
    if session.get(second_factor.SESSION_KEY) == second_factor.PASSED:
        return
    device = device_for(user)
    session[second_factor.SESSION_KEY] = second_factor.PASSED
    session["otp_device_id"] = device.persistent_id
    session.save()
