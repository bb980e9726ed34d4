"""Reads: each unit's status (for the badge shown wherever a commune appears), the roadmap per year, a dossier
against the version it supplements."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

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

ROADMAP_END = 2030


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


def unit_statuses(commune_ids, *, hamlets: bool = False, today: date | None = None) -> dict[int, UnitStatus]:
    """{commune id (or hamlet id): UnitStatus} in one query: the latest cycle of each unit with its open alerts, its
    last review and its decision's start. A recognition past its validity shows as expired from Vietnam's 00:00,
    before the nightly job stores the move."""
    today = today or vietnam_today()
    cycles = Recognition.objects.hamlets() if hamlets else Recognition.objects.communes()
    key = "hamlet_id" if hamlets else "commune_id"
    statuses: dict[int, UnitStatus] = {}
    for recognition in _cycles_with_status_figures(cycles.filter(commune_id__in=list(commune_ids))).order_by("-pk"):
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


def roadmap(province, *, first_year: int) -> list[RoadmapYear]:
    """Per year to 2030: the target, the communes registered for it, recognised and revoked that year. Four
    grouped queries, whatever the number of communes."""
    years = {y: RoadmapYear(y) for y in range(first_year, ROADMAP_END + 1)}
    for target in ProvinceTarget.objects.filter(province=province, year__in=years):
        years[target.year].target = target.target_communes
    communes = Recognition.objects.communes().filter(commune__province=province)
    registered = communes.values("target_year").annotate(n=Count("pk")).order_by()
    for row in registered.filter(target_year__in=years):
        years[row["target_year"]].registered = row["n"]
    decided = Decision.objects.filter(
        recognition__in=communes, outcome=Decision.Outcome.RECOGNISED, signed_on__year__gte=first_year
    )
    for row in decided.values("signed_on__year").annotate(n=Count("pk")).order_by():
        if row["signed_on__year"] in years:
            years[row["signed_on__year"]].recognised = row["n"]
    revoked = Revocation.objects.filter(recognition__in=communes, signed_on__year__gte=first_year)
    for row in revoked.values("signed_on__year").annotate(n=Count("pk")).order_by():
        if row["signed_on__year"] in years:
            years[row["signed_on__year"]].revoked = row["n"]
    return list(years.values())


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
    before = {c.metric_key: c for c in previous.criteria.all()}
    for criterion in dossier.criteria.all():
        old = before.get(criterion.metric_key)
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


def open_alert_count(request) -> int:
    """Open alerts of the user's area, counted once per request (the menu's badge and the pages share it); no
    query for a user who may see none."""
    if not hasattr(request, "_recognition_open_alerts"):
        user = request.user
        sees = user.is_authenticated and user.is_active
        request._recognition_open_alerts = Alert.objects.visible_to(user).open().count() if sees else 0
    return request._recognition_open_alerts
