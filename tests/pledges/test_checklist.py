from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pledges.models import HouseholdPledge
from residents.models import Household
from tests import factories as f
from tests.pledges.checklist import checklist_data

YEAR = timezone.localdate().year
TODAY = timezone.localdate()


def _url(hamlet, year=YEAR):
    return reverse("pledges:checklist", args=[hamlet.pk, year])


@pytest.fixture
def households(places):
    return [f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Lò Văn {n}") for n in range(1, 6)]


def test_checklist_lists_every_residing_household_with_its_pledge(places, personas, client_for, households):
    f.pledge(households[0], year=YEAR, signed_on=TODAY)
    f.household(places.hamlet_a, code="SOI-900", status=Household.Status.MOVED_AWAY)
    f.household(places.hamlet_a2, code="NN-001")

    response = client_for(personas.officer_a).get(_url(places.hamlet_a))

    html = response.content.decode()
    assert response.status_code == 200
    assert [form.household_obj.code for form in response.context["formset"]] == [h.code for h in households]
    assert 'data-household-code="SOI-001"' in html
    assert "SOI-900" not in html and "NN-001" not in html
    assert response.context["counts"] == {"residing": 5, "signed": 1, "percentage": 20}
    assert 'id="pledge-count"' in html and ">1/5<" in html


def test_ticking_households_saves_their_pledges_with_the_meeting_date_and_the_head_as_representative(
    places, personas, client_for, households
):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))
    meeting = TODAY - timedelta(days=1) if (TODAY - timedelta(days=1)).year == YEAR else TODAY

    response = client.post(
        _url(places.hamlet_a),
        checklist_data(page, tick={"SOI-001", "SOI-002", "SOI-003"}, default_signed_on=meeting.strftime("%d/%m/%Y")),
        follow=True,
    )

    pledges = HouseholdPledge.objects.filter(year=YEAR).order_by("household__code")
    assert [(p.household.code, p.signed_on, p.representative_name) for p in pledges] == [
        ("SOI-001", meeting, "Lò Văn 1"),
        ("SOI-002", meeting, "Lò Văn 2"),
        ("SOI-003", meeting, "Lò Văn 3"),
    ]
    assert response.context["counts"] == {"residing": 5, "signed": 3, "percentage": 60}
    assert "Đã lưu: 3 hộ ký mới" in response.content.decode()


def test_every_saved_pledge_is_attributed_to_the_officer_in_its_history(places, personas, client_for, households):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))

    client.post(_url(places.hamlet_a), checklist_data(page, tick={"SOI-004"}, default_signed_on=f"{TODAY:%d/%m/%Y}"))

    record = HouseholdPledge.history.get(household__code="SOI-004")
    assert (record.history_type, record.history_user) == ("+", personas.officer_a)


def test_a_row_with_its_own_date_and_representative_keeps_them(places, personas, client_for, households):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))
    own_date = date(YEAR, 1, 2)

    client.post(
        _url(places.hamlet_a),
        checklist_data(
            page,
            tick={"SOI-002"},
            rows={"SOI-002": {"signed_on": f"{own_date:%d/%m/%Y}", "representative_name": "  Lò  Thị Xuân "}},
        ),
    )

    pledge = HouseholdPledge.objects.get(household__code="SOI-002", year=YEAR)
    assert (pledge.signed_on, pledge.representative_name) == (own_date, "Lò Thị Xuân")


def test_a_future_signing_date_is_refused_next_to_the_row_and_nothing_is_saved(
    places, personas, client_for, households
):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))
    tomorrow = TODAY + timedelta(days=1)

    response = client.post(
        _url(places.hamlet_a),
        checklist_data(
            page,
            tick={"SOI-001", "SOI-002"},
            default_signed_on=f"{TODAY:%d/%m/%Y}",
            rows={"SOI-002": {"signed_on": f"{tomorrow:%d/%m/%Y}"}},
        ),
    )

    assert response.status_code == 200
    assert "Ngày ký không được ở tương lai." in response.content.decode()
    assert not HouseholdPledge.objects.exists()


def test_a_ticked_household_without_any_date_is_told_to_enter_one(places, personas, client_for, households):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))

    response = client.post(_url(places.hamlet_a), checklist_data(page, tick={"SOI-001"}, default_signed_on=""))

    assert "Nhập ngày ký." in response.content.decode()
    assert not HouseholdPledge.objects.exists()


def test_a_date_outside_the_pledge_year_is_refused(places, personas, client_for, households):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a, YEAR))

    response = client.post(
        _url(places.hamlet_a), checklist_data(page, tick={"SOI-001"}, default_signed_on=f"01/06/{YEAR - 2}")
    )

    assert f"Cam kết năm {YEAR} phải ký trong năm {YEAR} hoặc năm {YEAR - 1}." in response.content.decode()
    assert not HouseholdPledge.objects.exists()


def test_unticking_a_signed_household_asks_before_removing_its_pledge(places, personas, client_for, households):
    f.pledge(households[0], year=YEAR, signed_on=TODAY)
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))

    response = client.post(_url(places.hamlet_a), checklist_data(page, untick={"SOI-001"}))

    html = response.content.decode()
    assert 'id="confirm-withdrawal"' in html and "SOI-001 – Lò Văn 1" in html
    assert HouseholdPledge.objects.filter(household=households[0]).exists()


