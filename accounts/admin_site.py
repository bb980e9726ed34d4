"""The admin site: for officers and administrators only, and its "view on site" link asks the scope too."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.http import Http404
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AdminTask:
    """One thing an administrator (or an officer) comes to the admin for, shown on its home page."""

    title: str
    description: str
    url: str


# (title, description, model label, which page of that model's admin).
# Models are named by label: accounts sits under every app and imports none of them.
TASKS = (
    (_("Nhập danh sách hộ"), _("Tải tệp Excel danh sách hộ, xem trước rồi xác nhận."), "residents.Household", "import"),
    (_("Lịch sử nhập"), _("Ai đã nhập tệp nào, khi nào, kết quả ra sao."), "imports.ImportRun", "changelist"),
    (_("Tài khoản"), _("Thêm, khóa tài khoản; gán vai trò và đơn vị."), "accounts.User", "changelist"),
    (_("Xã, phường"), _("Danh sách xã, phường và đơn vị hành chính."), "communes.Commune", "changelist"),
    (_("Thôn, khu phố"), _("Thôn, tổ dân phố của từng xã."), "communes.Hamlet", "changelist"),
    (_("Tổ an ninh trật tự"), _("Tổ ANTT ở các thôn và tổ trưởng."), "communes.SecurityTeam", "changelist"),
    (_("Nhật ký truy cập"), _("Ai đã xem, sửa hồ sơ cá nhân nào và khi nào."), "accounts.AccessLog", "changelist"),
    (_("Sự kiện bảo mật"), _("Đăng nhập sai, khóa và mở khóa tài khoản."), "accounts.SecurityEvent", "changelist"),
)


class ScopedAdminSite(admin.AdminSite):
    site_header = _("Xã không ma túy · Quản trị")
    site_title = _("Xã không ma túy")
    index_title = _("Trang quản trị")
    index_template = "admin/drugfree_index.html"

    def has_permission(self, request):
        return request.user.is_authenticated and request.user.may_use_admin

    def tasks_for(self, request) -> list[AdminTask]:
        """The home page's shortcuts, each only when the user may open its page (scoped like the page itself)."""
        tasks = []
        for title, description, label, page in TASKS:
            model = apps.get_model(label)
            model_admin = self._registry.get(model)
            if model_admin is None or not _may_open(model_admin, request, page):
                continue
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")
            except NoReverseMatch:
                continue
            tasks.append(AdminTask(title, description, url))
        return tasks

    def index(self, request, extra_context=None):
        return super().index(request, {"tasks": self.tasks_for(request), **(extra_context or {})})

    def get_urls(self):
        # Django's shortcut redirects to any object's page by id; through it ids could be probed across communes.
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"
        )
        return [scoped if getattr(url, "name", None) == "view_on_site" else url for url in super().get_urls()]

    def view_on_site(self, request, content_type_id, object_id):
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist as missing:
            raise Http404 from missing
        model_admin = self._registry.get(model)
        obj = model_admin.get_object(request, object_id) if model_admin is not None else None
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)


def _may_open(model_admin, request, page: str) -> bool:
    if page == "import":
        has_import = getattr(model_admin, "has_import_permission", None)
        return has_import is not None and has_import(request)
    return model_admin.has_view_permission(request)
