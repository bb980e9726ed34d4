"""People whose management ended longer ago than the retention period: flagged for a reviewer's decision."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.audit import log_shown
from drugfree.pagination import paginate
from residents.models import Person
from residents.retention import management_retention_cutoff, people_past_retention

PEOPLE_PER_PAGE = 50


@require_GET
def past_retention(request):
    """Reviewers who may see names (their area) and administrators; deleting stays a person's decision."""
    if request.user.is_commune_role or not request.user.can_view_personal_data:
        raise PermissionDenied("retention is reviewed above the commune")
    today = timezone.localdate()
    people = people_past_retention(Person.objects.visible_to(request.user), today).select_related("commune", "hamlet")
    page = paginate(request, people.order_by("management_ended_on", "pk"), PEOPLE_PER_PAGE)
    log_shown(request, page)
    context = {
        "page": page,
        "years": settings.MANAGEMENT_RECORD_RETENTION_YEARS,
        "cutoff": management_retention_cutoff(today),
    }
    return render(request, "residents/past_retention.html", context)
