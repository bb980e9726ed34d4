from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import personal_scope_q, scope_q
from communes.models import Commune, Hamlet, SecurityTeam
from drugfree.concurrency import Versioned
from drugfree.db import FieldCheck, dates_in_order, not_in_future
from drugfree.text import clean_text
from residents.models import Household


class HouseholdPledgeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_scope_q(user, "household__commune"))

    def bulk_create(self, objs, *args, **kwargs):
        """Bulk writers (the household import) may give only the household: the commune is copied here too."""
        objs = list(objs)
        missing = sorted({pledge.household_id for pledge in objs if pledge.commune_id is None})
        communes = {}
        for start in range(0, len(missing), 2000):
            chunk = missing[start : start + 2000]
            communes.update(Household.objects.filter(pk__in=chunk).values_list("pk", "commune_id"))
        for pledge in objs:
            if pledge.commune_id is None:
                pledge.commune_id = communes.get(pledge.household_id)
        return super().bulk_create(objs, *args, **kwargs)


class HouseholdPledge(models.Model):
    """A household's representative pledged not to take part in drug crime or vice (criterion 5).

    The table has behaviour of its own: database triggers that `progress` installs (its migrations 0004 and 0005,
    model `progress.tallies.PledgeTally`) count the pledges of residing households per commune and year on every
    insert, delete and change of `commune`, `year` or `household`. They fire for every writer (forms, services,
    the import's COPY, raw SQL); a write that bypasses them needs `manage.py recount_tallies` afterwards.
    """

    # No index of its own: the unique (household, year) index starts with it.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("hộ"), db_index=False
    )
    # Denormalised from household (as Household.commune is from hamlet) so that the province dashboard counts a
    # year's pledges per commune from one index, without joining a million households.
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="pledges", editable=False, verbose_name=_("xã")
    )
    # The programme period the pledge counts for: pledges are renewed each year.
    year = models.PositiveSmallIntegerField(_("năm"))
    signed_on = models.DateField(_("ngày ký"))
    representative_name = models.CharField(_("người đại diện ký"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    # History is read per record (by id); search indexes copied onto it would only slow imports of 100,000 rows.
    history = HistoricalRecords(no_db_index=["commune", "household"])

    objects = HouseholdPledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cam kết của hộ gia đình")
        verbose_name_plural = _("cam kết của hộ gia đình")
        ordering = ["-signed_on"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="pledges_one_pledge_per_household_year"),
            not_in_future("signed_on", "pledges_signed_not_future"),
            FieldCheck(
                field="year",
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="pledges_year_sane",
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
        ]
        indexes = [models.Index(fields=["year", "commune"], name="pledges_year_commune_idx")]

    def save(self, *args, **kwargs):
        self.representative_name = clean_text(self.representative_name)
        if self.household_id and not self.commune_id:
            self.commune_id = self.household.commune_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.household} – {self.year}"


class HamletCommitment(Versioned):
    """A hamlet head's registration of the hamlet's commitment to be drug-free."""

    hamlet = models.ForeignKey(Hamlet, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("thôn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    registered_on = models.DateField(_("ngày đăng ký"))
    signed_by = models.CharField(_("người ký (trưởng thôn)"), max_length=100)
    content = models.TextField(_("nội dung đăng ký"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký cam kết của thôn")
        verbose_name_plural = _("đăng ký cam kết của thôn")
        ordering = ["-registered_on"]
        constraints = [
            models.UniqueConstraint(fields=["hamlet", "year"], name="pledges_one_commitment_per_hamlet_year"),
            not_in_future("registered_on", "pledges_commitment_not_future"),
        ]

    def __str__(self):
        return f"{self.hamlet} – {self.year}"


class EmulationCompact(Versioned):
    """Giao ước thi đua between hamlets' security teams."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="compacts", verbose_name=_("xã"))
    title = models.CharField(_("tên giao ước"), max_length=255)
    signed_on = models.DateField(_("ngày ký"))
    teams = models.ManyToManyField(SecurityTeam, related_name="compacts", verbose_name=_("các tổ tham gia"))
    content = models.TextField(_("nội dung"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")
        ordering = ["-signed_on"]
        constraints = [not_in_future("signed_on", "pledges_compact_not_future")]

    def __str__(self):
        return self.title


class PreventionModelQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "commune"))

    def active(self):
        return self.filter(status=PreventionModel.Status.ACTIVE)


class PreventionModel(Versioned):
    """A community drug-prevention model such as "Khu phố sạch về ma túy" (criterion 6)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang duy trì")
        ENDED = "ended", _("Đã dừng")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="prevention_models", verbose_name=_("xã")
    )
    hamlets = models.ManyToManyField(Hamlet, blank=True, related_name="prevention_models", verbose_name=_("thôn"))
    name = models.CharField(_("tên mô hình"), max_length=255)
    launched_on = models.DateField(_("ngày ra mắt"))
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.ACTIVE)
    ended_on = models.DateField(_("ngày dừng"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    history = HistoricalRecords()

    objects = PreventionModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình phòng, chống ma túy")
        verbose_name_plural = _("mô hình phòng, chống ma túy")
        ordering = ["-launched_on"]
        constraints = [
            dates_in_order("launched_on", "ended_on", "pledges_model_ended_after_launch"),
            FieldCheck(
                field="ended_on",
                condition=~Q(status="ended") | Q(ended_on__isnull=False),
                name="pledges_model_ended_has_date",
                violation_error_message=_("Mô hình đã dừng phải có ngày dừng."),
            ),
        ]
        indexes = [models.Index(fields=["commune"], condition=Q(status="active"), name="pledges_model_active_idx")]

    def __str__(self):
        return self.name


class ModelActivity(models.Model):
    model = models.ForeignKey(
        PreventionModel, on_delete=models.CASCADE, related_name="activities", verbose_name=_("mô hình")
    )
    held_on = models.DateField(_("ngày tổ chức"))
    title = models.CharField(_("hoạt động"), max_length=255)
    participants = models.PositiveIntegerField(_("số người tham gia"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("hoạt động của mô hình")
        verbose_name_plural = _("hoạt động của mô hình")
        ordering = ["-held_on"]
        constraints = [not_in_future("held_on", "pledges_activity_not_future")]

    def __str__(self):
        return self.title
