"""Login lockout (django-axes): per account, per address, on the site and the admin login, and the unlock."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import client_address
from accounts.models import Role, SecurityEvent
from tests import factories as f
from tests.accounts.login import is_logged_in, post_login

LOCKED_TEXT = "tạm thời bị khóa đăng nhập"


def _fail(client, username, times, **extra):
    for _ in range(times):
        post_login(client, username, "sai-mat-khau", **extra)


def test_four_wrong_passwords_then_the_right_one_logs_in(personas):
    client = Client()
    _fail(client, personas.officer_a.username, 4)
    response = post_login(client, personas.officer_a.username)
    assert response.status_code == 302 and is_logged_in(client)


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_vietnamese_page(personas):
    client = Client()
    _fail(client, personas.officer_a.username, 5)
    response = post_login(client, personas.officer_a.username)
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED_TEXT in content and "15 phút" in content
    assert 'href="/static/bootstrap/css/bootstrap.min.css"' in content  # the site's layout
    assert not is_logged_in(client)


def test_an_account_locked_from_one_address_is_locked_from_every_address(personas):
    _fail(Client(), personas.officer_a.username, 5)
    elsewhere = Client(REMOTE_ADDR="10.20.30.40")
    assert post_login(elsewhere, personas.officer_a.username).status_code == 429
    # Another account from the first address is not affected by one account's lockout.
    assert post_login(Client(), personas.officer_b.username).status_code == 302


def test_twenty_failures_from_one_address_lock_it_for_every_account(places, personas):
    client = Client()
    # Four failures each for five names: no account reaches its own limit, the address reaches its limit.
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _fail(client, name, 4)
    response = post_login(client, personas.officer_b.username)
    assert response.status_code == 429 and not is_logged_in(client)
    # The same account from another address logs in: the address was locked, not the account.
    other = Client(REMOTE_ADDR="10.20.30.41")
    assert post_login(other, personas.officer_b.username).status_code == 302


def test_nineteen_failures_from_one_address_do_not_lock_it(personas):
    client = Client()
    for name in ("a1", "a2", "a3", "a4"):
        _fail(client, name, 4)
    _fail(client, "a5", 3)
    assert post_login(client, personas.officer_b.username).status_code == 302


def test_admin_login_page_opens_and_refuses_a_wrong_password_in_place(personas):
    client = Client()
    assert client.get(reverse("admin:login")).status_code == 200
    assert post_login(client, personas.officer_a.username, "sai-mat-khau", admin=True).status_code == 200


def test_admin_login_is_locked_too_with_the_same_page(personas):
    client = Client()
    _fail(client, personas.admin.username, 5, admin=True)
    response = post_login(client, personas.admin.username, admin=True)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not is_logged_in(client)
    # The lockout is shared: the site's own login is closed to that account as well.
    assert post_login(Client(), personas.admin.username).status_code == 429


def test_lockout_ends_after_the_cool_off(personas):
    client = Client()
    _fail(client, personas.officer_a.username, 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert post_login(client, personas.officer_a.username).status_code == 302


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3)
def test_the_account_limit_is_a_setting(personas):
    client = Client()
    _fail(client, personas.officer_a.username, 3)
    assert post_login(client, personas.officer_a.username).status_code == 429


def test_administrator_unlocks_an_account_and_it_is_recorded(personas, client_for):
    _fail(Client(), personas.officer_a.username, 5)
    admin = client_for(personas.admin)
    page = admin.get(reverse("accounts:manage")).content.decode()
    assert "đang bị khóa" in page
    response = admin.post(reverse("accounts:account_unlock", args=[personas.officer_a.pk]), follow=True)
    assert "Đã mở khóa đăng nhập cho tài khoản cand_quanson" in response.content.decode()
    assert post_login(Client(), personas.officer_a.username).status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_UNLOCKED)
    assert (event.actor, event.subject) == (personas.admin, personas.officer_a)


def test_administrator_unlocks_an_address(personas, client_for):
    locked = Client(REMOTE_ADDR="10.9.8.7")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _fail(locked, name, 4)
    admin = client_for(personas.admin)
    assert "10.9.8.7" in admin.get(reverse("accounts:manage")).content.decode()
    admin.post(reverse("accounts:address_unlock"), {"ip_address": "10.9.8.7"})
    assert post_login(locked, personas.officer_a.username).status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ADDRESS_UNLOCKED, ip_address="10.9.8.7").exists()


def test_unlocking_a_bad_address_is_explained(personas, client_for):
    admin = client_for(personas.admin)
    response = admin.post(reverse("accounts:address_unlock"), {"ip_address": "không phải IP"}, follow=True)
    assert "Địa chỉ IP không hợp lệ." in response.content.decode()
    assert not SecurityEvent.objects.exists()


def test_officer_cannot_unlock(personas, client_for):
    _fail(Client(), personas.officer_b.username, 5)
    officer = client_for(personas.officer_a)
    assert officer.post(reverse("accounts:account_unlock", args=[personas.officer_b.pk])).status_code == 403
    assert post_login(Client(), personas.officer_b.username).status_code == 429


def test_account_page_query_count_does_not_grow_with_accounts(places, personas, client_for, django_assert_num_queries):
    for i in range(40):
        f.user(f"canbo{i:02d}", Role.COMMUNE_OFFICER, commune=places.commune_a)
    _fail(Client(), "canbo07", 5)
    admin = client_for(personas.admin)
    # session, user, accounts with failures and device (one query), locked addresses, recent events
    with django_assert_num_queries(5):
        response = admin.get(reverse("accounts:manage"))
    content = response.content.decode()
    # Locked accounts come first.
    assert content.index("canbo07") < content.index("canbo00")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "127.0.0.1"),  # no proxy: a client-written header is ignored
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # one proxy: the entry it appended, not the forged one
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "", "127.0.0.1"),
    ],
)
def test_client_address_trusts_only_our_proxies(rf, settings, proxies, forwarded, expected):
    settings.LOGIN_TRUSTED_PROXIES = proxies
    request = rf.post("/accounts/login/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == expected
