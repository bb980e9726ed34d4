"""Counts the database keeps up to date by itself (triggers installed by migrations 0004 and 0005), for figures that
would otherwise scan a million rows on every dashboard request."""

from django.db import connection, models, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from communes.models import Commune


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


@transaction.atomic
def recount() -> tuple[int, int]:
    """Count again from the records, for a database whose triggers were bypassed (a restore that loaded the tallies
    along with the rows, a session with triggers disabled). Writers wait meanwhile, so nothing is missed."""
    from pledges.models import HouseholdPledge
    from residents.models import Household

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE residents_household, pledges_householdpledge IN SHARE MODE")
    HouseholdTally.objects.all().delete()
    PledgeTally.objects.all().delete()
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
    return len(households), len(pledges)
