"""Programmes (criteria sets) as data, their criteria pointing at metrics in code, and frozen monthly snapshots."""

from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scopes import scope_q
from communes.models import Commune, Province
from drugfree.db import FieldCheck
from drugfree.figures import format_number

from .metrics import REGISTRY, get_metric, metric_choices
from .stamps import FigureStamp  # noqa: F401  (registered with the app)
from .tallies import HouseholdTally, PledgeTally  # noqa: F401  (registered with the app)


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    EQUAL = "eq", "="
    AT_MOST = "lte", "≤"


class Level(models.TextChoices):
    """The unit a criteria set assesses: communes, hamlets (thôn, bản, khu phố) or a whole province."""

    COMMUNE = "commune", _("Xã, phường")
    HAMLET = "hamlet", _("Thôn, bản, khu phố")
    PROVINCE = "province", _("Tỉnh, thành phố")


class ProgrammeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_province(self, province_id):
        """Programmes of that province first, then national ones (no province); newest first within each.
        NULLS LAST spelt out: SQLite sorts NULL first, PostgreSQL last."""
        return self.filter(Q(province_id=province_id) | Q(province__isnull=True)).order_by(
            models.F("province_id").asc(nulls_last=True), "-period_start", "pk"
        )

    def at_level(self, level: str):
        return self.filter(level=level)


class Programme(models.Model):
    """A criteria set such as Đề án 3822/ĐA-CAT of Thanh Hóa's provincial police, or the 2025 national rules."""

    name = models.CharField(_("tên chương trình"), max_length=255)
    legal_document = models.CharField(
        _("văn bản"), max_length=255, help_text=_("Ví dụ: Đề án 3822/ĐA-CAT, Công an tỉnh Thanh Hóa")
    )
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("tỉnh"),
        help_text=_("Để trống nếu áp dụng toàn quốc."),
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    level = models.CharField(
        _("cấp đánh giá"),
        max_length=10,
        choices=Level,
        default=Level.COMMUNE,
        help_text=_("Bộ tiêu chí cấp thôn chỉ dùng các chỉ số tính được theo thôn."),
    )
    description = models.TextField(_("mô tả"), blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-period_start", "name"]
        constraints = [
            FieldCheck(
                field="period_end",
                after="period_start",
                condition=Q(period_end__gte=models.F("period_start")),
                name="progress_programme_period_in_order",
            )
        ]

    def __str__(self):
        return self.name


class CriterionGroup(models.Model):
    """Criteria counted together: "đạt ít nhất k trong n tiêu chí" (QĐ 28/2025's hotspot classes I, II, III).

    A requirement group must be satisfied for the programme to be met, like an ungrouped criterion. Class groups
    do not decide whether the programme is met: a unit's class is the first class group (by order) it satisfies.
    n counts clauses (điểm a, b, c…): criteria of a group that share a clause are alternatives, met when one is
    ("≥ 3.000 cây hoặc ≥ 750 m²" is one clause).
    """

    class Role(models.TextChoices):
        REQUIREMENT = "requirement", _("Điều kiện phải đạt")
        CLASS = "class", _("Phân loại")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="groups", verbose_name=_("bộ tiêu chí")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên nhóm"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=30, help_text=_("Ví dụ: Loại I"))
    role = models.CharField(_("vai trò"), max_length=12, choices=Role, default=Role.CLASS)
    min_met = models.PositiveSmallIntegerField(
        _("số tiêu chí tối thiểu phải đạt"), help_text=_("Đạt ít nhất k trong n điểm (tiêu chí) của nhóm.")
    )

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="progress_group_name_once"),
            FieldCheck(
                field="min_met",
                condition=Q(min_met__gte=1),
                name="progress_group_min_met_positive",
                violation_error_message=_("Số tiêu chí tối thiểu phải từ 1 trở lên."),
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name}"


