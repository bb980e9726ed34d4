from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin, ScopedInlineMixin, related_only

from .metrics import Moment
from .models import CommuneProgress, CommuneSnapshot, Criterion, CriterionGroup, MonthReview, Programme
from .selectors import criteria_of, default_province, evaluate_communes, programme_for_province, today


class AdministratorsEditMixin:
    # Criteria are programme data: only administrators change them.
    def has_add_permission(self, request, obj=None):
        return request.user.is_administrator

    def has_change_permission(self, request, obj=None):
        return request.user.is_administrator

    def has_delete_permission(self, request, obj=None):
        return request.user.is_administrator


class CriterionGroupInline(AdministratorsEditMixin, ScopedInlineMixin, admin.TabularInline):
    """ "At least k of n" groups: requirement groups must be met, class groups classify (QĐ 28/2025 loại I–III)."""

    model = CriterionGroup
    extra = 0
    fields = ("order", "name", "short_name", "role", "min_met")


class CriterionInline(AdministratorsEditMixin, ScopedInlineMixin, admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ("order", "group", "clause", "metric_key", "comparison", "target", "label")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            # Only the groups of the programme being edited (none yet for a new one).
            kwargs["queryset"] = CriterionGroup.objects.filter(
                programme_id=request.resolver_match.kwargs.get("object_id")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Administrators create criteria sets from the available metrics, without code."""

    personal = False
    writers = "administrators"
    list_display = ("name", "legal_document", "province", "level", "period_start", "period_end", "is_active")
    list_filter = ("is_active", "level", "province")
    search_fields = ("name", "legal_document")
    inlines = [CriterionGroupInline, CriterionInline]

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


@admin.register(CommuneProgress)
class CommuneProgressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The commune list with each criterion's status, computed by the same metrics as the dashboards."""

    scope_path = ""
    search_fields = ("code", "name")
    list_filter = (("district", related_only),)
    list_select_related = ("district",)
    list_per_page = 50

    def _programme(self, request):
        if not hasattr(request, "_progress_programme"):
            province = default_province(request.user)
            programme = programme_for_province(province.pk if province else None)
            request._progress_programme = programme
            request._progress_criteria = criteria_of(programme) if programme else []
        return request._progress_programme

    def get_list_display(self, request):
        self._programme(request)
        columns = [self._criterion_column(index, c) for index, c in enumerate(request._progress_criteria)]
        return ("code", "name", "district", *columns, "overall", "dashboard")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # One query per metric for the page's communes, like the area dashboard; rows ride on the page's objects.
        communes = list(changelist.result_list)
        for row in evaluate_communes(request._progress_criteria, communes, Moment(today())):
            row.unit._progress_row = row
        return changelist

    @staticmethod
    def _criterion_column(index, criterion):
        def column(obj):
            result = obj._progress_row.results[index]
            colour = "#198754" if result.met else "#b02a37"
            return format_html(
                '<span style="color:{}">{} {}</span>', colour, "✔" if result.met else "✘", result.value_display
            )

        column.short_description = f"{criterion.order}. {criterion.title}"
        column.__name__ = f"criterion_{criterion.pk}"
        return column

    @admin.display(description=_("Đạt tất cả"), boolean=True)
    def overall(self, obj):
        return obj._progress_row.met_all if obj._progress_row.results else None

    @admin.display(description=_("Bảng theo dõi"))
    def dashboard(self, obj):
        url = reverse("progress:commune_dashboard", kwargs={"code": obj.code})
        return format_html('<a href="{}">{}</a>', url, _("Xem"))
