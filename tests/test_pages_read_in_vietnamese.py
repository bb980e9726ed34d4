"""Every page of the URL × persona walk (tests/test_url_access.py), as each persona who may open it, reads in
Vietnamese: no English string from tests/vietnamese.py, and a tab title that says where you are, then the site."""

import pytest

from tests.access import PERSONAS
from tests.test_url_access import ROUTES, _request
from tests.test_url_access import world as world
from tests.vietnamese import SITE_NAME, english_in, read_page

# Public pages (login, password reset) as a stranger sees them, the others as each persona allowed to open them.
SHOWN = [
    pytest.param(route, persona, id=f"{route.name}-{persona}")
    for route in ROUTES
    if route.method == "get"
    for persona in (("anonymous",) if route.public else PERSONAS)
    if route.public or route.expect.get(persona) == 200
]


@pytest.mark.parametrize(("route", "persona"), SHOWN)
def test_page_reads_in_vietnamese_with_a_title_that_says_where_you_are(route, persona, world, client):
    if persona != "anonymous":
        client.force_login(getattr(world.personas, persona))
    response = _request(client, route, route.build(world))
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return  # files (Excel, CSV) and redirects of public pages for a signed-in user
    html = response.content.decode()
    title, text = read_page(html)
    assert english_in(text) == []
    if "<html" in html:  # a whole page, not an htmx fragment
        place = title.removesuffix(f" · {SITE_NAME}")
        assert place != title and place.strip() and place != SITE_NAME, title
