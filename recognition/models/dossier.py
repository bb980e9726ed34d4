"""The dossier (hồ sơ đề nghị công nhận): every criterion frozen with its gap list, the evidence, and what the
council said of it. Submitted, it never changes: a supplement is a new version."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from progress.models import Comparison, Criterion, CriterionGroup, Programme

from .cycle import Recognition


class Immutable(ValidationError):
    pass


class Dossier(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Đang lập")
        APPROVED = "approved", _("Lãnh đạo đã phê duyệt")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Trả lại để bổ sung")

    EDITABLE = (State.DRAFT, State.APPROVED)
    WRITABLE_AFTER_SUBMISSION = frozenset({"state", "return_reasons", "returned_by", "returned_at"})

    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("đăng ký công nhận")
    )
    number = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    # The version it supplements (returned by the council).
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplement",
        verbose_name=_("bổ sung cho hồ sơ"),
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ tiêu chí"))
    programme_name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    as_of = models.DateField(_("số liệu tính đến ngày"))
    frozen_at = models.DateTimeField(_("thời điểm chốt"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    self_assessment = models.TextField(_("biên bản tự đánh giá"), blank=True)
    proposal = models.TextField(_("tờ trình của ban chỉ đạo"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State, default=State.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lãnh đạo phê duyệt"),
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người nộp"),
    )
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    return_reasons = models.TextField(_("lý do trả lại, nội dung cần bổ sung"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người trả lại"),
    )
    returned_at = models.DateTimeField(_("thời điểm trả lại"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ đề nghị công nhận")
        verbose_name_plural = _("hồ sơ đề nghị công nhận")
        ordering = ["recognition_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "number"], name="recognition_dossier_number_once"),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "submitted", "returned"]) | Q(approved_by__isnull=False),
                name="recognition_dossier_approved_before_submission",
                violation_error_message=_("Hồ sơ phải được lãnh đạo phê duyệt trước khi nộp."),
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reasons=""),
                name="recognition_dossier_return_has_reasons",
                violation_error_message=_("Trả lại hồ sơ phải nêu lý do."),
            ),
        ]

    def __str__(self):
        return _("Hồ sơ %(unit)s, lần %(number)s") % {"unit": self.recognition.unit, "number": self.number}

    @property
    def commune_id(self):
        # Access-log entries group by commune (accounts.audit.log_shown).
        return self.recognition.commune_id

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    def save(self, *args, **kwargs):
        # Once submitted, only the council's return (state and its reasons) may still be written.
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            fields = set(kwargs.get("update_fields") or ())
            if stored not in self.EDITABLE and not (fields and fields <= self.WRITABLE_AFTER_SUBMISSION):
                raise Immutable(_("Hồ sơ đã nộp không được sửa; hãy lập hồ sơ bổ sung."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable(_("Hồ sơ không được xóa."))


class DossierCriterion(models.Model):
    """One criterion as it stood on the dossier's date: figure, target, result and the gap list behind it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("hồ sơ"))
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("tiêu chí")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tiêu chí"), max_length=255)
    metric_key = models.CharField(_("chỉ số"), max_length=50)
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison)
    target = models.DecimalField(_("chỉ tiêu"), max_digits=9, decimal_places=3)
    target_display = models.CharField(_("chỉ tiêu"), max_length=50)
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=3)
    value_display = models.CharField(_("kết quả"), max_length=50)
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    gap_size = models.PositiveIntegerField(_("số còn thiếu"))
    met = models.BooleanField(_("đạt"))
    gap_title = models.CharField(_("danh sách"), max_length=255, blank=True)
    # [{"id": pk, "cells": [column values as shown]}], at most GAP_ROWS_FROZEN rows; gap_size gives the total.
    gap_columns = models.JSONField(_("cột danh sách"), default=list, blank=True)
    gap_rows = models.JSONField(_("danh sách còn thiếu"), default=list, blank=True)
    # The "at least k of n" group the criterion belonged to when frozen (progress.CriterionGroup, copied so that
    # editing the set later does not rewrite the dossier); empty name: an ungrouped criterion, which must be met.
    group_name = models.CharField(_("nhóm tiêu chí"), max_length=255, blank=True)
    group_short_name = models.CharField(_("tên ngắn của nhóm"), max_length=30, blank=True)
    group_order = models.PositiveSmallIntegerField(_("thứ tự nhóm"), null=True, blank=True)
    group_role = models.CharField(_("vai trò của nhóm"), max_length=12, choices=CriterionGroup.Role, blank=True)
    group_min_met = models.PositiveSmallIntegerField(_("số điểm tối thiểu phải đạt"), null=True, blank=True)
    clause = models.CharField(_("điểm"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("tiêu chí trong hồ sơ")
        verbose_name_plural = _("tiêu chí trong hồ sơ")
        ordering = ["dossier_id", "order", "pk"]
        constraints = [
            # QĐ 28's classes reuse one indicator in several groups: a metric is frozen once per group.
            models.UniqueConstraint(
                fields=["dossier", "group_name", "metric_key"], name="recognition_dossier_criterion_once"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def slot(self) -> tuple[str, str]:
        """What identifies the criterion across freezes and versions: its group and its metric."""
        return (self.group_name, self.metric_key)

    @property
    def clause_key(self) -> str:
        """Criteria of a group that share a clause are alternatives; without a clause each counts on its own."""
        return self.clause or f"#{self.order}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable(_("Số liệu đã chốt trong hồ sơ không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable(_("Số liệu đã chốt trong hồ sơ không được xóa."))


def evidence_storage():
    """The "evidence" storage of settings.STORAGES: a private directory, or an S3 bucket through django-storages."""
    return storages["evidence"]


class Evidence(models.Model):
    """A document of the dossier, attached to the criterion it supports (none: the dossier as a whole)."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Biên bản tự đánh giá")
        PROPOSAL = "proposal", _("Tờ trình")
        PLAN = "plan", _("Kế hoạch")
        MINUTES = "minutes", _("Biên bản họp")
        PHOTO = "photo", _("Ảnh hoạt động")
        PLEDGES = "pledges", _("Bản cam kết (bản quét)")
        OTHER = "other", _("Tài liệu khác")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("hồ sơ"))
    criterion = models.ForeignKey(
        DossierCriterion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("minh chứng cho tiêu chí"),
    )
    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=Kind)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), storage=evidence_storage, upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["dossier_id", "pk"]

    def __str__(self):
        return self.title

    @property
    def commune_id(self):
        return self.dossier.recognition.commune_id

    def save(self, *args, **kwargs):
        if not self.dossier.is_editable:
            raise Immutable(_("Hồ sơ đã nộp không được sửa; hãy lập hồ sơ bổ sung."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable(_("Minh chứng không được xóa."))


class Verdict(models.Model):
    """The council's verdict on one frozen criterion."""

    class Result(models.TextChoices):
        PASS = "pass", _("Đạt")
        FAIL = "fail", _("Không đạt")
        SUPPLEMENT = "supplement", _("Cần bổ sung")

    criterion = models.OneToOneField(
        DossierCriterion, on_delete=models.PROTECT, related_name="verdict", verbose_name=_("tiêu chí")
    )
    result = models.CharField(_("kết luận"), max_length=10, choices=Result)
    comment = models.TextField(_("nhận xét"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("thành viên hội đồng")
    )
    given_at = models.DateTimeField(_("thời điểm"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết luận thẩm định tiêu chí")
        verbose_name_plural = _("kết luận thẩm định tiêu chí")
        constraints = [
            models.CheckConstraint(
                condition=Q(result="pass") | ~Q(comment=""),
                name="recognition_verdict_explained",
                violation_error_message=_("Kết luận không đạt hoặc cần bổ sung phải có nhận xét."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.get_result_display()}"


class FieldInspection(models.Model):
    """Kiểm tra thực tế: the council's visit to the commune."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("hồ sơ"))
    inspected_on = models.DateField(_("ngày kiểm tra"))
    members = models.TextField(_("thành phần đoàn kiểm tra"))
    findings = models.TextField(_("kết quả kiểm tra"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kiểm tra thực tế")
        verbose_name_plural = _("kiểm tra thực tế")
        ordering = ["dossier_id", "inspected_on", "pk"]

    def __str__(self):
        return f"{self.dossier} {self.inspected_on:%d/%m/%Y}"
