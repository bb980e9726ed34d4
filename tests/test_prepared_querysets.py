"""A prepared query returns what its queryset returns, for every call's values, and refuses what it cannot vouch for."""

from datetime import date

import pytest
from django.db.models import Max, Q

from accounts.scopes import personal_scope_q
from drugfree.prepared_querysets import PreparedQuery
from residents.models import Household, Person
from tests import factories as f


def _same_models(prepared: list, ordinary: list) -> None:
    assert [p.pk for p in prepared] == [o.pk for o in ordinary]
    for one, other in zip(prepared, ordinary, strict=True):
        assert type(one) is type(other)
        assert one.__dict__.keys() == other.__dict__.keys()
        for name in ("full_name", "birth_date", "birth_year", "created_at", "status"):
            assert getattr(one, name) == getattr(other, name)
        assert one._state.db == other._state.db and one._state.adding is other._state.adding
        # select_related: the related models are there, read from the same query
        assert one._state.fields_cache.keys() == other._state.fields_cache.keys()
        for name in one._state.fields_cache:
            mine, theirs = one._state.fields_cache[name], other._state.fields_cache[name]
            assert (mine and mine.__dict__.keys()) == (theirs and theirs.__dict__.keys())
            assert (mine and mine.pk) == (theirs and theirs.pk)


@pytest.fixture
def people(places):
    household = f.household(places.hamlet_a, code="H1")
    return [
        f.person(places.hamlet_a, full_name="Lò Văn A", household_=household, birth_date=date(1990, 5, 2)),
        f.person(places.hamlet_a, full_name="Lò Văn B", household_=household, birth_year=1985),
        f.person(places.hamlet_a2, full_name="Hà Thị C"),
        f.person(places.hamlet_b, full_name="Vi Văn D"),
    ]


def test_models_with_their_related_rows_as_the_queryset_gives_them(people, personas, django_assert_num_queries):
    def build(scope, pk):
        return Person.objects.filter(scope).select_related("hamlet", "commune", "household").filter(pk=pk)

    by_pk = PreparedQuery(build)
    for user in (personas.officer_a, personas.officer_b, personas.reviewer_personal, personas.reviewer):
        scope = personal_scope_q(user, "commune")
        for person in people:
            with django_assert_num_queries(1 if scope != Q(pk__in=[]) else 0):
                prepared = by_pk(scope, pk=person.pk)
            _same_models(prepared, list(build(scope, person.pk)))


def test_values_with_annotations_and_dates(people, places):
    f.person(places.hamlet_a, full_name="Lò Văn E", birth_date=date(2001, 1, 31))

    def build(commune, born_after, name):
        return (
            Person.objects.filter(commune_id=commune, birth_date__gt=born_after)
            .exclude(full_name=name)
            .values("hamlet__name")
            .annotate(latest=Max("birth_date"))
            .order_by("hamlet__name")
        )

    latest = PreparedQuery(build)
    for commune in (places.commune_a.pk, places.commune_b.pk):
        for born_after in (date(1980, 1, 1), date(1995, 6, 1), date(2030, 1, 1)):
            for name in ("Lò Văn A", "nobody"):
                assert latest(commune=commune, born_after=born_after, name=name) == list(
                    build(commune, born_after, name)
                )
    assert latest(commune=places.commune_a.pk, born_after=date(1980, 1, 1), name="nobody")[0]["latest"] == date(
        2001, 1, 31
    )


def test_values_list_and_flat(people, places):
    codes = PreparedQuery(lambda hamlet: Household.objects.filter(hamlet_id=hamlet).values_list("pk", "code"))
    names = PreparedQuery(lambda hamlet: Person.objects.filter(hamlet_id=hamlet).values_list("full_name", flat=True))
    for hamlet in (places.hamlet_a, places.hamlet_a2, places.hamlet_b):
        assert codes(hamlet=hamlet.pk) == list(Household.objects.filter(hamlet=hamlet).values_list("pk", "code"))
        assert sorted(names(hamlet=hamlet.pk)) == sorted(
            Person.objects.filter(hamlet=hamlet).values_list("full_name", flat=True)
        )


def test_an_id_beyond_any_integer_column_finds_nothing_as_the_queryset_does(people):
    by_pk = PreparedQuery(lambda pk: Person.objects.filter(pk=pk))
    assert by_pk(pk=people[0].pk) == [people[0]]
    for pk in (2**31, 2**63, 10**30, -(2**40)):
        assert by_pk(pk=pk) == list(Person.objects.filter(pk=pk)) == []


def test_each_shape_is_compiled_once(people, places, monkeypatch):
    calls = []

    def build(pk):
        calls.append(pk)
        return Person.objects.filter(pk=pk)

    by_pk = PreparedQuery(build)
    for person in people:
        assert [p.pk for p in by_pk(pk=person.pk)] == [person.pk]
    assert len(calls) == 2  # two stand-in builds, on the first call only


@pytest.mark.parametrize(
    "build, values",
    [
        (lambda name: Person.objects.filter(full_name__startswith=name), {"name": "Lò"}),  # the value is rewritten
        (lambda pk: Person.objects.filter(pk=pk + 1), {"pk": 3}),  # the value is computed on
        (lambda pk: Person.objects.filter(pk__in=[1, 2]), {"pk": 3}),  # the value is not used
    ],
)
def test_what_the_check_cannot_vouch_for_is_refused(db, build, values):
    with pytest.raises(TypeError):
        PreparedQuery(build)(**values)


@pytest.mark.parametrize("value", [None, [1, 2], True, 1.5])
def test_values_that_change_the_sql_are_refused(db, value):
    with pytest.raises(TypeError):
        PreparedQuery(lambda pk: Person.objects.filter(pk=pk))(pk=value)


def test_an_aware_datetime_is_compared_as_the_queryset_compares_it(people, personas):
    from datetime import UTC, datetime, timedelta

    from accounts.models import User

    User.objects.filter(pk=personas.officer_a.pk).update(date_joined=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    joined_after = PreparedQuery(lambda since: User.objects.filter(date_joined__gt=since).order_by("pk"))
    for since in (datetime(2026, 3, 1, 17, 29, tzinfo=UTC), datetime(2026, 3, 1, 17, 31, tzinfo=UTC),
                  datetime(2026, 3, 2, 0, 29, tzinfo=UTC) - timedelta(hours=7)):  # fmt: skip
        expected = list(User.objects.filter(date_joined__gt=since).order_by("pk"))
        assert joined_after(since=since) == expected
    with pytest.raises(TypeError, match="aware"):
        joined_after(since=datetime(2026, 3, 1))
