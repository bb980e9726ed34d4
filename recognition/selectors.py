"""Reads: each unit's status (for the badge shown wherever a commune appears), the roadmap per year, a dossier
against the version it supplements."""

import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communes.models import Commune
from drugfree.figures import format_percent

from .models import Alert, CommuneStatus, Decision, Dossier, ProvinceTarget, Recognition, Revocation
from .models.cycle import UNIT_STATUS
from .province import holding_cycles


@dataclass
class UnitStatus:
    status: str = CommuneStatus.BUILDING
    recognition: Recognition | None = None
    open_alerts: int = 0

    @property
    def label(self) -> str:
        return CommuneStatus(self.status).label

    @property
    def at_risk(self) -> bool:
        """Nguy cơ không giữ vững: recognised, with an event breaking a criterion not dealt with yet."""
        return self.status == CommuneStatus.RECOGNISED and self.open_alerts > 0


def unit_statuses(commune_ids, *, hamlets: bool = False) -> dict[int, UnitStatus]:
    """{commune id (or hamlet id): UnitStatus} in two queries: the latest cycle of each unit, its open alerts."""
    cycles = Recognition.objects.hamlets() if hamlets else Recognition.objects.communes()
    key = "hamlet_id" if hamlets else "commune_id"
    statuses: dict[int, UnitStatus] = {}
    for recognition in cycles.filter(commune_id__in=list(commune_ids)).order_by("-pk"):
        statuses.setdefault(getattr(recognition, key), UnitStatus(UNIT_STATUS[recognition.status], recognition))
    alerts = (
        Alert.objects.open()
        .filter(recognition__in=[s.recognition.pk for s in statuses.values()])
        .values("recognition_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_recognition = {row["recognition_id"]: row["n"] for row in alerts}
    for status in statuses.values():
        status.open_alerts = by_recognition.get(status.recognition.pk, 0)
    return statuses


def unit_status(commune, hamlet=None) -> UnitStatus:
    ids = [commune.pk]
    statuses = unit_statuses(ids, hamlets=hamlet is not None)
    return statuses.get(hamlet.pk if hamlet is not None else commune.pk, UnitStatus())


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
    this_year = (today or timezone.localdate()).year
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
    holding = holding_cycles(today or timezone.localdate()).filter(commune_id=OuterRef("pk"))
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


def open_alert_count(user) -> int:
    return Alert.objects.visible_to(user).open().count()


def status_filter(status: str) -> Q:
    """Cycles whose unit shows `status` (for the area list's filter)."""
    return Q(status__in=[s for s, shown in UNIT_STATUS.items() if shown == status])
