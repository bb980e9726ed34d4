"""The cycle's pages: the area overview, the roadmap, a commune's cycles, one cycle, one dossier, the alerts, and the
only way to an evidence file. Every object comes through the user's scope; names shown are logged."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.audit import log_access, log_shown
from communes.models import Commune
from communes.selectors import commune_for_user
from drugfree.pagination import paginate
from progress.selectors import province_for

from .. import charts, forms
from ..context import cycle_context, dossier_context
from ..files import EXTENSIONS
from ..models import Alert, Evidence, Recognition
from ..selectors import (
    dossier_changes,
    dossier_for_user,
    open_alert_count,
    recognition_for_user,
    reviews_falling_due,
    roadmap,
    unit_statuses,
)
from ..services.registration import may_set_targets
from ..services.transitions import may_appraise, may_decide
from .urls_of import commune_url


def overview(request):
    """Every commune of the user's area with its status; commune roles go to their own commune's page."""
    user = request.user
    if user.is_commune_role:
        return redirect(commune_url(user.commune))
    communes = list(Commune.objects.visible_to(user).select_related("district").order_by("name"))
    statuses = unit_statuses([c.pk for c in communes])
    rows = [(commune, statuses.get(commune.pk)) for commune in communes]
    context = {
        "rows": rows,
        "open_alerts": open_alert_count(request),
        "reviews_due": sum(status.review_soon for status in statuses.values()),
    }
    return render(request, "recognition/overview.html", context)


def roadmap_page(request):
    province = province_for(request.user, request.GET.get("province", ""))
    first_year = min(2025, timezone.localdate().year)
    years = roadmap(province, first_year=first_year) if province else []
    context = {
        "province": province,
        "years": years,
        "chart": charts.roadmap_chart(years),
        "target_form": forms.TargetForm() if province and may_set_targets(request.user, province) else None,
    }
    return render(request, "recognition/roadmap.html", context)


def commune_page(request, code):
    commune = commune_for_user(request.user, code)
    cycles = list(commune.recognitions.select_related("commune", "hamlet", "decision", "revocation").order_by("-pk"))
    statuses = unit_statuses([commune.pk])
    hamlet_statuses = unit_statuses([commune.pk], hamlets=True)
    hamlets = [(h, hamlet_statuses.get(h.pk)) for h in commune.hamlets.order_by("name")]
    writer = request.user.can_write_records and (request.user.is_administrator or request.user.commune_id == commune.pk)
    context = {
        "commune": commune,
        "status": statuses.get(commune.pk),
        "cycles": cycles,
        "hamlets": hamlets,
        "register_form": forms.RegisterForm(commune=commune) if writer else None,
    }
    return render(request, "recognition/commune.html", context)


def cycle_page(request, pk):
    recognition = recognition_for_user(request.user, pk)
    return render(request, "recognition/cycle.html", cycle_context(request.user, recognition))


def dossier_page(request, pk):
    dossier = dossier_for_user(request.user, pk)
    context = dossier_context(request.user, dossier)
    context["changes"] = dossier_changes(dossier)
    if context["may_see_names"] and any(c.gap_rows for c in context["criteria"]):
        # The frozen gap lists name people: one entry for the dossier, as for a gap list page.
        log_access(request.user, dossier, description=f"{dossier} — danh sách còn thiếu", request=request)
    return render(request, "recognition/dossier.html", context)


def evidence_file(request, pk):
    """The stored file, to users who may see names in the commune or appraise it; every download is logged."""
    evidence = get_object_or_404(
        Evidence.objects.filter(dossier__recognition__in=Recognition.objects.visible_to(request.user)).select_related(
            "dossier__recognition"
        ),
        pk=pk,
    )
    recognition = evidence.dossier.recognition
    if not (request.user.can_view_personal_data or may_appraise(request.user, recognition)):
        raise PermissionDenied("evidence may name people")
    log_shown(request, [evidence], subject=evidence, description=evidence.title)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    extension = EXTENSIONS.get(evidence.content_type, "bin")
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def alerts(request):
    queryset = Alert.objects.visible_to(request.user).select_related("commune", "recognition__hamlet", "closed_by")
    show = request.GET.get("show", "open")
    if show == "open":
        queryset = queryset.open()
    page = paginate(request, queryset)
    for alert in page:
        alert.may_close = alert.closed_at is None and may_decide(request.user, alert.recognition)
    due = reviews_falling_due(request.user)
    context = {
        "page": page,
        "show": show,
        "open_alerts": open_alert_count(request),
        "reviews": due,
        "reviews_due": len(due),
        "review_warning_days": settings.RECOGNITION_REVIEW_WARNING_DAYS,
    }
    return render(request, "recognition/alerts.html", context)