def test_confirming_the_removal_deletes_the_pledge_and_keeps_it_in_the_history(
    places, personas, client_for, households
):
    f.pledge(households[0], year=YEAR, signed_on=TODAY)
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))

    response = client.post(
        _url(places.hamlet_a), {**checklist_data(page, untick={"SOI-001"}), "confirm_withdrawal": "1"}, follow=True
    )

    assert not HouseholdPledge.objects.filter(household=households[0]).exists()
    assert response.context["counts"]["signed"] == 0
    assert HouseholdPledge.history.filter(history_type="-", history_user=personas.officer_a).count() == 1


def test_a_row_another_officer_saved_meanwhile_is_shown_and_nothing_is_overwritten(
    places, personas, client_for, households
):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))
    # Meanwhile a colleague records SOI-001's pledge with another representative.
    HouseholdPledge.objects.create(
        household=households[0], year=YEAR, signed_on=TODAY, representative_name="Lò Thị Mai"
    )
    data = checklist_data(
        page,
        tick={"SOI-001", "SOI-002"},
        default_signed_on=f"{TODAY:%d/%m/%Y}",
        rows={"SOI-001": {"representative_name": "Lò Văn Hùng"}},
    )

    response = client.post(_url(places.hamlet_a), data)

    html = response.content.decode()
    assert "1 hộ đã được người khác cập nhật" in html
    assert "đại diện Lò Thị Mai" in html
    assert HouseholdPledge.objects.get(household=households[0]).representative_name == "Lò Thị Mai"
    assert not HouseholdPledge.objects.filter(household=households[1]).exists()

    # Having seen the difference, the officer saves again and their version wins.
    resubmitted = {key: str(value) for key, value in response.context["formset"].data.items()}
    client.post(_url(places.hamlet_a), resubmitted)
    assert HouseholdPledge.objects.get(household=households[0]).representative_name == "Lò Văn Hùng"
    assert HouseholdPledge.objects.filter(household=households[1]).exists()


def test_rows_left_untouched_do_not_undo_a_colleagues_save(places, personas, client_for, households):
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))
    HouseholdPledge.objects.create(household=households[4], year=YEAR, signed_on=TODAY, representative_name="Lò Văn 5")

    client.post(_url(places.hamlet_a), checklist_data(page, tick={"SOI-001"}, default_signed_on=f"{TODAY:%d/%m/%Y}"))

    assert set(HouseholdPledge.objects.values_list("household__code", flat=True)) == {"SOI-001", "SOI-005"}


def test_pledges_are_per_year(places, personas, client_for, households):
    f.pledge(households[0], year=YEAR - 1, signed_on=date(YEAR - 1, 3, 1))

    response = client_for(personas.officer_a).get(_url(places.hamlet_a, YEAR))
    previous = client_for(personas.officer_a).get(_url(places.hamlet_a, YEAR - 1))

    assert response.context["counts"]["signed"] == 0
    assert previous.context["counts"]["signed"] == 1
    assert reverse("pledges:checklist", args=[places.hamlet_a.pk, YEAR - 1]) in response.content.decode()


def test_a_household_of_another_hamlet_cannot_be_slipped_into_the_checklist(places, personas, client_for, households):
    stranger = f.household(places.hamlet_b, code="NL-001")
    client = client_for(personas.officer_a)
    page = client.get(_url(places.hamlet_a))
    data = checklist_data(page, tick={"SOI-001"}, default_signed_on=f"{TODAY:%d/%m/%Y}")
    data["pledges-0-household"] = str(stranger.pk)

    response = client.post(_url(places.hamlet_a), data)

    assert "không còn cư trú trong thôn" in response.content.decode()
    assert not HouseholdPledge.objects.exists()


def test_viewer_sees_the_checklist_without_inputs_or_save_button(places, personas, client_for, households):
    f.pledge(households[0], year=YEAR, signed_on=TODAY)

    response = client_for(personas.viewer_a).get(_url(places.hamlet_a))

    html = response.content.decode()
    assert 'data-household-code="SOI-001"' in html
    assert 'type="checkbox"' not in html and "Lưu danh sách" not in html


def test_viewer_cannot_save_a_checklist(places, personas, client_for, households):
    response = client_for(personas.viewer_a).post(_url(places.hamlet_a), {})
    assert response.status_code == 403


def test_officer_of_another_commune_gets_not_found(places, personas, client_for, households):
    assert client_for(personas.officer_b).get(_url(places.hamlet_a)).status_code == 404


def test_the_checklist_costs_the_same_queries_for_three_hundred_households(
    places, personas, client_for, django_assert_num_queries
):
    for n in range(300):
        household = f.household(places.hamlet_a, code=f"BIG-{n:04d}")
        if n % 2:
            f.pledge(household, year=YEAR, signed_on=TODAY)
    client = client_for(personas.officer_a)
    # session, user, hamlet (with commune), households with their pledge joined in (the counts are read off them),
    # access log insert
    with django_assert_num_queries(5):
        response = client.get(_url(places.hamlet_a))
    assert response.context["counts"] == {"residing": 300, "signed": 150, "percentage": 50}


def test_the_rows_escape_what_the_households_hold(places, personas, client_for):
    """The rows are written in Python (pledges/checklist_rows.py): every value escaped as a template escapes it."""
    f.household(places.hamlet_a, code="SOI-<7>", head_name='Lò "Văn" <b>&</b>')

    html = client_for(personas.officer_a).get(_url(places.hamlet_a)).content.decode()

    assert 'data-household-code="SOI-&lt;7&gt;"' in html
    assert "<td>Lò &quot;Văn&quot; &lt;b&gt;&amp;&lt;/b&gt;" in html  # the head of household
    assert 'value="Lò &quot;Văn&quot; &lt;b&gt;&amp;&lt;/b&gt;"' in html  # the representative, by default
    assert "<b>&</b>" not in html
