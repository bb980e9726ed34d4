"""The seed story: Thanh Hóa, Xã Quan Sơn with Khu phố Sỏi, Xã Ngọc Lặc with its 12 hamlets.

Everything is deterministic (fixed random seed, dates relative to today) and idempotent: running it twice changes
nothing. Names and ID numbers are made up.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from communes.models import (
    Commune,
    CommuneAlias,
    District,
    DrugPlantEradication,
    Hamlet,
    Hotspot,
    HotspotStatusChange,
    ProgrammePlan,
    SecurityTeam,
    SteeringCommittee,
    SteeringCommitteeMember,
    TraffickingRoute,
)
from communes.units import load_province_units
from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.planning import plan_import
from imports.reading import read_table
from pledges.models import EmulationCompact, HamletCommitment, HouseholdPledge, ModelActivity, PreventionModel
from residents.models import ArrestedSuspect, DrugCase, DrugTest, Household, Incident, Person, Treatment
from residents.models.records import EndReason
from residents.services import lifecycle

DEMO_PASSWORD = "demo-Khongmatuy-2026"
# The sample household list of Khu phố Sỏi (89 households, 415 members), loaded through the real import so that the
# demo and the sample agree: importing the sample over the demo changes nothing.
KHU_PHO_SOI_LIST = Path(__file__).resolve().parent / "data" / "ho_gia_dinh_khu_pho_soi.xlsx"
QUAN_SON, NGOC_LAC = "15016", "15061"
NGOC_LAC_HAMLETS = [
    "Quang Thắng",
    "Quang Hợp",
    "Quang Thái",
    "Quang Hưng",
    "Quang Lợi",
    "Quang Thịnh",
    "Quang Phúc",
    "Quang Vinh",
    "Quang Minh",
    "Quang Sơn",
    "Quang Hòa",
    "Quang Tiến",
]
SURNAMES = ["Hà", "Lò", "Lương", "Phạm", "Bùi", "Lê", "Nguyễn", "Trương", "Vi", "Cầm", "Đinh", "Quách", "Triệu"]
MIDDLE_MALE = ["Văn", "Đình", "Công", "Minh", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Hồng"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phúc",
    "Sơn",
    "Tám",
    "Thắng",
]
GIVEN_FEMALE = ["Hoa", "Lan", "Linh", "Mai", "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Yến"]
# Khu phố Sỏi: 70 % Mường, Thái and Dao (docs/domain.md §1).
SOI_ETHNICITIES = ["Mường"] * 35 + ["Thái"] * 25 + ["Dao"] * 10 + ["Kinh"] * 30


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role label, unit) for the README and `make run`."""
    return [
        (u.username, u.get_role_display(), str(u.commune or u.district or u.province or "—"))
        for u in User.objects.filter(username__in=[a[0] for a in _ACCOUNTS])
        .select_related("commune", "district", "province")
        .order_by("role", "username")
    ]


_ACCOUNTS = [
    ("cand.quanson", Role.COMMUNE_OFFICER, "Hà Văn Dũng", QUAN_SON, None, False),
    ("cand.ngoclac", Role.COMMUNE_OFFICER, "Lê Minh Tuấn", NGOC_LAC, None, False),
    ("xem.quanson", Role.COMMUNE_VIEWER, "Lương Thị Hạnh", QUAN_SON, None, False),
    ("pc04.thanhhoa", Role.REVIEWER, "Trịnh Văn Quang", None, "province", True),
    ("cum.quanson", Role.REVIEWER, "Bùi Đức Thành", None, "district", False),
    ("quantri", Role.ADMINISTRATOR, "Phạm Thu Hà", None, None, False),
]


