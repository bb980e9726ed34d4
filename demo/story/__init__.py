"""The seed story: Thanh Hóa, Xã Quan Sơn with Khu phố Sỏi, Xã Ngọc Lặc with its 12 hamlets.

Everything is deterministic (fixed random seed, dates relative to today) and idempotent: running it twice changes
nothing. Names and ID numbers are made up. `Story` holds what every chapter shares (today, the random generator, the
units and the officers); each commune's chapter is a module of its own (`quan_son`, `ngoc_lac`), the people under
management are `managed_people`. The chapters draw from one random generator, so their order is part of the story:
a new chapter goes after the existing ones, or every name and ID number after it changes.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from communes.models import Commune, DrugPlantEradication
from communes.units import load_province_units
from demo.story import ngoc_lac, quan_son, recognition
from demo.story.accounts import DEMO_PASSWORD, create_accounts, districts_and_aliases
from demo.story.data import GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE, NGOC_LAC, QUAN_SON, SURNAMES
from residents.models import Household


class Story:
    def __init__(self, today: date | None = None, *, password: str = DEMO_PASSWORD):
        self.today = today or timezone.localdate()
        self.password = password
        self.rng = random.Random(3822)
        self.year = self.today.year

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def name(self, sex: str) -> str:
        middle, given = (MIDDLE_MALE, GIVEN_MALE) if sex == "male" else (MIDDLE_FEMALE, GIVEN_FEMALE)
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(middle)} {self.rng.choice(given)}"

    def cccd(self, birth_year: int, sex: str) -> str:
        century_digit = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
        return f"038{century_digit}{birth_year % 100:02d}{self.rng.randrange(10**6):06d}"

    @transaction.atomic
    def build(self) -> None:
        self.province = load_province_units(38).province
        self.quan_son = Commune.objects.get(code=QUAN_SON)
        self.ngoc_lac = Commune.objects.get(code=NGOC_LAC)
        districts_and_aliases(self)
        self.users = create_accounts(self)
        self.officer_qs = self.users["cand.quanson"]
        self.officer_nl = self.users["cand.ngoclac"]
        # Records are only created once, so re-running changes nothing.
        fresh = not Household.objects.filter(commune__in=[self.quan_son, self.ngoc_lac]).exists()
        if fresh:
            quan_son.build(self)  # as it stood on its dossier's day
            ngoc_lac.build(self)
        # Checked on its own: a database seeded before these records existed gets them on the next run.
        if not DrugPlantEradication.objects.filter(commune=self.quan_son).exists():
            quan_son.plants_and_route(self)
        # Checked on its own too (an older demo database gets the cycle on the next run); draws no random numbers.
        recognition.build(self)
        if fresh:
            # Once Quan Sơn's dossier is frozen: what the commune has had on its desk since (no random draws).
            quan_son.since_the_dossier(self)
