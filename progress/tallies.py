"""Counts the database keeps up to date by itself (triggers installed by migration 0004), for figures that would
otherwise scan a million rows on every dashboard request."""

from django.db import models
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
    """Household pledges per commune and year (whatever the household's status), kept by triggers like
    HouseholdTally."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã"))
    year = models.PositiveSmallIntegerField(_("năm"))
    pledges = models.IntegerField(_("số bản cam kết"), default=0)

    class Meta:
        verbose_name = _("đếm bản cam kết")
        verbose_name_plural = _("đếm bản cam kết")
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="progress_pledge_tally_once")]

    def __str__(self):
        return f"{self.commune_id} {self.year}: {self.pledges}"
