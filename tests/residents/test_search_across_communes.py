"""A reviewer's search over the whole area reads, on PostgreSQL, the first matches from the word tables (residents'
migration 0018, residents.search_words); an officer's, within one commune, asks as before. Both must find exactly the
same people and households, in the same order, with the same counts and pages: the same rules, through either path,
on SQLite and on PostgreSQL."""

from django.db import connection
from django.test import Client
from django.urls import reverse

from residents.views import search
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


def _expected(query, people):
    """The search's rule over the records, in the page's order: every typed word starts a word of the name key."""
    from drugfree.text import search_key

    tokens = search_key(query).split()
    found = [p for p in people if all(f" {t}" in f" {p.name_key}" for t in tokens)]
    return [p.full_name for p in sorted(found, key=lambda p: (p.name_key, p.pk))]


def test_a_walk_over_many_names_that_cannot_match_finds_every_match_in_order(places, personas):
    # The word tables' walk reads "le"'s names in order and must jump the "Lê Anh …" that precede "Lê Thị …"; a
    # name holding a typed word twice is found once; "th" starts two words of "Lê Thị Thu".
    people = [f.person(places.hamlet_a, full_name=f"Lê Anh Tuấn {n:03}") for n in range(150)]
    people += [f.person(places.hamlet_a, full_name=name) for name in ["An Thị Lệ", "Lê Thị Lê", "Lê Thị Thu"]]
    people += [f.person(places.hamlet_b, full_name=f"Lê Văn Thịnh {n:02}") for n in range(30)]
    people += [f.person(places.hamlet_a, full_name=f"Trần Thị Lệ {n:02}") for n in range(3)]
    reviewer = _client(personas.reviewer_personal)
    for query in ["le thi", "thi le", "le th", "th", "le tuan 14", "tuan le 149", "le van thinh 2", "le"]:
        expected = _expected(query, people)
        assert expected, query
        for page in range(1, (len(expected) + 24) // 25 + 1):
            assert _found(reviewer, query, page=page)[0] == expected[(page - 1) * 25 : page * 25], (query, page)


def test_counted_up_to_pages_over_the_same_first_matches_across_the_area(places, personas, monkeypatch):
    monkeypatch.setattr(search, "COUNT_AT_MOST", 30)
    for n in range(40):
        f.person(places.hamlet_a, full_name=f"Lò Văn Tám {n:02}")
        f.household(places.hamlet_a, code=f"SOI-{n:03}", head_name=f"Lò Văn Tám {n:02}")
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    for page in ("1", "2", "9"):
        province = reviewer.get(URL, {"q": "lo tam", "page": page, "hpage": page})
        commune = officer.get(URL, {"q": "lo tam", "page": page, "hpage": page})
        assert [p.pk for p in province.context["people_page"]] == [p.pk for p in commune.context["people_page"]]
        assert [h.pk for h in province.context["households_page"]] == [h.pk for h in commune.context["households_page"]]
        assert "Hơn 30 người: gõ thêm để thu hẹp" in province.text
    assert [p.full_name for p in reviewer.get(URL, {"q": "lo tam", "page": 2}).context["people_page"]] == [
        f"Lò Văn Tám {n:02}" for n in range(25, 30)
    ]


def test_typed_characters_that_like_treats_as_wildcards_are_plain_characters(places, personas):
    f.person(places.hamlet_a, full_name="A_B Cường")
    f.person(places.hamlet_a, full_name="AXB Cường")
    f.person(places.hamlet_a, full_name="A%B Cường")
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    everyone = ["A%B Cường", "A_B Cường", "AXB Cường"]
    for query, names in [("a_b", ["A_B Cường"]), ("a%", ["A%B Cường"]), ("cuong a", everyone)]:
        assert _found(reviewer, query)[0] == _found(officer, query)[0] == names, query


def test_a_search_across_the_area_uses_a_constant_number_of_queries(places, personas, django_assert_num_queries):
    household = f.household(places.hamlet_a, head_name="Lò Văn Minh")
    for n in range(30):
        f.person(places.hamlet_a if n % 2 else places.hamlet_b, full_name=f"Lò Văn Tám {n}", household_=household)
        f.household(places.hamlet_b, head_name=f"Lò Văn Tám {n}")
    reviewer = _client(personas.reviewer_personal)
    # session, user, people count + page, households count + page, access log insert (one for every commune shown);
    # on PostgreSQL the first matches of people and of households, in one query, instead of the counts
    # (residents.search_words)
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 7):
        response = reviewer.get(URL, {"q": "lo tam"}, HTTP_HX_REQUEST="true")
    assert len(response.context["people_page"]) == 25


