"""The menu is rendered once per user and language (drugfree/menu.py), and still shows each user's own links,
at once after a change of their role, rights or unit; the base template's fixed parts once per language, around
the request's own CSRF token and address."""

import re

from django.urls import reverse

from accounts.models import Role


def _link(name: str, *args) -> str:
    return f'href="{reverse(name, args=args)}"'


def _menu(client) -> str:
    html = client.get(reverse("home")).text
    return html[html.index('<ul class="navbar-nav me-auto') : html.index('<ul class="navbar-nav">')]


def test_each_officer_sees_their_own_communes_links(places, personas, client_for):
    first_a = _menu(client_for(personas.officer_a))
    first_b = _menu(client_for(personas.officer_b))  # the same client, signed in as the other officer
    assert _link("commune", places.commune_a.code) in first_a
    assert _link("commune", places.commune_b.code) in first_b
    assert _link("commune", places.commune_a.code) not in first_b
    assert _menu(client_for(personas.officer_a)) == first_a


def test_a_change_of_role_right_or_unit_shows_on_the_next_page(places, personas, client_for):
    officer = personas.officer_a
    client = client_for(officer)
    assert _link("imports:index") in _menu(client)
    officer.role, officer.is_staff = Role.COMMUNE_VIEWER, False  # viewers have no admin
    officer.save()
    menu = _menu(client)
    assert _link("imports:index") not in menu and _link("imports:exports") in menu
    officer.role, officer.commune = Role.COMMUNE_OFFICER, places.commune_b
    officer.save()
    menu = _menu(client)
    assert _link("imports:index") in menu and _link("commune", places.commune_b.code) in menu
    places.commune_b.name = "Xã Ngọc Lặc Mới"
    places.commune_b.save()
    assert "Xã Ngọc Lặc Mới" in _menu(client)


def _account_menu(client, path) -> str:
    html = client.get(path).text
    return html[html.index('<ul class="navbar-nav">') : html.index("</nav>")]


def test_the_account_menu_shows_the_users_unit_this_pages_address_and_the_language(places, personas, client_for):
    client = client_for(personas.officer_a)
    home = _account_menu(client, reverse("home"))
    assert "Xã Quan Sơn" in home and "Đăng xuất" in home
    assert f'name="next" value="{reverse("home")}"' in home
    search = _account_menu(client, reverse("residents:search") + "?q=ha")
    assert f'name="next" value="{reverse("residents:search")}?q=ha"' in search
    # The CSRF token is the request's own, outside the parts kept: each form carries one.
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="[^"]+"', search)) == 2

    client.cookies["django_language"] = "en"
    english = _account_menu(client, reverse("home"))
    assert "Log out" in english and "Đăng xuất" not in english
    assert _account_menu(client_for(personas.officer_b), reverse("home")).count("Xã Ngọc Lặc") == 1
