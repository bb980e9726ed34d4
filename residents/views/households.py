from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import log_shown
from accounts.scopes import require_write
from communes.records import form_page, subject_context
from communes.selectors import hamlet_for_user
from residents.forms.households import HouseholdEndForm, HouseholdForm, HouseholdMoveForm
from residents.models import Household
from residents.selectors import household_for_user, household_members
from residents.services.households import (
    household_change_status,
    household_create,
    household_move,
    household_update,
)


def household_detail(request, pk: int):
    household = household_for_user(request.user, pk)
    members = household_members(household)
    log_shown(request, members, subject=household)
    context = {"household": household, "members": members, "size": household.size(len(members))}
    return render(request, "residents/household_detail.html", context)


def _fields(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "seen_version"}


@require_http_methods(["GET", "POST"])
def household_new(request, hamlet_pk: int):
    require_write(request.user)
    hamlet = hamlet_for_user(request.user, hamlet_pk)
    form = HouseholdForm(request.POST or None, instance=Household(hamlet=hamlet, commune=hamlet.commune))
    return form_page(
        request,
        form,
        lambda data: household_create(actor=request.user, hamlet=hamlet, **_fields(data)),
        success=lambda saved: _("Đã thêm hộ %(code)s.") % {"code": saved.code},
        title=_("Thêm hộ vào %(hamlet)s") % {"hamlet": hamlet},
        cancel_url=reverse("home"),
    )


@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    require_write(request.user)
    household = household_for_user(request.user, pk)
    return form_page(
        request,
        HouseholdForm(request.POST or None, instance=household),
        lambda data: household_update(
            actor=request.user, household=household, seen_version=data["seen_version"], **_fields(data)
        ),
        success=lambda saved: _("Đã lưu hộ %(code)s.") % {"code": saved.code},
        title=_("Sửa hộ %(code)s") % {"code": household.code},
        **subject_context(household),
    )


@require_http_methods(["GET", "POST"])
def household_move_view(request, pk: int):
    require_write(request.user)
    household = household_for_user(request.user, pk)
    return form_page(
        request,
        HouseholdMoveForm(request.POST or None, household=household),
        lambda data: household_move(
            actor=request.user, household=household, hamlet=data["hamlet"], seen_version=data["seen_version"]
        ),
        success=lambda saved: _("Đã chuyển hộ sang %(hamlet)s.") % {"hamlet": saved.hamlet},
        title=_("Chuyển hộ sang thôn khác"),
        explanation=_("Các nhân khẩu có hồ sơ trong hộ được chuyển theo. Chuyển sang xã khác: chọn “Chuyển đi”."),
        **subject_context(household),
    )


@require_http_methods(["GET", "POST"])
def household_end(request, pk: int):
    require_write(request.user)
    household = household_for_user(request.user, pk)
    return form_page(
        request,
        HouseholdEndForm(request.POST or None, record=household),
        lambda data: household_change_status(
            actor=request.user,
            household=household,
            status=data["status"],
            on=data["status_changed_on"],
            seen_version=data["seen_version"],
        ),
        success=lambda saved: _("Đã cập nhật tình trạng hộ %(code)s.") % {"code": saved.code},
        title=_("Hộ chuyển đi hoặc giải thể"),
        explanation=_("Hộ không bị xóa: hộ thôi được tính là đang cư trú, lịch sử và hồ sơ nhân khẩu được giữ."),
        submit_label=_("Xác nhận"),
        **subject_context(household),
    )