def test_each_row_links_to_its_file_and_household_through_either_path(places, personas):
    household = f.household(places.hamlet_a, code="SOI-7", head_name="Lò Văn Tám")
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", household_=household)
    for client in (_client(personas.reviewer_personal), _client(personas.officer_a)):
        text = client.get(URL, {"q": "lo tam"}, HTTP_HX_REQUEST="true").text
        assert f'<a href="{reverse("residents:person", args=[person.pk])}">Lò Văn Tám</a>' in text
        assert text.count(f'<a href="{reverse("residents:household", args=[household.pk])}">SOI-7</a>') == 2


def _counted(*tables):
    """The tables' statistics, as autovacuum keeps them in production: with them, PostgreSQL's search reads the few
    matches it expects from the GIN index of the records' words (residents' migration 0019) instead of walking."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")


def test_few_expected_matches_read_from_the_index_are_the_walks_matches(places, personas, monkeypatch):
    people = [f.person(places.hamlet_a, full_name=f"Lê Anh Tuấn {n:03}") for n in range(60)]
    people += [f.person(places.hamlet_a, full_name=name) for name in ["An Thị Lệ", "Lê Thị Lê", "Lê Thị Thu"]]
    people += [f.person(places.hamlet_b, full_name=f"Lê Văn Thịnh {n:02}") for n in range(30)]
    people += [f.person(places.hamlet_a, full_name=f"Trần Thị Lệ {n:02}") for n in range(3)]
    people += [f.person(places.hamlet_a, full_name="A_B Cường"), f.person(places.hamlet_a, full_name="AXB Cường")]
    for n, name in enumerate(["Lê Thị Thu", "Lê Văn Thịnh 07", "Trần Thị Lệ 01", "Lê Anh Tuấn 014"]):
        f.household(places.hamlet_a if n % 2 else places.hamlet_b, code=f"SOI-{n:03}", head_name=name)
    f.household(places.hamlet_a, code="le-9", head_name="Phạm Văn Hùng")
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    queries = ["le thi", "thi le", "le th", "th", "le tuan 14", "le van thinh 2", "le", "a_b", "cuong a", "tran le"]
    walked = {query: _found(reviewer, query) for query in [*queries, "le-9"]}
    _counted("residents_person", "residents_household", "residents_person_word", "residents_household_word")
    for query in queries:
        assert _found(reviewer, query) == walked[query], query
        assert walked[query][0] == _expected(query, people)[:25], query
        commune = _found(reviewer, query, commune=places.commune_a.code)
        assert commune == _found(officer, query), query
    assert _found(reviewer, "le-9") == walked["le-9"] == ([], ["le-9"])
    assert walked["le thi"][1] == ["SOI-000", "SOI-001", "SOI-002"]
    # More matches than counted: the same first ones, counted alike, whichever way they were found.
    monkeypatch.setattr(search, "COUNT_AT_MOST", 10)
    response = reviewer.get(URL, {"q": "le"})
    assert [p.full_name for p in response.context["people_page"]] == _expected("le", people)[:10]
    assert "Hơn 10 người: gõ thêm để thu hẹp" in response.text


def _by_combinations(query) -> bool:
    """Whether PostgreSQL answers `query` (people) with a walk per combination of whole words (residents' migration
    0020) rather than with the walks or the GIN index."""
    from drugfree.text import search_key

    tokens = search_key(query).split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT residents_person_combinations(array_agg(w.word ORDER BY t.n, w.word), array_agg(t.n::integer"
            " ORDER BY t.n, w.word), ARRAY(SELECT '%% ' || x || '%%' FROM unnest(%s::text[]) x), NULL, 25, 4)"
            " FROM unnest(%s::text[]) WITH ORDINALITY t(token, n)"
            " JOIN (SELECT DISTINCT word FROM residents_person_word) w ON w.word LIKE t.token || '%%'",
            [tokens, tokens],
        )
        return cursor.fetchone()[0] is not None


NAMES_OF_FOUR_COMBINATIONS = [
    "Trần Thị Hoa", "Hoàng Thị Trang", "Bùi Thị Hoa Trang", "Trần Thị Hoàng Anh", "Trần Thị Lan", "Hoàng Văn Trần",
    "Lê Thị Hoa", "Hoàng Thị Lan", "Trang Thị Hoa", "Bùi Trang Hoà Thị",
]  # fmt: skip


def test_a_walk_per_combination_of_whole_words_finds_every_match_in_order(places, personas, monkeypatch):
    # "tran thi hoa": "tran" starts "tran" and "trang", "hoa" starts "hoa" and "hoang": four combinations of whole
    # words, whose matches interleave in the name order ("Bùi Thị Hoa Trang" before "Hoàng Thị Trang" before "Trần
    # Thị Hoa"), among names that hold some of the words but not all; some in another commune.
    people = []
    for n in range(12):
        hamlet = places.hamlet_b if n % 3 == 0 else places.hamlet_a
        for name in NAMES_OF_FOUR_COMBINATIONS:
            people.append(f.person(hamlet, full_name=f"{name} {n:02}"))
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    queries = ["tran thi hoa", "thi hoa tran", "hoang thi tran", "trang hoa thi 0", "tran thi hoa 11", "bui hoa tr"]
    for analysed in (False, True):
        if analysed:
            _counted("residents_person", "residents_household", "residents_person_word", "residents_household_word")
        for query in queries:
            expected = _expected(query, people)
            assert expected, query
            for page in range(1, (len(expected) + 24) // 25 + 1):
                assert _found(reviewer, query, page=page)[0] == expected[(page - 1) * 25 : page * 25], (query, page)
            commune = _found(reviewer, query, commune=places.commune_a.code)
            assert commune == _found(officer, query), query
            assert commune[0] == [name for name in expected if places.commune_a.pk in _communes(people, name)][:25]
        if connection.vendor == "postgresql":
            assert all(_by_combinations(query) for query in queries[:3])
    # More matches than counted: the walks stop at the first ones, counted alike.
    monkeypatch.setattr(search, "COUNT_AT_MOST", 10)
    response = reviewer.get(URL, {"q": "tran thi hoa"})
    assert [p.full_name for p in response.context["people_page"]] == _expected("tran thi hoa", people)[:10]
    assert "Hơn 10 người: gõ thêm để thu hẹp" in response.text


def _communes(people, name):
    return {p.commune_id for p in people if p.full_name == name}


def test_combinations_whose_words_alternate_give_up_to_the_other_paths(places, personas):
    # "Hùng" and "Tuấn" are both given names: their lists alternate through the name order without meeting, so the
    # walk of the combination "le hung tuan" leapfrogs a name at a time, gives up past its budget, and the GIN index
    # (analysed) or the walks find the same matches.
    people = []
    for n in range(70):
        for given in ("Hùng", "Tuấn"):
            people.append(f.person(places.hamlet_a, full_name=f"Lê A{n:03} {given}"))
    people += [f.person(places.hamlet_a, full_name=f"Lê Tuấn Hùng {n}") for n in range(3)]
    people.append(f.person(places.hamlet_b, full_name="Lê Zơ Hùng Tuấn"))
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    for analysed in (False, True):
        if analysed:
            _counted("residents_person", "residents_household", "residents_person_word", "residents_household_word")
        for query in ["le hung tuan", "tuan le hung"]:
            assert (
                _found(reviewer, query)[0]
                == _expected(query, people)
                == [
                    "Lê Tuấn Hùng 0",
                    "Lê Tuấn Hùng 1",
                    "Lê Tuấn Hùng 2",
                    "Lê Zơ Hùng Tuấn",
                ]
            ), query
            assert _found(reviewer, query, commune=places.commune_a.code) == _found(officer, query), query
        if connection.vendor == "postgresql":
            assert not _by_combinations("le hung tuan")


def _shown(client, query, page, hpage):
    """Everything a search page shows of its results: each list's page (number, rows, count, more) and what the
    access log recorded of it."""
    from accounts.models import AccessLog

    logged = AccessLog.objects.count()
    context = client.get(URL, {"q": query, "page": page, "hpage": hpage}).context
    people, households = context["people_page"], context["households_page"]
    return (
        [(p.number, [row.pk for row in p], p.paginator.count, p.paginator.more) for p in (people, households)],
        sorted(AccessLog.objects.order_by("pk")[logged:].values_list("object_ids", flat=True), key=str),
    )


def test_every_page_is_the_plain_filters_whichever_way_the_count_was_found(places, personas, monkeypatch):
    # More matches than counted: the count from "some matches in no order" (the names that start with the typed words,
    # residents' migration 0021) and only the rows up to the page in order; or, when those names are too few, the
    # first ones in order as before. Every page (out of range and not a number too) must be what the plain filter
    # gives (SQLite's path, an officer's), before and after ANALYZE.
    monkeypatch.setattr(search, "COUNT_AT_MOST", 30)
    names = [f"Lò Văn Tám {n:02}" for n in range(40)] + [f"An Lò Văn Tâm {n}" for n in range(8)]
    names += [f"Vi Văn Tám Lò {n}" for n in range(8)] + [f"Lò Văn Tuấn {n}" for n in range(20)] + ["Lò Thị Tám"]
    for n, name in enumerate(names):
        hamlet = places.hamlet_b if n % 4 == 0 else places.hamlet_a
        f.person(hamlet, full_name=name)
        f.household(hamlet, code=f"SOI-{n:03}", head_name=name)
    reviewer, officer = _client(personas.reviewer_personal), _client(personas.officer_a)
    # many, from the typed run; many, the typed run empty; fewer than counted; a few
    queries = ["lo van tam", "tam van", "lo tam 0", "an lo", "vi tam lo 3", "lo thi"]
    pages = ["1", "2", "4", "99", "-1", "x"]
    for analysed in (False, True):
        if analysed:
            _counted("residents_person", "residents_household", "residents_person_word", "residents_household_word")
        found = {(query, page): _shown(reviewer, query, page, page) for query in queries for page in pages}
        with monkeypatch.context() as plain:
            plain.setattr(search.search_words, "first_matches", lambda *args, **kwargs: (None, None))
            for (query, page), shown in found.items():
                assert shown == _shown(reviewer, query, page, page), (query, page, analysed)
        for query in queries:
            assert _found(reviewer, query, commune=places.commune_a.code) == _found(officer, query), query
    assert found["lo van tam", "2"][0][0] == (2, found["lo van tam", "2"][0][0][1], 30, True)
    assert found["an lo", "1"][0][0][2:] == (8, False)
    if connection.vendor == "postgresql":  # the count came from the typed run where it could
        from communes.models import Commune
        from residents import search_words

        across = Commune.objects.all()
        people, households = search_words.first_matches("lo van tam", across, 31, people_rows=25, households_rows=20)
        assert (people.counted, len(people.ids), households.counted, len(households.ids)) == (31, 25, 31, 20)
        people, households = search_words.first_matches("tam van", across, 31, people_rows=25, households_rows=20)
        assert (people.counted, len(people.ids), households.counted, len(households.ids)) == (31, 31, 31, 31)
