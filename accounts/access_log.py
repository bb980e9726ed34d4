"""Nhật ký truy cập: who read which personal records, for those who answer for them."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from drugfree.pagination import paginate

from .models import AccessLog

ENTRIES_PER_PAGE = 50


def _kind(object_type: str) -> str:
    """`residents.person` → "người" (the model's name); other labels (a metric's list) as they are."""
    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type


@require_GET
def access_log(request):
    """The entries of the records the user answers for, newest first. Read-only: there is no form on this page, and
    the table refuses UPDATE and DELETE (migration accounts 0006)."""
    if not request.user.may_read_access_log:
        raise PermissionDenied("the access log names people")
    entries = AccessLog.objects.visible_to(request.user).select_related("user", "commune")
    page = paginate(request, entries, ENTRIES_PER_PAGE)
    for entry in page:
        entry.kind = _kind(entry.object_type)
    return render(request, "accounts/access_log.html", {"page": page})
