"""'Số nhân khẩu': the declared size is shown beside the members recorded, and the difference is flagged, on the
household page and on the printed pledge form."""

import re

from django.urls import reverse
from django.utils import timezone

from tests import factories as f

YEAR = timezone.localdate().year


def size_shown(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'<span class="household-size">(.*?)</span>', html, re.S).group(1)).strip()


def flag_shown(html: str) -> str:
    match = re.search(r'household-size-flag">(.*?)</span>', html, re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def test_adding_members_updates_the_recorded_count_and_flags_a_household_larger_than_declared(
    places, personas, client_for
):
    household = f.household(places.hamlet_a, code="SOI-012", members=2)
    f.person(places.hamlet_a, household_=household, full_name="Hà Văn Lịch", birth_year=1970)
    client = client_for(personas.officer_a)
    page = reverse("residents:household", args=[household.pk])

    html = client.get(page).text
    assert size_shown(html) == "2 (khai báo) – 1 có hồ sơ"
    assert flag_shown(html) == "Còn 1 nhân khẩu chưa có hồ sơ"

    add = reverse("residents:member_create", args=[household.pk])
    for name, year in [("Lò Thị Ngân", "1974"), ("Hà Văn Tài", "2001")]:
        response = client.post(add, {"full_name": name, "birth_year": year, "sex": "male", "confirm_new": "on"})
        assert response.status_code == 302

    html = client.get(page).text
    assert size_shown(html) == "2 (khai báo) – 3 có hồ sơ"
    assert flag_shown(html) == "Nhiều hơn số khai báo 1 người: cần cập nhật số nhân khẩu"
    assert all(name in html for name in ["Hà Văn Lịch", "Lò Thị Ngân", "Hà Văn Tài"])


def test_a_household_whose_members_match_its_declared_size_has_no_flag(places, personas, client_for):
    household = f.household(places.hamlet_a, members=1)
    f.person(places.hamlet_a, household_=household, full_name="Hà Văn Lịch")
    html = client_for(personas.officer_a).get(reverse("residents:household", args=[household.pk])).text
    assert size_shown(html) == "1 (khai báo) – 1 có hồ sơ" and flag_shown(html) == ""


def test_printed_form_lists_as_many_lines_as_declared_members(places, personas, client_for):
    household = f.household(places.hamlet_a, code="SOI-007", members=4)
    f.person(places.hamlet_a, household_=household, full_name="Hà Văn Lịch", birth_year=1970)
    f.person(places.hamlet_a, household_=household, full_name="Lò Thị Ngân", birth_year=1974)

    html = client_for(personas.officer_a).get(reverse("pledges:print_form", args=[household.pk, YEAR])).text

    assert size_shown(html) == "4 (khai báo) – 2 có hồ sơ"
    rows = re.findall(r"<tr><td>(\d+)</td>", html)
    assert rows == ["1", "2", "3", "4"]  # two members, then two blank lines to fill in


def test_printed_form_flags_more_members_than_declared(places, personas, client_for):
    household = f.household(places.hamlet_a, members=1)
    for name in ["Hà Văn Lịch", "Lò Thị Ngân"]:
        f.person(places.hamlet_a, household_=household, full_name=name)

    html = client_for(personas.officer_a).get(reverse("pledges:print_form", args=[household.pk, YEAR])).text

    assert size_shown(html) == "1 (khai báo) – 2 có hồ sơ"
    assert flag_shown(html) == "Nhiều hơn số khai báo 1 người: cần cập nhật số nhân khẩu"
    assert re.findall(r"<tr><td>(\d+)</td>", html) == ["1", "2"]
