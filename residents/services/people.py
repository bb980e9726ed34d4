from django.db import transaction

from accounts.audit import audited_save
from drugfree.concurrency import ensure_unchanged
from residents.models import Person


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    return audited_save(Person(**fields), actor=actor)


@transaction.atomic
def person_update(*, actor, person: Person, seen_version: int | None = None, **fields) -> Person:
    """Refused with EditConflict when someone saved the person after `seen_version` was read."""
    ensure_unchanged(person, seen_version)
    for name, value in fields.items():
        setattr(person, name, value)
    return audited_save(person, actor=actor)
