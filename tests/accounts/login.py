"""Logging in through the real forms, as a person at the keyboard would (the lockout needs the request)."""

from django.urls import reverse

from tests.factories import PASSWORD


def post_login(client, username: str, password: str = PASSWORD, *, admin: bool = False, **extra):
    url = reverse("admin:login") if admin else reverse("accounts:login")
    return client.post(url, {"username": username, "password": password}, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session
