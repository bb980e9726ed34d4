"""Builders for realistic records, shared by every test module (plain functions: no factory library needed)."""

import itertools
from datetime import date

from accounts.models import Role, User
from communes.models import Commune, District, DrugPlantEradication, Hamlet, Province, TraffickingRoute
from pledges.models import HouseholdPledge
from residents.models import Household, Person

_seq = itertools.count(1)


def province(code="38", name="Thanh Hóa") -> Province:
    return Province.objects.get_or_create(code=code, defaults={"name": name})[0]


def commune(code: str, name: str, *, district: District | None = None, prov: Province | None = None) -> Commune:
    return Commune.objects.get_or_create(
        code=code, defaults={"name": name, "province": prov or province(), "district": district}
    )[0]


def hamlet(commune_: Commune, name: str, kind=Hamlet.Kind.THON) -> Hamlet:
    return Hamlet.objects.get_or_create(commune=commune_, name=name, defaults={"kind": kind})[0]


def household(hamlet_: Hamlet, *, code: str | None = None, head_name="Hà Văn Minh", members=4, **extra) -> Household:
    n = next(_seq)
    return Household.objects.create(
        commune=hamlet_.commune,
        hamlet=hamlet_,
        code=code or f"H-{n:05d}",
        head_name=head_name,
        members_count=members,
        **extra,
    )


def person(hamlet_: Hamlet, *, full_name="Lò Văn Tám", household_: Household | None = None, **extra) -> Person:
    return Person.objects.create(
        commune=hamlet_.commune, hamlet=hamlet_, household=household_, full_name=full_name, **extra
    )


def pledge(household_: Household, *, year=2025, signed_on=date(2025, 3, 1)) -> HouseholdPledge:
    return HouseholdPledge.objects.create(
        household=household_, year=year, signed_on=signed_on, representative_name=household_.head_name
    )


def plant_eradication(
    commune_: Commune, *, destroyed_on: date, plants=0, area_m2=0, hamlet_: Hamlet | None = None, **extra
) -> DrugPlantEradication:
    extra.setdefault("plant_kind", DrugPlantEradication.PlantKind.CANNABIS)
    extra.setdefault("location", "Nương rẫy sườn đồi")
    return DrugPlantEradication.objects.create(
        commune=commune_, hamlet=hamlet_, destroyed_on=destroyed_on, plants=plants, area_m2=area_m2, **extra
    )


def trafficking_route(
    commune_: Commune, *, identified_on: date, ended_on: date | None = None, name="Đường mòn qua biên giới"
) -> TraffickingRoute:
    return TraffickingRoute.objects.create(commune=commune_, name=name, identified_on=identified_on, ended_on=ended_on)


def user(username: str, role: str, **extra) -> User:
    return User.objects.create_user(username=username, password="matkhau-Kiem-tra-1", role=role, **extra)


PASSWORD = "matkhau-Kiem-tra-1"
ROLES = Role
