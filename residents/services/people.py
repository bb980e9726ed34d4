from django.db import transaction

from accounts.audit import audited_edit, audited_save
from residents.models import Person


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    return audited_save(Person(**fields), actor=actor)


@transaction.atomic
def person_update(*, actor, person: Person, seen_version: int | None = None, **fields) -> Person:
    """Refused with EditConflict when someone saved the person after `seen_version` was read."""
    return audited_edit(person, actor=actor, seen_version=seen_version, **fields)
