"""The word tables behind the search across communes on PostgreSQL (residents' migration 0018) follow every kind of
write: services, a person's own save, bulk updates (of a name key, a commune, a household code), deletes one by one
and in bulk, the household import (COPY), TRUNCATE; `residents_search_words_refill()` rebuilds them. Each check
compares the tables with the words computed from the records themselves."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from residents.models import Household, Person
from residents.services import households as H
from residents.services import people as P
from tests import factories as f
from tests.imports.conftest import KHU_PHO_SOI

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's word tables")


def _table(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


def tables() -> tuple[list[tuple], list[tuple]]:
    people = _table("SELECT word, name_key, person_id, commune_id FROM residents_person_word")
    households = _table("SELECT word, code, household_id, commune_id, head_name_key FROM residents_household_word")
    return people, households


def from_records() -> tuple[list[tuple], list[tuple]]:
    """One row per distinct word of each key, as the triggers should have written them."""
    people = [(word, p.name_key, p.pk, p.commune_id) for p in Person.objects.all() for word in set(p.name_key.split())]
    households = [
        (word, h.code, h.pk, h.commune_id, h.head_name_key)
        for h in Household.objects.all()
        for word in set(h.head_name_key.split())
    ]
    return sorted(people), sorted(households)


def test_words_follow_services_saves_bulk_updates_and_deletes(places, personas):
    officer = personas.officer_a
    household = H.household_create(actor=officer, hamlet=places.hamlet_a, code="A-1", head_name="Lò Văn Hùng")
    other = H.household_create(actor=officer, hamlet=places.hamlet_a, code="A-2", head_name="Hà Thị Lan")
    person = P.person_create(actor=officer, hamlet=places.hamlet_a, commune=places.commune_a, full_name="Lê Thị Hà")
    namesake = f.person(places.hamlet_b, full_name="Nguyễn Nguyễn An")  # a word twice: one row
    assert tables() == from_records()
    assert ("nguyen", "nguyen nguyen an", namesake.pk, places.commune_b.pk) in tables()[0]

    P.person_update(actor=officer, person=person, full_name="Lê Thị Hằng Nga")
    H.household_update(actor=officer, household=household, head_name="Lò Văn Hưng")
    H.household_move(actor=officer, household=other, hamlet=places.hamlet_a2)
    assert tables() == from_records()

    Person.objects.filter(pk=namesake.pk).update(name_key="nguyen an")  # a bulk update of the key itself
    Person.objects.filter(pk=person.pk).update(commune=places.commune_b, hamlet=places.hamlet_b)  # a correction
    Household.objects.filter(pk=household.pk).update(code="A-9")  # the households' order changes
    Person.objects.update(status=Person.Status.SUSPECTED)  # no word changes
    assert tables() == from_records()

    namesake.delete()
    Household.objects.filter(pk=other.pk).delete()
    assert tables() == from_records()
    Person.objects.all().delete()
    Household.objects.all().delete()
    assert tables() == from_records() == ([], [])


def test_words_follow_the_household_import(places):
    f.hamlet(places.commune_a, "Thôn Na Hồ")  # the sample's other hamlet
    call_command("import_households", str(KHU_PHO_SOI), "--commune", places.commune_a.code, stdout=StringIO())
    people, households = tables()
    assert (people, households) == from_records()
    assert len(households) >= Household.objects.count() > 0 and len(people) >= Person.objects.count() > 0


@pytest.mark.django_db(transaction=True)  # TRUNCATE waits for no deferred check of the test's transaction
def test_truncate_empties_them_and_refill_rebuilds_them(places):
    f.person(places.hamlet_a, full_name="Lò Văn Tám")
    f.household(places.hamlet_a, head_name="Hà Văn Minh")
    with connection.cursor() as cursor:
        # As after a load with triggers off (the search benchmark's): rows missing, and rows of nobody.
        cursor.execute("DELETE FROM residents_person_word WHERE word = 'tam'")
        cursor.execute("INSERT INTO residents_household_word VALUES ('x', 'X', -1, -1, 'x')")
        assert tables() != from_records()
        cursor.execute("SELECT residents_search_words_refill()")
        assert tables() == from_records()
        cursor.execute("TRUNCATE residents_person, residents_household CASCADE")
    assert tables() == ([], [])
