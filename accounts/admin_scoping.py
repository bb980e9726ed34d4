"""Admin classes that apply the same scope as the application: an officer in the admin sees only their commune.

Every admin page of a scoped model, Django's own and third-party ones (django-simple-history's history list and
version pages, django-import-export's import), fetches its object through `get_queryset` (the user's scope), and
every object-level permission check asks the scope again, so a page that fetches on its own still gets a refusal.
tests/test_admin_access.py walks every admin URL and fails on one nobody classified.
"""

import logging

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _

from drugfree.integrity import describe_integrity_error
from drugfree.text import search_key

from .admin_history import ReadableChangesHelper
from .audit import log_access
from .scopes import personal_scope_q, scope_q

logger = logging.getLogger(__name__)


def may_use_admin(user) -> bool:
    """Also asked for strangers: the admin's login page lists the apps of whoever is there."""
    return user.is_authenticated and user.may_use_admin


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


class ScopedPermissions:
    """Role- and scope-based admin permissions, replacing Django's per-model permissions.

    `scope_path` is the lookup from the model to its commune ("" for Commune itself); `personal` marks models holding
    personal data (names), hidden from reviewers without that right, and whose admin reads are logged; `writers` says
    who may change rows: "records" (officers in their commune and administrators) or "administrators".
    `lifecycle_fields` are moved by services only (lifecycle, hotspot status, household end): always read-only;
    `fixed_fields` are chosen when a row is added and moved by a service after that (a household's hamlet).
    """

    scope_path = "commune"
    personal = True
    writers = "records"
    lifecycle_fields: tuple[str, ...] = ()
    fixed_fields: tuple[str, ...] = ()

    def _scope(self, request):
        q = personal_scope_q if self.personal else scope_q
        return q(request.user, self.scope_path)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self._scope(request))

    def _in_scope(self, request, obj) -> bool:
        """Object-level check, asked of every object a page passes in; remembered for the request."""
        if obj is None:
            return True
        answers = request.__dict__.setdefault("_admin_in_scope", {})
        key = (obj._meta.label_lower, obj.pk)
        if key not in answers:
            answers[key] = obj.pk is not None and self.get_queryset(request).filter(pk=obj.pk).exists()
        return answers[key]

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        user = request.user
        may_read = may_use_admin(user) and (not self.personal or user.can_view_personal_data)
        return may_read and self._in_scope(request, obj)

    def _may_write(self, request):
        user = request.user
        if not may_use_admin(user):
            return False
        if self.writers == "administrators":
            return user.is_administrator
        return user.can_write_records

    def has_add_permission(self, request, obj=None):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request) and self._in_scope(request, obj)


class LoggedReads:
    """Reads of personal data are logged, like the person file and household page of residents.views."""

    def _commune_id_of(self, obj):
        if not self.scope_path:
            return obj.pk
        *hops, last = self.scope_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)

    def _log_read(self, request, obj, page: str) -> None:
        if self.personal:
            description = _("Trang quản trị, %(page)s: %(object)s") % {"page": page, "object": obj}
            log_access(request.user, obj, commune_id=self._commune_id_of(obj), description=description, request=request)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if self.personal and request.method == "GET" and getattr(response, "status_code", None) == 200:
            opts = self.model._meta
            log_access(
                request.user,
                object_type=opts.label_lower,
                commune_id=request.user.commune_id,
                description=_("Trang quản trị, danh sách %(model)s") % {"model": opts.verbose_name_plural},
                request=request,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_view_permission(request, obj):
                self._log_read(request, obj, _("hồ sơ"))
        return super().change_view(request, object_id, form_url, extra_context)


class ScopedObjectPages:
    """The change and history pages (Django's and django-simple-history's) of one object: the same scoped fetch
    everywhere, another commune's record a plain 404, past versions read and never reverted, and the fields that
    services own never edited."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django answers a missing object with a redirect and "không tồn tại"; another commune's record is a plain
        # 404 everywhere in the project, so the change, delete and history pages answer alike.
        raise Http404

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "_admin_history_version", False):
            # A past version is shown, never edited: every field as text, no inputs to post back.
            opts = self.model._meta
            excluded = set(self.exclude or ())
            fields = [f.name for f in (*opts.fields, *opts.many_to_many) if f.editable and not f.auto_created]
            return [name for name in fields if name not in excluded]
        service_owned = (*self.lifecycle_fields, *(self.fixed_fields if obj is not None else ()))
        return readonly + [name for name in service_owned if name not in readonly]

    def _scoped_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._scoped_object_or_404(request, object_id)
        self._log_read(request, obj, _("lịch sử"))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._scoped_object_or_404(request, object_id)
        if request.method != "GET":
            # Reverting would save an old version past the services and their invariants; corrections go
            # through the application's forms or the change form, with their audit entry.
            logger.warning("admin revert refused: %s %s by %s", obj._meta.label_lower, obj.pk, request.user.pk)
            raise PermissionDenied
        self._log_read(request, obj, _("phiên bản %(version)s") % {"version": version_id})
        request._admin_history_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangesHelper(self.model, historical_record)


class ScopedChoices:
    """Choices and searches of the change forms and lists, within the user's scope."""

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


class ScopedAdminMixin(ScopedChoices, ScopedObjectPages, LoggedReads, ScopedPermissions, ExplainsRefusedSaves):
    """The admin of a scoped model: its permissions (`ScopedPermissions`, whose attributes a model's admin sets),
    logged reads, history pages and form choices, each within the user's scope."""


class NeverDeleted:
    """What the domain never deletes: households and people (they move away, their management stops), their legal
    records, pledges (withdrawn through the checklist, which keeps the history) and frozen figures. Without the
    permission Django drops "Xóa … đã chọn" from the actions and answers the delete page with 403."""

    def has_delete_permission(self, request, obj=None):
        return False


class LifecycleRecordAdmin(NeverDeleted, ScopedAdminMixin):
    """Records written only by services (a person's tests, decisions, treatments…): the admin reads them and
    corrects their wording, never adds, deletes or moves them, which would leave the person's status behind."""

    def has_add_permission(self, request, obj=None):
        return False


class ScopedInlineMixin:
    """Inline rows come through their (already scoped) parent; only the write permission needs checking."""

    def has_add_permission(self, request, obj=None):
        return may_use_admin(request.user) and request.user.can_write_records

    def has_change_permission(self, request, obj=None):
        return may_use_admin(request.user) and request.user.can_write_records

    def has_delete_permission(self, request, obj=None):
        return may_use_admin(request.user) and request.user.can_write_records

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)


class ReadOnlyInlineMixin(ScopedInlineMixin):
    """Rows a service writes (a person's records, a hotspot's status moves): shown on the parent, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


related_only = admin.RelatedOnlyFieldListFilter
