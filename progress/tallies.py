"""Counts the database keeps up to date by itself (triggers installed by migrations 0004, 0005 and 0009), for figures
that would otherwise scan a million rows on every dashboard request."""

from django.db import connection, models, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Hamlet


class HouseholdTally(models.Model):
    """Residing households per commune, kept by database triggers on the household table (migration 0004).

    The province dashboard needs this count for every commune at once; counting a million households on each
    request costs more than the whole rest of the page. Triggers (not signals) see every write: forms, services,
    bulk_update, the import's COPY, raw SQL.
    """

    commune = models.OneToOneField(
        Commune, primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã")
    )
    households = models.IntegerField(_("số hộ đang cư trú"), default=0)

    class Meta:
        verbose_name = _("đếm hộ đang cư trú")
        verbose_name_plural = _("đếm hộ đang cư trú")

    def __str__(self):
        return f"{self.commune_id}: {self.households}"


class PledgeTally(models.Model):
    """Pledges of residing households per commune and year, kept by triggers like HouseholdTally (migration 0005:
    a household that moves away or dissolves takes its pledges out of the count; one that resides again brings
    them back)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã"))
    year = models.PositiveSmallIntegerField(_("năm"))
    pledges = models.IntegerField(_("số bản cam kết"), default=0)

    class Meta:
        verbose_name = _("đếm bản cam kết")
        verbose_name_plural = _("đếm bản cam kết")
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="progress_pledge_tally_once")]

    def __str__(self):
        return f"{self.commune_id} {self.year}: {self.pledges}"


class HamletTally(models.Model):
    """Residing households per hamlet and their members (the resident population), kept by database triggers on
    the household table (migration 0009), like HouseholdTally.

    The commune dashboard's hamlet breakdown, the QĐ 28 population shares (of every commune on the province
    dashboard) and the officer's work queue read these instead of summing the households.
    """

    hamlet = models.OneToOneField(
        Hamlet, primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("thôn")
    )
    households = models.IntegerField(_("số hộ đang cư trú"), default=0)
    members = models.IntegerField(_("số nhân khẩu của hộ đang cư trú"), default=0)

    class Meta:
        verbose_name = _("đếm hộ đang cư trú theo thôn")
        verbose_name_plural = _("đếm hộ đang cư trú theo thôn")

    def __str__(self):
        return f"{self.hamlet_id}: {self.households} ({self.members})"


class HamletPledgeTally(models.Model):
    """Pledges of residing households per hamlet and year, kept by triggers on the pledge and household tables
    (migration 0009): a household that moves to another hamlet takes its pledges along, one that leaves takes them
    out of the count, one that resides again brings them back."""

    hamlet = models.ForeignKey(Hamlet, on_delete=models.CASCADE, related_name="+", verbose_name=_("thôn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    pledges = models.IntegerField(_("số bản cam kết"), default=0)

    class Meta:
        verbose_name = _("đếm bản cam kết theo thôn")
        verbose_name_plural = _("đếm bản cam kết theo thôn")
        constraints = [models.UniqueConstraint(fields=["hamlet", "year"], name="progress_hamlet_pledge_tally_once")]

    def __str__(self):
        return f"{self.hamlet_id} {self.year}: {self.pledges}"


@transaction.atomic
def recount() -> tuple[int, int]:
    """Count again from the records, for a database whose triggers were bypassed (a restore that loaded the tallies
    along with the rows, a session with triggers disabled). Writers wait meanwhile, so nothing is missed.

    The hamlet tallies are counted again too; the figures returned are the communes' (residing households, pledge
    rows)."""
    from pledges.models import HouseholdPledge
    from residents.models import Household

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE residents_household, pledges_householdpledge IN SHARE MODE")
    HouseholdTally.objects.all().delete()
    PledgeTally.objects.all().delete()
    HamletTally.objects.all().delete()
    HamletPledgeTally.objects.all().delete()
    households = HouseholdTally.objects.bulk_create(
        HouseholdTally(commune_id=commune_id, households=count)
        for commune_id, count in Household.objects.residing().values_list("commune_id").annotate(Count("pk"))
    )
    pledges = PledgeTally.objects.bulk_create(
        PledgeTally(commune_id=commune_id, year=year, pledges=count)
        for commune_id, year, count in HouseholdPledge.objects.filter(household__status=Household.Status.RESIDING)
        .values_list("commune_id", "year")
        .annotate(Count("pk"))
    )
    residing = Household.objects.residing().order_by().values_list("hamlet_id")
    HamletTally.objects.bulk_create(
        HamletTally(hamlet_id=hamlet_id, households=count, members=members)
        for hamlet_id, count, members in residing.annotate(Count("pk"), Sum("members_count"))
    )
    HamletPledgeTally.objects.bulk_create(
        HamletPledgeTally(hamlet_id=hamlet_id, year=year, pledges=count)
        for hamlet_id, year, count in HouseholdPledge.objects.filter(household__status=Household.Status.RESIDING)
        .order_by()
        .values_list("household__hamlet_id", "year")
        .annotate(Count("pk"))
    )
    return len(households), len(pledges)