class Criterion(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("bộ tiêu chí")
    )
    group = models.ForeignKey(
        CriterionGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("nhóm"),
        help_text=_("Để trống: tiêu chí phải đạt."),
    )
    clause = models.CharField(
        _("điểm"),
        max_length=10,
        blank=True,
        help_text=_("Trong một nhóm, các tiêu chí cùng điểm là phương án thay thế: đạt một là đạt điểm đó."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    metric_key = models.CharField(_("chỉ số"), max_length=50, choices=metric_choices)
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison, default=Comparison.AT_LEAST)
    target = models.DecimalField(
        _("chỉ tiêu"), max_digits=9, decimal_places=3, help_text=_("Tỷ lệ tính bằng %, số lượng tính bằng số.")
    )
    label = models.CharField(_("tên tiêu chí"), max_length=255, blank=True, help_text=_("Để trống: dùng tên chỉ số."))

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["programme", "order", "pk"]
        constraints = [
            # A metric appears once outside groups and once per group (QĐ 28's classes reuse its indicators).
            models.UniqueConstraint(
                fields=["programme", "metric_key"],
                condition=Q(group__isnull=True),
                name="progress_criterion_metric_once",
            ),
            models.UniqueConstraint(
                fields=["group", "metric_key"],
                condition=Q(group__isnull=False),
                name="progress_criterion_metric_once_in_group",
            ),
            FieldCheck(
                field="comparison",
                condition=Q(comparison__in=["gte", "eq", "lte"]),
                name="progress_criterion_comparison_valid",
                violation_error_message=_("Phép so sánh phải là ≥, = hoặc ≤."),
            ),
        ]

    def __str__(self):
        return self.title

    @cached_property
    def metric(self):
        return get_metric(self.metric_key)

    @property
    def title(self) -> str:
        return self.label or str(self.metric.label)

    @property
    def target_display(self) -> str:
        unit = "" if self.metric.kind == "count" else " %"
        return f"{self.get_comparison_display()} {format_number(self.target)}{unit}"

    def is_met(self, value) -> bool:
        return is_met(self.comparison, self.target, value)

    @property
    def clause_key(self) -> str:
        """Criteria of a group without a clause each count on their own."""
        return self.clause or f"#{self.pk or id(self)}"

    def clean(self):
        if self.metric_key and self.metric_key not in dict(metric_choices()):
            raise ValidationError({"metric_key": _("Chỉ số không tồn tại.")})
        if self.group_id and self.programme_id and self.group.programme_id != self.programme_id:
            raise ValidationError({"group": _("Nhóm phải thuộc cùng bộ tiêu chí.")})
        hamlet_level = self.programme_id and self.programme.level == Level.HAMLET
        if self.metric_key in REGISTRY and hamlet_level and not self.metric.has_hamlets:
            raise ValidationError({"metric_key": _("Chỉ số này không tính được theo thôn.")})


@lru_cache(maxsize=256)
def _exact(target: Decimal) -> Fraction:
    # A dashboard compares each of a few targets with every commune's value: convert each Decimal once.
    return Fraction(target)


def is_met(comparison: str, target, value) -> bool:
    """Exact comparison (fractions): 99.99 % is not 100 %."""
    target, value = _exact(target), Fraction(value)
    if comparison == Comparison.AT_LEAST:
        return value >= target
    if comparison == Comparison.AT_MOST:
        return value <= target
    return value == target


class SnapshotRefused(ValidationError):
    pass


class SnapshotQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "commune"))

    def update(self, **kwargs):
        raise SnapshotRefused(_("Số liệu chốt tháng không được sửa."))

    def delete(self):
        raise SnapshotRefused(_("Số liệu chốt tháng không được xóa."))


class CommuneSnapshot(models.Model):
    """A commune's figure for one criterion, frozen at the end of a month: past months never change.

    The criterion's comparison and target are copied so that editing a programme later does not rewrite history.
    """

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("xã"))
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("tiêu chí")
    )
    as_of = models.DateField(_("số liệu tính đến ngày"))
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=3)
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    gap_size = models.PositiveIntegerField(_("số còn thiếu"))
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison)
    target = models.DecimalField(_("chỉ tiêu"), max_digits=9, decimal_places=3)
    met = models.BooleanField(_("đạt"))
    taken_at = models.DateTimeField(_("thời điểm chốt"), auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu chốt tháng")
        verbose_name_plural = _("số liệu chốt tháng")
        ordering = ["-month", "commune", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "month", "criterion"], name="progress_snapshot_once_per_month"),
        ]
        indexes = [models.Index(fields=["criterion", "month"], name="progress_snapshot_month_idx")]

    def __str__(self):
        return f"{self.commune} {self.month:%m/%Y} {self.criterion}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise SnapshotRefused(_("Số liệu chốt tháng không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotRefused(_("Số liệu chốt tháng không được xóa."))


class MonthReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "commune"))


class MonthReview(models.Model):
    """A reviewer has checked a commune's month (its snapshots): who and when."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="month_reviews", verbose_name=_("xã"))
    month = models.DateField(_("tháng"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người duyệt")
    )
    reviewed_at = models.DateTimeField(_("thời điểm duyệt"), auto_now_add=True)
    note = models.CharField(_("nhận xét"), max_length=500, blank=True)

    objects = MonthReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("xác nhận tháng")
        verbose_name_plural = _("xác nhận tháng")
        ordering = ["-month", "commune"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="progress_review_once_per_month"),
        ]

    def __str__(self):
        return f"{self.commune} {self.month:%m/%Y}"


class CommuneProgress(Commune):
    """The commune list of the admin with each criterion's status as columns (see progress/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = _("tiến độ xã")
        verbose_name_plural = _("tiến độ các xã")
