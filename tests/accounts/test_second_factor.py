"""Second factor (TOTP): required for administrators before anything else, optional for others, also for the admin."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.accounts.login import is_logged_in, post_login
from tests.second_factor import current_code, device_for

VERIFY = reverse("accounts:second_factor_verify")
ENROL = reverse("accounts:second_factor_enrol")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_administrator_without_a_device_is_sent_to_enrolment_before_anything_else(personas):
    client = Client()
    response = post_login(client, personas.admin.username)
    assert is_logged_in(client)
    for url in (reverse("home"), reverse("accounts:manage"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(ENROL), url


def test_administrator_enrols_with_a_locally_drawn_qr_code_and_a_code(personas):
    client = Client()
    post_login(client, personas.admin.username)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=personas.admin, confirmed=False)
    assert device.config_url.split("secret=")[1].split("&")[0] in page.replace(" ", "")
    response = client.post(ENROL, {"code": current_code(device), "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SECOND_FACTOR_ENROLLED, subject=personas.admin).exists()


def test_enrolment_refuses_a_wrong_code(personas):
    client = Client()
    post_login(client, personas.admin.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.admin)
    response = client.post(ENROL, {"code": _wrong(current_code(device))})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.admin, confirmed=True).exists()
    assert client.get(reverse("home"))["Location"].startswith(ENROL)


def test_administrator_with_a_device_must_enter_its_code_on_the_site_and_in_the_admin(personas):
    device = device_for(personas.admin)
    client = Client()
    post_login(client, personas.admin.username)
    for url in (reverse("home"), reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        assert client.get(url)["Location"].startswith(VERIFY), url
    response = client.post(VERIFY, {"code": current_code(device), "next": reverse("admin:index")})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused_and_the_session_stays_held(personas):
    device = device_for(personas.admin)
    client = Client()
    post_login(client, personas.admin.username)
    response = client.post(VERIFY, {"code": _wrong(current_code(device))})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_repeated_wrong_codes_are_throttled(personas):
    device = device_for(personas.admin)
    client = Client()
    post_login(client, personas.admin.username)
    with time_machine.travel(timezone.now(), tick=False):
        client.post(VERIFY, {"code": _wrong(current_code(device))})
        # Even the right code waits out django-otp's growing delay after a failure.
        response = client.post(VERIFY, {"code": current_code(device)})
        assert "Đã nhập sai nhiều lần" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(VERIFY, {"code": current_code(device)})
        assert response.status_code == 302 and client.get(reverse("home")).status_code == 200


def test_admin_site_login_also_leads_to_the_code(personas):
    device = device_for(personas.admin)
    client = Client()
    response = post_login(client, personas.admin.username, admin=True)
    assert is_logged_in(client)
    assert client.get(reverse("admin:index"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200
    assert response.status_code == 302


def test_a_held_session_cannot_swap_the_device_without_the_current_code(personas):
    device_for(personas.admin)
    client = Client()
    post_login(client, personas.admin.username)
    assert client.get(ENROL)["Location"] == VERIFY
    assert client.post(ENROL, {"code": "123456"})["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=personas.admin).count() == 1


def test_second_factor_is_optional_for_an_officer(personas):
    client = Client()
    post_login(client, personas.officer_a.username)
    assert client.get(reverse("home")).status_code == 200


def test_an_officer_who_enrolled_is_asked_for_the_code_at_the_next_login(personas):
    client = Client()
    post_login(client, personas.officer_a.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.officer_a)
    client.post(ENROL, {"code": current_code(device)})
    client.post(reverse("accounts:logout"))

    again = Client()
    post_login(again, personas.officer_a.username)
    assert again.get(reverse("home"))["Location"].startswith(VERIFY)

    # Optional for an officer: they may switch it off again, after which the password alone suffices.
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):  # a code is accepted only once
        again.post(VERIFY, {"code": current_code(device)})
    assert "Tắt xác thực hai bước" in again.get(ENROL).content.decode()
    again.post(reverse("accounts:second_factor_disable"))
    assert not TOTPDevice.objects.filter(user=personas.officer_a).exists()
    third = Client()
    post_login(third, personas.officer_a.username)
    assert third.get(reverse("home")).status_code == 200


def test_an_administrator_cannot_switch_the_second_factor_off(personas, client_for):
    admin = client_for(personas.admin)
    assert "Tắt xác thực hai bước" not in admin.get(ENROL).content.decode()
    assert admin.post(reverse("accounts:second_factor_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=personas.admin, confirmed=True).exists()


@override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=False)
def test_without_the_requirement_an_administrator_goes_straight_in(personas):
    client = Client()
    post_login(client, personas.admin.username)
    assert client.get(reverse("home")).status_code == 200


def test_reset_second_factor_command_for_a_lost_phone(personas):
    device_for(personas.admin)
    out = StringIO()
    call_command("reset_second_factor", personas.admin.username, stdout=out)
    assert "Đã xóa 1 thiết bị" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=personas.admin).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SECOND_FACTOR_RESET)
    assert event.subject == personas.admin and event.actor is None
    client = Client()
    post_login(client, personas.admin.username)
    assert client.get(reverse("home"))["Location"].startswith(ENROL)


def test_reset_second_factor_command_names_an_unknown_account(db):
    try:
        call_command("reset_second_factor", "khong-co")
    except CommandError as error:
        assert "Không có tài khoản “khong-co”" in str(error)
    else:
        raise AssertionError("an unknown account must be refused")


def test_client_for_gives_administrators_a_session_past_the_second_factor(personas, client_for):
    assert client_for(personas.admin).get(reverse("admin:index")).status_code == 200
