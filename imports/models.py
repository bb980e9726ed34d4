from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scopes import scope_q
from communes.models import Commune
from imports.text_files import encoding_to_show


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs of the communes the user may write to: the errors and previews they hold name people."""
        if not user.is_authenticated or not user.can_write_records:
            return self.none()
        return self.filter(scope_q(user, "commune"))


class ImportRun(models.Model):
    """One upload of a household list, from preview to the end of the import: who, when, what, and what came of it.

    It is also the import's audit entry: the history rows the import writes carry its number in their change reason.
    """

    class Status(models.TextChoices):
        READING = "reading", _("Đang đọc tệp")
        PREVIEW = "preview", _("Chờ xác nhận")
        QUEUED = "queued", _("Đang chờ chạy")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập xong")
        FAILED = "failed", _("Thất bại")
        CANCELLED = "cancelled", _("Đã hủy")

    class Mode(models.TextChoices):
        ALL = "all", _("Nhập tất cả (chỉ khi không có lỗi)")
        VALID_ONLY = "valid_only", _("Chỉ nhập các dòng hợp lệ")

    class Source(models.TextChoices):
        WEB = "web", _("Trang nhập danh sách")
        ADMIN = "admin", _("Trang quản trị")
        COMMAND = "command", _("Lệnh quản trị")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="import_runs", verbose_name=_("xã"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_runs",
        verbose_name=_("người nhập"),
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True, db_index=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source, default=Source.WEB)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sheet_name = models.CharField(_("trang tính"), max_length=100, blank=True)
    header_row_number = models.PositiveIntegerField(_("dòng tiêu đề"), null=True, blank=True)
    # Column index (as text, JSON keys) -> canonical field or null: what the user confirmed in the preview.
    mapping = models.JSONField(_("ghép cột"), default=dict, blank=True)
    headers = models.JSONField(_("tiêu đề cột"), default=list, blank=True)
    full_list = models.BooleanField(
        _("danh sách đầy đủ của xã"),
        default=False,
        help_text=_("Hộ đang cư trú có trong hệ thống nhưng không có trong tệp sẽ được báo cáo (không bị xóa)."),
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status, default=Status.PREVIEW, db_index=True)
    mode = models.CharField(_("cách nhập"), max_length=10, choices=Mode, blank=True)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    new_rows = models.PositiveIntegerField(_("dòng mới"), default=0)
    changed_rows = models.PositiveIntegerField(_("dòng thay đổi"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("dòng không đổi"), default=0)
    invalid_rows = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    created_count = models.PositiveIntegerField(_("hộ đã tạo"), default=0)
    updated_count = models.PositiveIntegerField(_("hộ đã cập nhật"), default=0)
    missing_count = models.PositiveIntegerField(_("hộ không có trong tệp"), default=0)
    # [{"row": 3, "field": "head_birth", "column": "Ngày sinh", "message": "…"}], capped (see settings).
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    # First rows of each kind, changes, missing households, extension counts (pledges): what the pages show.
    summary = models.JSONField(_("tóm tắt"), default=dict, blank=True)
    processed_rows = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    phase = models.CharField(_("giai đoạn"), max_length=20, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    # Why a confirmed import failed, in the user's words, with the spreadsheet row and column when known.
    failure_reason = models.TextField(_("lý do thất bại"), blank=True)
    failure_row = models.PositiveIntegerField(_("dòng gây lỗi"), null=True, blank=True)
    failure_column = models.CharField(_("cột gây lỗi"), max_length=255, blank=True)
    task_id = models.CharField(max_length=50, blank=True)
    started_at = models.DateTimeField(_("bắt đầu nhập"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    # When the retention rule deleted the uploaded file and the preview rows copied from it (imports.retention).
    file_purged_at = models.DateTimeField(_("đã xóa tệp lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        # The table it had when it lived in residents: the move changed no data (migrations/0001_import_run.py).
        db_table = "residents_importrun"
        verbose_name = _("lần nhập danh sách hộ")
        verbose_name_plural = _("các lần nhập danh sách hộ")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["commune", "-created_at"], name="importrun_commune_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(mode=""),
                name="residents_importrun_done_has_mode",
                violation_error_message=_("Lượt nhập đã xong phải ghi rõ cách nhập."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.READING, self.Status.QUEUED, self.Status.RUNNING)

    @property
    def valid_rows(self) -> int:
        return self.total_rows - self.invalid_rows

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_stalled(self) -> bool:
        """Being read, queued or running, yet silent for longer than any import reports (each phase reports as it
        starts, the plan every few thousand rows): its worker or connection died and its transaction was rolled
        back."""
        limit = timedelta(minutes=settings.HOUSEHOLD_IMPORT_STALLED_MINUTES)
        return self.is_in_progress and self.updated_at is not None and timezone.now() - self.updated_at > limit

    @property
    def is_quiet(self) -> bool:
        """In progress but silent for longer than a healthy job is: its page says so rather than show a bar that
        looks alive (the job may be waiting for a worker, or about to be delivered again after a worker died)."""
        limit = timedelta(minutes=settings.HOUSEHOLD_IMPORT_QUIET_MINUTES)
        return self.is_in_progress and self.updated_at is not None and timezone.now() - self.updated_at > limit

    @property
    def text_encoding_label(self) -> str:
        """How a .csv/.txt was decoded, when not plain UTF-8: the preview says so, for the user to check the names."""
        return encoding_to_show(self.summary.get("text_encoding", "")) if self.summary else ""

    @property
    def failure_text(self) -> str:
        """The failure reason with where it was found: "dòng 12, cột “Ngày sinh”: …"."""
        where = []
        if self.failure_row:
            where.append(_("dòng %(row)d") % {"row": self.failure_row})
        if self.failure_column:
            where.append(_("cột “%(column)s”") % {"column": self.failure_column})
        return f"{', '.join(where)}: {self.failure_reason}" if where else self.failure_reason

    def column_mapping(self) -> dict[int, str | None]:
        return {int(index): field for index, field in self.mapping.items()}
