"""The per-hamlet counts the database keeps (residing households, their members, the year's pledges of residing
households) follow every kind of write, checked against a direct count after each one: services, checklists,
member-count edits, hamlet moves, bulk updates, deletes, a data correction across communes, the household import
(COPY on PostgreSQL), a failed import, and the recount."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from pledges.models import HouseholdPledge
from progress.tallies import HamletPledgeTally, HamletTally
from residents.models import Household
from residents.services import households as H
from tests import factories as f
from tests.imports.conftest import KHU_PHO_SOI
from tests.imports.helpers import HEADER, household_row, write_xlsx
from tests.progress.test_tallies import SIGNED, YEAR, import_that_loses_its_connection, sign


def tallies():
    residing = {t.hamlet_id: (t.households, t.members) for t in HamletTally.objects.all() if t.households or t.members}
    pledges = {(t.hamlet_id, t.year): t.pledges for t in HamletPledgeTally.objects.all() if t.pledges}
    return residing, pledges


def counted():
    """The same figures the slow way, over the records themselves."""
    residing = {
        hamlet_id: (households, members)
        for hamlet_id, households, members in Household.objects.residing()
        .order_by()
        .values_list("hamlet_id")
        .annotate(Count("pk"), Sum("members_count"))
    }
    pledges = Counter(
        {
            (hamlet_id, year): n
            for hamlet_id, year, n in HouseholdPledge.objects.filter(household__status=Household.Status.RESIDING)
            .order_by()
            .values_list("household__hamlet_id", "year")
            .annotate(Count("pk"))
        }
    )
    return residing, dict(pledges)


@pytest.fixture
def officer(personas):
    return personas.officer_a


def test_hamlet_tallies_follow_creates_edits_status_changes_moves_and_deletes(places, personas, officer):
    a, a2, b = places.hamlet_a, places.hamlet_a2, places.hamlet_b
    h = [H.household_create(actor=officer, hamlet=a, code=f"A-{n}", head_name="Lò Văn Hùng", members_count=n + 1)
         for n in range(4)]  # fmt: skip
    hb = H.household_create(actor=officer, hamlet=b, code="B-1", head_name="Hà Thị Lan", members_count=2)
    sign(officer, h[0], h[1], h[2])
    sign(personas.officer_b, hb)
    assert tallies() == counted() == ({a.pk: (4, 10), b.pk: (1, 2)}, {(a.pk, YEAR): 3, (b.pk, YEAR): 1})

    H.household_update(actor=officer, household=h[1], members_count=6)  # 2 → 6 members
    assert tallies() == counted()
    H.household_move(actor=officer, household=h[0], hamlet=a2)  # its pledge moves along
    assert tallies() == counted()
    moved = {(a.pk, YEAR): 2, (a2.pk, YEAR): 1, (b.pk, YEAR): 1}
    assert tallies() == ({a.pk: (3, 13), a2.pk: (1, 1), b.pk: (1, 2)}, moved)

    H.household_change_status(actor=officer, household=h[2], status=Household.Status.MOVED_AWAY, on=SIGNED)
    sign(officer, h[1], signed=False)  # withdrawn
    sign(officer, h[3])
    assert tallies() == counted()
    Household.objects.filter(pk=h[3].pk).update(status=Household.Status.DISSOLVED)  # a bulk update
    assert tallies() == counted()
    # A bulk update that changes status, hamlet and members at once; then it resides again.
    Household.objects.filter(pk=h[3].pk).update(status=Household.Status.RESIDING, hamlet=a2, members_count=7)
    assert tallies() == counted()
    Household.objects.filter(commune=places.commune_a).update(members_count=2)
    assert tallies() == counted()
    HouseholdPledge.objects.filter(household=h[3]).update(year=YEAR - 1)  # a correction of the year
    assert tallies() == counted()
    h[0].delete()  # its pledge goes with it
    assert tallies() == counted()

    residing, pledges = tallies()
    assert residing == {a.pk: (1, 2), a2.pk: (1, 2), b.pk: (1, 2)}  # B-1
    assert pledges == {(a2.pk, YEAR - 1): 1, (b.pk, YEAR): 1}


def test_hamlet_tallies_follow_a_data_correction_to_another_commune(places, officer):
    household = H.household_create(actor=officer, hamlet=places.hamlet_a, code="A-1", head_name="Lò Văn Hùng")
    sign(officer, household)

    Household.objects.filter(pk=household.pk).update(commune=places.commune_b, hamlet=places.hamlet_b)
    HouseholdPledge.objects.filter(household=household).update(commune=places.commune_b)

    assert tallies() == counted() == ({places.hamlet_b.pk: (1, 1)}, {(places.hamlet_b.pk, YEAR): 1})


def test_a_pledge_of_a_household_that_left_counts_in_its_hamlet_only_once_it_resides_again(places, officer):
    household = H.household_create(actor=officer, hamlet=places.hamlet_a, code="A-1", head_name="Lò Văn Hùng")
    H.household_change_status(actor=officer, household=household, status=Household.Status.MOVED_AWAY, on=SIGNED)
    f.pledge(household, year=YEAR, signed_on=SIGNED)
    assert tallies() == counted() == ({}, {})

    Household.objects.filter(pk=household.pk).update(status=Household.Status.RESIDING)
    assert tallies() == counted() == ({places.hamlet_a.pk: (1, 1)}, {(places.hamlet_a.pk, YEAR): 1})

    HouseholdPledge.objects.filter(household=household).delete()
    assert tallies() == counted() == ({places.hamlet_a.pk: (1, 1)}, {})


def test_hamlet_tallies_follow_the_household_import_and_ignore_a_failed_one(places, tmp_path, monkeypatch):
    f.hamlet(places.commune_a, "Thôn Na Hồ")  # the sample's other hamlet
    call_command("import_households", str(KHU_PHO_SOI), "--commune", places.commune_a.code, stdout=StringIO())
    residing, pledges = tallies()
    assert (residing, pledges) == counted()
    assert sum(n for n, _members in residing.values()) == Household.objects.filter(commune=places.commune_a).count()

    before = tallies()
    import_that_loses_its_connection(places.commune_a, tmp_path, monkeypatch)
    assert tallies() == before == counted()


def test_an_import_with_pledges_counts_them_in_their_hamlets(places, tmp_path):
    rows = [household_row(n, hamlet="Khu phố Sỏi") + ["x" if n % 3 else ""] for n in range(1, 13)]
    path = write_xlsx(tmp_path / "signed.xlsx", rows, header=[*HEADER, "Đã ký cam kết"])
    call_command("import_households", str(path), "--commune", places.commune_a.code, stdout=StringIO())
    residing, pledges = tallies()
    assert (residing, pledges) == counted()
    assert sum(pledges.values()) == 8


def test_recount_repairs_the_hamlet_tallies(places, officer):
    for n in range(3):
        household = H.household_create(actor=officer, hamlet=places.hamlet_a, code=f"A-{n}", head_name="Lò Văn Hùng")
    sign(officer, household)
    expected = counted()
    HamletTally.objects.update(households=999, members=3)
    HamletPledgeTally.objects.update(pledges=7)
    assert tallies() != expected

    call_command("recount_tallies", stdout=StringIO())

    assert tallies() == expected == ({places.hamlet_a.pk: (3, 3)}, {(places.hamlet_a.pk, YEAR): 1})
