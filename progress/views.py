"""Dashboards, gap lists, reports. Every commune is fetched through the user's scope (another commune: 404).

Views only: the table's filter and order live in forms.AreaFilterForm, the reports' rows in reports.py."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import log_access, log_shown
from accounts.models import AccessLog
from accounts.scopes import require_review
from communes.marks import marks_for
from communes.selectors import commune_for_user
from drugfree.spreadsheets import csv_response, download_name, xlsx_response

from . import charts
from .dashboards import area_overview, commune_dashboard
from .forms import AreaFilterForm, with_query
from .gaps import breakdown, gap_rows
from .metrics import REGISTRY, Moment
from .models import Programme
from .reports import area_table, commune_table, report_titles
from .selectors import province_for, today
from .services import mark_month_reviewed

GAP_PAGE_SIZE = 100


# --- area dashboard ----------------------------------------------------------------------------------------------
def _area(request):
    """(form, overview, province, district) for the area the user asked for; commune roles have no area."""
    user = request.user
    province = province_for(user, request.GET.get("province"))
    form = AreaFilterForm(request.GET or None, user=user, province=province)
    district = form.choices.get("district") or (user.district if user.district_id else None)
    overview = area_overview(user, province=province, district=district, programme=form.choices.get("programme"))
    return form, overview, province, district


def area_dashboard(request):
    user = request.user
    if user.is_commune_role:
        return redirect("progress:commune_dashboard", code=user.commune.code)
    form, overview, province, district = _area(request)
    rows = form.rows(overview)
    # One reverse() for 166 links: the code is the only part that changes.
    pattern = reverse("progress:commune_dashboard", kwargs={"code": "00000"})
    for row in rows:
        row.url = pattern.replace("00000", row.unit.code)
    total = len(overview.rows)
    bar = charts.bar_chart([(c.title, met, total) for c, met in overview.met_by_criterion])
    for item, (criterion, _met) in zip(bar["bars"], overview.met_by_criterion, strict=True):
        item.link = with_query(request.GET, unmet=criterion.pk)
    trend = charts.trend_chart([(f"{p.month:%m/%Y}", p.met_all, p.communes) for p in overview.trend])
    links = form.sort_links(request.GET, overview)
    unmet = form.unmet_criterion(overview)
    return render(
        request,
        "progress/area_dashboard.html",
        {
            "form": form,
            "overview": overview,
            "rows": rows,
            "province": province,
            "district": district,
            "bar": bar,
            "trend": trend,
            "sort_links": links,
            "columns": [(c, links[f"c{c.pk}"], form.sort_key == f"c{c.pk}") for c in overview.criteria],
            "sort": form.sort_key,
            "desc": form.descending,
            "unmet_criterion": unmet[1] if unmet else None,
            "query": request.GET.urlencode(),
            "marks": marks_for(row.unit.pk for row in rows),
        },
    )


def area_export(request):
    if request.user.is_commune_role:
        raise PermissionDenied("commune roles have no area report")
    _form, overview, province, district = _area(request)
    headers, rows = area_table(overview, marks=marks_for(row.unit.pk for row in overview.rows))
    filename = download_name(_("Tiến độ các xã"), district or province, on=overview.moment.as_of)
    if request.GET.get("format") == "csv":
        return csv_response(filename, headers, rows)
    titles = report_titles(_("Tiến độ các xã"), district or province, overview.programme, overview.moment.as_of)
    return xlsx_response(filename, headers, rows, sheet_title=_("Tiến độ các xã"), titles=titles)


def area_print(request):
    if request.user.is_commune_role:
        raise PermissionDenied("commune roles have no area report")
    form, overview, province, district = _area(request)
    rows = form.rows(overview)
    return render(
        request,
        "progress/area_print.html",
        {
            "overview": overview,
            "rows": rows,
            "province": province,
            "district": district,
            "marks": marks_for(row.unit.pk for row in rows),
        },
    )


# --- commune dashboard -------------------------------------------------------------------------------------------
def _programme_choice(request, commune):
    chosen = request.GET.get("programme")
    if chosen and chosen.isdigit():
        return Programme.objects.for_province(commune.province_id).filter(pk=chosen).first()
    return None


def commune_dashboard_view(request, code):
    commune = commune_for_user(request.user, code)
    dashboard = commune_dashboard(commune, programme=_programme_choice(request, commune))
    return render(
        request,
        "progress/commune_dashboard.html",
        {
            "commune": commune,
            "dashboard": dashboard,
            "may_review": request.user.may_review,
            "programmes": Programme.objects.for_province(commune.province_id),
            "marks": marks_for([commune.pk]),
        },
    )


def commune_print(request, code):
    commune = commune_for_user(request.user, code)
    dashboard = commune_dashboard(commune, programme=_programme_choice(request, commune))
    return render(request, "progress/commune_print.html", {"commune": commune, "dashboard": dashboard})


def commune_export(request, code):
    commune = commune_for_user(request.user, code)
    dashboard = commune_dashboard(commune, programme=_programme_choice(request, commune))
    headers, rows = commune_table(dashboard)
    filename = download_name(_("Tiến độ"), commune, on=dashboard.moment.as_of)
    titles = report_titles(_("Tiến độ"), commune, dashboard.programme, dashboard.moment.as_of)
    return xlsx_response(filename, headers, rows, sheet_title=commune.name, titles=titles)


@require_POST
def review_month(request, code):
    commune = commune_for_user(request.user, code)
    require_review(request.user)
    try:
        month = datetime.strptime(request.POST.get("month", ""), "%Y-%m").date()
        mark_month_reviewed(actor=request.user, commune=commune, month=month, note=request.POST.get("note", ""))
    except ValueError:
        messages.error(request, _("Tháng không hợp lệ."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xác nhận số liệu tháng %(month)s.") % {"month": f"{month:%m/%Y}"})
    return redirect("progress:commune_dashboard", code=commune.code)


# --- gap lists ---------------------------------------------------------------------------------------------------
def _gap(request, code, metric_key):
    commune = commune_for_user(request.user, code)
    metric = REGISTRY.get(metric_key)
    if metric is None:
        raise Http404("unknown metric")
    moment = Moment(today())
    return commune, metric, moment, metric.gap_list(moment, commune)


def gap_list(request, code, metric_key):
    """Names with a link to the fix for roles that see them; counts by hamlet and cause for the others."""
    commune, metric, moment, records = _gap(request, code, metric_key)
    context = {"commune": commune, "metric": metric, "moment": moment, "count": None, "page": None, "rows": []}
    context["may_see_names"] = may_see_names = request.user.can_view_personal_data
    context["headers"] = [column.header for column in metric.gap_columns]
    if records is not None and may_see_names:
        page = Paginator(records, GAP_PAGE_SIZE).get_page(request.GET.get("page"))
        log_shown(request, page, description=f"{commune.code} {metric.key} page {page.number}")
        rows = gap_rows(
            metric, page, user=request.user, commune=commune, back=request.get_full_path(), year=moment.year
        )
        context.update(page=page, count=page.paginator.count, rows=rows, fixes=any(row.fix_url for row in rows))
    elif records is not None:
        context.update(count=records.count(), breakdown=breakdown(metric, records))
    return render(request, "progress/gap_list.html", context)


def gap_export(request, code, metric_key):
    commune, metric, moment, records = _gap(request, code, metric_key)
    if not request.user.can_view_personal_data:
        raise PermissionDenied("names are not exported to aggregate-only roles")
    if records is None:
        raise Http404("no list for this metric")
    log_access(
        request.user,
        action=AccessLog.Action.EXPORT,
        object_type="progress.gap_list",
        object_id=metric.key,
        commune_id=commune.pk,
        description=f"{commune.code} {metric.key}",
        request=request,
    )
    headers = [column.header for column in metric.gap_columns]
    rows = ([column.value(record) for column in metric.gap_columns] for record in records.iterator(chunk_size=2000))
    filename = download_name(metric.gap_title, commune, on=moment.as_of)
    if request.GET.get("format") == "csv":
        return csv_response(filename, headers, rows)
    return xlsx_response(filename, headers, rows, sheet_title=metric.gap_title)
