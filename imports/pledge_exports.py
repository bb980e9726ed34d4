"""Household pledges as .xlsx / .csv: the household columns of imports.exports plus the pledge columns, which the
household importer reads back (the "Đã ký cam kết" column records pledges, see imports.pledge_columns)."""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import log_export
from drugfree.spreadsheets import xlsx_response
from imports.exports import (
    FORMATS,
    export_commune,
    file_stem,
    household_export_headers,
    household_export_rows,
    require_personal_data,
    spreadsheet_response,
)
from pledges.models import HouseholdPledge
from residents.models import Household

PLEDGE_HEADERS = [gettext_lazy("Đã ký cam kết"), gettext_lazy("Ngày ký cam kết")]
SIGNED_MARK = "x"


def pledge_export_headers() -> list[str]:
    return household_export_headers() + [str(header) for header in PLEDGE_HEADERS]


def pledge_export_rows(households, *, year: int):
    """Every household of the queryset with its pledge of `year` (ticked and dated) or blank cells."""
    pledge = HouseholdPledge.objects.filter(household=OuterRef("pk"), year=year)
    households = households.annotate(pledge_signed_on=Subquery(pledge.values("signed_on")[:1]))
    return household_export_rows(
        households,
        extra=lambda h: [SIGNED_MARK, h.pledge_signed_on] if h.pledge_signed_on else ["", None],
    )


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def export_pledges(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    require_personal_data(request.user)
    commune = export_commune(request)
    year = _year(request)
    households = Household.objects.visible_to(request.user).residing()
    if commune:
        households = households.filter(commune=commune)
    log_export(
        request,
        households,
        object_type="pledges.householdpledge",
        description=_("Xuất danh sách cam kết năm %(year)d (%(format)s)") % {"year": year, "format": fmt},
    )
    stem = file_stem(_("Cam kết năm %(year)d") % {"year": year}, commune)
    return spreadsheet_response(
        fmt, stem, pledge_export_headers(), pledge_export_rows(households, year=year), sheet_title=_("Cam kết")
    )


def blank_template(request):
    """The household template's columns plus the pledge columns (without the database's status column)."""
    headers = household_export_headers()[:-1] + [str(header) for header in PLEDGE_HEADERS]
    return xlsx_response(_("Mẫu danh sách cam kết"), headers, [], sheet_title=_("Cam kết"))
