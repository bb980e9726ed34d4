from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import log_access
from accounts.scopes import require_write
from drugfree.forms import Submission, submit
from residents.forms.households import HouseholdEndForm, HouseholdForm, HouseholdMoveForm
from residents.models import Household
from residents.selectors import hamlet_for_user, household_for_user
from residents.services.households import (
    household_change_status,
    household_create,
    household_move,
    household_update,
)


def household_detail(request, pk: int):
    household = household_for_user(request.user, pk)
    log_access(request.user, household, request=request, description=str(household))
    members = household.members.order_by("name_key")
    return render(request, "residents/household_detail.html", {"household": household, "members": members})


def _form_page(request, submission: Submission, *, title, household=None, cancel_url, **extra):
    context = {
        "form": submission.form,
        "conflict": submission.conflict,
        "title": title,
        "subject": household,
        "subject_url": household and household.get_absolute_url(),
        "cancel_url": cancel_url,
        **extra,
    }
    return render(request, "residents/form_page.html", context)


@require_http_methods(["GET", "POST"])
def household_new(request, hamlet_pk: int):
    require_write(request.user)
    hamlet = hamlet_for_user(request.user, hamlet_pk)
    form = HouseholdForm(request.POST or None, instance=Household(hamlet=hamlet, commune=hamlet.commune))
    submission = Submission(form)
    if request.method == "POST":
        submission = submit(form, lambda data: household_create(actor=request.user, hamlet=hamlet, **_fields(data)))
        if submission.ok:
            messages.success(request, _("Đã thêm hộ %(code)s.") % {"code": submission.saved.code})
            return redirect(submission.saved)
    title = _("Thêm hộ vào %(hamlet)s") % {"hamlet": hamlet}
    return _form_page(request, submission, title=title, cancel_url=reverse("home"))


@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    require_write(request.user)
    household = household_for_user(request.user, pk)
    form = HouseholdForm(request.POST or None, instance=household)
    submission = Submission(form)
    if request.method == "POST":
        submission = submit(
            form,
            lambda data: household_update(
                actor=request.user, household=household, seen_version=data["seen_version"], **_fields(data)
            ),
        )
        if submission.ok:
            messages.success(request, _("Đã lưu hộ %(code)s.") % {"code": household.code})
            return redirect(household)
    title = _("Sửa hộ %(code)s") % {"code": household.code}
    return _form_page(request, submission, title=title, household=household, cancel_url=household.get_absolute_url())


@require_http_methods(["GET", "POST"])
def household_move_view(request, pk: int):
    require_write(request.user)
    household = household_for_user(request.user, pk)
    form = HouseholdMoveForm(request.POST or None, household=household)
    submission = Submission(form)
    if request.method == "POST":
        submission = submit(
            form,
            lambda data: household_move(
                actor=request.user, household=household, hamlet=data["hamlet"], seen_version=data["seen_version"]
            ),
        )
        if submission.ok:
            messages.success(request, _("Đã chuyển hộ sang %(hamlet)s.") % {"hamlet": household.hamlet})
            return redirect(household)
    return _form_page(
        request,
        submission,
        title=_("Chuyển hộ sang thôn khác"),
        household=household,
        cancel_url=household.get_absolute_url(),
        explanation=_("Các nhân khẩu có hồ sơ trong hộ được chuyển theo. Chuyển sang xã khác: chọn “Chuyển đi”."),
    )


@require_http_methods(["GET", "POST"])
def household_end(request, pk: int):
    require_write(request.user)
    household = household_for_user(request.user, pk)
    form = HouseholdEndForm(request.POST or None, record=household)
    submission = Submission(form)
    if request.method == "POST":
        submission = submit(
            form,
            lambda data: household_change_status(
                actor=request.user,
                household=household,
                status=data["status"],
                on=data["status_changed_on"],
                seen_version=data["seen_version"],
            ),
        )
        if submission.ok:
            messages.success(request, _("Đã cập nhật tình trạng hộ %(code)s.") % {"code": household.code})
            return redirect(household)
    return _form_page(
        request,
        submission,
        title=_("Hộ chuyển đi hoặc giải thể"),
        household=household,
        cancel_url=household.get_absolute_url(),
        explanation=_("Hộ không bị xóa: hộ thôi được tính là đang cư trú, lịch sử và hồ sơ nhân khẩu được giữ."),
        submit_label=_("Xác nhận"),
    )


def _fields(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "seen_version"}
