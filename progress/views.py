"""Dashboards, gap lists, reports. Every commune is fetched through the user's scope (another commune: 404)."""

import re
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import log_access, log_shown
from accounts.models import AccessLog
from accounts.scopes import require_review
from communes.models import Province
from communes.selectors import commune_for_user
from drugfree.spreadsheets import csv_response, download_name, xlsx_response
from drugfree.text import search_key

from . import charts
from .dashboards import area_overview, commune_dashboard
from .forms import AreaFilterForm
from .metrics import REGISTRY, Moment
from .models import Programme
from .selectors import default_province, spreadsheet_value, target_spreadsheet_value, today
from .services import mark_month_reviewed

GAP_PAGE_SIZE = 100


def sheet_title(text) -> str:
    """Excel refuses []:*?/\\ in a sheet name."""
    return re.sub(r"[\[\]:*?/\\]", "-", str(text))


# --- scope -------------------------------------------------------------------------------------------------------
def _province_for(request):
    user = request.user
    if user.is_administrator:
        chosen = request.GET.get("province")
        if chosen and chosen.isdigit():
            return Province.objects.filter(pk=chosen).first() or default_province(user)
    return default_province(user)


# --- area dashboard ----------------------------------------------------------------------------------------------
def _area(request):
    """(form, overview) for the area the user asked for; commune roles have no area."""
    user = request.user
    province = _province_for(request)
    form = AreaFilterForm(request.GET or None, user=user, province=province)
    data = form.cleaned_data if form.is_valid() else {}
    district = data.get("district") or (user.district if user.district_id else None)
    overview = area_overview(user, province=province, district=district, programme=data.get("programme"))
    return form, data, province, district, overview


def _filtered_rows(overview, data):
    rows = overview.rows
    if data.get("q"):
        key = search_key(data["q"])
        rows = [row for row in rows if key in search_key(row.unit.name)]
    if data.get("status") == "met":
        rows = [row for row in rows if row.met_all]
    elif data.get("status") == "unmet":
        rows = [row for row in rows if not row.met_all]
    index = _criterion_index(overview, data.get("unmet"))
    if index is not None:
        rows = [row for row in rows if not row.results[index].met]
    sort = data.get("sort") or "name"
    if sort == "met":
        rows = sorted(rows, key=lambda row: row.met_count, reverse=bool(data.get("desc")))
    elif sort.startswith("c") and _criterion_index(overview, sort[1:]) is not None:
        index = _criterion_index(overview, sort[1:])
        rows = sorted(rows, key=lambda row: row.results[index].value, reverse=bool(data.get("desc")))
    elif data.get("desc"):
        rows = list(reversed(rows))
    return rows


def _criterion_index(overview, criterion_id):
    if criterion_id in (None, ""):
        return None
    for index, criterion in enumerate(overview.criteria):
        if str(criterion.pk) == str(criterion_id):
            return index
    return None


def _sort_links(request, overview, data):
    """Column header links: a second click on the same column reverses the order."""
    current, desc = data.get("sort") or "name", bool(data.get("desc"))
    links = {}
    for key in ["name", "met", *(f"c{c.pk}" for c in overview.criteria)]:
        query = request.GET.copy()
        query["sort"] = key
        query["desc"] = "" if (key == current and desc) or key != current else "1"
        if key != current and key != "name":
            query["desc"] = "1" if key == "met" else ""
        links[key] = f"?{query.urlencode()}"
    return links, current, desc


def area_dashboard(request):
    user = request.user
    if user.is_commune_role:
        return redirect("progress:commune_dashboard", code=user.commune.code)
    form, data, province, district, overview = _area(request)
    rows = _filtered_rows(overview, data)
    # One reverse() for 166 links: the code is the only part that changes.
    pattern = reverse("progress:commune_dashboard", kwargs={"code": "00000"})
    for row in rows:
        row.url = pattern.replace("00000", row.unit.code)
        row.cells = _status_cells(row)
    total = len(overview.rows)
    bar = charts.bar_chart([(c.title, met, total) for c, met in overview.met_by_criterion])
    for item, (criterion, _met) in zip(bar["bars"], overview.met_by_criterion, strict=True):
        query = request.GET.copy()
        query["unmet"] = criterion.pk
        item.link = f"?{query.urlencode()}"
    trend = charts.trend_chart([(f"{p.month:%m/%Y}", p.met_all, p.communes) for p in overview.trend])
    links, sort, desc = _sort_links(request, overview, data)
    unmet_index = _criterion_index(overview, data.get("unmet"))
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
            "columns": [(c, links[f"c{c.pk}"], sort == f"c{c.pk}") for c in overview.criteria],
            "sort": sort,
            "desc": desc,
            "unmet_criterion": overview.criteria[unmet_index] if unmet_index is not None else None,
            "query": request.GET.urlencode(),
        },
    )


