"""Xã Quan Sơn: Khu phố Sỏi (the sample list, imported), three more hamlets, its cases, hotspot, plants and route.

The commune froze its recognition dossier `SINCE_THE_DOSSIER` days ago with every criterion met (the recognition
chapter does it through the application's services): `build` writes what stood on that day, `since_the_dossier` what
came after, once the dossier is frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from communes.models import (
    DrugPlantEradication,
    Hamlet,
    Hotspot,
    HotspotStatusChange,
    SecurityTeam,
    TraffickingRoute,
)
from demo.story import managed_people, records
from demo.story.data import KHU_PHO_SOI_LIST, SOI_ETHNICITIES
from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.planning import plan_import
from imports.reading import read_table
from pledges.models import EmulationCompact, HamletCommitment, ModelActivity, PreventionModel
from residents.models import ArrestedSuspect, DrugCase, Household, Person

if TYPE_CHECKING:
    from demo.story import Story


def build(story: Story) -> None:
    soi = Hamlet.objects.create(
        commune=story.quan_son, name="Khu phố Sỏi", kind=Hamlet.Kind.KHU_PHO, head_name="Lò Văn Hặc"
    )
    others = [
        Hamlet.objects.create(commune=story.quan_son, name=name, kind=kind)
        for name, kind in [
            ("Khu phố Chiềng Lau", Hamlet.Kind.KHU_PHO),
            ("Bản Na Nghịu", Hamlet.Kind.BAN),
            ("Bản Bôn", Hamlet.Kind.BAN),
        ]
    ]
    soi_households = _import_khu_pho_soi(story, soi)
    # The households the year's draw leaves out signed in the commune's drive before it froze its dossier.
    drive_on = story.days_ago(managed_people.SINCE_THE_DOSSIER + 5)
    records.pledge(story, soi_households, 0.96, drive_on=drive_on)
    for hamlet, prefix in zip(others, ["CL", "NN", "BB"], strict=True):
        households = records.households(story, hamlet, 30, 128, f"QS-{prefix}", SOI_ETHNICITIES)
        records.pledge(story, households, 0.9, drive_on=drive_on)
    _soi_members(story, soi, soi_households)
    records.programme(story, story.quan_son, "Lương Văn Kiên", "15/KH-BCĐ", date(2024, 3, 5))
    members = iter(_managed_members(soi)[0::2])
    managed_people.until_the_dossier(story, lambda **_: next(members), story.officer_qs)
    _teams_and_model(story, soi)
    _cases(story, soi)
    _cleared_hotspot(story, soi)
    for hamlet in [soi, *others]:
        HamletCommitment.objects.create(
            hamlet=hamlet,
            year=story.year,
            registered_on=story.days_ago(150),
            signed_by=hamlet.head_name or story.name("male"),
        )


def since_the_dossier(story: Story) -> None:
    """What the commune has had on its desk since it froze its dossier: new suspects, a positive test awaiting its
    decision, an addict not in treatment, a user the district's raid found outside the list. Draws no random
    numbers, so it may run after the other chapters."""
    members = iter(_managed_members(story.quan_son.hamlets.get(name="Khu phố Sỏi"))[1::2])
    managed_people.since_the_dossier(story, lambda **_: next(members), story.officer_qs)


def _managed_members(soi: Hamlet) -> list[Person]:
    """The people under management are members already counted in the 415: the ones before the dossier take every
    other one of these, the ones since the others."""
    members = Person.objects.filter(hamlet=soi, cccd__isnull=True, birth_year__range=(1975, 2004))
    return list(members.order_by("id")[:40])


def _import_khu_pho_soi(story: Story, soi: Hamlet) -> list[Household]:
    """The sample list through the import pipeline, as the commune officer would import it from the command."""
    plan = plan_import(read_table(KHU_PHO_SOI_LIST), commune=story.quan_son, today=story.today)
    if errors := plan.errors:
        raise ValueError(f"{KHU_PHO_SOI_LIST.name}: {[e.message for e in errors]}")
    run = ImportRun.objects.create(
        commune=story.quan_son, created_by=story.officer_qs, source=ImportRun.Source.COMMAND,
        file_name=KHU_PHO_SOI_LIST.name,
    )  # fmt: skip
    execute_run(run, mode=ImportRun.Mode.ALL, actor=story.officer_qs, plan=plan, today=story.today)
    return list(Household.objects.filter(hamlet=soi).order_by("code"))


def _soi_members(story: Story, soi: Hamlet, soi_households: list[Household]) -> None:
    """Khu phố Sỏi's other people: one Person row per member of each household (the import wrote the heads)."""
    for household in soi_households:
        for index in range(1, household.members_count):
            sex = "male" if index % 2 == 0 else "female"
            person = Person(
                commune=story.quan_son,
                hamlet=soi,
                household=household,
                sex=sex,
                full_name=household.head_name if index == 0 else story.name(sex),
                birth_year=story.rng.randint(1950, 2020),
                ethnicity=household.ethnicity,
            )
            person.save()


