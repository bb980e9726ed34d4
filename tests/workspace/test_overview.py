from datetime import date

from django.urls import reverse
from django.utils import timezone

from tests import factories as f


def test_hamlets_show_households_members_and_pledges_of_this_year(places, personas, client_for):
    year = timezone.localdate().year
    signed = f.household(places.hamlet_a, members=5)
    f.household(places.hamlet_a, members=3)
    f.household(places.hamlet_a, members=7, status="moved_away")
    f.pledge(signed, year=year, signed_on=date(year, 1, 1))
    response = client_for(personas.officer_a).get(reverse("workspace:hamlets", args=[places.commune_a.code]))
    row = next(h for h in response.context["hamlets"] if h.pk == places.hamlet_a.pk)
    assert (row.household_count, row.member_count, row.pledged_count) == (2, 8, 1)


def test_hamlet_figures_follow_households_that_move_or_leave(places, personas, client_for):
    """The figures are the hamlet tallies the database keeps: a household that moves to another hamlet takes its
    members and its pledge along, one that moves away takes them out."""
    year = timezone.localdate().year
    moving, leaving = f.household(places.hamlet_a, members=5), f.household(places.hamlet_a, members=2)
    f.household(places.hamlet_a, members=3)
    f.pledge(moving, year=year, signed_on=date(year, 1, 1))
    f.pledge(leaving, year=year, signed_on=date(year, 1, 1))
    moving.hamlet = places.hamlet_a2
    moving.save()
    leaving.status = "moved_away"
    leaving.save()

    response = client_for(personas.officer_a).get(reverse("workspace:hamlets", args=[places.commune_a.code]))

    rows = {h.pk: (h.household_count, h.member_count, h.pledged_count) for h in response.context["hamlets"]}
    assert rows[places.hamlet_a.pk] == (1, 3, 0)
    assert rows[places.hamlet_a2.pk] == (1, 5, 1)


def test_household_list_filters_by_hamlet_and_missing_pledge_in_the_url(places, personas, client_for):
    year = timezone.localdate().year
    signed = f.household(places.hamlet_a, code="SOI-001")
    f.household(places.hamlet_a, code="SOI-002")
    f.household(places.hamlet_a2, code="NN-001")
    f.pledge(signed, year=year, signed_on=date(year, 1, 1))
    url = reverse("workspace:households", args=[places.commune_a.code])
    response = client_for(personas.officer_a).get(url, {"hamlet": places.hamlet_a.pk, "pledge": "missing"})
    assert [h.code for h in response.context["page"]] == ["SOI-002"]


def test_household_list_shows_residing_households_unless_asked(places, personas, client_for):
    f.household(places.hamlet_a, code="SOI-001")
    f.household(places.hamlet_a, code="SOI-009", status="dissolved")
    url = reverse("workspace:households", args=[places.commune_a.code])
    client = client_for(personas.officer_a)
    assert [h.code for h in client.get(url).context["page"]] == ["SOI-001"]
    assert {h.code for h in client.get(url, {"status": "all"}).context["page"]} == {"SOI-001", "SOI-009"}


def test_viewer_sees_the_lists_without_add_buttons(places, personas, client_for):
    text = client_for(personas.viewer_a).get(reverse("workspace:hamlets", args=[places.commune_a.code])).text
    assert "Thêm hộ" not in text


def test_lists_use_a_constant_number_of_queries(places, personas, client_for, django_assert_num_queries):
    year = timezone.localdate().year
    for n in range(120):
        household = f.household(places.hamlet_a if n % 2 else places.hamlet_a2)
        f.person(household.hamlet, full_name=f"Người {n}", household_=household)
        if n % 3:
            f.pledge(household, year=year, signed_on=date(year, 1, 1))
    client = client_for(personas.officer_a)
    # session, user, commune, hamlets with their figures (the hamlet tallies) and people under management
    # … and the hamlets' recognition statuses
    with django_assert_num_queries(5):
        client.get(reverse("workspace:hamlets", args=[places.commune_a.code]))
    # session, user, commune, hamlets of the filter select, count,
    # page with pledge status and registered people, access log insert
    with django_assert_num_queries(7):
        client.get(reverse("workspace:households", args=[places.commune_a.code]), {"pledge": "missing"})


def test_officer_can_start_a_household_or_a_file_from_each_hamlet(places, personas, client_for):
    text = client_for(personas.officer_a).get(reverse("workspace:hamlets", args=[places.commune_a.code])).text
    assert reverse("residents:household_create", args=[places.hamlet_a.pk]) in text
    assert reverse("residents:person_create", args=[places.hamlet_a.pk]) in text
