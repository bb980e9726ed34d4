"""A search that matches more than the view counts says "more than" and pages over the first matches only: at
province scale, counting a common surname's million matches would cost more than the whole page."""

from django.urls import reverse

from residents.views import search
from tests import factories as f

URL = reverse("residents:search")


def test_more_matches_than_counted_say_more_than_and_page_over_the_first(
    places, personas, client_for, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(search, "COUNT_AT_MOST", 30)
    monkeypatch.setattr(search, "PEOPLE_PER_PAGE", 25)
    for n in range(40):
        f.person(places.hamlet_a, full_name=f"Lò Văn Tám {n:02}")
    client = client_for(personas.officer_a)
    # session, user (with their commune), hamlets of the filter select, people count + page, households count (none, so
    # no page), access log insert: as many as without a limit
    with django_assert_num_queries(7):
        response = client.get(URL, {"q": "lo tam"})
    assert "Hơn 30 người: gõ thêm để thu hẹp" in response.text
    assert "1–25 trên hơn 30" in response.text
    last = client.get(URL, {"q": "lo tam", "page": 9}).text  # out of range: the last page, of the first 30
    assert "Lò Văn Tám 29" in last and "Lò Văn Tám 24" not in last and "Lò Văn Tám 30" not in last
    assert "26–30 trên hơn 30" in last


def test_as_many_matches_as_counted_are_an_exact_count(places, personas, client_for, monkeypatch):
    monkeypatch.setattr(search, "COUNT_AT_MOST", 30)
    for n in range(30):
        f.person(places.hamlet_a, full_name=f"Lò Văn Tám {n:02}")
    response = client_for(personas.officer_a).get(URL, {"q": "lo tam"})
    assert "30 người" in response.text and "Hơn" not in response.text
    assert "trên 30" in response.text
