"""The commune page (`/communes/<code>/`) is an overview: the criteria at a glance, the work queue's counts and the
hamlets with their figures. Counts only: no name appears, so a reviewer without the right to names sees it too."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from residents.services import lifecycle
from tests import factories as f


def _url(places) -> str:
    return reverse("commune", args=[places.commune_a.code])


def _queue_counts(text: str) -> dict[str, str]:
    rows = re.findall(r'data-queue="(\w+)">(.*?)</li>', text, re.S)
    return {key: re.findall(r'badge[^"]*">(\d+)</span>\s*$', row.strip())[0] for key, row in rows}


def _world(places, officer):
    year = timezone.localdate().year
    signed = [f.household(places.hamlet_a, members=4) for _ in range(3)]
    for household in signed[:2]:
        f.pledge(household, year=year, signed_on=date(year, 1, 2))
    f.household(places.hamlet_a2, members=2)
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", household_=signed[0])
    tested_on = timezone.localdate() - timedelta(days=20)
    lifecycle.person_record_test(actor=officer, person=person, tested_on=tested_on, result="positive")
    return person


def test_the_commune_page_shows_criteria_queue_counts_and_hamlet_figures(places, personas, client_for):
    _world(places, personas.officer_a)
    text = client_for(personas.officer_a).get(_url(places)).text
    criteria = text[text.index('id="commune-criteria"') : text.index('id="commune-queue"')]
    assert re.search(r'id="criteria-met">Đạt \d+/11<', criteria)
    assert 'data-status="building"' in text  # the recognition status beside the commune's name
    assert "%" in criteria and "Chưa đạt" in criteria
    counts = _queue_counts(text)
    assert counts["decision"] == "1"  # the positive test, overdue
    assert counts["pledges"] == "2"  # households, not hamlets: one in each hamlet
    assert "1 quá hạn" in text
    hamlets = text[text.index('id="commune-hamlets"') :]
    sỏi = re.search(r"Khu phố Sỏi</a></td>(.*?)</tr>", hamlets, re.S).group(1)
    assert re.findall(r">\s*([\d/]+)\s*<", re.sub(r"<a [^>]*>|</a>", "", sỏi)) == ["3", "12", "2/3", "1"]


def test_a_reviewer_without_the_right_to_names_sees_the_counts_and_no_name(places, personas, client_for):
    _world(places, personas.officer_a)
    response = client_for(personas.reviewer).get(_url(places))
    assert response.status_code == 200
    assert _queue_counts(response.text)["decision"] == "1"
    assert "Lò Văn Tám" not in response.text
    assert reverse("pledges:checklist", args=[places.hamlet_a.pk, timezone.localdate().year]) not in response.text


def test_the_commune_page_makes_a_constant_number_of_queries(places, personas, client_for, django_assert_num_queries):
    for n in range(30):
        household = f.household(places.hamlet_a if n % 2 else places.hamlet_a2)
        person = f.person(household.hamlet, full_name=f"Người {n}", household_=household)
        lifecycle.person_record_test(
            actor=personas.officer_a, person=person, tested_on=timezone.localdate(), result="positive"
        )
    client = client_for(personas.officer_a)
    # session, user, commune, recognition cycles (their open alerts too once there is one), programme, criteria,
    # 11 metrics in 10 queries (two read one count of statuses), the communes with households (no data ≠ met), the
    # work queue's 7 (awaiting decision, 3 kinds of period ending, residence checks, untested suspects, households
    # without a pledge), hamlets with their counts
    with django_assert_num_queries(25):
        response = client.get(_url(places))
    assert _queue_counts(response.text)["decision"] == "30"


def test_a_commune_without_households_has_no_data_rather_than_met_criteria(places, personas, client_for):
    text = client_for(personas.officer_a).get(_url(places)).text
    criteria = text[text.index('id="commune-criteria"') : text.index('id="commune-queue"')]
    assert re.search(r'id="criteria-met">Chưa có số liệu<', criteria)
    assert "Đạt" not in criteria
