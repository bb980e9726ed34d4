from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_scoping import ExplainsRefusedSaves
from .models import AccessLog, SecurityEvent, User

# Roles and scopes replace Django groups; an unused Groups page would only confuse administrators.
admin.site.unregister(Group)
# django-otp's device admin shows each secret key; devices are managed by their owner (enrolment page) and lost
# phones with `manage.py reset_second_factor`.
admin.site.unregister(TOTPDevice)


class AdministratorsOnly(ExplainsRefusedSaves):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_administrator

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends this warning to the help text outside gettext, so it stays English in every language.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("Nếu tắt, mật khẩu hiện tại của tài khoản sẽ mất."),
    )


# Roles and scopes replace Django's groups and per-model permissions: their picker (hundreds of English lines such as
# "Axes | access attempt | Can add access attempt") would only suggest a second way to grant rights.
UNUSED_USER_FIELDS = {"groups", "user_permissions"}


@admin.register(User)
class UserAdmin(AdministratorsOnly, DjangoUserAdmin):
    filter_horizontal = ()
    change_password_form = PasswordChangeForm
    list_display = ("username", "full_name", "role", "commune", "district", "province", "is_active", "last_login")
    list_filter = ("role", "is_active", "province")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("commune", "district", "province")
    autocomplete_fields = ("commune",)
    fieldsets = (
        *(
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in UNUSED_USER_FIELDS)})
            for name, options in DjangoUserAdmin.fieldsets
        ),
        (_("Vai trò và phạm vi"), {"fields": ("role", "commune", "district", "province", "may_view_personal_data")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ("full_name", "role", "commune", "district", "province", "is_staff")}),
    )


@admin.register(AccessLog)
class AccessLogAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "description")
    list_filter = ("action", "object_type")
    search_fields = ("user__username", "object_id", "description")
    list_select_related = ("user",)
    date_hierarchy = "at"

    # The log is evidence: nobody edits or deletes it, administrators only read it.
    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(SecurityEvent)
class SecurityEventAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("at", "kind", "subject", "ip_address", "actor", "description")
    list_filter = ("kind",)
    search_fields = ("subject__username", "actor__username", "ip_address")
    list_select_related = ("subject", "actor")
    date_hierarchy = "at"

    # Evidence, like the access log: read only.
    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission
