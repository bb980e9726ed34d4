from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import ReadOnlyInlineMixin, ScopedAdminMixin, ScopedInlineMixin, related_only

from .models import (
    Commune,
    CommuneAlias,
    District,
    DrugPlantEradication,
    Hamlet,
    Hotspot,
    HotspotStatusChange,
    ProgrammePlan,
    Province,
    SecurityTeam,
    SteeringCommittee,
    SteeringCommitteeMember,
    TraffickingRoute,
)


class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    personal = False
    writers = "administrators"


@admin.register(Province)
class ProvinceAdmin(UnitAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        # Provinces are public reference data; scoping applies to what hangs below them.
        return admin.ModelAdmin.get_queryset(self, request)


@admin.register(District)
class DistrictAdmin(UnitAdmin):
    list_display = ("name", "province", "is_legacy")
    list_filter = ("province", "is_legacy")
    search_fields = ("name",)

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)


class CommuneAliasInline(ScopedInlineMixin, admin.TabularInline):
    model = CommuneAlias
    extra = 0
    fields = ("old_name", "old_district_name")


@admin.register(Commune)
class CommuneAdmin(UnitAdmin):
    scope_path = ""
    list_display = ("code", "name", "kind", "district", "province")
    list_filter = ("kind", "province", ("district", related_only))
    search_fields = ("code", "name")
    list_select_related = ("province", "district")
    inlines = [CommuneAliasInline]


@admin.register(Hamlet)
class HamletAdmin(ScopedAdminMixin, admin.ModelAdmin):
    personal = False
    list_display = ("name", "kind", "commune", "head_name")
    list_filter = ("kind", ("commune", related_only))
    search_fields = ("name_key", "name")
    list_select_related = ("commune",)


@admin.register(SecurityTeam)
class SecurityTeamAdmin(ScopedAdminMixin, admin.ModelAdmin):
    personal = False
    scope_path = "hamlet__commune"
    list_display = ("name", "hamlet", "leader_name", "members_count")
    list_filter = (("hamlet__commune", related_only),)
    list_select_related = ("hamlet",)


class SteeringCommitteeMemberInline(ScopedInlineMixin, admin.TabularInline):
    model = SteeringCommitteeMember
    extra = 0


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    list_display = ("commune", "head_name", "head_title", "decision_number", "established_on")
    list_select_related = ("commune",)
    inlines = [SteeringCommitteeMemberInline]


@admin.register(ProgrammePlan)
class ProgrammePlanAdmin(ScopedAdminMixin, admin.ModelAdmin):
    personal = False
    list_display = ("number", "commune", "issued_on", "target_year")
    list_filter = ("target_year", ("commune", related_only))
    list_select_related = ("commune",)


class HotspotStatusChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = HotspotStatusChange
    extra = 0
    fields = ("status", "changed_on", "note", "recorder")
    readonly_fields = ("recorder",)

    @admin.display(description=_("người ghi nhận"))
    def recorder(self, change):
        return change.recorded_by or "—"


@admin.register(Hotspot)
class HotspotAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    list_display = ("location", "kind", "status", "commune", "hamlet", "detected_on", "cleared_on")
    list_filter = ("status", "kind", ("commune", related_only), ("hamlet", related_only))
    search_fields = ("location",)
    list_select_related = ("commune", "hamlet")
    inlines = [HotspotStatusChangeInline]
    # Status moves only along communes.services.HOTSPOT_TRANSITIONS, each with its entry in the status history.
    lifecycle_fields = ("status", "detected_on", "dealing_since", "cleared_on")

    # A hotspot is created on its page, through communes.services.hotspot_save, which writes the first entry of
    # its status history.
    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DrugPlantEradication)
class DrugPlantEradicationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    list_display = ("location", "plant_kind", "plants", "area_m2", "commune", "hamlet", "destroyed_on")
    list_filter = ("plant_kind", ("commune", related_only), ("hamlet", related_only))
    search_fields = ("location",)
    list_select_related = ("commune", "hamlet")
    date_hierarchy = "destroyed_on"


@admin.register(TraffickingRoute)
class TraffickingRouteAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    personal = False
    list_display = ("name", "commune", "identified_on", "ended_on")
    list_filter = (("commune", related_only),)
    search_fields = ("name",)
    list_select_related = ("commune",)
