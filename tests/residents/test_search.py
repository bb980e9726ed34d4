from django.urls import reverse

from tests import factories as f

URL = reverse("residents:search")


def test_name_search_ignores_diacritics_and_word_order_gaps(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Nguyễn Văn An")
    f.person(places.hamlet_a, full_name="Hà Thị Bình")
    response = client_for(personas.officer_a).get(URL, {"q": "nguyen an"})
    assert "Nguyễn Văn An" in response.text
    assert "Hà Thị Bình" not in response.text


def test_cccd_finds_by_full_number_or_last_digits(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Lò Văn Tám", cccd="038090012345", birth_year=1990, sex="male")
    client = client_for(personas.officer_a)
    assert "Lò Văn Tám" in client.get(URL, {"q": "038090012345"}).text
    assert "Lò Văn Tám" in client.get(URL, {"q": "2345"}).text
    assert "Lò Văn Tám" not in client.get(URL, {"q": "9999"}).text


def test_households_are_found_by_code_and_head_of_household(places, personas, client_for):
    f.household(places.hamlet_a, code="SOI-042", head_name="Phạm Văn Hùng")
    client = client_for(personas.officer_a)
    assert "SOI-042" in client.get(URL, {"q": "pham hung"}).text
    assert "Phạm Văn Hùng" in client.get(URL, {"q": "soi-042"}).text


def test_hamlet_filter_narrows_results_and_stays_in_page_links(places, personas, client_for):
    for n in range(30):
        f.person(places.hamlet_a, full_name=f"Lò Văn Tám {n}")
    f.person(places.hamlet_a2, full_name="Lò Văn Tám Na Nghịu")
    response = client_for(personas.officer_a).get(URL, {"q": "lo tam", "hamlet": places.hamlet_a.pk})
    assert "Lò Văn Tám Na Nghịu" not in response.text
    assert f"hamlet={places.hamlet_a.pk}" in response.text  # next-page link keeps the filter
    assert "page=2" in response.text


def test_another_communes_people_are_never_found(places, personas, client_for):
    f.person(places.hamlet_b, full_name="Lò Văn Tám")
    assert "Lò Văn Tám" not in client_for(personas.officer_a).get(URL, {"q": "lo van tam"}).text


def test_htmx_request_gets_only_the_results(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Lò Văn Tám")
    response = client_for(personas.officer_a).get(URL, {"q": "tam"}, HTTP_HX_REQUEST="true")
    assert "Lò Văn Tám" in response.text
    assert "<html" not in response.text


def test_reviewer_without_personal_data_is_refused(personas, client_for):
    assert client_for(personas.reviewer).get(URL, {"q": "tam"}).status_code == 403


def test_search_uses_a_constant_number_of_queries(places, personas, client_for, django_assert_num_queries):
    household = f.household(places.hamlet_a, head_name="Lò Văn Minh")
    for n in range(60):
        f.person(places.hamlet_a, full_name=f"Lò Văn Tám {n}", household_=household)
        f.household(places.hamlet_a, head_name=f"Lò Văn Tám {n}")
    client = client_for(personas.officer_a)
    # session, user, hamlets of the filter select, people count + page,
    # households count + page, access log insert (both pages' records in one statement)
    with django_assert_num_queries(8):
        response = client.get(URL, {"q": "lo tam"})
    assert response.status_code == 200


def test_a_typed_word_matches_the_start_of_a_word_not_its_middle(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Lò Văn Hoan")
    f.person(places.hamlet_a, full_name="Hà Văn An")
    text = client_for(personas.officer_a).get(URL, {"q": "an"}).text
    assert "Hà Văn An" in text
    assert "Lò Văn Hoan" not in text


def test_reviewer_allowed_personal_data_narrows_the_area_to_a_commune(places, personas, client_for):
    f.person(places.hamlet_a, full_name="Lò Văn Tám")
    f.person(places.hamlet_b, full_name="Lò Văn Tâm")
    client = client_for(personas.reviewer_personal)
    assert {"Lò Văn Tám", "Lò Văn Tâm"} <= {
        p.full_name for p in client.get(URL, {"q": "lo van"}).context["people_page"]
    }
    response = client.get(URL, {"q": "lo van", "commune": places.commune_b.code})
    assert [p.full_name for p in response.context["people_page"]] == ["Lò Văn Tâm"]
