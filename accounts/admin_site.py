"""The admin site: for officers and administrators only, and its "view on site" link asks the scope too."""

from django.contrib import admin
from django.http import Http404
from django.urls import path


class ScopedAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_authenticated and request.user.may_use_admin

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
