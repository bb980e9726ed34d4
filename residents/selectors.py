"""Reads of households and people: objects fetched through the user's scope, search, a person's timeline, duplicates."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.scopes import personal_scope_q
from drugfree.db import HasSuffix
from drugfree.prepared_querysets import PreparedQuery, one_or_404
from drugfree.text import clean_text, search_key
from residents.cccd import normalise_cccd
from residents.models import (
    AddictionAssessment,
    DrugTest,
    Household,
    ManagementStop,
    Person,
    PostRehabManagement,
    Reintegration,
    ResidenceCheck,
    RiskFlag,
    Suspicion,
    Treatment,
    UserManagement,
)
from residents.models.people import name_words_q

# --- objects through the user's scope: another commune's record is a 404, never a 403 that confirms it exists
# Each is the query get_object_or_404(queryset, pk=pk) makes (get() leaves out the ordering and reads 21 rows at most),
# compiled once per scope (drugfree.prepared_querysets): these pages' own queries are few, and compiling them was
# a good part.


@PreparedQuery
def _household_in_scope(scope, pk: int):
    return Household.objects.filter(scope).select_related("hamlet", "commune").filter(pk=pk).order_by()[:21]


@PreparedQuery
def _person_in_scope(scope, pk: int):
    return Person.objects.filter(scope).select_related("hamlet", "commune", "household").filter(pk=pk).order_by()[:21]


def household_for_user(user, pk: int) -> Household:
    """A household whose names the user may see (Household.objects.visible_to)."""
    return one_or_404(_household_in_scope(personal_scope_q(user, "commune"), pk=pk), Household)


def person_for_user(user, pk: int) -> Person:
    """A person whose name the user may see (Person.objects.visible_to)."""
    return one_or_404(_person_in_scope(personal_scope_q(user, "commune"), pk=pk), Person)


_members = PreparedQuery(lambda household: Person.objects.filter(household=household).order_by("name_key"))
_other_members = PreparedQuery(
    lambda household, besides: Person.objects.filter(household=household).exclude(pk=besides).order_by("name_key")
)


def household_members(household: Household, *, besides: Person | None = None) -> list[Person]:
    """`household.members.order_by("name_key")` (less `besides`), each member knowing its household as the related
    manager's rows do."""
    if besides is None:
        members = _members(household=household.pk)
    else:
        members = _other_members(household=household.pk, besides=besides.pk)
    for member in members:
        member.household = household
    return members


def require_personal_data(user) -> None:
    """Pages that list people by name (search) are refused to roles that may only see aggregates."""
    if not user.can_view_personal_data:
        raise PermissionDenied("aggregate-only role")


# --- re-use during management: a new positive test calls for restarting management (quản lý lại)


def re_use_tests(*, person, managed_since) -> QuerySet:
    """Positive tests dated after the day a management period started (the test behind its decision is not)."""
    return DrugTest.objects.filter(person=person, result=DrugTest.Result.POSITIVE, tested_on__gt=managed_since)


def awaits_restart() -> Exists:
    """Filter for Person querysets: a positive test after the person's open management period started."""
    managed_since = UserManagement.objects.filter(person=OuterRef("person"), ended_on__isnull=True).values("starts_on")
    return Exists(re_use_tests(person=OuterRef("pk"), managed_since=Subquery(managed_since[:1])))


# --- search


def household_search(queryset: QuerySet, text: str) -> QuerySet:
    """Households by code, head of household's name (without diacritics) or CCCD (full or last digits). Across many
    communes on PostgreSQL the search page asks residents.search_words first."""
    text = clean_text(text)
    if not text:
        return queryset
    if text.isdigit():
        by_cccd = Q(head_cccd=text) if len(text) == 12 else Q(HasSuffix(F("head_cccd"), text))
        return queryset.filter(by_cccd | Q(code__iexact=text) | Q(HasSuffix(F("code"), text)))
    return queryset.filter(name_words_q("head_name_key", text) | Q(code__iexact=text))


# --- a person's file


@dataclass(frozen=True)
class TimelineEntry:
    on: date | None
    kind: str
    title: str
    record: object
    document: str = ""
    document_date: date | None = None
    until: date | None = None
    ended_on: date | None = None
    detail: str = ""
    note: str = ""
    is_open: bool = False


