"""Drug cases and incidents: they name people, so they live beside them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import personal_scope_q
from communes.models import Commune, Hamlet
from drugfree.concurrency import Versioned
from drugfree.db import not_in_future
from drugfree.text import clean_text

from .people import Person


class CommuneRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_scope_q(user, "commune"))


class DrugCase(Versioned):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="drug_cases", verbose_name=_("xã"))
    hamlet = models.ForeignKey(Hamlet, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("thôn"))
    number = models.CharField(_("số hồ sơ vụ án"), max_length=50, blank=True)
    detected_on = models.DateField(_("ngày phát hiện"))
    offence = models.CharField(_("hành vi/tội danh"), max_length=200)
    summary = models.TextField(_("tóm tắt"), blank=True)
    history = HistoricalRecords()

    objects = CommuneRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ án ma túy")
        verbose_name_plural = _("vụ án ma túy")
        ordering = ["-detected_on"]
        constraints = [not_in_future("detected_on", "residents_drugcase_detected_not_future")]
        indexes = [models.Index(fields=["commune", "detected_on"], name="drugcase_commune_idx")]

    def __str__(self):
        return f"{self.number or self.offence} ({self.detected_on:%d/%m/%Y})"


class ArrestedSuspect(models.Model):
    case = models.ForeignKey(DrugCase, on_delete=models.CASCADE, related_name="suspects", verbose_name=_("vụ án"))
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="arrests", verbose_name=_("người")
    )
    full_name = models.CharField(_("họ và tên"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    arrested_on = models.DateField(_("ngày bắt"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đối tượng bị bắt")
        verbose_name_plural = _("đối tượng bị bắt")
        constraints = [not_in_future("arrested_on", "residents_suspect_arrested_not_future")]

    def save(self, *args, **kwargs):
        self.full_name = clean_text(self.full_name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.full_name


class Incident(Versioned):
    class Severity(models.TextChoices):
        LESS_SERIOUS = "less_serious", _("Ít nghiêm trọng")
        SERIOUS = "serious", _("Nghiêm trọng")
        VERY_SERIOUS = "very_serious", _("Rất nghiêm trọng")
        ESPECIALLY_SERIOUS = "especially_serious", _("Đặc biệt nghiêm trọng")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("xã"))
    hamlet = models.ForeignKey(Hamlet, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("thôn"))
    occurred_on = models.DateField(_("ngày xảy ra"))
    severity = models.CharField(_("mức độ"), max_length=20, choices=Severity)
    caused_by_psychosis = models.BooleanField(_("do người có biểu hiện loạn thần gây ra"), default=False)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        verbose_name=_("người gây ra"),
    )
    description = models.TextField(_("diễn biến"))
    history = HistoricalRecords()

    objects = CommuneRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-occurred_on"]
        constraints = [not_in_future("occurred_on", "residents_incident_not_future")]
        indexes = [
            models.Index(
                fields=["commune", "occurred_on"],
                condition=Q(caused_by_psychosis=True),
                name="incident_psychosis_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_severity_display()} – {self.occurred_on:%d/%m/%Y}"
