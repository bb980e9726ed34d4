"""Chuyển xã: the reviewer's queue of people registered by one commune while on file in another."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import log_shown
from drugfree.pagination import paginate
from residents.models import PersonTransfer
from residents.services.transfers import person_transfer_accept, person_transfer_reject

TRANSFERS_PER_PAGE = 30


def _require_reviewer(user) -> None:
    """Reviewers who may see names and administrators; officers never (the task names the other commune)."""
    if user.is_commune_role or not user.can_view_personal_data:
        raise PermissionDenied("transfers are decided above the commune")


@require_GET
def transfer_list(request):
    _require_reviewer(request.user)
    transfers = (
        PersonTransfer.objects.visible_to(request.user)
        .filter(status=PersonTransfer.Status.OPEN)
        .select_related("person__commune", "person__hamlet", "to_commune", "to_hamlet", "to_household", "requested_by")
    )
    page = paginate(request, transfers, TRANSFERS_PER_PAGE)
    log_shown(request, [transfer.person for transfer in page])  # the records on file: name, CCCD, status
    return render(request, "residents/transfers.html", {"page": page})


@require_POST
def transfer_resolve(request, pk: int, decision: str):
    _require_reviewer(request.user)
    transfer = get_object_or_404(PersonTransfer.objects.visible_to(request.user), pk=pk)
    note = request.POST.get("note", "")[:255]
    try:
        if decision == "accept":
            person = person_transfer_accept(actor=request.user, transfer=transfer, note=note)
            moved = {"name": person, "commune": transfer.to_commune}
            messages.success(request, _("Đã chuyển hồ sơ %(name)s về %(commune)s.") % moved)
        elif decision == "reject":
            person_transfer_reject(actor=request.user, transfer=transfer, note=note)
            messages.info(request, _("Đã ghi nhận: không chuyển xã."))
        else:
            raise PermissionDenied("unknown decision")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("residents:transfers")
