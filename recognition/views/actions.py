"""Every state change of the cycle: POST only, the object fetched through the user's scope, a form, a service.
Whatever the outcome the user goes back to the page they acted from, with the service's answer as a message."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.selectors import commune_for_user
from drugfree.forms import submit
from progress.selectors import province_for

from .. import forms
from ..freezing import live_unmet
from ..models import Alert, Dossier, DossierCriterion, Recognition
from ..selectors import dossier_for_user, recognition_for_user
from ..services import appraisal, dossiers, keeping, registration
from ..services.transitions import may_approve, require_appraiser, require_decider
from .urls_of import alerts_url, commune_url, cycle_url, dossier_url, roadmap_url


def _done(request, form, save, *, back: str, success: str):
    result = submit(form, save)
    if result.ok:
        messages.success(request, success)
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
    return redirect(back)


def _require_commune_writer(user, unit) -> None:
    """403 for anyone but the commune's officers (and administrators); `unit` is the commune or one of its cycles."""
    commune_id = getattr(unit, "commune_id", unit.pk)
    if not (user.can_write_records and (user.is_administrator or user.commune_id == commune_id)):
        raise PermissionDenied("only the commune's officers act for it")


@require_POST
def register(request, code):
    commune = commune_for_user(request.user, code)
    _require_commune_writer(request.user, commune)
    form = forms.RegisterForm(request.POST, commune=commune)
    return _done(
        request,
        form,
        lambda data: registration.register(commune=commune, actor=request.user, **data),
        back=commune_url(commune),
        success=_("Đã đăng ký."),
    )


@require_POST
def set_target(request):
    province = province_for(request.user, request.POST.get("province", ""))
    if province is None or not registration.may_set_targets(request.user, province):
        raise PermissionDenied("only the province sets its roadmap")
    form = forms.TargetForm(request.POST)
    return _done(
        request,
        form,
        lambda data: registration.set_target(province=province, actor=request.user, **data),
        back=f"{roadmap_url()}?province={province.pk}",
        success=_("Đã lưu chỉ tiêu."),
    )


@require_POST
def freeze(request, pk):
    recognition = recognition_for_user(request.user, pk)
    _require_commune_writer(request.user, recognition)
    form = forms.FreezeForm(request.POST)
    return _done(
        request,
        form,
        lambda data: dossiers.freeze_dossier(recognition=recognition, actor=request.user, **data),
        back=cycle_url(recognition),
        success=_("Đã chốt số liệu vào hồ sơ."),
    )


@require_POST
def update_texts(request, pk):
    dossier = dossier_for_user(request.user, pk)
    _require_commune_writer(request.user, dossier.recognition)
    form = forms.TextsForm(request.POST)
    return _done(
        request,
        form,
        lambda data: dossiers.update_dossier_texts(dossier=dossier, actor=request.user, **data),
        back=dossier_url(dossier),
        success=_("Đã lưu biên bản và tờ trình."),
    )


@require_POST
def upload_evidence(request, pk):
    dossier = dossier_for_user(request.user, pk)
    _require_commune_writer(request.user, dossier.recognition)
    form = forms.EvidenceForm(request.POST, request.FILES, dossier=dossier)
    return _done(
        request,
        form,
        lambda data: dossiers.attach_evidence(
            dossier=dossier,
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
            criterion=data["criterion"],
            actor=request.user,
        ),
        back=dossier_url(dossier),
        success=_("Đã đính kèm minh chứng."),
    )


@require_POST
def approve(request, pk):
    dossier = dossier_for_user(request.user, pk)
    if not may_approve(request.user, dossier.recognition):
        raise PermissionDenied("only the commune's leader approves")
    return _done(
        request,
        django_forms.Form(request.POST),
        lambda data: dossiers.approve_dossier(dossier=dossier, actor=request.user),
        back=dossier_url(dossier),
        success=_("Lãnh đạo đã phê duyệt hồ sơ."),
    )


@require_POST
def submit_dossier(request, pk):
    dossier = dossier_for_user(request.user, pk)
    _require_commune_writer(request.user, dossier.recognition)
    return _done(
        request,
        django_forms.Form(request.POST),
        lambda data: dossiers.submit_dossier(dossier=dossier, actor=request.user),
        back=dossier_url(dossier),
        success=_("Đã nộp hồ sơ."),
    )


@require_POST
def verdict(request, pk):
    criterion = get_object_or_404(
        DossierCriterion.objects.select_related("dossier__recognition"),
        pk=pk,
        dossier__in=_visible_dossiers(request.user),
    )
    require_appraiser(request.user, criterion.dossier.recognition)
    form = forms.VerdictForm(request.POST)
    return _done(
        request,
        form,
        lambda data: appraisal.give_verdict(criterion=criterion, actor=request.user, **data),
        back=dossier_url(criterion.dossier),
        success=_("Đã ghi kết luận."),
    )


@require_POST
def inspect(request, pk):
    dossier = dossier_for_user(request.user, pk)
    require_appraiser(request.user, dossier.recognition)
    return _done(
        request,
        forms.InspectionForm(request.POST),
        lambda data: appraisal.record_inspection(dossier=dossier, actor=request.user, **data),
        back=dossier_url(dossier),
        success=_("Đã ghi kết quả kiểm tra thực tế."),
    )


@require_POST
def return_for_supplement(request, pk):
    dossier = dossier_for_user(request.user, pk)
    require_appraiser(request.user, dossier.recognition)
    return _done(
        request,
        forms.ReturnForm(request.POST),
        lambda data: appraisal.return_dossier(dossier=dossier, actor=request.user, **data),
        back=dossier_url(dossier),
        success=_("Đã trả hồ sơ để bổ sung."),
    )


@require_POST
def decide(request, pk):
    recognition = recognition_for_user(request.user, pk)
    require_decider(request.user, recognition)
    return _done(
        request,
        forms.DecisionForm(request.POST),
        lambda data: appraisal.record_decision(recognition=recognition, actor=request.user, **data),
        back=cycle_url(recognition),
        success=_("Đã ghi quyết định."),
    )


@require_POST
def review(request, pk):
    recognition = recognition_for_user(request.user, pk)
    require_decider(request.user, recognition)
    return _done(
        request,
        forms.ReviewForm(request.POST),
        lambda data: keeping.record_review(
            recognition=recognition, unmet=live_unmet(recognition), actor=request.user, **data
        ),
        back=cycle_url(recognition),
        success=_("Đã ghi kết quả rà soát duy trì."),
    )


@require_POST
def revoke(request, pk):
    recognition = recognition_for_user(request.user, pk)
    require_decider(request.user, recognition)
    return _done(
        request,
        forms.RevokeForm(request.POST),
        lambda data: keeping.revoke(recognition=recognition, actor=request.user, **data),
        back=cycle_url(recognition),
        success=_("Đã ghi quyết định thu hồi."),
    )


@require_POST
def close_alert(request, pk):
    alert = get_object_or_404(Alert.objects.visible_to(request.user).select_related("recognition"), pk=pk)
    require_decider(request.user, alert.recognition)
    return _done(
        request,
        forms.CloseAlertForm(request.POST),
        lambda data: keeping.close_alert(alert=alert, actor=request.user, **data),
        back=alerts_url(),
        success=_("Đã đóng cảnh báo."),
    )


def _visible_dossiers(user):
    return Dossier.objects.filter(recognition__in=Recognition.objects.visible_to(user))
