"""A reviewer's search over the whole area asks PostgreSQL in the shape of the search's own indexes (residents'
migration 0017); an officer's, within one commune, asks as before. Both must find exactly the same people and
households, in the same order: the same rules, through either path, on SQLite and on PostgreSQL."""

from django.test import Client
from django.urls import reverse

from tests import factories as f

URL = reverse("residents:search")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _found(client, query, **filters):
    context = client.get(URL, {"q": query, **filters}).context
    return [p.full_name for p in context["people_page"]], [h.code for h in context["households_page"]]


def test_the_whole_area_and_one_commune_find_the_same_in_the_same_order(places, personas):
    for name in ["Nguyễn Văn An", "Nguyễn An Khang", "Lò Văn Hoan", "An Thị Mai", "Đặng Thị Ánh", "Nguyễn Văn Anh"]:
        f.person(places.hamlet_a, full_name=name)
    f.person(places.hamlet_a, full_name="Hà Văn Tám", cccd="038090012345", birth_year=1990, sex="male")
    f.household(places.hamlet_a, code="SOI-0421", head_name="Phạm Văn Hùng", head_cccd="038185054321")
    f.household(places.hamlet_a, code="soi-0999", head_name="An Văn Bình")
    f.person(places.hamlet_b, full_name="Nguyễn Văn An Ngọc Lặc")
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    for query in ["an", "nguyen an", "van an", "dang anh", "hoan", "2345", "038090012345", "4321", "0421", "SOI-0999"]:
        province = _found(reviewer, query)
        commune = _found(reviewer, query, commune=places.commune_a.code)
        assert commune == _found(officer, query), query
        assert [name for name in province[0] if "Ngọc Lặc" not in name] == commune[0], query
        assert province[1] == commune[1], query
    assert _found(reviewer, "an")[0] == [
        "An Thị Mai",
        "Đặng Thị Ánh",
        "Nguyễn An Khang",
        "Nguyễn Văn An",
        "Nguyễn Văn An Ngọc Lặc",
        "Nguyễn Văn Anh",
    ]
    assert _found(reviewer, "an")[1] == ["soi-0999"]
    assert _found(reviewer, "4321") == ([], ["SOI-0421"])
    assert _found(reviewer, "soi-0999") == ([], ["soi-0999"])
