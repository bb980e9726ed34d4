from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scopes import personal_scope_q
from communes.models import Commune, Hamlet
from drugfree.concurrency import Versioned
from drugfree.db import FieldCheck
from drugfree.text import clean_text, search_key


@dataclass(frozen=True)
class HouseholdSize:
    """The declared size ("Số nhân khẩu" from the residence database or the form) beside the members recorded here.

    Only some members have a record (those the police manage, or typed in), so neither figure replaces the other;
    what a page or a printed form may not do is show one without the other when they differ.
    """

    declared: int
    recorded: int

    @property
    def unrecorded(self) -> int:
        """Declared members without a record: blank lines on a printed form."""
        return max(self.declared - self.recorded, 0)

    @property
    def excess(self) -> int:
        """Recorded members beyond the declared size: the declared size is out of date."""
        return max(self.recorded - self.declared, 0)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Households whose names the user may see."""
        return self.filter(personal_scope_q(user, "commune"))

    def residing(self):
        return self.filter(status=Household.Status.RESIDING)


class Household(Versioned):
    """A household of a hamlet, with its head, members and status.

    The table has behaviour of its own: database triggers that `progress` installs (its migrations 0004 and 0005,
    model `progress.tallies.HouseholdTally` and `PledgeTally`) count residing households per commune on every insert,
    delete and change of `commune` or `status`, and move a household's pledges in or out of the pledge count when it
    stops or starts residing. They fire for every writer (forms, services, bulk_update, the import's COPY, raw SQL);
    a write that bypasses them (a restore, triggers disabled) needs `manage.py recount_tallies` afterwards.
    """

    class Status(models.TextChoices):
        RESIDING = "residing", _("Đang cư trú")
        MOVED_AWAY = "moved_away", _("Đã chuyển đi")
        DISSOLVED = "dissolved", _("Đã giải thể/tách nhập")

    # Denormalised from hamlet so that per-commune counts over a million households need no join. No index of its
    # own: the unique (commune, code) index starts with it.
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="households", verbose_name=_("xã"), db_index=False
    )
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="households", verbose_name=_("thôn"))
    code = models.CharField(_("mã hộ"), max_length=30)
    head_name = models.CharField(_("họ tên chủ hộ"), max_length=100)
    # Not indexed: name search matches any word's start (LIKE 'an%' OR LIKE '% an%'), which no btree serves.
    head_name_key = models.CharField(_("họ tên chủ hộ"), max_length=100, editable=False)
    head_cccd = models.CharField(_("CCCD chủ hộ"), max_length=12, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    members_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status, default=Status.RESIDING)
    status_changed_on = models.DateField(_("ngày thay đổi tình trạng"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # History is read per record (by id); search indexes copied onto it would only slow imports of 100,000 rows.
    history = HistoricalRecords(no_db_index=["head_name_key", "commune", "hamlet"])

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["hamlet__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="residents_household_unique_code_per_commune"),
            FieldCheck(
                field="members_count",
                condition=Q(members_count__gte=1),
                name="residents_household_members_positive",
                violation_error_message=_("Số nhân khẩu phải từ 1 trở lên."),
            ),
            FieldCheck(
                field="head_cccd",
                condition=Q(head_cccd="") | Q(head_cccd__regex=r"^[0-9]{12}$"),
                name="residents_household_head_cccd_12_digits",
                violation_error_message=_("Số CCCD phải gồm đúng 12 chữ số."),
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "hamlet"], condition=Q(status="residing"), name="household_residing_idx"),
            # The few households that left: the dashboard subtracts their pledges from the commune's count.
            models.Index(fields=["commune", "id"], condition=~Q(status="residing"), name="household_not_residing_idx"),
            models.Index(fields=["head_cccd"], name="household_cccd_idx"),
        ]

    def __str__(self):
        return household_label(self.code, self.head_name)

    def get_absolute_url(self):
        return reverse("residents:household", args=[self.pk])

    def save(self, *args, **kwargs):
        self.head_name = clean_text(self.head_name)
        self.head_name_key = search_key(self.head_name)
        if self.hamlet_id and not self.commune_id:
            self.commune_id = self.hamlet.commune_id
        super().save(*args, **kwargs)

    def size(self, recorded: int) -> HouseholdSize:
        """The declared size against `recorded`, the number of members listed (the caller has them already)."""
        return HouseholdSize(declared=self.members_count, recorded=recorded)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.hamlet_id and self.commune_id and self.hamlet.commune_id != self.commune_id:
            raise ValidationError({"hamlet": _("Thôn không thuộc xã của hộ.")})


def household_label(code: str, head_name: str) -> str:
    """How a household is named in lists and selects: its code and its head."""
    return f"{code} – {head_name}"