class Story:
    def __init__(self, today: date | None = None, *, password: str = DEMO_PASSWORD):
        self.today = today or timezone.localdate()
        self.password = password
        self.rng = random.Random(3822)
        self.year = self.today.year

    # --- helpers -------------------------------------------------------------------------------------------
    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def name(self, sex: str) -> str:
        middle, given = (MIDDLE_MALE, GIVEN_MALE) if sex == "male" else (MIDDLE_FEMALE, GIVEN_FEMALE)
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(middle)} {self.rng.choice(given)}"

    def cccd(self, birth_year: int, sex: str) -> str:
        century_digit = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
        return f"038{century_digit}{birth_year % 100:02d}{self.rng.randrange(10**6):06d}"

    # --- the story -------------------------------------------------------------------------------------------
    @transaction.atomic
    def build(self) -> None:
        self.province = load_province_units(38).province
        self.quan_son = Commune.objects.get(code=QUAN_SON)
        self.ngoc_lac = Commune.objects.get(code=NGOC_LAC)
        self._districts_and_aliases()
        self.users = self._accounts()
        self.officer_qs = self.users["cand.quanson"]
        self.officer_nl = self.users["cand.ngoclac"]
        # Records are only created once, so re-running changes nothing.
        if not Household.objects.filter(commune__in=[self.quan_son, self.ngoc_lac]).exists():
            self._quan_son()
            self._ngoc_lac()
        # Checked on its own: a database seeded before these records existed gets them on the next run.
        if not DrugPlantEradication.objects.filter(commune=self.quan_son).exists():
            self._quan_son_plants_and_route()

    def _districts_and_aliases(self) -> None:
        for commune, district_name, old_names in [
            (self.quan_son, "Huyện Quan Sơn (cũ)", ["Thị trấn Sơn Lư", "Xã Sơn Điện"]),
            (self.ngoc_lac, "Huyện Ngọc Lặc (cũ)", ["Thị trấn Ngọc Lặc", "Xã Quang Trung", "Xã Ngọc Sơn"]),
        ]:
            district, _ = District.objects.get_or_create(province=self.province, name=district_name)
            if commune.district_id != district.id:
                commune.district = district
                commune.save(update_fields=["district"])
            for old in old_names:
                CommuneAlias.objects.get_or_create(
                    old_name=old, old_district_name=district_name.replace(" (cũ)", ""), defaults={"commune": commune}
                )

    def _accounts(self) -> dict[str, User]:
        users = {}
        for username, role, full_name, commune_code, area, personal in _ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role, user.full_name = role, full_name
            # The admin is for those who keep records or manage units; viewers and reviewers read the site's pages.
            user.is_staff = role in (Role.COMMUNE_OFFICER, Role.ADMINISTRATOR)
            user.commune = Commune.objects.get(code=commune_code) if commune_code else None
            user.province = self.province if area == "province" else None
            user.district = self.quan_son.district if area == "district" else None
            user.may_view_personal_data = personal
            # A new User() has password "" (which Django counts as usable): give it the demo password too. An
            # account still on the published password takes a chosen one (seed_demo with DEMO_PASSWORD set).
            if not user.password or not user.has_usable_password() or user.check_password(DEMO_PASSWORD):
                user.set_password(self.password)
            user.save()
            users[username] = user
        return users

    def _households(self, hamlet: Hamlet, count: int, members_total: int, prefix: str, ethnicities: list[str]):
        members = [1] * count
        for _ in range(members_total - count):
            members[self.rng.randrange(count)] += 1
        households = []
        for i in range(count):
            sex = "male" if self.rng.random() < 0.7 else "female"
            birth_year = self.rng.randint(1950, 1998)
            households.append(
                Household(
                    commune=hamlet.commune,
                    hamlet=hamlet,
                    code=f"{prefix}-{i + 1:03d}",
                    head_name=self.name(sex),
                    head_cccd=self.cccd(birth_year, sex),
                    members_count=members[i],
                    ethnicity=self.rng.choice(ethnicities),
                    address=f"Số {i + 1}, {hamlet.name}",
                )
            )
        for household in households:
            household.save()  # one by one so history rows and name keys are written like any other save
        return households

    def _import_khu_pho_soi(self, soi: Hamlet) -> list[Household]:
        """The sample list through the import pipeline, as the commune officer would import it from the command."""
        plan = plan_import(read_table(KHU_PHO_SOI_LIST), commune=self.quan_son, today=self.today)
        if errors := plan.errors:
            raise ValueError(f"{KHU_PHO_SOI_LIST.name}: {[e.message for e in errors]}")
        run = ImportRun.objects.create(
            commune=self.quan_son, created_by=self.officer_qs, source=ImportRun.Source.COMMAND,
            file_name=KHU_PHO_SOI_LIST.name,
        )  # fmt: skip
        execute_run(run, mode=ImportRun.Mode.ALL, actor=self.officer_qs, plan=plan, today=self.today)
        return list(Household.objects.filter(hamlet=soi).order_by("code"))

    def _pledge(self, households, share: float) -> None:
        for household in households:
            if self.rng.random() < share:
                HouseholdPledge.objects.create(
                    household=household,
                    year=self.year,
                    signed_on=self.days_ago(self.rng.randint(20, 200)),
                    representative_name=household.head_name,
                )

    def _person(self, hamlet: Hamlet, household: Household | None, *, sex="male", age=30, **extra) -> Person:
        birth_year = self.today.year - age
        return Person.objects.create(
            commune=hamlet.commune,
            hamlet=hamlet,
            household=household,
            full_name=self.name(sex),
            sex=sex,
            birth_year=birth_year,
            cccd=self.cccd(birth_year, sex),
            ethnicity=household.ethnicity if household else "",
            **extra,
        )

    def _quan_son(self) -> None:
        soi = Hamlet.objects.create(
            commune=self.quan_son, name="Khu phố Sỏi", kind=Hamlet.Kind.KHU_PHO, head_name="Lò Văn Hặc"
        )
        others = [
            Hamlet.objects.create(commune=self.quan_son, name=name, kind=kind)
            for name, kind in [
                ("Khu phố Chiềng Lau", Hamlet.Kind.KHU_PHO),
                ("Bản Na Nghịu", Hamlet.Kind.BAN),
                ("Bản Bôn", Hamlet.Kind.BAN),
            ]
        ]
        soi_households = self._import_khu_pho_soi(soi)
        self._pledge(soi_households, 0.96)
        for hamlet, prefix in zip(others, ["CL", "NN", "BB"], strict=True):
            self._pledge(self._households(hamlet, 30, 128, f"QS-{prefix}", SOI_ETHNICITIES), 0.9)
        # Khu phố Sỏi's other people: one Person row per member of each household (the import wrote the heads).
        for household in soi_households:
            for index in range(1, household.members_count):
                sex = "male" if index % 2 == 0 else "female"
                person = Person(
                    commune=self.quan_son,
                    hamlet=soi,
                    household=household,
                    sex=sex,
                    full_name=household.head_name if index == 0 else self.name(sex),
                    birth_year=self.rng.randint(1950, 2020),
                    ethnicity=household.ethnicity,
                )
                person.save()
        self._programme(self.quan_son, "Lương Văn Kiên", "15/KH-BCĐ", date(2024, 3, 5))
        # The people under management are members already counted in the 415.
        members = iter(
            Person.objects.filter(hamlet=soi, cccd__isnull=True, birth_year__range=(1975, 2004)).order_by("id")[:40:2]
        )
        self._managed_people(lambda **_: next(members), self.officer_qs)
        team_1 = SecurityTeam.objects.create(
            hamlet=soi, name="Tổ ANTT số 1 khu phố Sỏi", leader_name="Hà Văn Lịch", members_count=7
        )
        team_2 = SecurityTeam.objects.create(
            hamlet=soi, name="Tổ ANTT số 2 khu phố Sỏi", leader_name="Vi Văn Thoại", members_count=6
        )
        compact = EmulationCompact.objects.create(
            commune=self.quan_son,
            title="Giao ước thi đua giữ khu phố sạch về ma túy",
            signed_on=date(2024, 4, 20),
            content="Hai tổ an ninh trật tự giao ước phát hiện, tố giác và không để phát sinh người sử dụng mới.",
        )
        compact.teams.set([team_1, team_2])
        model = PreventionModel.objects.create(
            commune=self.quan_son,
            name="Khu phố sạch về ma túy",
            launched_on=date(2024, 4, 20),
            decision_number="28/QĐ-UBND",
            decision_date=date(2024, 4, 10),
            description="89 hộ, 415 nhân khẩu; 70 % đồng bào Mường, Thái, Dao; tổ ANTT tự quản.",
        )
        model.hamlets.set([soi])
        ModelActivity.objects.create(
            model=model, held_on=date(2024, 4, 20), title="Lễ ra mắt mô hình", participants=120
        )
        ModelActivity.objects.create(
            model=model, held_on=self.days_ago(40), title="Tuyên truyền tại nhà văn hóa", participants=65
        )
        # 3 cases with 6 arrested suspects since 2023.
        for number, detected, offence, suspects in [
            ("01/2023", date(2023, 6, 12), "Tàng trữ trái phép chất ma túy", 1),
            ("07/2024", date(2024, 2, 3), "Mua bán trái phép chất ma túy", 3),
            ("03/2025", date(2025, 1, 19), "Tổ chức sử dụng trái phép chất ma túy", 2),
        ]:
            case = DrugCase.objects.create(
                commune=self.quan_son, hamlet=soi, number=number, detected_on=detected, offence=offence
            )
            for _ in range(suspects):
                ArrestedSuspect.objects.create(
                    case=case,
                    full_name=self.name("male"),
                    birth_year=self.rng.randint(1975, 2000),
                    arrested_on=detected,
                )
        hotspot = Hotspot.objects.create(
            commune=self.quan_son,
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
            HotspotStatusChange.objects.create(
                hotspot=hotspot, status=status, changed_on=on, recorded_by=self.officer_qs
            )
        for hamlet in [soi, *others]:
            HamletCommitment.objects.create(
                hamlet=hamlet,
                year=self.year,
                registered_on=self.days_ago(150),
                signed_by=hamlet.head_name or self.name("male"),
            )

    def _quan_son_plants_and_route(self) -> None:
        """A mountain border commune: poppy and cannabis on hillside fields, a trail from the Na Mèo border gate."""
        hamlets = {hamlet.name: hamlet for hamlet in self.quan_son.hamlets.all()}
        for hamlet, days, kind, plants, area, location, note in [
            ("Bản Na Nghịu", 75, DrugPlantEradication.PlantKind.POPPY, 1850, "420", "Nương rẫy sườn đồi Pù Mằn",
             "Phối hợp Đồn Biên phòng Na Mèo phát hiện, nhổ và tiêu hủy tại chỗ."),
            ("Bản Bôn", 160, DrugPlantEradication.PlantKind.CANNABIS, 320, "95", "Trồng xen trong nương ngô ven suối",
             "Chủ nương khai nhận trồng làm gia vị; đã lập biên bản, tuyên truyền."),
            ("Bản Na Nghịu", 500, DrugPlantEradication.PlantKind.POPPY, 600, "150", "Khe núi giáp biên giới", ""),
        ]:  # fmt: skip
            DrugPlantEradication.objects.create(
                commune=self.quan_son,
                hamlet=hamlets.get(hamlet),
                destroyed_on=self.days_ago(days),
                plant_kind=kind,
                plants=plants,
                area_m2=Decimal(area),
                location=location,
                note=note,
            )
        TraffickingRoute.objects.create(
            commune=self.quan_son,
            name="Đường mòn biên giới Na Mèo – Quốc lộ 217",
            description="Ma túy tổng hợp từ bên kia biên giới qua đường mòn dọc khe suối, tập kết tại các bản "
            "vùng cao rồi chuyển về xuôi theo Quốc lộ 217.",
            identified_on=date(2023, 9, 15),
            note="Theo thông báo của Bộ đội Biên phòng tỉnh.",
        )

    def _ngoc_lac(self) -> None:
        hamlets = [
            Hamlet.objects.create(commune=self.ngoc_lac, name=f"Thôn {name}", kind=Hamlet.Kind.THON)
            for name in NGOC_LAC_HAMLETS
        ]
        all_households = []
        for index, hamlet in enumerate(hamlets):
            households = self._households(hamlet, 20, 87, f"NL{index + 1:02d}", ["Mường"] * 6 + ["Kinh"] * 4)
            self._pledge(households, 0.85)
            all_households.extend(households)
        self._programme(self.ngoc_lac, "Phạm Văn Hùng", "70/KH-BCĐ", date(2024, 12, 14))
        households = iter(all_households)
        self._managed_people(lambda **extra: self._person(hamlets[0], next(households), **extra), self.officer_nl)
        hotspot = Hotspot.objects.create(
            commune=self.ngoc_lac,
            hamlet=hamlets[3],
            kind=Hotspot.Kind.SELLING,
            location="Quán nước ngã ba Quang Hưng",
            detected_on=self.days_ago(60),
            status=Hotspot.Status.DEALING,
            dealing_since=self.days_ago(45),
        )
        HotspotStatusChange.objects.create(
            hotspot=hotspot, status="detected", changed_on=self.days_ago(60), recorded_by=self.officer_nl
        )
        HotspotStatusChange.objects.create(
            hotspot=hotspot, status="dealing", changed_on=self.days_ago(45), recorded_by=self.officer_nl
        )
        Incident.objects.create(
            commune=self.ngoc_lac,
            hamlet=hamlets[1],
            occurred_on=self.days_ago(75),
            severity=Incident.Severity.LESS_SERIOUS,
            caused_by_psychosis=True,
            description="Đập phá tài sản gia đình khi có biểu hiện ảo giác; đã đưa đi cấp cứu.",
        )
        for hamlet in hamlets[:10]:
            HamletCommitment.objects.create(
                hamlet=hamlet, year=self.year, registered_on=self.days_ago(300), signed_by=self.name("male")
            )

    def _programme(self, commune: Commune, head: str, plan_number: str, issued_on: date) -> None:
        committee = SteeringCommittee.objects.create(
            commune=commune,
            head_name=head,
            head_title="Bí thư Đảng ủy",
            decision_number="01/QĐ-BCĐ",
            established_on=issued_on - timedelta(days=20),
        )
        for name, title, role in [
            (self.name("male"), "Chủ tịch UBND xã", "Phó trưởng ban thường trực"),
            (self.name("male"), "Trưởng Công an xã", "Phó trưởng ban"),
            (self.name("female"), "Chủ tịch Hội Liên hiệp Phụ nữ", "Thành viên"),
        ]:
            SteeringCommitteeMember.objects.create(committee=committee, name=name, title=title, role_in_committee=role)
        ProgrammePlan.objects.create(
            commune=commune,
            number=plan_number,
            issued_on=issued_on,
            target_year=2025,
            title="Kế hoạch xây dựng xã không ma túy giai đoạn 2024–2025 theo Đề án 3822",
        )

    def _addict(self, p: Person, officer: User, *, tested: int, assessed: int, criteria_met: int, substances=""):
        """A positive test, then the district health centre's assessment (days ago): an addict when criteria_met ≥ 3."""
        lifecycle.person_record_test(
            actor=officer, person=p, tested_on=self.days_ago(tested), result="positive", substances=substances
        )
        lifecycle.person_record_assessment(
            actor=officer,
            person=p,
            assessed_on=self.days_ago(assessed),
            facility="Trung tâm Y tế huyện",
            criteria_met=criteria_met,
        )

    def _managed_people(self, person, officer: User) -> None:
        """A realistic mix of situations, built through the lifecycle services so that history is consistent.

        `person(age=…)` returns the next person to place in the story.
        """
        L = lifecycle

        # Suspected, not yet tested (work queue: "chưa xét nghiệm").
        for _ in range(2):
            L.person_list_as_suspect(actor=officer, person=person(), listed_on=self.days_ago(12), trigger="tip")
        # Suspected and tested negative.
        p = person(age=24)
        L.person_list_as_suspect(actor=officer, person=p, listed_on=self.days_ago(40), trigger="signs")
        L.person_record_test(actor=officer, person=p, tested_on=self.days_ago(38), result=DrugTest.Result.NEGATIVE)
        # Positive, management decision overdue (more than 3 working days).
        p = person(age=27)
        L.person_list_as_suspect(actor=officer, person=p, listed_on=self.days_ago(15), trigger="caught")
        L.person_record_test(
            actor=officer,
            person=p,
            tested_on=self.days_ago(10),
            result=DrugTest.Result.POSITIVE,
            substances="Methamphetamine",
        )
        # Users under management; one period ending within 30 days.
        for started, substance in [(120, "Methamphetamine"), (200, "Heroin"), (350, "Ketamine")]:
            p = person(age=self.rng.randint(20, 40))
            L.person_record_test(
                actor=officer,
                person=p,
                tested_on=self.days_ago(started + 2),
                result=DrugTest.Result.POSITIVE,
                substances=substance,
            )
            L.person_start_management(
                actor=officer,
                person=p,
                team_leader=officer,
                team_members="Trưởng thôn; Bí thư chi đoàn",
                decision=L.ManagementDecision(f"{started}/QĐ-UBND", self.days_ago(started), self.days_ago(started)),
            )
            L.person_record_residence_check(
                actor=officer, person=p, checked_on=self.days_ago(self.rng.randint(3, 45)), present=True
            )
        # Addict not yet in treatment.
        self._addict(person(age=35), officer, tested=30, assessed=20, criteria_met=4, substances="Heroin")
        # Addicts in each treatment form.
        for form, started in [
            (Treatment.Form.HOME_COMMUNITY, 90),
            (Treatment.Form.FACILITY, 150),
            (Treatment.Form.METHADONE, 400),
            (Treatment.Form.COMPULSORY, 300),
        ]:
            p = person(age=self.rng.randint(22, 45))
            self._addict(p, officer, tested=started + 15, assessed=started + 10, criteria_met=5, substances="Heroin")
            L.person_start_treatment(
                actor=officer,
                person=p,
                form=form,
                starts_on=self.days_ago(started),
                registered_on=self.days_ago(started + 3),
                facility="Cơ sở cai nghiện tỉnh",
            )
        # Post-rehab: one in the middle of the period, one ending within 30 days.
        for treated, ended in [(300, 120), (540, 350)]:
            p = person(age=self.rng.randint(25, 45))
            self._addict(p, officer, tested=treated + 15, assessed=treated + 10, criteria_met=3)
            L.person_start_treatment(
                actor=officer, person=p, form=Treatment.Form.FACILITY, starts_on=self.days_ago(treated)
            )
            L.person_end_treatment(
                actor=officer,
                person=p,
                ended_on=self.days_ago(ended),
                outcome=Treatment.Outcome.COMPLETED,
                post_rehab_decision=L.ManagementDecision(
                    f"{ended}/QĐ-UBND", self.days_ago(ended), self.days_ago(ended)
                ),
            )
        # Ended: moved away during management.
        p = person(age=31)
        L.person_record_test(actor=officer, person=p, tested_on=self.days_ago(250), result="positive")
        L.person_start_management(
            actor=officer, person=p, decision=L.ManagementDecision("88/QĐ-UBND", self.days_ago(247), self.days_ago(247))
        )
        L.person_stop_management(actor=officer, person=p, stopped_on=self.days_ago(60), reason=EndReason.MOVED)
        # Psychosis signs noticed while this person was still under management.
        L.person_flag_psychosis(actor=officer, person=p, flagged_on=self.days_ago(100), note="Ảo giác, hoang tưởng")
