from dataclasses import dataclass

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.audit import log_shown
from accounts.models import Role
from communes.selectors import commune_for_user
from drugfree.links import ID, LinkPattern
from drugfree.pagination import paginate
from recognition.selectors import UnitStatus, unit_statuses
from recognition.templatetags.recognition import status_badge

from .forms import HouseholdFilterForm
from .overview import commune_overview
from .queue import work_queue
from .selectors import hamlets_overview_list, households_overview


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


_STATUS_BADGE = "recognition/_status_badge.html"  # the template of recognition's {% status_badge %}


@dataclass(frozen=True)
class HamletLinks:
    checklist: str
    new_household: str
    new_person: str


class _StatusBadges:
    """`{% status_badge status %}` rendered once for each badge that differs (most hamlets show the same one, and
    the tag's template per row was a tenth of a large commune's list): the badge shows the status, its alerts and
    its review's date, nothing else."""

    def __init__(self):
        self._rendered: dict[tuple, str] = {}

    def __call__(self, status: UnitStatus | None) -> str:
        context = status_badge(status)
        shown = context["status"]
        # What the template shows of a status (as recognition's mark beside a commune keys it, recognition/apps.py).
        key = (shown.status, shown.label, shown.at_risk, shown.review_soon, shown.review_overdue, shown.review_due)
        if key not in self._rendered:
            self._rendered[key] = render_to_string(_STATUS_BADGE, context)
        return self._rendered[key]


def hamlets(request, code: str):
    commune = commune_for_user(request.user, code, personal=True)
    year = timezone.localdate().year
    hamlets = hamlets_overview_list(commune, year=year)
    statuses = unit_statuses([commune.pk], hamlets=True)  # "thôn, bản, khu phố sạch về ma túy": one query
    badges = _StatusBadges()
    # Three links a row, each address reversed once for the page (drugfree.links).
    checklist = LinkPattern("pledges:checklist", ID, year)
    new_household = LinkPattern("residents:household_create", ID)
    new_person = LinkPattern("residents:person_create", ID)
    for hamlet in hamlets:
        hamlet.recognition_status = statuses.get(hamlet.pk)
        hamlet.status_badge = badges(hamlet.recognition_status)
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
