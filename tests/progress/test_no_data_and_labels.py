"""Reviewers' reading of the dashboards: a commune that has entered nothing shows "chưa có số liệu" (never 100 %),
the summary says how many communes have data, the worst communes come first, and columns and percentages read
one way."""

import re

from django.urls import reverse

from tests import factories as f


def area(client, **query):
    return client.get(reverse("progress:area_dashboard"), query).content.decode()


def test_a_commune_that_entered_nothing_shows_no_data_not_100_percent(story, places, personas, client_for):
    empty = f.commune("15099", "Xã Trống Trơn")
    f.hamlet(empty, "Thôn Một")
    client = client_for(personas.reviewer)
    content = client.get(reverse("progress:commune_dashboard", kwargs={"code": empty.code})).content.decode()
    assert "chưa có số liệu để đánh giá" in content and "Xã đạt" not in content
    assert '<div class="fs-4">100 %' not in content and '<div class="fs-4">chưa có số liệu' in content
    content = area(client)
    row = re.search(r"<tr>\s*<td><a href=\"/progress/communes/15099/\">.*?</tr>", content, re.S).group(0)
    assert "chưa có số liệu" in row and "table-success" not in row and "100 %" not in row


def test_area_summary_counts_communes_with_data(story, places, personas, client_for):
    for n in range(3):
        f.commune(f"1509{n}", f"Xã Trống {n}")
    content = area(client_for(personas.reviewer))
    # A and B entered their households; the three new communes did not.
    assert re.search(r"<strong>2/5</strong>\s*xã có số liệu", content)
    # Each criterion's bar counts only communes that meet it with data: no empty commune inflates it.
    assert "1/5 (20 %)" in content  # BCĐ and plan: only A


def test_area_table_lists_the_worst_communes_first_and_those_without_data_last(story, places, personas, client_for):
    f.commune("15000", "Xã An Đầu")  # first by name, but no data
    content = area(client_for(personas.reviewer))
    # A meets 2 criteria, B 8: A first by default; the commune without data after both.
    a, b, empty = (content.index(f'href="/progress/communes/{code}/"') for code in ["15016", "15061", "15000"])
    assert a < b < empty
    content = area(client_for(personas.reviewer), sort="met", desc="1")
    a, b, empty = (content.index(f'href="/progress/communes/{code}/"') for code in ["15016", "15061", "15000"])
    assert b < a < empty


def test_hamlet_table_names_its_columns_with_the_full_criterion_on_hover_and_in_print(
    story, places, personas, client_for
):
    client = client_for(personas.officer_a)
    content = client.get(reverse("progress:commune_dashboard", kwargs={"code": places.commune_a.code})).content.decode()
    table = content[content.index("Theo thôn, khu phố") :]
    assert '<th class="text-center small" scope="col" title="Hộ gia đình ký cam kết' in table
    assert ">Hộ ký cam kết</th>" in table and ">Cai nghiện, điều trị</th>" in table
    assert re.search(r"<th[^>]*>\s*\d+\s*</th>", table) is None  # no bare 1–11
    assert "d-print-block" in table and "Hộ ký cam kết:</dt>" in table
    printed = client.get(reverse("progress:commune_print", kwargs={"code": places.commune_a.code})).content.decode()
    assert ">Hộ ký cam kết</th>" in printed and "Hộ ký cam kết:</dt>" in printed


def test_percentages_are_written_vietnamese_style_everywhere(story, places, personas, client_for):
    client = client_for(personas.officer_a)
    content = client.get(reverse("progress:commune_dashboard", kwargs={"code": places.commune_a.code})).content.decode()
    assert "66,7 %" in content  # 2 of 3 households pledged
    year = __import__("progress.selectors", fromlist=["today"]).today().year
    summary = client.get(reverse("pledges:commune", args=[places.commune_a.code, year])).content.decode()
    assert "(66,7 %)" in summary and "66%" not in summary
    content = area(client_for(personas.reviewer))
    assert re.search(r"\(\d+(,\d)? %\)", content) and not re.search(r"\d %\)</text>.*\d\.\d %", content)
    assert "50 %" in content  # 1 of 2 communes meets the BCĐ criterion
