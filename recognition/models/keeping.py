"""After the appraisal: the decision, the live watch's alerts, the yearly maintenance review and revocation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import scope_q
from communes.models import Commune
from drugfree.db import dates_in_order

from .cycle import Recognition
from .dossier import Dossier


class Decision(models.Model):
    """Quyết định công nhận (or the refusal), with the period a recognition holds."""

    class Outcome(models.TextChoices):
        RECOGNISED = "recognised", _("Công nhận")
        REFUSED = "refused", _("Không công nhận")

    recognition = models.OneToOneField(
        Recognition, on_delete=models.PROTECT, related_name="decision", verbose_name=_("đăng ký công nhận")
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+", verbose_name=_("hồ sơ"))
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome)
    number = models.CharField(_("số quyết định"), max_length=50)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=150)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        constraints = [
            dates_in_order("valid_from", "valid_until", "recognition_decision_validity_in_order"),
            models.CheckConstraint(
                condition=~Q(outcome="recognised") | Q(valid_from__isnull=False),
                name="recognition_decision_recognised_has_validity",
                violation_error_message=_("Quyết định công nhận phải ghi ngày có hiệu lực."),
            ),
        ]

    def __str__(self):
        return self.number


class Revocation(models.Model):
    """Thu hồi: the recognition ends, with the decision's number and the reasons."""

    recognition = models.OneToOneField(
        Recognition, on_delete=models.PROTECT, related_name="revocation", verbose_name=_("đăng ký công nhận")
    )
    number = models.CharField(_("số quyết định thu hồi"), max_length=50)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=150)
    reasons = models.TextField(_("lý do thu hồi"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định thu hồi")
        verbose_name_plural = _("quyết định thu hồi")

    def __str__(self):
        return self.number


class MaintenanceReview(models.Model):
    """The yearly review that re-confirms a recognised unit still meets the criteria."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Giữ vững")
        AT_RISK = "at_risk", _("Nguy cơ không giữ vững")

    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("đăng ký công nhận")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    reviewed_on = models.DateField(_("ngày rà soát"))
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome)
    unmet_criteria = models.JSONField(_("tiêu chí không đạt"), default=list, blank=True)
    findings = models.TextField(_("nhận xét"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người rà soát")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rà soát duy trì")
        verbose_name_plural = _("rà soát duy trì")
        ordering = ["recognition_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "year"], name="recognition_review_once_a_year"),
        ]

    def __str__(self):
        return f"{self.recognition} {self.year}"


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "commune"))

    def open(self):
        return self.filter(closed_at__isnull=True)


class Alert(models.Model):
    """An event that breaks a criterion of a recognised unit, found by the live watch (recognition/watch.py)."""

    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("đăng ký công nhận")
    )
    # Copied from the recognition so the province's list filters by scope without a join.
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường"))
    metric_key = models.CharField(_("chỉ số"), max_length=50)
    criterion_title = models.CharField(_("tiêu chí bị ảnh hưởng"), max_length=255)
    # The record behind the event (a hotspot, a person found outside the list, an incident).
    object_type = models.CharField(_("loại đối tượng"), max_length=50)
    object_id = models.CharField(_("mã đối tượng"), max_length=50)
    event = models.CharField(_("sự việc"), max_length=500)
    detected_at = models.DateTimeField(_("thời điểm phát hiện"), auto_now_add=True)
    closed_at = models.DateTimeField(_("thời điểm đóng"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đóng"),
    )
    closing_note = models.CharField(_("ghi chú khi đóng"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo không giữ vững")
        verbose_name_plural = _("cảnh báo không giữ vững")
        ordering = ["-detected_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "metric_key", "object_type", "object_id"], name="recognition_alert_once"
            ),
        ]
        indexes = [
            models.Index(fields=["commune"], condition=Q(closed_at__isnull=True), name="recognition_alert_open_idx"),
        ]

    def __str__(self):
        return f"{self.commune}: {self.event}"