def _status_cells(row) -> str:
    """The row's coloured cells in one string: 166 × 11 template nodes would cost more than the queries."""
    cells = (
        f'<td class="text-center small {"table-success" if r.met else "table-danger"}">{escape(r.value_display)}</td>'
        for r in row.results
    )
    return mark_safe("".join(cells))


def _area_table(overview):
    headers = [_("Mã xã"), _("Xã/phường"), _("Huyện/cụm")]
    for criterion in overview.criteria:
        headers += [f"{criterion.order}. {criterion.title} ({criterion.target_display})", _("Đạt")]
    headers += [_("Số tiêu chí đạt"), _("Tổng số tiêu chí"), _("Kết quả")]
    rows = []
    for row in overview.rows:
        cells = [row.unit.code, row.unit.name, str(row.unit.district or "")]
        for result in row.results:
            cells += [spreadsheet_value(result.metric, result.value), _("Đạt") if result.met else _("Chưa đạt")]
        cells += [row.met_count, len(row.results), _("Đạt") if row.met_all else _("Chưa đạt")]
        rows.append(cells)
    return headers, rows


def area_export(request):
    if request.user.is_commune_role:
        raise PermissionDenied("commune roles have no area report")
    _form, _data, province, district, overview = _area(request)
    headers, rows = _area_table(overview)
    filename = download_name(_("Tiến độ các xã"), district or province, on=overview.moment.as_of)
    if request.GET.get("format") == "csv":
        return csv_response(filename, headers, rows)
    return xlsx_response(filename, headers, rows, sheet_title=_("Tiến độ các xã"))


def area_print(request):
    if request.user.is_commune_role:
        raise PermissionDenied("commune roles have no area report")
    _form, data, province, district, overview = _area(request)
    return render(
        request,
        "progress/area_print.html",
        {"overview": overview, "rows": _filtered_rows(overview, data), "province": province, "district": district},
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
        },
    )


def commune_print(request, code):
    commune = commune_for_user(request.user, code)
    dashboard = commune_dashboard(commune, programme=_programme_choice(request, commune))
    return render(request, "progress/commune_print.html", {"commune": commune, "dashboard": dashboard})


def commune_export(request, code):
    commune = commune_for_user(request.user, code)
    dashboard = commune_dashboard(commune, programme=_programme_choice(request, commune))
    headers = [
        _("STT"),
        _("Tiêu chí"),
        _("So sánh"),
        _("Chỉ tiêu"),
        _("Giá trị"),
        _("Tử số"),
        _("Mẫu số"),
        _("Còn thiếu"),
        _("Kết quả"),
    ]
    rows = [
        [
            r.criterion.order,
            r.criterion.title,
            r.criterion.get_comparison_display(),
            target_spreadsheet_value(r.criterion),
            spreadsheet_value(r.metric, r.value),
            r.figure.numerator,
            r.figure.denominator,
            r.gap_size,
            _("Đạt") if r.met else _("Chưa đạt"),
        ]
        for r in (dashboard.row.results if dashboard.row else [])
    ]
    if dashboard.hamlet_rows:
        rows.append([])
        rows.append([_("Theo thôn, khu phố"), *[f"{c.order}. {c.title}" for c in dashboard.hamlet_criteria]])
        for hamlet_row in dashboard.hamlet_rows:
            values = [spreadsheet_value(r.metric, r.value) for r in hamlet_row.results]
            rows.append([hamlet_row.unit.full_name, *values])
    filename = download_name(_("Tiến độ"), commune, on=dashboard.moment.as_of)
    return xlsx_response(filename, headers, rows, sheet_title=sheet_title(commune.name))


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
    commune, metric, moment, records = _gap(request, code, metric_key)
    may_see_names = request.user.can_view_personal_data
    page = None
    if records is not None and may_see_names:
        page = Paginator(records, GAP_PAGE_SIZE).get_page(request.GET.get("page"))
        log_shown(request, page, description=f"{commune.code} {metric.key} page {page.number}")
    else:
        count = records.count() if records is not None else None
    if page is not None:
        count = page.paginator.count
    rows = [[column.value(record) for column in metric.gap_columns] for record in page] if page else []
    return render(
        request,
        "progress/gap_list.html",
        {
            "commune": commune,
            "metric": metric,
            "moment": moment,
            "count": count,
            "page": page,
            "rows": rows,
            "headers": [column.header for column in metric.gap_columns],
            "may_see_names": may_see_names,
        },
    )


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
    return xlsx_response(filename, headers, rows, sheet_title=sheet_title(metric.gap_title))
