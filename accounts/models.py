from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ công an xã")
    COMMUNE_VIEWER = "commune_viewer", _("Người xem cấp xã")
    REVIEWER = "reviewer", _("Cán bộ theo dõi (huyện/tỉnh)")
    ADMINISTRATOR = "administrator", _("Quản trị dữ liệu")
    # Members of the province's appraisal council (hội đồng thẩm định) for the "xã không ma túy" recognition.
    APPRAISAL_COUNCIL = "appraisal_council", _("Thành viên hội đồng thẩm định")


class User(AbstractUser):
    """A person who logs in. Role and unit decide what they see; see accounts.scopes."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role, default=Role.COMMUNE_VIEWER)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    # Exactly one unit, matching the role: commune for commune roles, district or province for reviewers.
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("xã/phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    district = models.ForeignKey(
        "communes.District",
        verbose_name=_("huyện/cụm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    province = models.ForeignKey(
        "communes.Province",
        verbose_name=_("tỉnh/thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # The commune's leader (chủ tịch UBND, trưởng ban chỉ đạo) approves its recognition dossier before submission.
    is_unit_leader = models.BooleanField(
        _("lãnh đạo đơn vị"),
        default=False,
        help_text=_("Tài khoản của lãnh đạo xã: phê duyệt hồ sơ đề nghị công nhận trước khi nộp."),
    )
    may_view_personal_data = models.BooleanField(
        _("được xem dữ liệu cá nhân"),
        default=False,
        help_text=_("Chỉ áp dụng cho cán bộ theo dõi và hội đồng thẩm định: cho phép xem danh sách có tên người, hộ."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["commune_officer", "commune_viewer"]) | Q(commune__isnull=False),
                name="accounts_commune_role_has_commune",
                violation_error_message=_("Tài khoản của công an xã phải gắn với một xã."),
            ),
            models.CheckConstraint(
                condition=~Q(role="reviewer") | Q(district__isnull=False) | Q(province__isnull=False),
                name="accounts_reviewer_has_area",
                violation_error_message=_("Tài khoản thẩm tra phải gắn với một tỉnh hoặc một cụm (huyện)."),
            ),
            models.CheckConstraint(
                condition=~Q(role="appraisal_council") | Q(province__isnull=False),
                name="accounts_council_has_province",
                violation_error_message=_("Tài khoản hội đồng thẩm định phải gắn với một tỉnh."),
            ),
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role__in=["commune_officer", "administrator"]) | Q(is_superuser=True),
                name="accounts_staff_only_officers_and_administrators",
                violation_error_message=_(
                    "Chỉ cán bộ công an xã và quản trị dữ liệu được vào trang quản trị; người xem và cán bộ theo dõi "
                    "dùng các trang nghiệp vụ."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_commune_role(self) -> bool:
        return self.role in (Role.COMMUNE_OFFICER, Role.COMMUNE_VIEWER)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def can_write_records(self) -> bool:
        """Officers write in their commune; administrators anywhere; viewers and reviewers never."""
        return self.is_active and (self.role == Role.COMMUNE_OFFICER or self.is_administrator)

    @property
    def may_review(self) -> bool:
        """Reviewers (with or without the right to see names) and administrators confirm a commune's frozen month;
        commune roles never review their own figures."""
        return self.role == Role.REVIEWER or self.is_administrator

    @property
    def may_read_access_log(self) -> bool:
        """Officers, reviewers who may see names, administrators; not viewers (the log is the officers' tool to
        answer for their commune's records) nor aggregate-only reviewers (it names people)."""
        if not self.is_active:
            return False
        return (
            self.is_administrator
            or self.role == Role.COMMUNE_OFFICER
            or (self.role == Role.REVIEWER and self.may_view_personal_data)
        )

    @property
    def may_use_admin(self) -> bool:
        """Officers keep records the application's own pages do not cover; administrators manage units and accounts.
        Viewers and reviewers only read, which the application's pages and the dashboards serve: they have no admin."""
        return self.is_active and self.is_staff and (self.role == Role.COMMUNE_OFFICER or self.is_administrator)

    @property
    def can_view_personal_data(self) -> bool:
        if self.role in (Role.REVIEWER, Role.APPRAISAL_COUNCIL):
            return self.may_view_personal_data
        return self.is_active


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who read what: a commune officer sees the reads of their commune's records, a reviewer who may see names
        those of their area, an administrator everything (entries without a commune too)."""
        from .scopes import personal_scope_q  # scopes imports this module

        if not user.is_authenticated or not user.may_read_access_log:
            return self.none()
        return self.filter(personal_scope_q(user, "commune"))


class AccessLog(models.Model):
    """Reads and exports of personal data (NĐ 356/2025): writes are in the models' history tables.

    One entry per page or file and per commune and kind of record shown, with the ids of every record shown. The
    table refuses UPDATE and DELETE (a trigger, migration 0006): entries are evidence.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Xem")
        EXPORT = "export", _("Xuất dữ liệu")
        PRINT = "print", _("In")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("người dùng"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=10, choices=Action, default=Action.VIEW)
    object_type = models.CharField(_("loại đối tượng"), max_length=50)
    # The page's subject (a person's file, a household…); empty for a list.
    object_id = models.CharField(_("mã đối tượng"), max_length=50, blank=True)
    # Every record of this kind and commune the page showed, subject first.
    object_ids = models.JSONField(_("các mã đối tượng đã hiển thị"), default=list, blank=True)
    # No database constraint: an entry outlives anything it mentions, even a commune merged away.
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    path = models.CharField(_("đường dẫn"), max_length=500, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="accesslog_object_idx"),
            models.Index(fields=["commune", "-at"], name="accesslog_commune_idx"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        # The database refuses it too (trigger); this says why before the round trip.
        if self.pk is not None and not self._state.adding:
            raise ImmutableAccessLog
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableAccessLog


class ImmutableAccessLog(Exception):
    def __str__(self):
        return str(_("Nhật ký truy cập không được sửa hoặc xóa."))


class SecurityEvent(models.Model):
    """Who unlocked, reset or enrolled what, and when: the login side of the audit (README "Access and audit")."""

    class Kind(models.TextChoices):
        ACCOUNT_UNLOCKED = "account_unlocked", _("Mở khóa đăng nhập của tài khoản")
        ADDRESS_UNLOCKED = "address_unlocked", _("Mở khóa đăng nhập của địa chỉ IP")
        RESET_LINK_ISSUED = "reset_link_issued", _("Cấp liên kết đặt lại mật khẩu")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu bằng liên kết")
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Bật xác thực hai bước")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Xóa thiết bị xác thực hai bước")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("sự kiện"), max_length=30, choices=Kind)
    # Empty when a management command acted (someone at the server's console).
    actor = models.ForeignKey(
        User,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="security_actions",
    )
    subject = models.ForeignKey(
        User,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="security_events",
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sự kiện đăng nhập, bảo mật")
        verbose_name_plural = _("sự kiện đăng nhập, bảo mật")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject or self.ip_address or ''}"


class PasswordResetLink(models.Model):
    """A one-time link an administrator hands over in person; only its hash is stored, so a database copy opens
    nothing."""

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="password_reset_links"
    )
    token_hash = models.CharField(_("mã băm"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, verbose_name=_("người cấp"), on_delete=models.PROTECT, related_name="issued_password_reset_links"
    )
    issued_at = models.DateTimeField(_("thời điểm cấp"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("liên kết đặt lại mật khẩu")
        verbose_name_plural = _("liên kết đặt lại mật khẩu")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(used_at__lte=models.F("expires_at")),
                name="accounts_reset_link_used_before_expiry",
                violation_error_message=_("Liên kết đã hết hạn trước khi được dùng."),
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.issued_at:%d/%m/%Y %H:%M}"
