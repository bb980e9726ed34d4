"""Login security pages: the second-factor steps, the account page where administrators unlock and issue
password-reset links, and the page that spends such a link."""

import logging

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor as sf
from .forms import AddressUnlockForm, SecondFactorCodeForm
from .lockout import client_address, locked_addresses, lockout_threshold
from .models import SecurityEvent, User
from .scopes import require_administrator
from .services import (
    confirm_second_factor,
    issue_password_reset_link,
    reset_password_with_link,
    reset_second_factor,
    unlock_account,
    unlock_address,
    usable_reset_link,
)

logger = logging.getLogger(__name__)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    state = request.session.get(sf.SESSION_KEY)
    device = sf.confirmed_device(request.user)
    if state != sf.VERIFY or device is None:
        # Already passed, or the device was removed meanwhile (lost phone): decide again.
        request.session[sf.SESSION_KEY] = sf.PASSED if state == sf.PASSED else sf.state_at_login(request.user)
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            sf.mark_passed(request, device)
            return redirect(_next_url(request))
        logger.warning("second factor refused for account %s", request.user.pk)
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    if request.session.get(sf.SESSION_KEY) == sf.VERIFY:
        # Replacing a device needs the current one first: otherwise a stolen password would swap the phone.
        return redirect(reverse("accounts:second_factor_verify"))
    device = sf.pending_device(request.user)
    form = SecondFactorCodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            confirm_second_factor(user=request.user, device=device)
            sf.mark_passed(request, device)
            messages.success(request, _("Đã bật xác thực hai bước. Lần đăng nhập sau cần mã trên điện thoại này."))
            return redirect(_next_url(request))
        logger.warning("second factor enrolment code refused for account %s", request.user.pk)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": sf.qr_code_svg(device),
        "secret": sf.secret_for_typing(device),
        "required": sf.is_required(request.user),
        "has_device": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@require_POST
def second_factor_disable(request):
    """Optional for everyone but administrators, so they may switch it off again (their session has passed it)."""
    if sf.is_required(request.user):
        raise PermissionDenied("administrators keep their second factor")
    reset_second_factor(actor=request.user, user=request.user)
    messages.success(request, _("Đã tắt xác thực hai bước. Lần đăng nhập sau chỉ cần mật khẩu."))
    return redirect("home")


def manage(request):
    """Accounts with their login state: locked accounts first, then addresses locked, then recent events."""
    require_administrator(request.user)
    failures = (
        AccessAttempt.objects.filter(username=OuterRef("username"), attempt_time__gte=lockout_threshold())
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .values("n")
    )
    users = (
        User.objects.select_related("commune", "district", "province")
        .annotate(
            login_failures=Coalesce(Subquery(failures, output_field=IntegerField()), Value(0)),
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .order_by("-login_failures", "username")
    )
    context = {
        "users": users,
        "account_limit": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "addresses": locked_addresses(),
        "events": SecurityEvent.objects.select_related("actor", "subject")[:30],
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
        "link_hours": settings.PASSWORD_RESET_LINK_HOURS,
    }
    return render(request, "accounts/manage.html", context)


@require_POST
def account_unlock(request, pk: int):
    require_administrator(request.user)
    user = get_object_or_404(User, pk=pk)
    unlock_account(actor=request.user, user=user)
    messages.success(request, _("Đã mở khóa đăng nhập cho tài khoản %(user)s.") % {"user": user.username})
    return redirect("accounts:manage")


@require_POST
def address_unlock(request):
    require_administrator(request.user)
    form = AddressUnlockForm(request.POST)
    if form.is_valid():
        ip_address = form.cleaned_data["ip_address"]
        unlock_address(actor=request.user, ip_address=ip_address)
        messages.success(request, _("Đã mở khóa đăng nhập cho địa chỉ %(ip)s.") % {"ip": ip_address})
    else:
        messages.error(request, _("Địa chỉ IP không hợp lệ."))
    return redirect("accounts:manage")


@require_POST
def reset_link_issue(request, pk: int):
    """The link is shown on this response only; it is not stored and cannot be shown again."""
    require_administrator(request.user)
    user = get_object_or_404(User, pk=pk, is_active=True)
    token = issue_password_reset_link(actor=request.user, user=user)
    link = request.build_absolute_uri(reverse("accounts:password_reset", args=[token]))
    response = render(
        request,
        "accounts/reset_link_issued.html",
        {"subject": user, "link": link, "hours": settings.PASSWORD_RESET_LINK_HOURS},
    )
    response["Cache-Control"] = "no-store"
    return response


def locked_out(request, response=None, credentials=None):
    """Axes' lockout response, for the site's and the admin's login alike: a page in the site's layout, HTTP 429."""
    return render(request, "accounts/locked_out.html", {"lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES}, status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request, token: str):
    link = usable_reset_link(token)
    if link is None:
        return render(request, "accounts/reset_link_invalid.html", status=410)
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = reset_password_with_link(
            token=token, password=form.cleaned_data["new_password1"], ip_address=client_address(request)
        )
        if user is None:
            return render(request, "accounts/reset_link_invalid.html", status=410)
        messages.success(request, _("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu này."))
        return redirect("accounts:login")
    response = render(request, "accounts/password_reset.html", {"form": form, "subject": link.user})
    response["Cache-Control"] = "no-store"
    return response
