from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from residents.models import Household
from tests import factories as f

YEAR = timezone.localdate().year
TODAY = timezone.localdate()


def _summary(commune, year=YEAR):
    return reverse("pledges:commune", args=[commune.code, year])


def test_commune_summary_counts_signed_and_residing_households_per_hamlet(places, personas, client_for):
    for n in range(4):
        household = f.household(places.hamlet_a)
        if n < 3:
            f.pledge(household, year=YEAR, signed_on=TODAY)
    f.pledge(f.household(places.hamlet_a, status=Household.Status.MOVED_AWAY), year=YEAR, signed_on=TODAY)
    f.pledge(f.household(places.hamlet_a2), year=YEAR - 1, signed_on=TODAY.replace(year=YEAR - 1))
    f.household(places.hamlet_a2)

    response = client_for(personas.officer_a).get(_summary(places.commune_a))

    rows = {hamlet.name: (hamlet.residing, hamlet.signed, pct) for hamlet, pct in response.context["hamlets"]}
    assert rows == {"Khu phố Sỏi": (4, 3, 75), "Bản Na Nghịu": (2, 0, 0)}
    assert response.context["totals"] == {"residing": 6, "signed": 3, "percentage": 50}


def test_percentage_is_rounded_down_so_almost_everyone_is_not_shown_as_everyone(places, personas, client_for):
    for n in range(200):
        household = f.household(places.hamlet_a)
        if n:
            f.pledge(household, year=YEAR, signed_on=TODAY)

    response = client_for(personas.officer_a).get(_summary(places.commune_a))

    assert response.context["totals"]["percentage"] == 99


def test_summary_links_to_checklists_only_for_roles_that_see_names(places, personas, client_for):
    checklist = reverse("pledges:checklist", args=[places.hamlet_a.pk, YEAR])

    assert checklist in client_for(personas.officer_a).get(_summary(places.commune_a)).content.decode()
    assert checklist not in client_for(personas.reviewer).get(_summary(places.commune_a)).content.decode()


def test_summary_costs_the_same_queries_with_many_hamlets_and_households(
    places, personas, client_for, django_assert_num_queries
):
    for n in range(20):
        hamlet = f.hamlet(places.commune_a, f"Thôn {n}")
        for _ in range(10):
            f.pledge(f.household(hamlet), year=YEAR, signed_on=TODAY)
    client = client_for(personas.officer_a)
    # session, user, commune, hamlets with their counts, the commune's totals
    with django_assert_num_queries(5):
        response = client.get(_summary(places.commune_a))
    assert response.context["totals"] == {"residing": 200, "signed": 200, "percentage": 100}


def test_index_sends_commune_roles_to_their_commune_of_this_year(places, personas, client_for):
    response = client_for(personas.viewer_a).get(reverse("pledges:index"))
    assert response["Location"] == _summary(places.commune_a)


def test_index_sends_a_reviewer_to_pick_a_commune_of_their_province_only(places, personas, client_for):
    client = client_for(personas.reviewer)

    assert client.get(reverse("pledges:index"))["Location"] == reverse("communes:index")
    response = client.get(reverse("communes:index"), {"q": "Quan"})
    assert [commune.code for commune in response.context["page"]] == [places.commune_a.code]
    assert places.commune_c.name not in client.get(reverse("communes:index")).content.decode()


def test_printed_form_is_prefilled_with_the_household_and_its_members(places, personas, client_for):
    household = f.household(places.hamlet_a, code="SOI-007", head_name="Hà Văn Lịch", address="Số 7, Khu phố Sỏi")
    f.person(places.hamlet_a, household_=household, full_name="Hà Văn Lịch", birth_year=1970)
    f.person(places.hamlet_a, household_=household, full_name="Lò Thị Ngân", birth_year=1974)

    response = client_for(personas.officer_a).get(reverse("pledges:print_form", args=[household.pk, YEAR]))

    html = response.content.decode()
    assert "BẢN CAM KẾT" in html and f"năm {YEAR}" in html
    assert "Hà Văn Lịch" in html and "Số 7, Khu phố Sỏi" in html and "SOI-007" in html
    assert "Lò Thị Ngân" in html and "1974" in html


def test_printing_a_pledge_form_is_logged(places, personas, client_for):
    household = f.household(places.hamlet_a)

    client_for(personas.viewer_a).get(reverse("pledges:print_form", args=[household.pk, YEAR]))

    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (personas.viewer_a, AccessLog.Action.PRINT, str(household.pk))


def test_no_pledge_form_for_a_household_that_moved_away(places, personas, client_for):
    household = f.household(places.hamlet_a, status=Household.Status.MOVED_AWAY)
    response = client_for(personas.officer_a).get(reverse("pledges:print_form", args=[household.pk, YEAR]))
    assert response.status_code == 404
