"""A person whose CCCD is on file in another commune, registered by an officer: a task for the reviewer.

The rule (README, "Access and audit"): an officer learns about a CCCD only what their own commune's records say.
When the number belongs to a record outside the commune, the officer is told that it needs the reviewer's check,
never which commune, whose record or what status; the reviewer, who sees both communes, moves the person or not.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scopes import personal_scope_q
from communes.models import Commune, Hamlet

from .households import Household
from .people import Person


class PersonTransferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers who may see names and administrators, for requests whose both communes they see; never the
        requesting officer (the request names the commune the person is on file in)."""
        if not user.is_authenticated or user.is_commune_role:
            return self.none()
        return self.filter(personal_scope_q(user, "to_commune") & personal_scope_q(user, "person__commune"))


class PersonTransfer(models.Model):
    """Chuyển xã: an officer registered someone already on file elsewhere (form or household list)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xác minh")
        ACCEPTED = "accepted", _("Đã chuyển về xã mới")
        REJECTED = "rejected", _("Không chuyển")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="transfer_requests", verbose_name=_("hồ sơ đã có")
    )
    to_commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã đề nghị"))
    to_hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn"))
    to_household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("hộ")
    )
    # What the officer typed (name, dates, address…), shown to the reviewer beside the record on file.
    identity = models.JSONField(_("thông tin xã nhập"), encoder=DjangoJSONEncoder, default=dict)
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("lần nhập"),
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề nghị")
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người xử lý"),
    )  # fmt: skip
    resolved_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = PersonTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu chuyển xã")
        verbose_name_plural = _("yêu cầu chuyển xã")
        ordering = ["requested_at", "pk"]
        constraints = [
            # One open request per person and commune: a second registration does not add a second task.
            models.UniqueConstraint(
                fields=["person", "to_commune"],
                condition=Q(status="open"),
                name="residents_persontransfer_one_open",
                violation_error_message=_("Đã có yêu cầu chuyển xã đang chờ cho người này."),
            ),
        ]
        indexes = [models.Index(fields=["status", "to_commune"], name="persontransfer_open_idx")]

    def __str__(self):
        return f"{self.person} → {self.to_commune}"

    @property
    def commune_id(self) -> int:
        """The access log files a read of the request under the commune that asked."""
        return self.to_commune_id
