from dataclasses import dataclass

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.audit import log_shown
from accounts.models import Role
from communes.selectors import commune_for_user
from drugfree.links import ID, LinkPattern
from drugfree.pagination import paginate
from recognition.selectors import unit_statuses

from .forms import HouseholdFilterForm
from .overview import commune_overview
from .queue import work_queue
from .selectors import hamlets_overview, households_overview


def home(request):
    """Each role lands where its work is: officers on their work queue, reviewers on their dashboard."""
    user = request.user
    if user.is_commune_role and user.commune_id:
        commune = user.commune
        queue = work_queue(commune, today=timezone.localdate(), can_write=user.can_write_records)
        log_shown(request, [task.person for section in queue for task in section.tasks])
        return render(request, "workspace/home.html", {"commune": commune, "queue": queue})
    if user.role == Role.REVIEWER:
        return redirect(reverse("progress:area_dashboard"))
    return render(request, "workspace/home_other.html")


@dataclass(frozen=True)
class HamletLinks:
    checklist: str
    new_household: str
    new_person: str


def hamlets(request, code: str):
    commune = commune_for_user(request.user, code, personal=True)
    year = timezone.localdate().year
    hamlets = list(hamlets_overview(commune, year=year))
    statuses = unit_statuses([commune.pk], hamlets=True)  # "thôn, bản, khu phố sạch về ma túy": one query
    # Three links a row, each address reversed once for the page (drugfree.links).
    checklist = LinkPattern("pledges:checklist", ID, year)
    new_household = LinkPattern("residents:household_create", ID)
    new_person = LinkPattern("residents:person_create", ID)
    for hamlet in hamlets:
        hamlet.recognition_status = statuses.get(hamlet.pk)
        hamlet.links = HamletLinks(checklist(hamlet.pk), new_household(hamlet.pk), new_person(hamlet.pk))
    context = {"commune": commune, "year": year, "hamlets": hamlets}
    return render(request, "workspace/hamlets.html", context)


def households(request, code: str):
    commune = commune_for_user(request.user, code, personal=True)
    year = timezone.localdate().year
    form = HouseholdFilterForm(request.GET or None, commune=commune)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = households_overview(
        commune,
        year=year,
        hamlet=filters.get("hamlet"),
        status=form.status_filter(),
        pledge=filters.get("pledge"),
    )
    page = paginate(request, queryset)
    log_shown(request, page)
    context = {"commune": commune, "year": year, "form": form, "page": page}
    return render(request, "workspace/households.html", context)


def commune(request, code: str):
    """The commune at a glance: criteria, work-queue counts, hamlets (counts only: no personal data is shown)."""
    commune = commune_for_user(request.user, code)
    overview = commune_overview(commune, can_write=request.user.can_write_records)
    return render(request, "workspace/commune.html", {"commune": commune, "overview": overview})
