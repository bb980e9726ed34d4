"""The Django admin shows security events read-only and never shows second-factor secrets."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.services import unlock_account


def test_totp_secrets_have_no_admin_page(db):
    assert TOTPDevice not in admin.site._registry
    try:
        reverse("admin:otp_totp_totpdevice_changelist")
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("the TOTP device admin shows secret keys")


def test_administrators_read_security_events_and_nobody_edits_them(personas, client_for):
    unlock_account(actor=personas.admin, user=personas.officer_a)
    event = SecurityEvent.objects.get()
    admin_client = client_for(personas.admin)
    listing = admin_client.get(reverse("admin:accounts_securityevent_changelist"))
    assert listing.status_code == 200
    assert "Hà Văn Dũng" in listing.content.decode()  # the subject account, by its full name
    assert admin_client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert admin_client.post(reverse("admin:accounts_securityevent_delete", args=[event.pk])).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
    officer = client_for(personas.officer_a)
    assert officer.get(reverse("admin:accounts_securityevent_changelist")).status_code == 403
