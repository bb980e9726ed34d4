from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import log_shown
from accounts.models import AccessLog
from accounts.scopes import require_write
from communes.records import form_page, subject_context
from communes.selectors import hamlet_for_user
from drugfree.forms import Submission, submit
from residents.forms.people import NewPersonForm, PersonForm
from residents.models import Person
from residents.next_step import next_legal_step
from residents.selectors import (
    duplicate_candidates,
    household_for_user,
    household_members,
    person_for_user,
    person_timeline,
    require_personal_data,
)
from residents.services.people import person_create, person_update
from residents.services.transfers import person_transfer_request

from .lifecycle import file_actions


def person_file(request, pk: int):
    """Hồ sơ: identity, household and every dated record; each view is logged (NĐ 356/2025)."""
    person = person_for_user(request.user, pk)
    printing = request.GET.get("print") == "1"
    action = AccessLog.Action.PRINT if printing else AccessLog.Action.VIEW
    members = household_members(person.household, besides=person) if person.household_id else []
    log_shown(request, members, subject=person, action=action, description=person.full_name)
    actions = file_actions(person) if request.user.can_write_records else []
    timeline = person_timeline(person)
    records = [entry.record for entry in timeline]
    step = next_legal_step(person, records=records, today=timezone.localdate()) if actions else None
    context = {
        "person": person,
        "timeline": timeline,
        # The step the law asks for next is the primary button; the other allowed actions wait in a menu.
        "next_step": step and (step, dict(actions)[step.action]),
        "other_actions": [(key, label) for key, label in actions if not step or key != step.action],
        "household_members": members,
        "printing": printing,
    }
    return render(request, "residents/person_file.html", context)


def _identity(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("seen_version", "confirm_new")}


@require_http_methods(["GET", "POST"])
def person_new(request, hamlet_pk: int | None = None, household_pk: int | None = None):
    """A new person in a hamlet, or a new member of a household; likely duplicates are shown before creating."""
    require_write(request.user)
    household = household_for_user(request.user, household_pk) if household_pk else None
    hamlet = household.hamlet if household else hamlet_for_user(request.user, hamlet_pk)
    instance = Person(hamlet=hamlet, commune=hamlet.commune, household=household)
    form = NewPersonForm(request.POST or None, instance=instance, hamlet=hamlet, initial={"household": household})
    submission, duplicates = Submission(form), []
    if request.method == "POST":
        duplicates = duplicate_candidates(request.user, request.POST, household=household)
    if request.method == "POST" and form.is_valid():
        if form.on_file_elsewhere is not None:
            return _request_transfer(request, form, hamlet=hamlet, household=household)
        if duplicates and not form.cleaned_data["confirm_new"]:
            form.add_error(
                "confirm_new",
                _("Có hồ sơ có thể trùng: mở hồ sơ đã có, hoặc đánh dấu ô này nếu đây đúng là người khác."),
            )
        else:
            submission = submit(
                form,
                lambda data: person_create(
                    actor=request.user, hamlet=hamlet, commune=hamlet.commune, **_identity(data)
                ),
            )
            if submission.ok:
                messages.success(request, _("Đã lập hồ sơ %(name)s.") % {"name": submission.saved.full_name})
                return redirect(submission.saved)
    log_shown(request, duplicates)  # the likely duplicates' names and CCCDs
    context = {
        "form": submission.form,
        "title": _("Thêm nhân khẩu vào hộ %(code)s") % {"code": household.code}
        if household
        else _("Lập hồ sơ người ở %(hamlet)s") % {"hamlet": hamlet},
        "subject": household,
        "subject_url": household.get_absolute_url() if household else "",
        "cancel_url": household.get_absolute_url() if household else "/",
        "duplicates": duplicates,
        "check_url": request.path,
    }
    return render(request, "residents/person_new.html", context)


def _request_transfer(request, form, *, hamlet, household):
    """The CCCD is on file in another commune: the reviewer decides; the officer is told only that (README)."""
    identity = {name: value for name, value in form.cleaned_data.items() if name not in ("household", "confirm_new")}
    identity.pop("seen_version", None)
    person_transfer_request(
        actor=request.user, person=form.on_file_elsewhere, hamlet=hamlet, household=household, identity=identity
    )
    messages.info(
        request,
        _(
            "Chưa lập hồ sơ: số CCCD %(cccd)s cần cán bộ theo dõi cấp trên xác minh. Yêu cầu đã được gửi; "
            "hồ sơ sẽ có ở xã khi được xác nhận."
        )
        % {"cccd": identity["cccd"]},
    )
    return redirect(household.get_absolute_url() if household else "home")


@require_GET
def person_duplicates(request):
    """htmx: the likely duplicates of what the officer has typed so far."""
    require_personal_data(request.user)
    duplicates = duplicate_candidates(request.user, request.GET)
    log_shown(request, duplicates)
    return render(request, "residents/_duplicates.html", {"duplicates": duplicates})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    require_write(request.user)
    person = person_for_user(request.user, pk)
    return form_page(
        request,
        PersonForm(request.POST or None, instance=person, hamlet=person.hamlet),
        lambda data: person_update(
            actor=request.user, person=person, seen_version=data["seen_version"], **_identity(data)
        ),
        success=lambda saved: _("Đã lưu hồ sơ %(name)s.") % {"name": saved.full_name},
        title=_("Sửa thông tin %(name)s") % {"name": person.full_name},
        **subject_context(person),
    )
