"""The commune page (`/communes/<code>/`): the programme's criteria at a glance, the work queue's counts and the
hamlets with their figures. Aggregates only, no names: a reviewer without the right to names sees it too.

It reads progress (the criteria) and the work queue, so it lives here, in the app above both (docs/architecture.md).
"""

from dataclasses import dataclass

from django.utils import timezone

from communes.models import Commune
from progress.metrics import Moment
from progress.models import Programme
from progress.selectors import CommuneResult, criteria_of, evaluate_communes, programme_for_province

from .queue import Section, work_queue
from .selectors import hamlets_overview


@dataclass
class CommuneOverview:
    commune: Commune
    year: int
    programme: Programme | None
    criteria: CommuneResult | None
    queue: list[Section]
    hamlets: list


def commune_overview(commune: Commune, *, can_write: bool) -> CommuneOverview:
    today = timezone.localdate()
    programme = programme_for_province(commune.province_id)
    criteria = None
    if programme is not None:
        [criteria] = evaluate_communes(criteria_of(programme), [commune], Moment(today))
    return CommuneOverview(
        commune=commune,
        year=today.year,
        programme=programme,
        criteria=criteria,
        queue=work_queue(commune, today=today, can_write=can_write),
        hamlets=list(hamlets_overview(commune, year=today.year)),
    )
