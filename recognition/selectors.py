"""Reads: each unit's status (for the badge shown wherever a commune appears), the roadmap per year, a dossier
against the version it supplements."""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Role, User
from communes.models import Commune
from drugfree.figures import format_percent
from drugfree.prepared_querysets import PreparedQuery
from progress.selectors import today as vietnam_today

from .models import (
    Alert,
    CommuneStatus,
    Decision,
    Dossier,
    MaintenanceReview,
    ProvinceTarget,
    Recognition,
    Revocation,
)
from .province import holding_cycles


@dataclass
class UnitStatus:
    status: str = CommuneStatus.BUILDING
    recognition: Recognition | None = None
    open_alerts: int = 0
    # When the next maintenance review falls due, for a recognised unit; `review_soon` when it is within
    # RECOGNITION_REVIEW_WARNING_DAYS of today (or already past).
    review_due: date | None = None
    review_soon: bool = False

    @property
    def label(self) -> str:
        return CommuneStatus(self.status).label

    @property
    def at_risk(self) -> bool:
        """Nguy cơ không giữ vững: recognised, with an event breaking a criterion not dealt with yet."""
        return self.status == CommuneStatus.RECOGNISED and self.open_alerts > 0

    @property
    def review_overdue(self) -> bool:
        return self.review_soon and self.review_due < vietnam_today()

    @property
    def text(self) -> str:
        """The badge in words (spreadsheets)."""
        parts = [str(self.label)]
        if self.at_risk:
            parts.append(str(_("Nguy cơ không giữ vững")))
        if self.review_soon:
            parts.append(f"{_('Hạn rà soát')} {self.review_due:%d/%m/%Y}")
        return " – ".join(parts)


def review_due(*, recognised_on: date | None, last_review: date | None) -> date | None:
    """The next maintenance review: RECOGNITION_REVIEW_INTERVAL_MONTHS after the last one (or the recognition)."""
    start = last_review or recognised_on
    return start + relativedelta(months=settings.RECOGNITION_REVIEW_INTERVAL_MONTHS) if start else None


def review_soon(due: date | None, today: date) -> bool:
    return due is not None and due - timedelta(days=settings.RECOGNITION_REVIEW_WARNING_DAYS) <= today


