"""Admin pages of imports: the record of every run, and the "Nhập" button of the household list."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from accounts.admin_scoping import ScopedAdminMixin, may_use_admin, related_only
from residents.admin import HouseholdAdmin as ResidentsHouseholdAdmin
from residents.models import Household

from .forms import UploadForm
from .models import ImportRun
from .views import start_upload


class PipelineImportMixin(ImportMixin):
    """django-import-export's "Nhập" button on the change list, wired to the household import pipeline.

    The stock import (a ModelResource saving row by row through tablib) would bypass what a household list needs:
    header detection under a title block, clerk-style cleaning, household keys, the pledge column, the preview with
    row numbers and one all-or-nothing transaction. So the button opens an upload form that creates an ImportRun and
    continues on the import pages (preview, mapping, confirm, progress), the same pipeline as the web page and the
    command.
    """

    import_template_name = "admin/imports/household_import.html"

    def get_urls(self):
        # Only the "Nhập" page: the stock process_import (tablib rows saved one by one) has no way in here.
        return [url for url in super().get_urls() if not (url.name or "").endswith("_process_import")]

    def has_import_permission(self, request):
        return may_use_admin(request.user) and request.user.can_write_records

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        # The web page's service: a large file is read by a background job, not inside this request.
        valid = request.method == "POST" and form.is_valid()
        if valid and (started := start_upload(request, form, source=ImportRun.Source.ADMIN)):
            return started
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập danh sách hộ gia đình"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, [self.import_template_name], context)


# residents registers the household admin; the import button belongs here, above it.
admin.site.unregister(Household)


@admin.register(Household)
class HouseholdAdmin(PipelineImportMixin, ResidentsHouseholdAdmin):
    pass


@admin.register(ImportRun)
class ImportRunAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The record of every import, read-only: who, when, which file, what came of it."""

    list_display = ("pk", "created_at", "created_by", "commune", "file_name", "source", "status", "created_count",
                    "updated_count", "unchanged_rows", "invalid_rows")  # fmt: skip
    list_filter = ("status", "source", ("commune", related_only))
    list_select_related = ("commune", "created_by")
    search_fields = ("file_name",)
    # The field's own label is English (it names a Celery id); shown under a Vietnamese one without a migration.
    exclude = ("task_id",)
    readonly_fields = ("background_task",)

    @admin.display(description=_("mã tác vụ nền"))
    def background_task(self, run):
        return run.task_id or "—"

    def has_add_permission(self, request, obj=None):
        return False

    # Deleting a run would erase who imported what (its households stay): the record is evidence, like AccessLog.
    has_change_permission = has_delete_permission = has_add_permission
