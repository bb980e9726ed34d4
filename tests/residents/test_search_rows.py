"""The search page's rows written in Python (residents.search_rows) equal the template rows they replaced."""

import re

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation

from residents.models import Household, Person
from tests import factories as f

URL = reverse("residents:search")

# The rows as templates/residents/_search_results.html wrote them before.
TEMPLATE_PEOPLE = Template(
    """{% load i18n status_badges %}{% translate "CCCD" as cccd_label %}{% translate "Thôn" as hamlet_label %}"""
    """{% translate "Hộ" as household_label %}{% for person in people_page %}
    <tr data-person="{{ person.pk }}">
      <td class="card-head fw-semibold"><a href="{{ person.link }}">{{ person.full_name }}</a></td>
      <td class="card-head">{{ person.year_of_birth|default:"" }}</td>
      <td data-label="{{ cccd_label }}">{{ person.cccd|default:"" }}</td>
      <td data-label="{{ hamlet_label }}">{{ person.hamlet }}</td>
      <td data-label="{{ household_label }}">{% if person.household %}<a href="{{ person.household_link }}">"""
    """{{ person.household.code }}</a>{% endif %}</td>
      <td class="card-head card-status">{% person_status person %}
</td>
    </tr>
  {% endfor %}"""
)
TEMPLATE_HOUSEHOLDS = Template(
    """{% load i18n %}{% translate "CCCD chủ hộ" as head_cccd_label %}{% translate "Thôn" as hamlet_label %}"""
    """{% translate "Nhân khẩu" as members_label %}{% for household in households_page %}
    <tr>
      <td class="card-head fw-semibold"><a href="{{ household.link }}">{{ household.code }}</a></td>
      <td class="card-head">{{ household.head_name }}</td>
      <td data-label="{{ head_cccd_label }}">{{ household.head_cccd }}</td>
      <td data-label="{{ hamlet_label }}">{{ household.hamlet }}</td>
      <td class="text-end" data-label="{{ members_label }}">{{ household.members_count }}</td>
      <td class="card-head card-status">{{ household.get_status_display }}</td>
    </tr>
  {% endfor %}"""
)


def _tbodies(html: str) -> list[str]:
    return re.findall(r"<tbody>(.*?)</tbody>", html, re.S)


@pytest.fixture
def hostile_rows(places):
    """Names and codes that need escaping, a person with no household, year or CCCD, one at psychosis risk, and a
    household of each status."""
    hamlet = places.hamlet_a
    households = [
        f.household(hamlet, code=f'<b>"X&{n}\'', head_name=f"Lò <i>Văn</i> & \"Tám\" {n}", status=status,
                    head_cccd="038090000111" if n else "")
        for n, status in enumerate(Household.Status.values)
    ]  # fmt: skip
    f.person(hamlet, full_name="Lò Văn <script>alert(1)</script>", household_=households[0], cccd="038090000111",
             birth_year=1990, sex="male", psychosis_risk=True)  # fmt: skip
    f.person(hamlet, full_name='Lò Văn "Tám" & Con', household_=None)
    f.person(hamlet, full_name="Lò Văn Tám", household_=households[1], status="suspected")
    return households


@pytest.mark.parametrize("language", ["vi", "en"])
def test_rows_equal_the_template_rows_they_replaced(hostile_rows, personas, client_for, language):
    response = client_for(personas.officer_a).get(URL, {"q": "lo"}, HTTP_ACCEPT_LANGUAGE=language)
    people_page, households_page = response.context["people_page"], response.context["households_page"]
    assert len(people_page) == 3 and len(households_page) == len(Household.Status.values)
    with translation.override(language):
        expected = [
            TEMPLATE_PEOPLE.render(Context({"people_page": people_page})),
            TEMPLATE_HOUSEHOLDS.render(Context({"households_page": households_page})),
        ]
    people_html, households_html = _tbodies(response.text)
    assert parse_html(people_html) == parse_html(expected[0])
    assert parse_html(households_html) == parse_html(expected[1])
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text
    assert isinstance(people_page[0], Person)