def _teams_and_model(story: Story, soi: Hamlet) -> None:
    """Two self-managed security teams, their emulation compact and the "clean street" prevention model."""
    team_1 = SecurityTeam.objects.create(
        hamlet=soi, name="Tổ ANTT số 1 khu phố Sỏi", leader_name="Hà Văn Lịch", members_count=7
    )
    team_2 = SecurityTeam.objects.create(
        hamlet=soi, name="Tổ ANTT số 2 khu phố Sỏi", leader_name="Vi Văn Thoại", members_count=6
    )
    compact = EmulationCompact.objects.create(
        commune=story.quan_son,
        title="Giao ước thi đua giữ khu phố sạch về ma túy",
        signed_on=date(2024, 4, 20),
        content="Hai tổ an ninh trật tự giao ước phát hiện, tố giác và không để phát sinh người sử dụng mới.",
    )
    compact.teams.set([team_1, team_2])
    model = PreventionModel.objects.create(
        commune=story.quan_son,
        name="Khu phố sạch về ma túy",
        launched_on=date(2024, 4, 20),
        decision_number="28/QĐ-UBND",
        decision_date=date(2024, 4, 10),
        description="89 hộ, 415 nhân khẩu; 70 % đồng bào Mường, Thái, Dao; tổ ANTT tự quản.",
    )
    model.hamlets.set([soi])
    ModelActivity.objects.create(model=model, held_on=date(2024, 4, 20), title="Lễ ra mắt mô hình", participants=120)
    ModelActivity.objects.create(
        model=model, held_on=story.days_ago(40), title="Tuyên truyền tại nhà văn hóa", participants=65
    )


def _cases(story: Story, soi: Hamlet) -> None:
    """3 cases with 6 arrested suspects since 2023."""
    for number, detected, offence, suspects in [
        ("01/2023", date(2023, 6, 12), "Tàng trữ trái phép chất ma túy", 1),
        ("07/2024", date(2024, 2, 3), "Mua bán trái phép chất ma túy", 3),
        ("03/2025", date(2025, 1, 19), "Tổ chức sử dụng trái phép chất ma túy", 2),
    ]:
        case = DrugCase.objects.create(
            commune=story.quan_son, hamlet=soi, number=number, detected_on=detected, offence=offence
        )
        for _ in range(suspects):
            ArrestedSuspect.objects.create(
                case=case,
                full_name=story.name("male"),
                birth_year=story.rng.randint(1975, 2000),
                arrested_on=detected,
            )


def _cleared_hotspot(story: Story, soi: Hamlet) -> None:
    hotspot = Hotspot.objects.create(
        commune=story.quan_son,
        hamlet=soi,
        kind=Hotspot.Kind.USE_ORGANISED,
        location="Lán trại ven suối Sỏi",
        detected_on=date(2023, 5, 2),
        status=Hotspot.Status.CLEARED,
        dealing_since=date(2023, 5, 10),
        cleared_on=date(2023, 6, 12),
    )
    for status, on in [
        ("detected", date(2023, 5, 2)),
        ("dealing", date(2023, 5, 10)),
        ("cleared", date(2023, 6, 12)),
    ]:
        HotspotStatusChange.objects.create(hotspot=hotspot, status=status, changed_on=on, recorded_by=story.officer_qs)


def plants_and_route(story: Story) -> None:
    """A mountain border commune: poppy and cannabis on hillside fields, a trail from the Na Mèo border gate."""
    hamlets = {hamlet.name: hamlet for hamlet in story.quan_son.hamlets.all()}
    for hamlet, days, kind, plants, area, location, note in [
        ("Bản Na Nghịu", 75, DrugPlantEradication.PlantKind.POPPY, 1850, "420", "Nương rẫy sườn đồi Pù Mằn",
         "Phối hợp Đồn Biên phòng Na Mèo phát hiện, nhổ và tiêu hủy tại chỗ."),
        ("Bản Bôn", 160, DrugPlantEradication.PlantKind.CANNABIS, 320, "95", "Trồng xen trong nương ngô ven suối",
         "Chủ nương khai nhận trồng làm gia vị; đã lập biên bản, tuyên truyền."),
        ("Bản Na Nghịu", 500, DrugPlantEradication.PlantKind.POPPY, 600, "150", "Khe núi giáp biên giới", ""),
    ]:  # fmt: skip
        DrugPlantEradication.objects.create(
            commune=story.quan_son,
            hamlet=hamlets.get(hamlet),
            destroyed_on=story.days_ago(days),
            plant_kind=kind,
            plants=plants,
            area_m2=Decimal(area),
            location=location,
            note=note,
        )
    TraffickingRoute.objects.create(
        commune=story.quan_son,
        name="Đường mòn biên giới Na Mèo – Quốc lộ 217",
        description="Ma túy tổng hợp từ bên kia biên giới qua đường mòn dọc khe suối, tập kết tại các bản "
        "vùng cao rồi chuyển về xuôi theo Quốc lộ 217.",
        identified_on=date(2023, 9, 15),
        note="Theo thông báo của Bộ đội Biên phòng tỉnh.",
    )