@cache
def _records(model) -> PreparedQuery:
    """The person's records of one kind (with who made them, where the timeline shows it), compiled once."""
    related = {UserManagement: ["team_leader"], ResidenceCheck: ["checked_by"]}.get(model)
    if related:
        return PreparedQuery(lambda person: model.objects.filter(person=person).select_related(*related))
    return PreparedQuery(lambda person: model.objects.filter(person=person))


def _suspicions(person: Person):
    for suspicion in _records(Suspicion)(person=person.pk):
        yield TimelineEntry(
            suspicion.listed_on,
            "suspicion",
            _("Đưa vào danh sách nghi sử dụng"),
            suspicion,
            ended_on=suspicion.closed_on,
            detail=suspicion.get_trigger_display(),
            note=suspicion.note,
            is_open=suspicion.closed_on is None,
        )


def _tests(person: Person):
    for test in _records(DrugTest)(person=person.pk):
        detail = " · ".join(filter(None, [test.get_method_display(), test.substances, test.performed_by]))
        yield TimelineEntry(
            test.tested_on,
            "test",
            _("Xét nghiệm: %(result)s") % {"result": test.get_result_display()},
            test,
            detail=detail,
            note=test.note,
        )


def _managements(person: Person):
    for management in _records(UserManagement)(person=person.pk):
        team = ", ".join(filter(None, [str(management.team_leader or ""), management.team_members]))
        yield TimelineEntry(
            management.starts_on,
            "management",
            _("Quản lý người sử dụng trái phép (Mẫu 07)"),
            management,
            document=management.decision_number,
            document_date=management.decision_date,
            until=management.ends_on,
            ended_on=management.ended_on,
            detail=(_("Tổ quản lý: %(team)s") % {"team": team}) if team else "",
            note=management.get_end_reason_display() if management.end_reason else management.note,
            is_open=management.ended_on is None,
        )


def _assessments(person: Person):
    for assessment in _records(AddictionAssessment)(person=person.pk):
        yield TimelineEntry(
            assessment.assessed_on,
            "assessment",
            _("Xác định tình trạng nghiện: %(result)s") % {"result": assessment.get_result_display()},
            assessment,
            document=assessment.document_number,
            detail=_("%(facility)s · %(count)s tiêu chuẩn")
            % {"facility": assessment.facility, "count": assessment.criteria_met},
            note=assessment.note,
        )


def _treatments(person: Person):
    for treatment in _records(Treatment)(person=person.pk):
        outcome = treatment.get_outcome_display() if treatment.outcome else ""
        yield TimelineEntry(
            treatment.starts_on,
            "treatment",
            treatment.get_form_display(),
            treatment,
            document=treatment.decision_number,
            document_date=treatment.decision_date,
            until=treatment.planned_end_on,
            ended_on=treatment.ended_on,
            detail=" · ".join(filter(None, [treatment.facility, outcome])),
            note=treatment.note,
            is_open=treatment.ended_on is None,
        )


def _post_rehab_periods(person: Person):
    for period in _records(PostRehabManagement)(person=person.pk):
        yield TimelineEntry(
            period.starts_on,
            "post_rehab",
            _("Quản lý sau cai nghiện (Mẫu 51)"),
            period,
            document=period.decision_number,
            document_date=period.decision_date,
            until=period.ends_on,
            ended_on=period.ended_on,
            note=period.get_end_reason_display() if period.end_reason else period.note,
            is_open=period.ended_on is None,
        )


def _residence_checks(person: Person):
    for check in _records(ResidenceCheck)(person=person.pk):
        yield TimelineEntry(
            check.checked_on,
            "residence_check",
            _("Kiểm tra cư trú: có mặt") if check.present else _("Kiểm tra cư trú: vắng mặt"),
            check,
            detail=str(check.checked_by or ""),
            note=check.note,
        )


def _risk_flags(person: Person):
    for flag in _records(RiskFlag)(person=person.pk):
        yield TimelineEntry(
            flag.flagged_on,
            "risk",
            flag.get_kind_display(),
            flag,
            ended_on=flag.cleared_on,
            note=flag.note,
            is_open=flag.cleared_on is None,
        )


def _stops(person: Person):
    for stop in _records(ManagementStop)(person=person.pk):
        yield TimelineEntry(
            stop.stopped_on,
            "stop",
            _("Dừng quản lý (Mẫu 09): %(reason)s") % {"reason": stop.get_reason_display()},
            stop,
            note=stop.note,
        )


