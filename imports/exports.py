"""Household and people lists as .xlsx / .csv, with the Vietnamese headers the household importer reads back.

`household_export_headers()` and `household_export_rows(queryset)` are the reusable part: any list of households
(a commune's list, the pledges export, the progress app's gap lists) writes the same columns through
drugfree.spreadsheets, so what is exported can be corrected in Excel and imported again.
"""

from collections.abc import Callable, Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import log_export
from communes.models import Commune
from communes.selectors import commune_for_user
from drugfree.spreadsheets import csv_response, download_name, xlsx_response
from residents.models import Household, Person

FORMATS = ("xlsx", "csv")
EXPORT_BATCH = 2000

HOUSEHOLD_HEADERS = [
    gettext_lazy("Mã hộ"),
    gettext_lazy("Họ và tên chủ hộ"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Số CCCD"),
    gettext_lazy("Dân tộc"),
    gettext_lazy("Thôn/Khu phố"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Số nhân khẩu"),
    gettext_lazy("Tình trạng"),
]
PEOPLE_HEADERS = [
    gettext_lazy("Họ và tên"),
    gettext_lazy("Số CCCD"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Dân tộc"),
    gettext_lazy("Thôn/Khu phố"),
    gettext_lazy("Mã hộ"),
    gettext_lazy("Nơi ở hiện tại"),
    gettext_lazy("Tình trạng quản lý"),
]
_SEX = {"male": gettext_lazy("Nam"), "female": gettext_lazy("Nữ")}


def household_export_headers() -> list[str]:
    return [str(header) for header in HOUSEHOLD_HEADERS]


def _with_head(queryset: QuerySet) -> QuerySet:
    """The head's birth and sex come from the head's Person row (same household, the household's head CCCD)."""
    head = Person.objects.filter(household=OuterRef("pk"), cccd=OuterRef("head_cccd"))
    return queryset.annotate(
        head_birth_date=Subquery(head.values("birth_date")[:1]),
        head_birth_year=Subquery(head.values("birth_year")[:1]),
        head_sex=Subquery(head.values("sex")[:1]),
    )


def household_export_rows(queryset: QuerySet, *, extra: Callable[[Household], list] | None = None) -> Iterator[list]:
    """One row per household under household_export_headers(), streamed in batches (one query per batch).

    `extra(household)` appends the caller's own columns (the pledges export adds the pledge; annotate what it needs).
    """
    statuses = dict(Household.Status.choices)
    households = _with_head(queryset.select_related("hamlet")).order_by("hamlet__name", "code")
    for household in households.iterator(chunk_size=EXPORT_BATCH):
        row = household_row(household, statuses)
        yield row + extra(household) if extra else row


def household_row(household: Household, statuses: dict | None = None) -> list:
    statuses = statuses or dict(Household.Status.choices)
    birth = getattr(household, "head_birth_date", None) or getattr(household, "head_birth_year", None)
    return [
        household.code,
        household.head_name,
        birth,
        str(_SEX.get(getattr(household, "head_sex", "") or "", "")),
        household.head_cccd,
        household.ethnicity,
        household.hamlet.full_name,
        household.address,
        household.members_count,
        str(statuses.get(household.status, "")),
    ]


def people_export_rows(queryset: QuerySet) -> Iterator[list]:
    statuses = dict(Person.Status.choices)
    people = queryset.select_related("hamlet", "household").order_by("hamlet__name", "name_key")
    for person in people.iterator(chunk_size=EXPORT_BATCH):
        yield [
            person.full_name,
            person.cccd or "",
            person.birth_date or person.birth_year,
            str(_SEX.get(person.sex, "")),
            person.ethnicity,
            person.hamlet.full_name,
            person.household.code if person.household else "",
            person.current_address,
            str(statuses.get(person.status, "")),
        ]


# --- views ----------------------------------------------------------------------------------------------------------


def require_personal_data(user) -> None:
    """Lists with names go only to roles that may see personal data (aggregate-only reviewers get 403)."""
    if not user.can_view_personal_data:
        raise PermissionDenied("aggregate-only role")


def export_commune(request) -> Commune | None:
    """?commune=<code> narrows the export; a commune outside the user's scope is a 404."""
    code = request.GET.get("commune")
    if not code:
        return None
    return commune_for_user(request.user, code, personal=True)


def file_stem(title: str, commune: Commune | None) -> str:
    """The download's name in words: what it lists, for which commune (or all the user sees), as of today."""
    return download_name(title, commune or _("Tất cả các xã"), on=timezone.localdate())


def spreadsheet_response(fmt: str, stem: str, headers: list[str], rows, *, sheet_title: str):
    if fmt == "xlsx":
        return xlsx_response(stem, headers, rows, sheet_title=sheet_title)
    return csv_response(stem, headers, rows)


def exports_page(request):
    require_personal_data(request.user)
    communes = Commune.objects.visible_to(request.user).order_by("name")
    if request.user.is_commune_role:
        communes = communes.filter(pk=request.user.commune_id)
    return render(request, "imports/exports.html", {"communes": communes, "formats": FORMATS})


def export_households(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    require_personal_data(request.user)
    commune = export_commune(request)
    households = Household.objects.visible_to(request.user)
    if commune:
        households = households.filter(commune=commune)
    log_export(request, households, description=_("Xuất danh sách hộ gia đình (%(format)s)") % {"format": fmt})
    stem = file_stem(_("Danh sách hộ gia đình"), commune)
    return spreadsheet_response(
        fmt, stem, household_export_headers(), household_export_rows(households), sheet_title=_("Danh sách hộ")
    )


def export_people(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    require_personal_data(request.user)
    commune = export_commune(request)
    people = Person.objects.visible_to(request.user).under_management()
    if commune:
        people = people.filter(commune=commune)
    log_export(request, people, description=_("Xuất danh sách người thuộc diện quản lý (%(format)s)") % {"format": fmt})
    stem = file_stem(_("Người thuộc diện quản lý"), commune)
    headers = [str(header) for header in PEOPLE_HEADERS]
    return spreadsheet_response(fmt, stem, headers, people_export_rows(people), sheet_title=_("Diện quản lý"))


TEMPLATES = {"households": HOUSEHOLD_HEADERS, "people": PEOPLE_HEADERS}
TEMPLATE_NAMES = {
    "households": gettext_lazy("Mẫu danh sách hộ gia đình"),
    "people": gettext_lazy("Mẫu danh sách người thuộc diện quản lý"),
}


def blank_template(request, kind: str):
    """An empty list with the headers the importer recognises, to fill in Excel."""
    if kind not in TEMPLATES:
        raise Http404
    headers = [str(header) for header in TEMPLATES[kind]]
    if kind == "households":
        headers = headers[:-1]  # the status is the database's, not the clerk's
    return xlsx_response(str(TEMPLATE_NAMES[kind]), headers, [], sheet_title=_("Danh sách"))
