from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import scope_q
from drugfree.concurrency import Versioned
from drugfree.text import clean_text, compact_key

from .db import FieldCheck, dates_in_order, not_in_future

province_code_validator = RegexValidator(r"^[0-9]{2}$", _("Mã tỉnh gồm đúng 2 chữ số."))
commune_code_validator = RegexValidator(r"^[0-9]{5}$", _("Mã xã gồm đúng 5 chữ số."))


class Province(models.Model):
    code = models.CharField(_("mã tỉnh"), max_length=2, unique=True, validators=[province_code_validator])
    name = models.CharField(_("tên"), max_length=100)

    class Meta:
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["code"]

    def __str__(self):
        return self.name


class District(models.Model):
    """Legacy district (huyện) or a review cluster of communes: optional since July 2025."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("tỉnh"))
    code = models.CharField(_("mã"), max_length=10, blank=True)
    name = models.CharField(_("tên"), max_length=100)
    is_legacy = models.BooleanField(_("huyện cũ (trước 07/2025)"), default=True)

    class Meta:
        verbose_name = _("huyện/cụm theo dõi")
        verbose_name_plural = _("huyện/cụm theo dõi")
        ordering = ["province", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="communes_district_unique_name")]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, ""))


class Commune(models.Model):
    class Kind(models.TextChoices):
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        DAC_KHU = "dac_khu", _("Đặc khu")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh"))
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communes",
        verbose_name=_("huyện/cụm"),
    )
    code = models.CharField(_("mã xã"), max_length=5, unique=True, validators=[commune_code_validator])
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.XA)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["province", "name"]

    def __str__(self):
        return self.name


class CommuneAlias(models.Model):
    """An old unit name (before the 2025 merger) that now belongs to this commune: household lists still use them."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("xã mới"))
    old_name = models.CharField(_("tên cũ"), max_length=150)
    old_district_name = models.CharField(_("huyện cũ"), max_length=150, blank=True)
    name_key = models.CharField(_("tên"), max_length=150, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tên đơn vị cũ")
        verbose_name_plural = _("tên đơn vị cũ")
        constraints = [
            models.UniqueConstraint(fields=["name_key", "old_district_name"], name="communes_alias_unique_old_name")
        ]

    def save(self, *args, **kwargs):
        self.name_key = compact_key(self.old_name)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.old_name} → {self.commune}"


class HamletQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "commune"))


# Words a hamlet's name may already start with: its own kind's label or another usual one. Compared with their
# diacritics ("Bàn Thạch" is a thôn named Bàn Thạch, not a bản).
_HAMLET_KIND_WORDS = ("thôn", "bản", "làng", "ấp", "buôn", "khu phố", "tổ dân phố", "tiểu khu", "khóm", "xóm",
                      "khu dân cư", "khối phố", "khu", "tổ")  # fmt: skip


def hamlet_full_name(name: str, kind: str) -> str:
    """A hamlet as people write it: "Khu phố Sỏi", "Bản Bôn", "Thôn Quang Thắng". The kind word goes in front unless
    the name already starts with one (lists and imports often carry it), so it is never doubled; "Khác" adds none.
    Every screen, print and export shows a hamlet through this."""
    if kind == Hamlet.Kind.OTHER or not name:
        return name
    words = clean_text(name).lower().split()
    for kind_word in _HAMLET_KIND_WORDS:
        prefix = kind_word.split()
        if words[: len(prefix)] == prefix and len(words) > len(prefix):
            return name
    return f"{Hamlet.Kind(kind).label} {name}"