def _reintegrations(person: Person):
    for reintegration in _records(Reintegration)(person=person.pk):
        yield TimelineEntry(
            reintegration.released_on,
            "reintegration",
            _("Tái hòa nhập cộng đồng"),
            reintegration,
            ended_on=reintegration.ended_on,
            detail=" · ".join(filter(None, [reintegration.prison, reintegration.offence])),
            note=reintegration.support or reintegration.note,
            is_open=reintegration.ended_on is None,
        )


# The records of each kind, with the model they are read from; the order is the tie-break of records with the same
# date and creation time.
_TIMELINE_SOURCES = (
    (Suspicion, _suspicions),
    (DrugTest, _tests),
    (UserManagement, _managements),
    (AddictionAssessment, _assessments),
    (Treatment, _treatments),
    (PostRehabManagement, _post_rehab_periods),
    (ResidenceCheck, _residence_checks),
    (RiskFlag, _risk_flags),
    (ManagementStop, _stops),
    (Reintegration, _reintegrations),
)


@cache
def _kinds_present_sql() -> str:
    """One statement that names the kinds of record a person has: an index probe per kind, written once per process
    (raw SQL: building ten EXISTS through the ORM costs about what the ten reads it saves cost)."""
    probes = []
    for number, (model, _source) in enumerate(_TIMELINE_SOURCES):
        column = model._meta.get_field("person").column
        probes.append(f"SELECT {number} WHERE EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE {column} = %s)")
    return " UNION ALL ".join(probes)


def _entries(person: Person):
    with connections[router.db_for_read(Person)].cursor() as cursor:
        cursor.execute(_kinds_present_sql(), [person.pk] * len(_TIMELINE_SOURCES))
        present = {number for (number,) in cursor.fetchall()}
    for number, (_model, source) in enumerate(_TIMELINE_SOURCES):
        if number in present:
            yield from source(person)


def person_timeline(person: Person) -> list[TimelineEntry]:
    """Every dated record of the person, newest first: one query for the kinds of record the person has, then one
    per kind present (a person on the suspects' list has one or two of the ten), whatever the history."""
    return sorted(_entries(person), key=lambda e: (e.on or date.min, e.record.created_at), reverse=True)


# --- duplicates before creating a person


def duplicate_candidates(user, typed: Mapping, *, household: Household | None = None, exclude_pk=None) -> list[Person]:
    """THE rule for "this person may already have a file", for the check while typing and the check on save alike:
    both pass what the officer typed (raw strings, possibly half-typed) and the household the page is about.

    Same CCCD (leading zero restored) anywhere the user may look; or the same name, diacritics and case ignored,
    with the same birth year (typed, or from a typed birth date) or in the same household.
    """
    birth_year = str(typed.get("birth_year") or "").strip()
    birth_year = int(birth_year) if birth_year.isdigit() else None
    if birth_year is None:
        try:
            birth_date = forms.DateField().to_python(typed.get("birth_date"))
        except ValidationError:
            birth_date = None
        birth_year = birth_date.year if birth_date else None
    household_pk = str(typed.get("household") or "")
    if household is None and household_pk.isdigit():
        household = Household.objects.visible_to(user).filter(pk=household_pk).first()
    return list(
        likely_duplicates(
            user,
            full_name=str(typed.get("full_name") or ""),
            cccd=normalise_cccd(typed.get("cccd") or ""),
            birth_year=birth_year,
            household_id=household.pk if household else None,
            exclude_pk=exclude_pk,
        )
    )


def likely_duplicates(
    user, *, full_name: str = "", cccd: str = "", birth_year: int | None = None, household_id=None, exclude_pk=None
) -> QuerySet:
    """Same CCCD anywhere the user may look; or same name with the same birth year or the same household."""
    condition = Q(pk__in=[])
    if cccd:
        condition |= Q(cccd=cccd)
    key = search_key(full_name)
    if key and (birth_year or household_id):
        same_name = Q(name_key=key)
        also = Q(pk__in=[])
        if birth_year:
            also |= Q(birth_year=birth_year)
        if household_id:
            also |= Q(household_id=household_id)
        condition |= same_name & also
    queryset = Person.objects.visible_to(user).filter(condition).select_related("hamlet", "household")
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.order_by("name_key")[:10]
