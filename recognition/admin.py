"""The recognition cycle in the admin: read within the user's scope, history pages included; written only where a
service keeps the rules (a draft dossier's texts, the roadmap's targets, wording corrections).

States move through the application's pages (recognition.services), never here: every field a service moves is
read-only, nothing is added except a target, and nothing is ever deleted. Frozen gap lists name people, so the
dossier's criteria are a personal-data admin (hidden from aggregate-only roles, every read logged).
"""

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import NeverDeleted, ScopedAdminMixin, related_only
from accounts.scopes import scope_q
from communes.models import Commune

from .models import (
    Alert,
    Decision,
    Dossier,
    DossierCriterion,
    Evidence,
    FieldInspection,
    MaintenanceReview,
    ProvinceTarget,
    Recognition,
    Revocation,
    Verdict,
)
from .services.dossiers import update_dossier_texts
from .services.registration import set_target


class CycleRecordAdmin(NeverDeleted, ScopedAdminMixin):
    """A record of the cycle: never added or deleted in the admin; `wording` lists the only fields an allowed
    writer may correct, every other field is read-only (the services move them)."""

    personal = False
    wording: tuple[str, ...] = ()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return bool(self.wording) and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if getattr(request, "_admin_history_version", False):
            return readonly
        # Excluded fields stay out (an evidence file opens only through its scoped view, never a storage URL).
        hidden = {*self.wording, *readonly, *(self.exclude or ())}
        fields = [f.name for f in self.model._meta.fields if f.editable and not f.auto_created]
        return [*readonly, *(name for name in fields if name not in hidden)]


@admin.register(Recognition)
class RecognitionAdmin(CycleRecordAdmin, SimpleHistoryAdmin):
    wording = ("note",)
    list_display = ("commune", "hamlet", "target_year", "status", "registered_on")
    list_filter = ("status", "target_year", ("commune", related_only))
    search_fields = ("commune__name", "hamlet__name")
    list_select_related = ("commune", "hamlet")


@admin.register(Dossier)
class DossierAdmin(CycleRecordAdmin, SimpleHistoryAdmin):
    """A draft's texts may be corrected (through the service: the leader's approval lapses); a submitted dossier
    is read-only, as its model requires."""

    scope_path = "recognition__commune"
    wording = ("self_assessment", "proposal")
    list_display = ("recognition", "number", "state", "as_of", "programme_name", "submitted_at")
    list_filter = ("state", ("recognition__commune", related_only))
    list_select_related = ("recognition__commune", "recognition__hamlet")

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.is_editable
        return editable and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        update_dossier_texts(
            dossier=obj, self_assessment=obj.self_assessment, proposal=obj.proposal, actor=request.user
        )


@admin.register(DossierCriterion)
class DossierCriterionAdmin(CycleRecordAdmin, admin.ModelAdmin):
    """Frozen figures and gap lists (names): read only, by roles that may see names, each read logged."""

    personal = True
    scope_path = "dossier__recognition__commune"
    list_display = ("dossier", "order", "title", "group_short_name", "clause", "value_display", "gap_size", "met")
    list_filter = ("met", "group_short_name", ("dossier__recognition__commune", related_only))
    list_select_related = ("dossier__recognition__commune", "dossier__recognition__hamlet")


@admin.register(Evidence)
class EvidenceAdmin(CycleRecordAdmin, SimpleHistoryAdmin):
    """Scanned pledges and minutes may name people; the file opens only through the scoped, logged view."""

    personal = True
    scope_path = "dossier__recognition__commune"
    exclude = ("file",)
    readonly_fields = ("download",)
    list_display = ("title", "dossier", "kind", "criterion", "size", "uploaded_at")
    list_filter = ("kind", ("dossier__recognition__commune", related_only))
    list_select_related = ("dossier__recognition__commune", "dossier__recognition__hamlet", "criterion")

    @admin.display(description=_("tệp"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("recognition:evidence", kwargs={"pk": obj.pk}), obj)


@admin.register(Verdict)
class VerdictAdmin(CycleRecordAdmin, SimpleHistoryAdmin):
    scope_path = "criterion__dossier__recognition__commune"
    list_display = ("criterion", "result", "given_by", "given_at")
    list_filter = ("result", ("criterion__dossier__recognition__commune", related_only))
    list_select_related = ("criterion", "given_by")


class CouncilRecordAdmin(CycleRecordAdmin):
    """What the council and the province record: only administrators correct its wording."""

    writers = "administrators"


@admin.register(FieldInspection)
class FieldInspectionAdmin(CouncilRecordAdmin, SimpleHistoryAdmin):
    scope_path = "dossier__recognition__commune"
    wording = ("members", "findings")
    list_display = ("dossier", "inspected_on", "recorded_by")
    list_filter = (("dossier__recognition__commune", related_only),)
    list_select_related = ("dossier__recognition__commune", "dossier__recognition__hamlet", "recorded_by")


@admin.register(Decision)
class DecisionAdmin(CouncilRecordAdmin, SimpleHistoryAdmin):
    scope_path = "recognition__commune"
    wording = ("signer", "note")
    list_display = ("number", "recognition", "outcome", "signed_on", "valid_from", "valid_until")
    list_filter = ("outcome", ("recognition__commune", related_only))
    list_select_related = ("recognition__commune", "recognition__hamlet")


@admin.register(Revocation)
class RevocationAdmin(CouncilRecordAdmin, SimpleHistoryAdmin):
    scope_path = "recognition__commune"
    wording = ("signer", "reasons")
    list_display = ("number", "recognition", "signed_on", "signer")
    list_filter = (("recognition__commune", related_only),)
    list_select_related = ("recognition__commune", "recognition__hamlet")


@admin.register(MaintenanceReview)
class MaintenanceReviewAdmin(CouncilRecordAdmin, SimpleHistoryAdmin):
    scope_path = "recognition__commune"
    wording = ("findings",)
    list_display = ("recognition", "year", "reviewed_on", "outcome")
    list_filter = ("outcome", "year", ("recognition__commune", related_only))
    list_select_related = ("recognition__commune", "recognition__hamlet")


@admin.register(Alert)
class AlertAdmin(CouncilRecordAdmin, SimpleHistoryAdmin):
    """Alerts name no person (the province's aggregate-only readers see them); closed on the alerts page."""

    list_display = ("commune", "criterion_title", "event", "detected_at", "closed_at")
    list_filter = (("commune", related_only),)
    list_select_related = ("commune",)


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(NeverDeleted, ScopedAdminMixin, SimpleHistoryAdmin):
    """The roadmap: officers read their province's targets; administrators set them (the service, audited)."""

    personal = False
    writers = "administrators"
    list_display = ("province", "year", "target_communes", "note")
    list_filter = ("province", "year")
    list_select_related = ("province",)

    def _scope(self, request):
        # A target belongs to a province: seen by whoever sees a commune of it.
        user = request.user
        if user.is_administrator:
            return Q()
        return Q(province_id__in=Commune.objects.filter(scope_q(user, "")).values("province_id"))

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # The province and year name the row; a change corrects the target and its note.
        return readonly if obj is None else [*readonly, "province", "year"]

    def save_model(self, request, obj, form, change):
        saved = set_target(
            province=obj.province, year=obj.year, target_communes=obj.target_communes, note=obj.note, actor=request.user
        )
        obj.pk = saved.pk
