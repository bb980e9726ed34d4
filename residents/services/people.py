from django.db import transaction

from residents.models import Person

from .audit import audited_save


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    return audited_save(Person(**fields), actor=actor)


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    return audited_save(person, actor=actor)
