from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import NeverDeleted, ScopedAdminMixin, ScopedInlineMixin, related_only

from .models import EmulationCompact, HamletCommitment, HouseholdPledge, ModelActivity, PreventionModel


# Pledges are withdrawn on the hamlet's checklist (pledges.services), never deleted here: the tallies and the
# history of who withdrew what go with the service.
@admin.register(HouseholdPledge)
class HouseholdPledgeAdmin(NeverDeleted, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "household__commune"
    list_display = ("household", "year", "signed_on", "representative_name")
    list_filter = ("year", ("household__commune", related_only), ("household__hamlet", related_only))
    search_fields = ("household__code", "household__head_name_key", "representative_name")
    list_select_related = ("household",)
    raw_id_fields = ("household",)


@admin.register(HamletCommitment)
class HamletCommitmentAdmin(NeverDeleted, ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    scope_path = "hamlet__commune"
    list_display = ("hamlet", "year", "registered_on", "signed_by")
    list_filter = ("year", ("hamlet__commune", related_only))
    list_select_related = ("hamlet",)


@admin.register(EmulationCompact)
class EmulationCompactAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    list_display = ("title", "commune", "signed_on")
    list_filter = (("commune", related_only),)
    filter_horizontal = ("teams",)


class ModelActivityInline(ScopedInlineMixin, admin.TabularInline):
    model = ModelActivity
    extra = 0


@admin.register(PreventionModel)
class PreventionModelAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    list_display = ("name", "commune", "launched_on", "status", "decision_number")
    list_filter = ("status", ("commune", related_only))
    search_fields = ("name",)
    list_select_related = ("commune",)
    filter_horizontal = ("hamlets",)
    inlines = [ModelActivityInline]
