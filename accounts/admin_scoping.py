"""Admin classes that apply the same scope as the application: an officer in the admin sees only their commune."""

from django.contrib import admin, messages
from django.db import IntegrityError
from django.http import HttpResponseRedirect

from communes.text import search_key
from drugfree.integrity import describe_integrity_error

from .scopes import personal_scope_q, scope_q


class ExplainsRefusedSaves:
    """A database rule broken in a race (the form checked it a moment before) is a Vietnamese message, not a 500.

    The admin's save ran in one transaction, so nothing was written; the page reloads with the reason on top.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            self.message_user(request, describe_integrity_error(error).text, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ScopedAdminMixin(ExplainsRefusedSaves):
    """Role- and scope-based admin permissions, replacing Django's per-model permissions.

    `scope_path` is the lookup from the model to its commune ("" for Commune itself); `personal` marks models holding
    personal data (names), hidden from reviewers without that right; `writers` says who may change rows:
    "records" (officers in their commune and administrators) or "administrators".
    """

    scope_path = "commune"
    personal = True
    writers = "records"

    def _scope(self, request):
        q = personal_scope_q if self.personal else scope_q
        return q(request.user, self.scope_path)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self._scope(request))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and user.is_staff and (not self.personal or user.can_view_personal_data)

    def _may_write(self, request):
        user = request.user
        if self.writers == "administrators":
            return user.is_administrator
        return user.can_write_records

    def has_add_permission(self, request, obj=None):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices of units and people are limited to what the user may see."""
        related = db_field.related_model
        queryset_for_user = getattr(related.objects.all(), "visible_to", None)
        if queryset_for_user is not None:
            kwargs["queryset"] = queryset_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset_for_user = getattr(db_field.related_model.objects.all(), "visible_to", None)
        if queryset_for_user is not None:
            kwargs["queryset"] = queryset_for_user(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Names are searched through their diacritic-free key: "nguyen van an" finds "Nguyễn Văn An"."""
        return super().get_search_results(request, queryset, search_key(search_term))


class ScopedInlineMixin:
    """Inline rows come through their (already scoped) parent; only the write permission needs checking."""

    def has_add_permission(self, request, obj=None):
        return request.user.can_write_records

    def has_change_permission(self, request, obj=None):
        return request.user.can_write_records

    def has_delete_permission(self, request, obj=None):
        return request.user.can_write_records

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


related_only = admin.RelatedOnlyFieldListFilter
