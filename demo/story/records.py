"""The building blocks both communes' chapters use: households, pledges, people and the programme's committee."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from communes.models import Commune, Hamlet, ProgrammePlan, SteeringCommittee, SteeringCommitteeMember
from pledges.models import HouseholdPledge
from residents.models import Household, Person

if TYPE_CHECKING:
    from demo.story import Story


def households(story: Story, hamlet: Hamlet, count: int, members_total: int, prefix: str, ethnicities: list[str]):
    rng = story.rng
    members = [1] * count
    for _ in range(members_total - count):
        members[rng.randrange(count)] += 1
    built = []
    for i in range(count):
        sex = "male" if rng.random() < 0.7 else "female"
        birth_year = rng.randint(1950, 1998)
        built.append(
            Household(
                commune=hamlet.commune,
                hamlet=hamlet,
                code=f"{prefix}-{i + 1:03d}",
                head_name=story.name(sex),
                head_cccd=story.cccd(birth_year, sex),
                members_count=members[i],
                ethnicity=rng.choice(ethnicities),
                address=f"Số {i + 1}, {hamlet.name}",
            )
        )
    for household in built:
        household.save()  # one by one so history rows and name keys are written like any other save
    return built


def pledge(story: Story, pledging: list[Household], share: float, *, drive_on: date | None = None) -> None:
    """About `share` of the households sign this year's pledge, on a day of the last 200. With `drive_on`, the ones
    the draw leaves out sign on that day (a commune's drive): every household signs, and the draws stay the same."""
    for household in pledging:
        if story.rng.random() < share:
            signed_on = story.days_ago(story.rng.randint(20, 200))
        elif drive_on is not None:
            signed_on = drive_on
        else:
            continue
        HouseholdPledge.objects.create(
            household=household, year=story.year, signed_on=signed_on, representative_name=household.head_name
        )


def person(story: Story, hamlet: Hamlet, household: Household | None, *, sex="male", age=30, **extra) -> Person:
    birth_year = story.today.year - age
    return Person.objects.create(
        commune=hamlet.commune,
        hamlet=hamlet,
        household=household,
        full_name=story.name(sex),
        sex=sex,
        birth_year=birth_year,
        cccd=story.cccd(birth_year, sex),
        ethnicity=household.ethnicity if household else "",
        **extra,
    )


def programme(story: Story, commune: Commune, head: str, plan_number: str, issued_on: date) -> None:
    committee = SteeringCommittee.objects.create(
        commune=commune,
        head_name=head,
        head_title="Bí thư Đảng ủy",
        decision_number="01/QĐ-BCĐ",
        established_on=issued_on - timedelta(days=20),
    )
    for name, title, role in [
        (story.name("male"), "Chủ tịch UBND xã", "Phó trưởng ban thường trực"),
        (story.name("male"), "Trưởng Công an xã", "Phó trưởng ban"),
        (story.name("female"), "Chủ tịch Hội Liên hiệp Phụ nữ", "Thành viên"),
    ]:
        SteeringCommitteeMember.objects.create(committee=committee, name=name, title=title, role_in_committee=role)
    ProgrammePlan.objects.create(
        commune=commune,
        number=plan_number,
        issued_on=issued_on,
        target_year=2025,
        title="Kế hoạch xây dựng xã không ma túy giai đoạn 2024–2025 theo Đề án 3822",
    )