def _cycles_with_status_figures(cycles):
    """Each cycle with its open alerts, its last review's date and its recognition's start, in the same query."""
    alerts = (
        Alert.objects.open()
        .filter(recognition=OuterRef("pk"))
        .order_by()
        .values("recognition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_review = MaintenanceReview.objects.filter(recognition=OuterRef("pk")).order_by("-reviewed_on")
    return cycles.annotate(
        open_alert_count=Coalesce(Subquery(alerts, output_field=IntegerField()), Value(0)),
        last_review_on=Subquery(last_review.values("reviewed_on")[:1]),
        recognised_on=F("decision__valid_from"),
    )


def status_of(recognition: Recognition, today: date) -> UnitStatus:
    """A cycle annotated by `_cycles_with_status_figures`, as shown on `today` (Vietnam's date)."""
    status = UnitStatus(recognition.unit_status(today), recognition, recognition.open_alert_count)
    if status.status == CommuneStatus.RECOGNISED:
        status.review_due = review_due(recognised_on=recognition.recognised_on, last_review=recognition.last_review_on)
        status.review_soon = review_soon(status.review_due, today)
    return status


def _units_cycles(commune_ids, hamlets: bool):
    cycles = Recognition.objects.hamlets() if hamlets else Recognition.objects.communes()
    return _cycles_with_status_figures(cycles.filter(commune_id__in=list(commune_ids))).order_by("-pk")


# One commune's (a commune's page, its hamlet list): the same query, compiled once (drugfree.prepared_querysets).
_ONE_COMMUNES_CYCLES = {
    hamlets: PreparedQuery(lambda commune, hamlets=hamlets: _units_cycles([commune], hamlets))
    for hamlets in (False, True)
}


def unit_statuses(commune_ids, *, hamlets: bool = False, today: date | None = None) -> dict[int, UnitStatus]:
    """{commune id (or hamlet id): UnitStatus} in one query: the latest cycle of each unit with its open alerts, its
    last review and its decision's start. A recognition past its validity shows as expired from Vietnam's 00:00,
    before the nightly job stores the move."""
    today = today or vietnam_today()
    key = "hamlet_id" if hamlets else "commune_id"
    commune_ids = list(commune_ids)
    if len(commune_ids) == 1:
        cycles = _ONE_COMMUNES_CYCLES[hamlets](commune=commune_ids[0])
    else:
        cycles = _units_cycles(commune_ids, hamlets)
    statuses: dict[int, UnitStatus] = {}
    for recognition in cycles:
        if getattr(recognition, key) not in statuses:
            statuses[getattr(recognition, key)] = status_of(recognition, today)
    return statuses


def commune_statuses(commune_ids) -> dict[int, UnitStatus]:
    """Every commune's status, "đang xây dựng" for one never registered: the mark progress and communes show beside
    a commune's name (registered in RecognitionConfig.ready())."""
    statuses = unit_statuses(commune_ids)
    return {pk: statuses.get(pk) or UnitStatus() for pk in commune_ids}


def unit_status(commune, hamlet=None) -> UnitStatus:
    ids = [commune.pk]
    statuses = unit_statuses(ids, hamlets=hamlet is not None)
    return statuses.get(hamlet.pk if hamlet is not None else commune.pk, UnitStatus())


def reviews_falling_due(user, *, today: date | None = None) -> list[UnitStatus]:
    """Recognised units of the user's area whose maintenance review falls due within RECOGNITION_REVIEW_WARNING_DAYS
    (or is past): one query, soonest first."""
    today = today or vietnam_today()
    cycles = Recognition.objects.visible_to(user).filter(status=Recognition.Status.RECOGNISED)
    cycles = _cycles_with_status_figures(cycles.select_related("commune", "hamlet"))
    statuses = [status_of(recognition, today) for recognition in cycles]
    return sorted((s for s in statuses if s.review_soon), key=lambda s: (s.review_due, s.recognition.pk))


def recognition_for_user(user, pk: int) -> Recognition:
    """A cycle of a commune the user may see (another commune's: 404)."""
    queryset = Recognition.objects.visible_to(user).select_related("commune__province", "hamlet")
    return get_object_or_404(queryset, pk=pk)


def dossier_for_user(user, pk: int) -> Dossier:
    queryset = Dossier.objects.filter(recognition__in=Recognition.objects.visible_to(user))
    return get_object_or_404(queryset.select_related("recognition__commune__province", "recognition__hamlet"), pk=pk)


@dataclass
class RoadmapYear:
    year: int
    target: int | None = None
    registered: int = 0
    recognised: int = 0
    revoked: int = 0
    # Communes recognised by the end of that year, net of revocations (since the first decision); None for the
    # years still to come.
    held: int | None = None


def roadmap(province, *, first_year: int, today=None) -> list[RoadmapYear]:
    """Per year to RECOGNITION_TARGET_YEAR: the target, the communes registered for it, recognised and revoked that
    year, and how many hold a recognition at its end. Four grouped queries, whatever the number of communes."""
    last_year = max(first_year, settings.RECOGNITION_TARGET_YEAR)
    years = {y: RoadmapYear(y) for y in range(first_year, last_year + 1)}
    for target in ProvinceTarget.objects.filter(province=province, year__in=years):
        years[target.year].target = target.target_communes
    communes = Recognition.objects.communes().filter(commune__province=province)
    registered = communes.values("target_year").annotate(n=Count("pk")).order_by()
    for row in registered.filter(target_year__in=years):
        years[row["target_year"]].registered = row["n"]
    decided = Decision.objects.filter(recognition__in=communes, outcome=Decision.Outcome.RECOGNISED)
    revoked = Revocation.objects.filter(recognition__in=communes)
    held = 0
    for name, records, sign in (("recognised", decided, 1), ("revoked", revoked, -1)):
        for row in records.values("signed_on__year").annotate(n=Count("pk")).order_by():
            year = row["signed_on__year"]
            if year in years:
                setattr(years[year], name, row["n"])
            elif year < first_year:
                held += sign * row["n"]
    this_year = (today or vietnam_today()).year
    for year in years.values():
        held += year.recognised - year.revoked
        year.held = held if year.year <= this_year else None
    return list(years.values())


@dataclass
class RoadmapGoal:
    """The national goal for one province (KL 132, NQ 93): RECOGNITION_TARGET_PERCENT of its communes recognised
    by the end of RECOGNITION_TARGET_YEAR, and where it stands today."""

    communes: int
    held: int
    percent: int = field(default_factory=lambda: settings.RECOGNITION_TARGET_PERCENT)
    year: int = field(default_factory=lambda: settings.RECOGNITION_TARGET_YEAR)

    @property
    def goal(self) -> int:
        """The communes the goal asks for: the percentage of the province's communes, rounded up."""
        return math.ceil(self.communes * self.percent / 100)

    @property
    def share(self) -> Fraction:
        return Fraction(self.held * 100, self.communes) if self.communes else Fraction(0)

    @property
    def share_display(self) -> str:
        return format_percent(self.share, 1)

    @property
    def remaining(self) -> int:
        return max(0, self.goal - self.held)

    @property
    def reached(self) -> bool:
        return self.communes > 0 and self.held >= self.goal

    @property
    def bar_percent(self) -> int:
        return min(100, round(self.held * 100 / self.goal)) if self.goal else 0


def roadmap_goal(province, *, today=None) -> RoadmapGoal:
    """One query: the province's communes, and those whose recognition holds today (as the province-level criterion
    "recognised_communes_share" counts them: recognised, not revoked, not expired)."""
    holding = holding_cycles(today or vietnam_today()).filter(commune_id=OuterRef("pk"))
    counts = (
        Commune.objects.filter(province=province)
        .annotate(holding=Exists(holding))
        .aggregate(communes=Count("pk"), held=Count("pk", filter=Q(holding=True)))
    )
    return RoadmapGoal(communes=counts["communes"], held=counts["held"])


@dataclass
class Difference:
    title: str
    before: str
    after: str


@dataclass
class DossierChanges:
    """What a supplement changed against the returned version."""

    figures: list[Difference] = field(default_factory=list)
    evidence_added: list = field(default_factory=list)
    texts_changed: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.figures or self.evidence_added or self.texts_changed)


def dossier_changes(dossier: Dossier) -> DossierChanges | None:
    previous = dossier.previous
    if previous is None:
        return None
    changes = DossierChanges()
    before = {c.slot: c for c in previous.criteria.all()}
    for criterion in dossier.criteria.all():
        old = before.get(criterion.slot)
        old_text = f"{old.value_display} ({old.gap_size})" if old else "—"
        new_text = f"{criterion.value_display} ({criterion.gap_size})"
        if old_text != new_text:
            changes.figures.append(Difference(criterion.title, old_text, new_text))
    known = set(previous.evidence.values_list("sha256", flat=True))
    changes.evidence_added = [e for e in dossier.evidence.select_related("criterion") if e.sha256 not in known]
    for name in ("self_assessment", "proposal"):
        if getattr(dossier, name) != getattr(previous, name):
            changes.texts_changed.append(str(Dossier._meta.get_field(name).verbose_name))
    return changes


# The open alerts the signed-in user may see, counted in the query that fetches them for each request
# (accounts.backends.annotate_signed_in_user, registered in RecognitionConfig.ready()): the menu shows the count on
# every page, and a query of its own cost ~0.7 ms of Python a page. The condition is accounts.scopes.scope_q() written
# over the user's row (a commune role: its commune; a reviewer: their district, else their province; the council:
# its province; administrators: everywhere); tests/recognition/test_menu_badge.py compares the two for every persona.
USER_OPEN_ALERTS = "open_recognition_alerts"
_USER = User._meta.db_table
OPEN_ALERTS_OF_USER = RawSQL(
    f"SELECT count(*) FROM {Alert._meta.db_table} AS alert "
    f"JOIN {Commune._meta.db_table} AS commune ON commune.id = alert.commune_id "
    f"WHERE alert.closed_at IS NULL AND {_USER}.is_active AND ({_USER}.is_superuser OR {_USER}.role = %s "
    f"OR ({_USER}.role IN (%s, %s) AND alert.commune_id = {_USER}.commune_id) "
    f"OR ({_USER}.role = %s AND (commune.district_id = {_USER}.district_id "
    f"OR ({_USER}.district_id IS NULL AND commune.province_id = {_USER}.province_id))) "
    f"OR ({_USER}.role = %s AND commune.province_id = {_USER}.province_id))",
    [Role.ADMINISTRATOR, Role.COMMUNE_OFFICER, Role.COMMUNE_VIEWER, Role.REVIEWER, Role.APPRAISAL_COUNCIL],
    output_field=IntegerField(),
)


def open_alert_count(request) -> int:
    """Open alerts of the user's area, as of the request's start: the menu's badge and the pages that show the count
    read it from the signed-in user's own query (OPEN_ALERTS_OF_USER); a user fetched otherwise costs one count, once
    per request; no query for a user who may see none."""
    if not hasattr(request, "_recognition_open_alerts"):
        user = request.user
        count = 0
        if user.is_authenticated and user.is_active:
            count = getattr(user, USER_OPEN_ALERTS, None)
            if count is None:
                count = Alert.objects.visible_to(user).open().count()
        request._recognition_open_alerts = count
    return request._recognition_open_alerts
