"""The counts the database keeps for the province dashboard follow every kind of write: services, checklists, bulk
updates, deletes, the household import (COPY on PostgreSQL), and a failed import leaves them as they were."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone

from pledges.models import HouseholdPledge
from pledges.services import PledgeEntry, pledges_record
from progress.metrics import Moment
from progress.metrics.catalogue import HouseholdsPledged
from progress.tallies import HouseholdTally, PledgeTally
from residents.models import Household
from residents.services import households as H
from tests import factories as f
from tests.imports.conftest import KHU_PHO_SOI
from tests.imports.helpers import HEADER, household_row, write_xlsx

YEAR = timezone.localdate().year
SIGNED = date(YEAR, 1, 15)


def tallies():
    residing = {t.commune_id: t.households for t in HouseholdTally.objects.all() if t.households}
    pledges = {(t.commune_id, t.year): t.pledges for t in PledgeTally.objects.all() if t.pledges}
    return residing, pledges


def counted():
    """The same figures counted the slow way, over the records themselves: residing households, and the pledges of
    residing households."""
    residing = Counter(dict(Household.objects.residing().values_list("commune_id").annotate(n=Count("pk"))))
    pledges = Counter(
        {
            (row["commune_id"], row["year"]): row["n"]
            for row in HouseholdPledge.objects.filter(household__status=Household.Status.RESIDING)
            .values("commune_id", "year")
            .annotate(n=Count("pk"))
        }
    )
    return dict(residing), dict(pledges)


def sign(actor, *households, signed=True):
    entries = [PledgeEntry(h, signed, SIGNED if signed else None, h.head_name if signed else "") for h in households]
    return pledges_record(actor=actor, year=YEAR, entries=entries)


@pytest.fixture
def officer(personas):
    return personas.officer_a


def test_tallies_follow_creates_status_changes_moves_and_deletes(places, personas, officer):
    a = [H.household_create(actor=officer, hamlet=places.hamlet_a, code=f"A-{n}", head_name="Lò Văn Hùng")
         for n in range(4)]  # fmt: skip
    b = H.household_create(actor=officer, hamlet=places.hamlet_b, code="B-1", head_name="Hà Thị Lan", members_count=2)
    sign(officer, a[0], a[1], a[2])
    sign(personas.officer_b, b)
    assert (
        tallies()
        == counted()
        == (
            {places.commune_a.pk: 4, places.commune_b.pk: 1},
            {(places.commune_a.pk, YEAR): 3, (places.commune_b.pk, YEAR): 1},
        )
    )

    H.household_change_status(
        actor=officer, household=a[0], status=Household.Status.MOVED_AWAY, on=timezone.localdate()
    )
    sign(officer, a[1], signed=False)  # withdrawn
    sign(officer, a[3])
    Household.objects.filter(pk=a[3].pk).update(status=Household.Status.DISSOLVED)  # a bulk update
    assert tallies() == counted()
    Household.objects.filter(pk=a[3].pk).update(status=Household.Status.RESIDING)  # its pledge counts again
    a[2].delete()  # its pledge goes with it
    H.household_move(actor=officer, household=a[3], hamlet=places.hamlet_a2)

    residing, pledges = tallies()
    assert (residing, pledges) == counted()
    assert residing == {places.commune_a.pk: 2, places.commune_b.pk: 1}
    # The household that moved away keeps its pledge on record; it no longer counts as a pledged residing household.
    assert HouseholdPledge.objects.filter(household=a[0]).exists()
    assert pledges == {(places.commune_a.pk, YEAR): 1, (places.commune_b.pk, YEAR): 1}
    figures = HouseholdsPledged().figures(Moment(timezone.localdate()), [places.commune_a.pk, places.commune_b.pk])
    assert figures[places.commune_a.pk].numerator == 1 and figures[places.commune_a.pk].denominator == 2
    assert figures[places.commune_b.pk].numerator == 1 and figures[places.commune_b.pk].denominator == 1


def test_tallies_follow_a_household_moved_to_another_commune_by_a_data_correction(places, officer):
    household = H.household_create(actor=officer, hamlet=places.hamlet_a, code="A-1", head_name="Lò Văn Hùng")
    sign(officer, household)

    Household.objects.filter(pk=household.pk).update(commune=places.commune_b, hamlet=places.hamlet_b)
    HouseholdPledge.objects.filter(household=household).update(commune=places.commune_b)

    assert tallies() == counted() == ({places.commune_b.pk: 1}, {(places.commune_b.pk, YEAR): 1})


def test_a_pledge_recorded_for_a_household_that_left_is_not_counted_until_it_resides_again(places, officer):
    household = H.household_create(actor=officer, hamlet=places.hamlet_a, code="A-1", head_name="Lò Văn Hùng")
    H.household_change_status(actor=officer, household=household, status=Household.Status.MOVED_AWAY, on=SIGNED)
    f.pledge(household, year=YEAR, signed_on=SIGNED)
    assert tallies() == counted() == ({}, {})

    Household.objects.filter(pk=household.pk).update(status=Household.Status.RESIDING)
    assert tallies() == counted() == ({places.commune_a.pk: 1}, {(places.commune_a.pk, YEAR): 1})

    HouseholdPledge.objects.filter(household=household).delete()
    assert tallies() == counted() == ({places.commune_a.pk: 1}, {})


def test_tallies_follow_the_household_import_and_ignore_a_failed_one(places, officer, tmp_path, monkeypatch):
    f.hamlet(places.commune_a, "Thôn Na Hồ")  # the sample's other hamlet
    call_command("import_households", str(KHU_PHO_SOI), "--commune", places.commune_a.code, stdout=StringIO())
    residing, pledges = tallies()
    assert (residing, pledges) == counted()
    assert residing[places.commune_a.pk] == Household.objects.filter(commune=places.commune_a).count() > 0

    before = tallies()
    import_that_loses_its_connection(places.commune_a, tmp_path, monkeypatch)
    assert tallies() == before == counted()


def import_that_loses_its_connection(commune, tmp_path, monkeypatch):
    """An import of ten pledged households whose connection is lost while it writes the pledges."""
    rows = [household_row(n, hamlet="Khu phố Sỏi") + ["x"] for n in range(500, 510)]
    path = write_xlsx(tmp_path / "them.xlsx", rows, header=[*HEADER, "Đã ký cam kết"])

    def lost_connection(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("imports.pledge_columns.write", lost_connection)
    with pytest.raises(DatabaseError):
        call_command("import_households", str(path), "--commune", commune.code, stdout=StringIO())


def test_recount_repairs_tallies_that_went_wrong(places, officer):
    for n in range(3):
        household = H.household_create(actor=officer, hamlet=places.hamlet_a, code=f"A-{n}", head_name="Lò Văn Hùng")
    sign(officer, household)
    expected = counted()
    # As after a restore that loaded the tallies on top of the rows the triggers had already counted.
    HouseholdTally.objects.update(households=999)
    PledgeTally.objects.update(pledges=7)
    assert tallies() != expected

    out = StringIO()
    call_command("recount_tallies", stdout=out)

    assert tallies() == expected == ({places.commune_a.pk: 3}, {(places.commune_a.pk, YEAR): 1})
    assert out.getvalue().strip() == "households=1 pledges=1"