class Hamlet(models.Model):
    """Self-governing community unit (thôn, bản, khu phố…): one model, the label is its kind."""

    class Kind(models.TextChoices):
        THON = "thon", _("Thôn")
        BAN = "ban", _("Bản")
        LANG = "lang", _("Làng")
        AP = "ap", _("Ấp")
        BUON = "buon", _("Buôn")
        KHU_PHO = "khu_pho", _("Khu phố")
        TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
        TIEU_KHU = "tieu_khu", _("Tiểu khu")
        KHOM = "khom", _("Khóm")
        OTHER = "khac", _("Khác")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="hamlets", verbose_name=_("xã"))
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind, default=Kind.THON)
    # Matching key: "Thôn Quang Thắng", "thon quang thang" and "Quang Thắng" (with kind thôn) meet here.
    name_key = models.CharField(_("tên"), max_length=100, editable=False)
    head_name = models.CharField(_("trưởng thôn/khu phố"), max_length=100, blank=True)

    objects = HamletQuerySet.as_manager()

    class Meta:
        verbose_name = _("thôn/khu phố")
        verbose_name_plural = _("thôn/khu phố")
        ordering = ["commune", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name_key"], name="communes_hamlet_unique_name")]

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        self.name_key = compact_key(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return hamlet_full_name(self.name, self.kind)


class SecurityTeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_q(user, "hamlet__commune"))


class SecurityTeam(models.Model):
    """Self-managed security team (tổ an ninh trật tự) of a hamlet."""

    hamlet = models.ForeignKey(Hamlet, on_delete=models.CASCADE, related_name="security_teams", verbose_name=_("thôn"))
    name = models.CharField(_("tên tổ"), max_length=150)
    leader_name = models.CharField(_("tổ trưởng"), max_length=100, blank=True)
    members_count = models.PositiveSmallIntegerField(_("số thành viên"), default=0)

    objects = SecurityTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ an ninh trật tự")
        verbose_name_plural = _("tổ an ninh trật tự")

    def __str__(self):
        return self.name


class SteeringCommittee(models.Model):
    """Ban chỉ đạo (BCĐ) of a commune's drug-free programme, headed by the party secretary."""

    commune = models.OneToOneField(
        Commune, on_delete=models.CASCADE, related_name="steering_committee", verbose_name=_("xã")
    )
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=50, blank=True)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    head_name = models.CharField(_("trưởng ban"), max_length=100)
    head_title = models.CharField(_("chức vụ trưởng ban"), max_length=150, default=_("Bí thư Đảng ủy"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo")

    def __str__(self):
        return f"BCĐ {self.commune}"


class SteeringCommitteeMember(models.Model):
    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("họ và tên"), max_length=100)
    title = models.CharField(_("chức vụ"), max_length=150)
    role_in_committee = models.CharField(_("nhiệm vụ trong ban"), max_length=100, default=_("Thành viên"))

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = _("thành viên ban chỉ đạo")

    def __str__(self):
        return self.name


class ProgrammePlan(models.Model):
    """The commune's plan document for the programme (e.g. Kế hoạch số 70/KH-BCĐ)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="plans", verbose_name=_("xã"))
    number = models.CharField(_("số kế hoạch"), max_length=50)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=255, blank=True)
    target_year = models.PositiveSmallIntegerField(_("năm đạt mục tiêu"))

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "number"], name="communes_plan_unique_number"),
            FieldCheck(
                field="target_year",
                condition=Q(target_year__gte=2000) & Q(target_year__lte=2100),
                name="communes_plan_target_year_sane",
                violation_error_message=_("Năm mục tiêu phải từ 2000 đến 2100."),
            ),
        ]

    def __str__(self):
        return self.number


class Hotspot(Versioned):
    """Điểm/tụ điểm phức tạp về ma túy: detected → being dealt with → cleared; it can re-emerge."""

    class Kind(models.TextChoices):
        SELLING = "selling", _("Điểm mua bán")
        USE_ORGANISED = "use", _("Tụ điểm tổ chức, chứa chấp sử dụng")
        MIXED = "mixed", _("Mua bán và sử dụng")

    class Status(models.TextChoices):
        DETECTED = "detected", _("Mới phát hiện")
        DEALING = "dealing", _("Đang đấu tranh, xử lý")
        CLEARED = "cleared", _("Đã triệt xóa")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="hotspots", verbose_name=_("xã"))
    hamlet = models.ForeignKey(
        Hamlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="hotspots", verbose_name=_("thôn")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind)
    location = models.CharField(_("địa điểm"), max_length=255)
    detected_on = models.DateField(_("ngày phát hiện"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DETECTED)
    dealing_since = models.DateField(_("ngày bắt đầu xử lý"), null=True, blank=True)
    cleared_on = models.DateField(_("ngày triệt xóa"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm, tụ điểm phức tạp")
        verbose_name_plural = _("điểm, tụ điểm phức tạp")
        ordering = ["-detected_on"]
        indexes = [
            models.Index(fields=["commune"], condition=~Q(status="cleared"), name="hotspot_active_idx"),
        ]
        constraints = [
            dates_in_order("detected_on", "cleared_on", "communes_hotspot_cleared_after_detected"),
            dates_in_order("detected_on", "dealing_since", "communes_hotspot_dealing_after_detected"),
            not_in_future("detected_on", "communes_hotspot_detected_not_future"),
            FieldCheck(
                field="cleared_on",
                condition=~Q(status="cleared") | Q(cleared_on__isnull=False),
                name="communes_hotspot_cleared_has_date",
                violation_error_message=_("Điểm đã triệt xóa phải có ngày triệt xóa."),
            ),
        ]

    def __str__(self):
        return self.location


class HotspotStatusChange(models.Model):
    """Status history of a hotspot, including re-emergence after being cleared."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Hotspot.Status)
    changed_on = models.DateField(_("ngày"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diễn biến tụ điểm")
        verbose_name_plural = _("diễn biến tụ điểm")
        ordering = ["hotspot", "changed_on", "recorded_at"]

    def __str__(self):
        return f"{self.hotspot}: {self.get_status_display()} {self.changed_on:%d/%m/%Y}"


class DrugPlantEradicationQuerySet(models.QuerySet):
    def destroyed_between(self, first: date, last: date):
        return self.filter(destroyed_on__gte=first, destroyed_on__lte=last)


class DrugPlantEradication(Versioned):
    """Phát hiện, triệt phá cây có chứa chất ma túy: QĐ 28/2025 adds up the plants and area destroyed in 12 months."""

    class PlantKind(models.TextChoices):
        CANNABIS = "cannabis", _("Cần sa")
        POPPY = "poppy", _("Thuốc phiện (anh túc)")
        COCA = "coca", _("Côca")
        OTHER = "other", _("Khác")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="plant_eradications", verbose_name=_("xã")
    )
    hamlet = models.ForeignKey(
        Hamlet,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plant_eradications",
        verbose_name=_("thôn"),
    )
    destroyed_on = models.DateField(_("ngày triệt phá"))
    plant_kind = models.CharField(_("loại cây"), max_length=10, choices=PlantKind)
    plants = models.PositiveIntegerField(_("số cây"), default=0)
    area_m2 = models.DecimalField(
        _("diện tích (m²)"), max_digits=10, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    location = models.CharField(_("địa điểm"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    objects = DrugPlantEradicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ triệt phá cây có chứa chất ma túy")
        verbose_name_plural = _("triệt phá cây có chứa chất ma túy")
        ordering = ["-destroyed_on", "-pk"]
        indexes = [models.Index(fields=["commune", "destroyed_on"], name="plant_eradication_window_idx")]
        constraints = [
            not_in_future("destroyed_on", "communes_plant_eradication_destroyed_not_future"),
            FieldCheck(
                field="area_m2",
                condition=Q(area_m2__gte=0),
                name="communes_plant_eradication_area_not_negative",
                violation_error_message=_("Diện tích không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(plants__gt=0) | Q(area_m2__gt=0),
                name="communes_plant_eradication_plants_or_area",
                violation_error_message=_("Ghi số cây hoặc diện tích đã triệt phá (ít nhất một trong hai lớn hơn 0)."),
            ),
        ]

    def __str__(self):
        return f"{self.get_plant_kind_display()} – {self.location} ({self.destroyed_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.hamlet_id and self.commune_id and self.hamlet.commune_id != self.commune_id:
            raise ValidationError({"hamlet": _("Thôn không thuộc xã này.")})


class TraffickingRouteQuerySet(models.QuerySet):
    def active_on(self, day: date):
        """Identified on or before `day` and not ended by it."""
        return self.filter(identified_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class TraffickingRoute(Versioned):
    """Tuyến, địa bàn trung chuyển ma túy through the commune: QĐ 28/2025 asks whether the commune is on one."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="trafficking_routes", verbose_name=_("xã")
    )
    name = models.CharField(_("tuyến, địa bàn"), max_length=255)
    description = models.TextField(_("mô tả tuyến"), blank=True)
    identified_on = models.DateField(_("ngày xác định"))
    ended_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    objects = TraffickingRouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("tuyến, địa bàn trung chuyển ma túy")
        verbose_name_plural = _("tuyến, địa bàn trung chuyển ma túy")
        ordering = ["-identified_on", "-pk"]
        indexes = [models.Index(fields=["commune", "identified_on"], name="trafficking_route_commune_idx")]
        constraints = [
            not_in_future("identified_on", "communes_trafficking_route_identified_not_future"),
            not_in_future("ended_on", "communes_trafficking_route_ended_not_future"),
            dates_in_order("identified_on", "ended_on", "communes_trafficking_route_ended_after_identified"),
        ]

    def __str__(self):
        return self.name
