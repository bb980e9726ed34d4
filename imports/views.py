"""Upload → preview (correct the mapping) → confirm → progress → done, for commune officers and administrators."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.audit import log_shown
from accounts.models import AccessLog
from accounts.scopes import require_write
from drugfree.jobs import runs_in_process
from imports.models import ImportRun
from imports.tasks import import_households

from . import annotate, services
from .forms import ConfirmForm, MappingForm, UploadForm
from .pipeline import execute_run
from .previews import run_in_background
from .rows import CHANGED, INVALID, NEW, UNCHANGED
from .table import SpreadsheetError
from .writing import ImportRefused

RUNS_PER_PAGE = 30
ERRORS_SHOWN = 500


def _run_for(user, pk: int) -> ImportRun:
    require_write(user)
    run = get_object_or_404(ImportRun.objects.visible_to(user).select_related("commune", "created_by"), pk=pk)
    return services.as_seen(run)


def _start_job(request, run: ImportRun, task, *args) -> bool:
    problem = services.start_job(run, task, *args)
    if problem:
        messages.error(request, problem)
    return problem is None


def start_upload(request, form: UploadForm, *, source: str):
    """The upload service for a valid form (the web page's and the admin's): the run's page, or None with the
    reading's refusal on the form's file field. A large file is read by a background job, not in this request."""
    try:
        run, problem = services.upload(
            actor=request.user,
            commune=form.cleaned_data["commune"],
            uploaded=form.cleaned_data["file"],
            full_list=form.cleaned_data["full_list"],
            source=source,
        )
    except SpreadsheetError as exc:
        form.add_error("file", exc.message)
        return None
    if problem:
        messages.error(request, problem)
    return redirect("imports:run", pk=run.pk)


def index(request):
    """The upload form and the imports of the user's communes, newest first."""
    require_write(request.user)
    form = UploadForm(user=request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid() and (started := start_upload(request, form, source=ImportRun.Source.WEB)):
            return started
    # Queries: the runs page (1, with commune and user joined) and its count (1).
    runs = ImportRun.objects.visible_to(request.user).select_related("commune", "created_by")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    for run in page:
        services.as_seen(run)  # a stalled run reads as failed; recorded by fail_stalled_runs, not by this GET
    return render(request, "imports/index.html", {"form": form, "page": page})


def _progress_context(run: ImportRun) -> dict:
    """What the progress bar says when the job is silent: whether a dead worker's job comes back by itself."""
    return {
        "run": run,
        "jobs_redelivered": not runs_in_process(),
        "redelivery_minutes": settings.JOB_REDELIVERY_MINUTES,
        "stalled_minutes": settings.HOUSEHOLD_IMPORT_STALLED_MINUTES,
    }


def run_detail(request, pk: int):
    run = _run_for(request.user, pk)
    context = {**_progress_context(run), "errors_shown": run.errors[:ERRORS_SHOWN]}
    if run.status in (ImportRun.Status.PREVIEW, ImportRun.Status.FAILED) and run.file:
        context["mapping_form"] = MappingForm(run=run)
    first = run.summary.get("first", {})
    context["sections"] = [
        (NEW, _("Hộ mới"), first.get(NEW, []), run.new_rows),
        (CHANGED, _("Hộ có thay đổi"), first.get(CHANGED, []), run.changed_rows),
        (UNCHANGED, _("Hộ không đổi"), first.get(UNCHANGED, []), run.unchanged_rows),
        (INVALID, _("Dòng lỗi"), first.get(INVALID, []), run.invalid_rows),
    ]
    # The preview's rows and errors name the file's people: the read is logged against the run.
    log_shown(request, [], subject=run, description=run.file_name)
    return render(request, "imports/run.html", context)


def run_progress(request, pk: int):
    """Polled by htmx every second while the import runs; reloads the page once it is over."""
    run = _run_for(request.user, pk)
    if not run.is_in_progress and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", _progress_context(run))


@require_POST
def run_mapping(request, pk: int):
    run = _run_for(request.user, pk)
    if run.status not in (ImportRun.Status.PREVIEW, ImportRun.Status.FAILED) or not run.file:
        raise Http404
    form = MappingForm(request.POST, run=run)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Ghép cột không hợp lệ.")]:
            messages.error(request, error)
        return redirect("imports:run", pk=run.pk)
    if form.layout_changed():
        layout = {"sheet": form.cleaned_data["sheet"], "header_row_number": form.cleaned_data["header_row_number"]}
    else:
        layout = {"mapping": form.mapping()}
    try:
        services.reread(run, full_list=form.cleaned_data["full_list"], **layout)
    except (SpreadsheetError, services.RunNotWaiting) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đọc lại tệp theo cách ghép cột mới."))
    return redirect("imports:run", pk=run.pk)


@require_POST
def run_confirm(request, pk: int):
    run = _run_for(request.user, pk)
    form = ConfirmForm(request.POST)
    if run.status not in (ImportRun.Status.PREVIEW, ImportRun.Status.FAILED) or not run.file or not form.is_valid():
        messages.error(request, _("Lần nhập này không còn chờ xác nhận."))
        return redirect("imports:run", pk=run.pk)
    mode = form.cleaned_data["mode"]
    if mode == ImportRun.Mode.ALL and run.invalid_rows:
        messages.error(request, _("Tệp còn dòng lỗi: hãy sửa tệp và tải lên lại, hoặc chọn chỉ nhập các dòng hợp lệ."))
        return redirect("imports:run", pk=run.pk)
    confirm_head_changes = form.cleaned_data["confirm_head_changes"]
    if run.summary.get("head_change_count") and not confirm_head_changes:
        messages.error(
            request,
            _(
                "Tệp đổi chủ hộ của %(count)d hộ: hãy kiểm tra danh sách đổi chủ hộ "
                "và đánh dấu ô xác nhận trước khi nhập."
            )
            % {"count": run.summary["head_change_count"]},
        )
        return redirect("imports:run", pk=run.pk)
    try:
        run = services.queue(run, mode=mode)
    except services.RunNotWaiting as exc:
        messages.error(request, exc.message)
        return redirect("imports:run", pk=run.pk)
    if run_in_background(run):
        if _start_job(request, run, import_households, run.pk, mode, request.user.pk, confirm_head_changes):
            messages.info(request, _("Đang nhập trong nền: có thể rời trang này và quay lại sau."))
        return redirect("imports:run", pk=run.pk)
    try:
        execute_run(run, mode=mode, actor=request.user, confirm_head_changes=confirm_head_changes)
    except (ImportRefused, SpreadsheetError, IntegrityError, services.ImportSuperseded):
        pass  # the run holds the message and the reason
    except Exception:
        messages.error(request, _("Nhập thất bại do lỗi hệ thống; dữ liệu chưa bị thay đổi."))
    return redirect("imports:run", pk=run.pk)


@require_POST
def run_cancel(request, pk: int):
    run = _run_for(request.user, pk)
    if services.cancel(run):
        messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
    else:  # confirmed, or cancelled in another tab, meanwhile
        messages.error(request, services.RunNotWaiting.message)
    return redirect("imports:run", pk=run.pk)


def run_annotated(request, pk: int):
    """The user's own workbook with an error column and the bad cells highlighted, to fix in Excel."""
    run = _run_for(request.user, pk)
    if not run.file:
        raise Http404
    try:
        content, filename = annotate.annotated_workbook(run)
    except SpreadsheetError as exc:  # the workbook is built in a child process, which may have died (logged there)
        messages.error(request, exc.message)
        return redirect("imports:run", pk=run.pk)
    log_shown(request, [], subject=run, action=AccessLog.Action.EXPORT, description=filename)
    return FileResponse(content, as_attachment=True, filename=filename)
