"""A unit's way to recognition (commune, or hamlet decided by its commune) and the province's yearly roadmap."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import scope_q
from communes.models import Commune, Hamlet, Province

FIRST_YEAR, LAST_YEAR = 2020, 2035


class CommuneStatus(models.TextChoices):
    """What a commune (or hamlet) shows wherever it appears."""

    BUILDING = "building", _("Đang xây dựng")
    REGISTERED = "registered", _("Đã đăng ký")
    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    IN_APPRAISAL = "in_appraisal", _("Đang thẩm định")
    RECOGNISED = "recognised", _("Đã công nhận")
    # The decision's period (or the last confirmed maintenance review's) has run out: no longer "đã công nhận".
    EXPIRED = "expired", _("Hết hiệu lực – cần rà soát lại")
    REVOKED = "revoked", _("Bị thu hồi")


class ProvinceTarget(models.Model):
    """The province's roadmap: how many communes it aims to have recognised by the end of each year (to 2030)."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="recognition_targets", verbose_name=_("tỉnh")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    target_communes = models.PositiveIntegerField(_("chỉ tiêu số xã được công nhận"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu lộ trình")
        verbose_name_plural = _("lộ trình chỉ tiêu xã không ma túy")
        ordering = ["province", "year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="recognition_target_once_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="recognition_target_year_in_range",
                violation_error_message=_("Năm của lộ trình phải trong khoảng 2020–2035."),
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.year}: {self.target_communes}"


class RecognitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "commune"))

    def communes(self):
        return self.filter(hamlet__isnull=True)

    def hamlets(self):
        return self.filter(hamlet__isnull=False)

    def open(self):
        return self.exclude(status__in=Recognition.CLOSED)

    def lapsed(self, today):
        """Still stored as recognised, but valid only until before `today` (Vietnam's date, from Python: the
        database's clock is the server's)."""
        return self.filter(status=Recognition.Status.RECOGNISED, valid_until__lt=today)


class Recognition(models.Model):
    """One cycle: registered for a year, dossier, appraisal, decision, kept or revoked. A refused or revoked cycle
    ends; the unit may register again (a new cycle), so the history of every attempt stays."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã đăng ký")
        SUBMITTED = "submitted", _("Đã nộp hồ sơ")
        IN_APPRAISAL = "in_appraisal", _("Đang thẩm định")
        RETURNED = "returned", _("Trả lại để bổ sung")
        RECOGNISED = "recognised", _("Đã công nhận")
        # Past `valid_until` with no confirmed maintenance review renewing it (the nightly job records the move).
        EXPIRED = "expired", _("Hết hiệu lực")
        REFUSED = "refused", _("Không công nhận")
        REVOKED = "revoked", _("Bị thu hồi")

    CLOSED = (Status.REFUSED, Status.REVOKED)

    class Level(models.TextChoices):
        COMMUNE = "commune", _("Xã không ma túy")
        HAMLET = "hamlet", _("Thôn, bản, khu phố sạch về ma túy")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("xã/phường")
    )
    # Set for a hamlet's cycle, which the commune decides.
    hamlet = models.ForeignKey(
        Hamlet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("thôn, bản, khu phố"),
    )
    target_year = models.PositiveSmallIntegerField(_("năm đăng ký đạt"))
    status = models.CharField(_("trạng thái"), max_length=15, choices=Status, default=Status.REGISTERED)
    registered_on = models.DateField(_("ngày đăng ký"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đăng ký")
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # The last day the recognition holds: the decision's `valid_until`, moved on by each confirmed maintenance
    # review (RECOGNITION_VALID_MONTHS from the review). Set by the services only; empty before the decision.
    valid_until = models.DateField(_("còn hiệu lực đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký công nhận")
        verbose_name_plural = _("đăng ký công nhận")
        ordering = ["-target_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(hamlet__isnull=True) & ~Q(status__in=["refused", "revoked"]),
                name="recognition_one_open_cycle_per_commune",
                violation_error_message=_("Xã đã có một đăng ký công nhận đang thực hiện."),
            ),
            models.UniqueConstraint(
                fields=["hamlet"],
                condition=Q(hamlet__isnull=False) & ~Q(status__in=["refused", "revoked"]),
                name="recognition_one_open_cycle_per_hamlet",
                violation_error_message=_("Thôn đã có một đăng ký công nhận đang thực hiện."),
            ),
            models.CheckConstraint(
                condition=Q(target_year__gte=FIRST_YEAR) & Q(target_year__lte=LAST_YEAR),
                name="recognition_target_year_in_range_of_roadmap",
                violation_error_message=_("Năm đăng ký phải trong khoảng 2020–2035."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "status"], name="recognition_commune_status_idx")]

    def __str__(self):
        return f"{self.unit} ({self.target_year})"

    @property
    def unit(self):
        return self.hamlet or self.commune

    @property
    def level(self) -> str:
        return self.Level.HAMLET if self.hamlet_id else self.Level.COMMUNE

    def lapsed(self, today) -> bool:
        """Recognised, but its validity ended before `today` (Vietnam's date): shown as expired even before the
        nightly job records the move (the SQL twin is `RecognitionQuerySet.lapsed`)."""
        return self.status == self.Status.RECOGNISED and self.valid_until is not None and self.valid_until < today

    def unit_status(self, today) -> str:
        """The status shown beside the unit's name on `today` (Vietnam's date)."""
        return CommuneStatus.EXPIRED if self.lapsed(today) else UNIT_STATUS[self.status]


UNIT_STATUS = {
    Recognition.Status.REGISTERED: CommuneStatus.REGISTERED,
    Recognition.Status.SUBMITTED: CommuneStatus.SUBMITTED,
    Recognition.Status.IN_APPRAISAL: CommuneStatus.IN_APPRAISAL,
    # Returned for supplements: still before the council, waiting for the commune.
    Recognition.Status.RETURNED: CommuneStatus.IN_APPRAISAL,
    Recognition.Status.RECOGNISED: CommuneStatus.RECOGNISED,
    Recognition.Status.EXPIRED: CommuneStatus.EXPIRED,
    # Refused: back to building, until the next registration.
    Recognition.Status.REFUSED: CommuneStatus.BUILDING,
    Recognition.Status.REVOKED: CommuneStatus.REVOKED,
}
