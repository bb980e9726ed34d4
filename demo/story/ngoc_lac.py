"""Xã Ngọc Lặc: 12 hamlets of 20 households each, the managed people of its first hamlet, a hotspot, an incident."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from communes.models import Hamlet, Hotspot, HotspotStatusChange
from demo.story import records
from demo.story.data import NGOC_LAC_HAMLETS
from demo.story.managed_people import managed_people
from pledges.models import HamletCommitment
from residents.models import Incident

if TYPE_CHECKING:
    from demo.story import Story


def build(story: Story) -> None:
    hamlets = [
        Hamlet.objects.create(commune=story.ngoc_lac, name=f"Thôn {name}", kind=Hamlet.Kind.THON)
        for name in NGOC_LAC_HAMLETS
    ]
    all_households = []
    for index, hamlet in enumerate(hamlets):
        households = records.households(story, hamlet, 20, 87, f"NL{index + 1:02d}", ["Mường"] * 6 + ["Kinh"] * 4)
        records.pledge(story, households, 0.85)
        all_households.extend(households)
    records.programme(story, story.ngoc_lac, "Phạm Văn Hùng", "70/KH-BCĐ", date(2024, 12, 14))
    households = iter(all_households)
    managed_people(
        story, lambda **extra: records.person(story, hamlets[0], next(households), **extra), story.officer_nl
    )
    _hotspot_being_dealt_with(story, hamlets[3])
    Incident.objects.create(
        commune=story.ngoc_lac,
        hamlet=hamlets[1],
        occurred_on=story.days_ago(75),
        severity=Incident.Severity.LESS_SERIOUS,
        caused_by_psychosis=True,
        description="Đập phá tài sản gia đình khi có biểu hiện ảo giác; đã đưa đi cấp cứu.",
    )
    for hamlet in hamlets[:10]:
        HamletCommitment.objects.create(
            hamlet=hamlet, year=story.year, registered_on=story.days_ago(300), signed_by=story.name("male")
        )


def _hotspot_being_dealt_with(story: Story, hamlet: Hamlet) -> None:
    hotspot = Hotspot.objects.create(
        commune=story.ngoc_lac,
        hamlet=hamlet,
        kind=Hotspot.Kind.SELLING,
        location="Quán nước ngã ba Quang Hưng",
        detected_on=story.days_ago(60),
        status=Hotspot.Status.DEALING,
        dealing_since=story.days_ago(45),
    )
    HotspotStatusChange.objects.create(
        hotspot=hotspot, status="detected", changed_on=story.days_ago(60), recorded_by=story.officer_nl
    )
    HotspotStatusChange.objects.create(
        hotspot=hotspot, status="dealing", changed_on=story.days_ago(45), recorded_by=story.officer_nl
    )
