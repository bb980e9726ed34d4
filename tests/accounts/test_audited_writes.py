"""The one way a write is attributed: accounts.audit.audited_save and audited_delete put the actor in the history."""

import pytest
from django.core.exceptions import ValidationError

from accounts.audit import audited_delete, audited_save
from residents.models import Household
from tests import factories as f


def test_audited_save_records_the_actor_in_the_history(places, personas):
    household = f.household(places.hamlet_a)
    household.head_name = "Lò Thị Hoa"
    audited_save(household, actor=personas.officer_a)
    latest = household.history.latest("history_date")
    assert (latest.history_type, latest.head_name, latest.history_user) == ("~", "Lò Thị Hoa", personas.officer_a)


def test_audited_save_validates_first_and_then_saves_nothing(places, personas):
    household = f.household(places.hamlet_a)
    household.members_count = -1
    with pytest.raises(ValidationError):
        audited_save(household, actor=personas.officer_a)
    assert Household.objects.get(pk=household.pk).members_count == 4


def test_audited_delete_records_who_deleted(places, personas):
    household = f.household(places.hamlet_a)
    pk = household.pk
    audited_delete(household, actor=personas.admin)
    assert not Household.objects.filter(pk=pk).exists()
    deleted = Household.history.filter(id=pk).latest("history_date")
    assert (deleted.history_type, deleted.history_user) == ("-", personas.admin)
