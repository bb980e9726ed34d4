from django.contrib import admin

from accounts.admin_scoping import ScopedAdminMixin, ScopedInlineMixin, related_only

from .models import CommuneSnapshot, Criterion, MonthReview, Programme


class CriterionInline(ScopedInlineMixin, admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ("order", "metric_key", "comparison", "target", "label")

    # Criteria are programme data: only administrators change them.
    def has_add_permission(self, request, obj=None):
        return request.user.is_administrator

    def has_change_permission(self, request, obj=None):
        return request.user.is_administrator

    def has_delete_permission(self, request, obj=None):
        return request.user.is_administrator


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Administrators create criteria sets from the available metrics, without code."""

    personal = False
    writers = "administrators"
    list_display = ("name", "legal_document", "province", "period_start", "period_end", "is_active")
    list_filter = ("is_active", "province")
    search_fields = ("name", "legal_document")
    inlines = [CriterionInline]

    def get_queryset(self, request):
        # Criteria sets are public reference data, like provinces.
        return admin.ModelAdmin.get_queryset(self, request)


class ReadOnlyAdminMixin(ScopedAdminMixin):
    """Frozen figures: nobody adds, changes or deletes them in the admin."""

    personal = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommuneSnapshot)
class CommuneSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("month", "commune", "criterion", "value", "numerator", "denominator", "gap_size", "met")
    list_filter = ("month", "met", ("commune", related_only), "criterion__programme")
    list_select_related = ("commune", "criterion")
    date_hierarchy = "month"


@admin.register(MonthReview)
class MonthReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("month", "commune", "reviewed_by", "reviewed_at", "note")
    list_filter = ("month", ("commune", related_only))
    list_select_related = ("commune", "reviewed_by")
