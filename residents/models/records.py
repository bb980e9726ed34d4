"""A person's situation as a history of periods (docs/domain.md §4): each legal step is its own dated record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import personal_scope_q
from drugfree.db import FieldCheck, dates_in_order, not_in_future

from .people import Person


class EndReason(models.TextChoices):
    """Why a period ended: Mẫu 10 (term completed) or Mẫu 09 (stopped)."""

    COMPLETED = "completed", _("Hết thời hạn (chấm dứt quản lý)")
    RE_USE = "re_use", _("Tái sử dụng (quản lý lại từ đầu)")
    ADDICTED = "addicted", _("Xác định là người nghiện")
    TREATMENT = "treatment", _("Chuyển sang cai nghiện/điều trị")
    PRISON = "prison", _("Chấp hành án phạt tù")
    DEATH = "death", _("Đã chết")
    MOVED = "moved", _("Chuyển nơi cư trú")
    DROPPED_OUT = "dropped_out", _("Bỏ điều trị/cai nghiện")
    OTHER = "other", _("Lý do khác")


# Mẫu 09 reasons that take the person out of the commune's reach: afterwards they are nobody the commune missed.
LEAVING_REASONS = (EndReason.PRISON, EndReason.DEATH, EndReason.MOVED)


class PersonRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_scope_q(user, "person__commune"))

    def open(self):
        return self.filter(ended_on__isnull=True)


class PersonRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("người"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nhập"),
    )

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        abstract = True


class DecisionMixin(models.Model):
    """Decisions carry a number and a date (the official forms' Mẫu numbers are the document types)."""

    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        abstract = True


class Suspicion(PersonRecord):
    """Listed as reasonably suspected of use: must be tested (criterion 2)."""

    class Trigger(models.TextChoices):
        TIP = "tip", _("Tin báo, tố giác")
        CAUGHT = "caught", _("Bị phát hiện, bắt quả tang")
        SIGNS = "signs", _("Có biểu hiện sử dụng")
        SELF_DECLARED = "self", _("Tự khai báo")

    listed_on = models.DateField(_("ngày lập danh sách"))
    trigger = models.CharField(_("căn cứ"), max_length=10, choices=Trigger)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("người có căn cứ nghi sử dụng")
        verbose_name_plural = _("danh sách nghi sử dụng")
        ordering = ["-listed_on"]
        constraints = [
            not_in_future("listed_on", "residents_suspicion_listed_not_future"),
            dates_in_order("listed_on", "closed_on", "residents_suspicion_closed_after_listed"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(closed_on__isnull=True), name="residents_suspicion_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.listed_on:%d/%m/%Y}"


class DrugTest(PersonRecord):
    class Method(models.TextChoices):
        QUICK_URINE = "quick_urine", _("Test nhanh nước tiểu")
        LAB = "lab", _("Xét nghiệm tại cơ sở y tế")
        OTHER = "other", _("Khác")

    class Result(models.TextChoices):
        POSITIVE = "positive", _("Dương tính")
        NEGATIVE = "negative", _("Âm tính")

    suspicion = models.ForeignKey(
        Suspicion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tests",
        verbose_name=_("danh sách nghi"),
    )
    tested_on = models.DateField(_("ngày xét nghiệm"))
    method = models.CharField(_("phương pháp"), max_length=12, choices=Method, default=Method.QUICK_URINE)
    substances = models.CharField(_("chất ma túy"), max_length=200, blank=True)
    result = models.CharField(_("kết quả"), max_length=10, choices=Result)
    performed_by = models.CharField(_("đơn vị/người thực hiện"), max_length=150, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả xét nghiệm")
        verbose_name_plural = _("kết quả xét nghiệm")
        ordering = ["-tested_on"]
        constraints = [not_in_future("tested_on", "residents_test_date_not_future")]

    def __str__(self):
        return f"{self.person} – {self.get_result_display()} {self.tested_on:%d/%m/%Y}"


class UserManagement(PersonRecord, DecisionMixin):
    """Management of an illegal user (Mẫu 07): one year, restarted on re-use, led by a commune police officer."""

    positive_test = models.ForeignKey(
        DrugTest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("xét nghiệm")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    team_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tổ trưởng tổ quản lý"),
    )
    team_members = models.CharField(_("thành viên tổ quản lý"), max_length=255, blank=True)
    ended_on = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=12, choices=EndReason, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quản lý người sử dụng trái phép")
        verbose_name_plural = _("quản lý người sử dụng trái phép")
        ordering = ["-starts_on"]
        constraints = [
            dates_in_order("starts_on", "ends_on", "residents_usermgmt_ends_after_start"),
            dates_in_order("starts_on", "ended_on", "residents_usermgmt_ended_after_start"),
            not_in_future("decision_date", "residents_usermgmt_decision_not_future"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="residents_usermgmt_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.decision_number}"


class AddictionAssessment(PersonRecord):
    """Xác định tình trạng nghiện by a qualified health facility: addicted needs >= 3 diagnostic criteria."""

    class Result(models.TextChoices):
        ADDICTED = "addicted", _("Nghiện")
        NOT_ADDICTED = "not_addicted", _("Không nghiện")

    assessed_on = models.DateField(_("ngày xác định"))
    facility = models.CharField(_("cơ sở y tế"), max_length=200)
    criteria_met = models.PositiveSmallIntegerField(_("số tiêu chuẩn chẩn đoán"), default=0)
    result = models.CharField(_("kết luận"), max_length=12, choices=Result)
    document_number = models.CharField(_("số phiếu kết quả"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xác định tình trạng nghiện")
        verbose_name_plural = _("xác định tình trạng nghiện")
        ordering = ["-assessed_on"]
        constraints = [
            not_in_future("assessed_on", "residents_assessment_not_future"),
            FieldCheck(
                field="criteria_met",
                condition=~Q(result="addicted") | Q(criteria_met__gte=3),
                name="residents_assessment_addicted_needs_3_criteria",
                violation_error_message=_("Kết luận nghiện cần ít nhất 3 tiêu chí chẩn đoán."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_result_display()}"


class Treatment(PersonRecord, DecisionMixin):
    class Form(models.TextChoices):
        HOME_COMMUNITY = "home", _("Cai nghiện tự nguyện tại gia đình, cộng đồng")
        FACILITY = "facility", _("Cai nghiện tự nguyện tại cơ sở")
        METHADONE = "methadone", _("Điều trị thay thế (methadone)")
        COMPULSORY = "compulsory", _("Cai nghiện bắt buộc")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Hoàn thành")
        DROPPED_OUT = "dropped_out", _("Bỏ cai nghiện/điều trị")
        STOPPED = "stopped", _("Dừng (tù, chết, chuyển đi…)")

    form = models.CharField(_("hình thức"), max_length=12, choices=Form)
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    facility = models.CharField(_("cơ sở/nơi thực hiện"), max_length=200, blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    planned_end_on = models.DateField(_("dự kiến kết thúc"))
    ended_on = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cai nghiện/điều trị")
        verbose_name_plural = _("cai nghiện/điều trị")
        ordering = ["-starts_on"]
        constraints = [
            dates_in_order("starts_on", "planned_end_on", "residents_treatment_planned_end_after_start"),
            dates_in_order("starts_on", "ended_on", "residents_treatment_ended_after_start"),
            not_in_future("starts_on", "residents_treatment_start_not_future"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="residents_treatment_one_open"
            ),
            FieldCheck(
                field="outcome",
                condition=Q(ended_on__isnull=True) | ~Q(outcome=""),
                name="residents_treatment_ended_has_outcome",
                violation_error_message=_("Đã kết thúc điều trị thì phải ghi kết quả."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_form_display()}"


class PostRehabManagement(PersonRecord, DecisionMixin):
    """Quản lý sau cai nghiện (Mẫu 51): one year, two after adult compulsory rehab."""

    treatment = models.ForeignKey(
        Treatment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("đợt cai nghiện")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    ended_on = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=12, choices=EndReason, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quản lý sau cai nghiện")
        verbose_name_plural = _("quản lý sau cai nghiện")
        ordering = ["-starts_on"]
        constraints = [
            dates_in_order("starts_on", "ends_on", "residents_postrehab_ends_after_start"),
            dates_in_order("starts_on", "ended_on", "residents_postrehab_ended_after_start"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="residents_postrehab_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.starts_on:%d/%m/%Y}"


class ManagementStop(PersonRecord):
    """Mẫu 09: management stopped on a date for a reason (prison, death, moved…), whatever was open at the time.

    The periods closed by the stop carry the reason too, but a person stopped while only suspected or awaiting a
    decision has no period to carry it; the criteria need the date and reason of every stop (missed users).
    """

    stopped_on = models.DateField(_("ngày dừng quản lý"))
    reason = models.CharField(_("lý do dừng"), max_length=12, choices=EndReason)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dừng quản lý")
        verbose_name_plural = _("dừng quản lý")
        ordering = ["-stopped_on"]
        constraints = [not_in_future("stopped_on", "residents_stop_not_future")]
        indexes = [models.Index(fields=["person", "stopped_on"], name="residents_stop_person_idx")]

    def __str__(self):
        return f"{self.person} – {self.get_reason_display()} {self.stopped_on:%d/%m/%Y}"


class Reintegration(PersonRecord):
    """Back from prison for a drug crime (NĐ 49/2020): reintegration support."""

    released_on = models.DateField(_("ngày chấp hành xong án"))
    prison = models.CharField(_("trại giam/nơi chấp hành"), max_length=200, blank=True)
    offence = models.CharField(_("tội danh"), max_length=200, blank=True)
    support = models.TextField(_("hỗ trợ tái hòa nhập"), blank=True)
    ended_on = models.DateField(_("ngày kết thúc hỗ trợ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tái hòa nhập cộng đồng")
        verbose_name_plural = _("tái hòa nhập cộng đồng")
        ordering = ["-released_on"]
        constraints = [
            not_in_future("released_on", "residents_reintegration_released_not_future"),
            dates_in_order("released_on", "ended_on", "residents_reintegration_ended_after_release"),
        ]

    def __str__(self):
        return f"{self.person} – {self.released_on:%d/%m/%Y}"


class ResidenceCheck(PersonRecord):
    """At least monthly for a user under management."""

    checked_on = models.DateField(_("ngày kiểm tra"))
    present = models.BooleanField(_("có mặt tại nơi cư trú"), default=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cán bộ kiểm tra"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kiểm tra cư trú")
        verbose_name_plural = _("kiểm tra cư trú")
        ordering = ["-checked_on"]
        constraints = [not_in_future("checked_on", "residents_residencecheck_not_future")]

    def __str__(self):
        return f"{self.person} – {self.checked_on:%d/%m/%Y}"


class RiskFlag(PersonRecord):
    class Kind(models.TextChoices):
        PSYCHOSIS = "psychosis", _("Biểu hiện loạn thần")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind, default=Kind.PSYCHOSIS)
    flagged_on = models.DateField(_("ngày ghi nhận"))
    cleared_on = models.DateField(_("ngày hết biểu hiện"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dấu hiệu nguy cơ")
        verbose_name_plural = _("dấu hiệu nguy cơ")
        ordering = ["-flagged_on"]
        constraints = [
            not_in_future("flagged_on", "residents_riskflag_not_future"),
            dates_in_order("flagged_on", "cleared_on", "residents_riskflag_cleared_after_flagged"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"
