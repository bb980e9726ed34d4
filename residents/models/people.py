from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import personal_scope_q
from communes.models import Commune, Hamlet
from drugfree.concurrency import Versioned
from drugfree.db import FieldCheck, HasSuffix, WordStarts
from drugfree.text import clean_text, search_key
from residents import periods
from residents.cccd import validate_cccd_format, validate_cccd_matches_person

from .households import Household


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Ethnicity(models.TextChoices):
    """The ethnic groups the programme's communes report most; anything else is typed as "Khác"."""

    KINH = "Kinh", _("Kinh")
    MUONG = "Mường", _("Mường")
    THAI = "Thái", _("Thái")
    DAO = "Dao", _("Dao")
    HMONG = "Mông", _("Mông")
    THO = "Thổ", _("Thổ")
    KHO_MU = "Khơ Mú", _("Khơ Mú")
    TAY = "Tày", _("Tày")
    OTHER = "Khác", _("Khác")


class PersonStatus(models.TextChoices):
    """Where a person stands in the legal lifecycle; the periods behind it are in residents.models.records."""

    NONE = "none", _("Không thuộc diện quản lý")
    SUSPECTED = "suspected", _("Có căn cứ nghi sử dụng")
    POSITIVE = "positive", _("Dương tính, chờ quyết định quản lý")
    USER = "user", _("Người sử dụng trái phép (đang quản lý)")
    ADDICT = "addict", _("Người nghiện (chưa cai nghiện)")
    IN_TREATMENT = "in_treatment", _("Đang cai nghiện/điều trị")
    POST_REHAB = "post_rehab", _("Quản lý sau cai nghiện")
    ENDED = "ended", _("Đã chấm dứt/dừng quản lý")


ACTIVE_STATUSES = [
    PersonStatus.SUSPECTED,
    PersonStatus.POSITIVE,
    PersonStatus.USER,
    PersonStatus.ADDICT,
    PersonStatus.IN_TREATMENT,
    PersonStatus.POST_REHAB,
]


def name_words_q(field: str, text: str) -> Q:
    """Every typed word starts a word of the name: "nguyen an" finds "Nguyễn Văn An", "an" does not find "Hoan"."""
    condition = Q()
    for token in search_key(text).split():
        condition &= Q(WordStarts(F(field), token))
    return condition


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(personal_scope_q(user, "commune"))

    def under_management(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def search(self, text: str):
        """Diacritic- and case-insensitive name search, or CCCD (full or last digits). Across many communes on
        PostgreSQL the search page asks residents.search_words first."""
        text = clean_text(text)
        if not text:
            return self
        if text.isdigit():
            return self.filter(HasSuffix(F("cccd"), text)) if len(text) < 12 else self.filter(cccd=text)
        return self.filter(name_words_q("name_key", text))


class Person(Versioned):
    Status = PersonStatus

    full_name = models.CharField(_("họ và tên"), max_length=100)
    name_key = models.CharField(_("họ và tên"), max_length=100, editable=False)
    cccd = models.CharField(
        _("số CCCD/định danh"), max_length=12, null=True, blank=True, validators=[validate_cccd_format]
    )
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="people", verbose_name=_("xã"))
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="people", verbose_name=_("thôn"))
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("hộ")
    )
    current_address = models.CharField(_("nơi ở hiện tại"), max_length=255, blank=True)
    status = models.CharField(_("tình trạng quản lý"), max_length=15, choices=PersonStatus, default=PersonStatus.NONE)
    # A risk flag (docs/domain.md §4), not a legal status; kept in sync with open RiskFlag rows by the services.
    psychosis_risk = models.BooleanField(_("có biểu hiện loạn thần"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # History is read per record (by id); search indexes copied onto it would only slow imports of 100,000 rows.
    history = HistoricalRecords(no_db_index=["cccd", "name_key", "status", "commune", "hamlet", "household"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        ordering = ["name_key"]
        constraints = [
            # A constraint rather than unique=True, and name_key and status indexed in `indexes` rather than by
            # db_index: on PostgreSQL those also get a second "_like" index for LIKE 'prefix%', which no query
            # uses (CCCDs are matched whole or by their last digits, names on any word) and every insert pays.
            models.UniqueConstraint(fields=["cccd"], name="residents_person_cccd_key"),
            FieldCheck(
                field="cccd",
                condition=Q(cccd__isnull=True) | Q(cccd__regex=r"^[0-9]{12}$"),
                name="residents_person_cccd_12_digits",
                violation_error_message=_("Số CCCD phải gồm đúng 12 chữ số."),
            ),
            FieldCheck(
                field="birth_year",
                condition=Q(birth_year__isnull=True) | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="residents_person_birth_year_sane",
                violation_error_message=_("Năm sinh phải từ 1900 đến 2100."),
            ),
            FieldCheck(
                field="birth_year",
                condition=Q(birth_date__isnull=True) | Q(birth_year__isnull=False),
                name="residents_person_birth_date_has_year",
                violation_error_message=_("Có ngày sinh thì phải có năm sinh."),
            ),
        ]
        indexes = [
            models.Index(fields=["name_key"], name="person_name_key_idx"),
            models.Index(fields=["status"], name="person_status_idx"),
            models.Index(
                fields=["commune", "status"],
                condition=~Q(status__in=["none", "ended"]),
                name="person_managed_idx",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("residents:person", args=[self.pk])

    def save(self, *args, **kwargs):
        self.full_name = clean_text(self.full_name)
        self.name_key = search_key(self.full_name)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        if self.cccd == "":
            self.cccd = None
        if self.hamlet_id and not self.commune_id:
            self.commune_id = self.hamlet.commune_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.cccd == "":
            self.cccd = None
        if self.birth_date:
            if self.birth_date > timezone.localdate():
                errors["birth_date"] = _("Ngày sinh không được ở tương lai.")
            if self.birth_year and self.birth_year != self.birth_date.year:
                errors["birth_year"] = _("Năm sinh không khớp với ngày sinh.")
        if self.cccd and "cccd" not in errors:
            try:
                validate_cccd_format(self.cccd)
                year = self.birth_date.year if self.birth_date else self.birth_year
                validate_cccd_matches_person(self.cccd, birth_year=year, sex=self.sex or None)
            except ValidationError as exc:
                errors["cccd"] = exc.messages
        if self.hamlet_id and self.commune_id and self.hamlet.commune_id != self.commune_id:
            errors["hamlet"] = _("Thôn không thuộc xã của người này.")
        if self.household_id and self.hamlet_id and self.household.hamlet_id != self.hamlet_id:
            errors["household"] = _("Hộ gia đình không thuộc thôn đã chọn.")
        if errors:
            raise ValidationError(errors)

    @property
    def year_of_birth(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    def is_minor_on(self, day: date) -> bool:
        return periods.is_minor_on(day, birth_date=self.birth_date, birth_year=self.year_of_birth)

    def minority_presumed_on(self, day: date) -> bool:
        return periods.minority_presumed_on(day, birth_date=self.birth_date, birth_year=self.year_of_birth)
