"""Queries compiled once (drugfree.prepared_querysets): the signed-in user and the session row are the instances the
ORM's own querysets return, field by field, with the related units and the annotations, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import UserWithUnitBackend, signed_in_users
from accounts.models import User
from accounts.sessions import SessionStore
from communes.models import District

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    """Every column and annotation of an instance, and the same of the related instances it was built with."""
    if instance is None:
        return {}
    values = {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    values.update(
        (name, getattr(instance, name)) for name in vars(instance) if not name.startswith("_") and name not in values
    )
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.is_cached(instance):
            values[field.name] = _values(field.get_cached_value(instance))
    return values


def _personas(personas, places):
    district = District.objects.create(province=places.province, name="Cụm Quan Sơn")
    personas.reviewer.district = district
    personas.reviewer.save()
    return [*vars(personas).values()]


def test_the_signed_in_user_is_the_querysets_user_with_their_unit_and_annotations(personas, places):
    for user in _personas(personas, places):
        fetched = UserWithUnitBackend().get_user(user.pk)
        expected = signed_in_users().get(pk=user.pk)
        assert _values(fetched) == _values(expected)
        assert fetched._state.db == expected._state.db and not fetched._state.adding
        for unit in ("commune", "district", "province"):  # joined in the same query: no query to read them
            field = getattr(User, unit).field
            assert field.is_cached(fetched) == field.is_cached(expected)
            with CaptureQueriesContext(connection) as queries:
                assert getattr(fetched, unit) == getattr(expected, unit)
            assert not queries.captured_queries


def test_no_user_for_an_unknown_or_inactive_id(personas):
    assert UserWithUnitBackend().get_user(987_654) is None
    User.objects.filter(pk=personas.viewer_a.pk).update(is_active=False)
    assert UserWithUnitBackend().get_user(personas.viewer_a.pk) is None


def test_one_query_each_time_and_the_value_of_each_call(personas):
    backend = UserWithUnitBackend()
    backend.get_user(personas.officer_a.pk)
    with CaptureQueriesContext(connection) as queries:
        first, second = backend.get_user(personas.officer_b.pk), backend.get_user(personas.admin.pk)
    assert len(queries.captured_queries) == 2
    assert (first.username, second.username) == ("cand_ngoclac", "quantri")


def test_the_session_row_is_the_querysets_while_it_has_not_expired(personas, client):
    client.force_login(personas.officer_a)
    key = client.session.session_key
    store = SessionStore(key)
    assert store.load() == SessionStore(key).decode(Session.objects.get(session_key=key).session_data)
    assert store.get("_auth_user_id") == str(personas.officer_a.pk)

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # as Django's store: a new key is made if the session is saved
