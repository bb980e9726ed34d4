"""Reads for the overview pages: counts per hamlet and the household list with this year's pledge status."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from communes.models import Commune, Hamlet
from drugfree.prepared_querysets import PreparedQuery
from pledges.models import HouseholdPledge
from progress.tallies import HamletPledgeTally, HamletTally
from residents.models import Household, Person


def _per_hamlet(queryset: QuerySet, aggregate) -> Coalesce:
    """A correlated subquery giving one number per hamlet, so several counts never multiply each other's rows."""
    rows = queryset.filter(hamlet=OuterRef("pk")).order_by().values("hamlet").annotate(n=aggregate).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def hamlets_overview(commune: Commune, *, year: int) -> QuerySet:
    """Each hamlet with its residing households, their members and the year's pledges, read from the hamlet tallies
    the database keeps (progress.tallies: a primary-key lookup each, where counting them probed every household's
    pledges), and its people under management."""
    return _hamlets_overview(commune.hamlets, year)


@PreparedQuery
def _hamlets_overview_rows(commune: int, year: int):
    return _hamlets_overview(Hamlet.objects.filter(commune=commune), year)


def hamlets_overview_list(commune: Commune, *, year: int) -> list:
    """`list(hamlets_overview(…))`, its query compiled once (drugfree.prepared_querysets); each hamlet knows its
    commune, as the related manager's rows do."""
    hamlets = _hamlets_overview_rows(commune=commune.pk, year=year)
    for hamlet in hamlets:
        hamlet.commune = commune
    return hamlets


def _hamlets_overview(hamlets: QuerySet, year: int) -> QuerySet:
    tally = HamletTally.objects.filter(hamlet=OuterRef("pk"))
    pledges = HamletPledgeTally.objects.filter(hamlet=OuterRef("pk"), year=year).values("pledges")
    return hamlets.annotate(
        household_count=Coalesce(Subquery(tally.values("households")), 0),
        member_count=Coalesce(Subquery(tally.values("members")), 0),
        pledged_count=Coalesce(Subquery(pledges), 0),
        managed_count=_per_hamlet(Person.objects.under_management(), Count("pk")),
    ).order_by("name")


class PledgeFilter:
    SIGNED = "signed"
    MISSING = "missing"


def households_overview(commune: Commune, *, year: int, hamlet=None, status=None, pledge=None) -> QuerySet:
    """Households of the commune with registered people and whether they pledged this year."""
    signed = HouseholdPledge.objects.filter(household=OuterRef("pk"), year=year)
    households = (
        Household.objects.filter(commune=commune)
        .select_related("hamlet")
        .annotate(pledged=Exists(signed), registered=Count("members"))
        .order_by("hamlet__name", "code", "pk")
    )
    if hamlet is not None:
        households = households.filter(hamlet=hamlet)
    if status:
        households = households.filter(status=status)
    if pledge == PledgeFilter.SIGNED:
        households = households.filter(Q(pledged=True))
    elif pledge == PledgeFilter.MISSING:
        households = households.filter(Q(pledged=False))
    return households
