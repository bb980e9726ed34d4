"""Drug plants destroyed and trafficking routes (QĐ 28/2025): the records, their pages and their invariants."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from communes.models import DrugPlantEradication, TraffickingRoute
from tests import factories as f

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


def _violates(constraint_name: str, create) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    assert constraint_name in str(error.value)


def _plants(commune) -> str:
    return reverse("communes:plant_eradication_list", args=[commune.code])


def _routes(commune) -> str:
    return reverse("communes:trafficking_route_list", args=[commune.code])


ERADICATION = {
    "destroyed_on": "14/02/2025",
    "plant_kind": "poppy",
    "plants": "3200",
    "area_m2": "820.5",
    "location": "Sườn đồi Pù Huổi, giáp biên giới",
}
ROUTE = {"name": "Đường mòn Na Mèo – Sơn Thủy", "identified_on": "01/06/2024", "description": "Theo khe suối"}


# --- invariants in the database ----------------------------------------------------------------------------------


def test_an_eradication_needs_plants_or_area_in_the_database(places):
    _violates(
        "communes_plant_eradication_plants_or_area",
        lambda: f.plant_eradication(places.commune_a, destroyed_on=date(2025, 1, 2), plants=0, area_m2=0),
    )


def test_an_eradication_cannot_have_a_negative_area(places):
    _violates(
        "communes_plant_eradication_area_not_negative",
        lambda: f.plant_eradication(places.commune_a, destroyed_on=date(2025, 1, 2), plants=5, area_m2=-1),
    )


def test_an_eradication_cannot_be_in_the_future(places):
    _violates(
        "communes_plant_eradication_destroyed_not_future",
        lambda: f.plant_eradication(places.commune_a, destroyed_on=TOMORROW, plants=5),
    )


def test_a_route_cannot_end_before_it_was_identified(places):
    _violates(
        "communes_trafficking_route_ended_after_identified",
        lambda: f.trafficking_route(places.commune_a, identified_on=date(2025, 3, 1), ended_on=date(2025, 2, 1)),
    )


def test_a_route_cannot_be_identified_or_end_in_the_future(places):
    _violates(
        "communes_trafficking_route_identified_not_future",
        lambda: f.trafficking_route(places.commune_a, identified_on=TOMORROW),
    )
    _violates(
        "communes_trafficking_route_ended_not_future",
        lambda: f.trafficking_route(places.commune_a, identified_on=date(2025, 1, 1), ended_on=TOMORROW),
    )


def test_an_eradication_in_a_hamlet_of_another_commune_is_refused_by_validation(places):
    eradication = DrugPlantEradication(
        commune=places.commune_a, hamlet=places.hamlet_b, destroyed_on=date(2025, 1, 2), plant_kind="cannabis",
        plants=40, location="Nương",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        eradication.full_clean()
    assert error.value.message_dict["hamlet"] == ["Thôn không thuộc xã này."]


# --- pages -------------------------------------------------------------------------------------------------------


def test_officer_records_an_eradication_with_the_history_user(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("communes:plant_eradication_create", args=[places.commune_a.code]),
        {**ERADICATION, "hamlet": places.hamlet_a2.pk},
    )

    eradication = DrugPlantEradication.objects.get()
    assert response["Location"] == _plants(places.commune_a)
    assert (eradication.commune, eradication.hamlet, eradication.destroyed_on) == (
        places.commune_a,
        places.hamlet_a2,
        date(2025, 2, 14),
    )
    assert (eradication.plants, eradication.area_m2) == (3200, Decimal("820.5"))
    assert eradication.history.get().history_user == personas.officer_a


def test_an_eradication_without_plants_or_area_is_refused_in_vietnamese(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("communes:plant_eradication_create", args=[places.commune_a.code]),
        {**ERADICATION, "plants": "0", "area_m2": "0"},
    )

    assert response.status_code == 200
    assert "Ghi số cây hoặc diện tích đã triệt phá (ít nhất một trong hai lớn hơn 0)." in response.content.decode()
    assert not DrugPlantEradication.objects.exists()


def test_an_eradication_in_the_future_or_in_another_communes_hamlet_is_refused(places, personas, client_for):
    client = client_for(personas.officer_a)
    url = reverse("communes:plant_eradication_create", args=[places.commune_a.code])

    future = client.post(url, {**ERADICATION, "destroyed_on": f"{TOMORROW:%d/%m/%Y}"})
    elsewhere = client.post(url, {**ERADICATION, "hamlet": places.hamlet_b.pk})

    assert "Ngày không được ở tương lai." in future.content.decode()
    assert "hamlet" in elsewhere.context["form"].errors
    assert not DrugPlantEradication.objects.exists()


def test_officer_edits_an_eradication(places, personas, client_for):
    eradication = f.plant_eradication(places.commune_a, destroyed_on=date(2025, 2, 14), plants=100)
    client = client_for(personas.officer_a)
    url = reverse("communes:plant_eradication_edit", args=[eradication.pk])
    seen_version = client.get(url).context["form"]["seen_version"].value()

    response = client.post(url, {**ERADICATION, "plants": "150", "area_m2": "0", "seen_version": seen_version})

    assert response["Location"] == _plants(places.commune_a)
    eradication.refresh_from_db()
    assert (eradication.plants, eradication.plant_kind, eradication.version) == (150, "poppy", 2)


def test_eradication_list_filters_by_year_and_kind_and_totals_the_selection(places, personas, client_for):
    f.plant_eradication(places.commune_a, destroyed_on=date(2025, 2, 1), plants=1200, area_m2=Decimal("300.5"))
    f.plant_eradication(places.commune_a, destroyed_on=date(2025, 3, 1), plants=800, area_m2=200)
    f.plant_eradication(places.commune_a, destroyed_on=date(2025, 3, 9), plants=90, plant_kind="poppy")
    f.plant_eradication(places.commune_a, destroyed_on=date(2024, 3, 1), plants=5000)
    f.plant_eradication(places.commune_b, destroyed_on=date(2025, 3, 1), plants=7777)
    client = client_for(personas.officer_a)

    response = client.get(_plants(places.commune_a), {"year": 2025, "plant_kind": "cannabis"})

    assert [e.plants for e in response.context["object_list"]] == [800, 1200]
    assert response.context["totals"] == {"records": 2, "plants": 2000, "area": Decimal("500.5")}
    html = response.content.decode()
    assert "2.000" in html and "500,5" in html and "7.777" not in html


def test_an_htmx_filter_request_gets_only_the_eradications_table(places, personas, client_for):
    f.plant_eradication(places.commune_a, destroyed_on=date(2025, 2, 1), plants=12)
    response = client_for(personas.officer_a).get(_plants(places.commune_a), {"year": 2025}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_officer_records_a_route_and_ends_it(places, personas, client_for):
    client = client_for(personas.officer_a)
    client.post(reverse("communes:trafficking_route_create", args=[places.commune_a.code]), ROUTE)
    route = TraffickingRoute.objects.get()
    assert (route.commune, route.identified_on, route.ended_on) == (places.commune_a, date(2024, 6, 1), None)

    response = client.post(
        reverse("communes:trafficking_route_edit", args=[route.pk]),
        {**ROUTE, "ended_on": "15/01/2025", "seen_version": route.version},
    )

    assert response["Location"] == _routes(places.commune_a)
    route.refresh_from_db()
    assert route.ended_on == date(2025, 1, 15)
    assert [h.history_user for h in route.history.all()] == [personas.officer_a, personas.officer_a]


def test_a_route_ending_before_it_was_identified_is_refused_in_vietnamese(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("communes:trafficking_route_create", args=[places.commune_a.code]), {**ROUTE, "ended_on": "01/05/2024"}
    )

    assert "Ngày chấm dứt không được trước ngày xác định." in response.content.decode()
    assert not TraffickingRoute.objects.exists()


def test_route_list_filters_active_and_ended_routes(places, personas, client_for):
    f.trafficking_route(places.commune_a, identified_on=date(2024, 1, 1), name="Còn hoạt động")
    f.trafficking_route(places.commune_a, identified_on=date(2023, 1, 1), ended_on=date(2024, 1, 1), name="Đã hết")
    f.trafficking_route(places.commune_b, identified_on=date(2024, 1, 1), name="Xã khác")
    client = client_for(personas.officer_a)

    active = client.get(_routes(places.commune_a), {"state": "active"})
    ended = client.get(_routes(places.commune_a), {"state": "ended"})
    every = client.get(_routes(places.commune_a))

    assert [r.name for r in active.context["object_list"]] == ["Còn hoạt động"]
    assert [r.name for r in ended.context["object_list"]] == ["Đã hết"]
    assert every.context["paginator"].count == 2


def test_viewer_sees_both_lists_without_buttons(places, personas, client_for):
    eradication = f.plant_eradication(places.commune_a, destroyed_on=date(2025, 2, 1), plants=12)
    route = f.trafficking_route(places.commune_a, identified_on=date(2024, 1, 1))
    client = client_for(personas.viewer_a)

    plants = client.get(_plants(places.commune_a)).content.decode()
    routes = client.get(_routes(places.commune_a)).content.decode()

    assert "Nương rẫy sườn đồi" in plants and "Đường mòn qua biên giới" in routes
    assert reverse("communes:plant_eradication_create", args=[places.commune_a.code]) not in plants
    assert reverse("communes:plant_eradication_edit", args=[eradication.pk]) not in plants
    assert reverse("communes:trafficking_route_create", args=[places.commune_a.code]) not in routes
    assert reverse("communes:trafficking_route_edit", args=[route.pk]) not in routes
    assert client.get(reverse("communes:plant_eradication_edit", args=[eradication.pk])).status_code == 403


def test_another_communes_records_are_not_found(places, personas, client_for):
    eradication = f.plant_eradication(places.commune_a, destroyed_on=date(2025, 2, 1), plants=12)
    route = f.trafficking_route(places.commune_a, identified_on=date(2024, 1, 1))
    client = client_for(personas.officer_b)

    assert client.get(_plants(places.commune_a)).status_code == 404
    assert client.get(_routes(places.commune_a)).status_code == 404
    assert client.get(reverse("communes:plant_eradication_edit", args=[eradication.pk])).status_code == 404
    assert client.post(reverse("communes:trafficking_route_edit", args=[route.pk]), ROUTE).status_code == 404
    route.refresh_from_db()
    assert route.name == "Đường mòn qua biên giới"


def test_the_commune_page_and_the_menu_link_to_both_lists(places, personas, client_for):
    html = client_for(personas.officer_a).get(reverse("commune", args=[places.commune_a.code])).content
    page = html.decode()
    assert page.count(f'href="{_plants(places.commune_a)}"') == 2  # the page and the navbar
    assert page.count(f'href="{_routes(places.commune_a)}"') == 2


def test_eradication_list_costs_the_same_queries_with_many_rows(
    places, personas, client_for, django_assert_num_queries
):
    for n in range(60):
        f.plant_eradication(
            places.commune_a, hamlet_=places.hamlet_a, destroyed_on=date(2025, 1, 1) + timedelta(days=n), plants=n + 1
        )
    client = client_for(personas.officer_a)
    # session, user, commune, filter's hamlets, count, page of eradications with hamlets, totals
    with django_assert_num_queries(7):
        client.get(_plants(places.commune_a), {"year": 2025})


def test_route_list_costs_the_same_queries_with_many_rows(places, personas, client_for, django_assert_num_queries):
    for n in range(60):
        f.trafficking_route(places.commune_a, identified_on=date(2024, 1, 1), name=f"Tuyến {n}")
    client = client_for(personas.officer_a)
    # session, user, commune, count, page of routes
    with django_assert_num_queries(5):
        client.get(_routes(places.commune_a), {"state": "active"})
