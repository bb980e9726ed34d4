"""Read logging for personal data; write history is django-simple-history on each model, attributed to the acting
user by `audited_save` and `audited_delete` (the only places that set simple-history's `_history_user`);
`audited_edit` is how services apply an officer's form to a record.

Every page or file that shows a person's name, CCCD or status calls `log_shown` once, where the objects it shows
are known: one `AccessLog` entry per kind of record and commune, with the ids of every record shown and the page's
path. Grouping by commune is what lets a commune officer see every read of their commune's records, even from a
reviewer's search over the whole province.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from drugfree.concurrency import Versioned, ensure_unchanged

from .models import AccessLog


def audited_save(instance: models.Model, *, actor, validate: bool = True, **save_kwargs) -> models.Model:
    """Save with the acting user in the history row, so every write is attributed even outside a request.
    `validate=False` only where the instance was just validated (a bound ModelForm) or a service changed no field a
    rule checks."""
    if validate:
        instance.full_clean()
    instance._history_user = actor
    instance.save(**save_kwargs)
    return instance


def audited_edit(record: models.Model, *, actor, seen_version: int | None = None, **fields) -> models.Model:
    """Apply an edit to one record, new or already saved, inside the calling service's transaction.

    A saved versioned record is locked first and the edit refused (EditConflict) if someone saved it after
    `seen_version` was read; then the fields are set, the record validated (full_clean) and saved with the actor in
    its history. Many-to-many fields are set once the record has its id.
    """
    if not record._state.adding and isinstance(record, Versioned):
        ensure_unchanged(record, seen_version)
    many = {field.name for field in record._meta.many_to_many} & fields.keys()
    for name, value in fields.items():
        if name not in many:
            setattr(record, name, value)
    audited_save(record, actor=actor)
    for name in many:
        getattr(record, name).set(fields[name])
    return record


def audited_delete(instance: models.Model, *, actor) -> None:
    """Delete with the acting user in the history row (simple-history keeps the deleted record)."""
    instance._history_user = actor
    instance.delete()


@dataclass(frozen=True)
class ShownRecord:
    """A record that a page showed from a few of its values, without building the model (a long list): what
    `log_shown` needs of it."""

    model: type[models.Model]
    pk: int
    commune_id: int | None

    @property
    def _meta(self):
        return self.model._meta


def log_shown(
    request,
    shown: Iterable,
    *,
    subject=None,
    action=AccessLog.Action.VIEW,
    description="",
) -> list[AccessLog]:
    """Log what a page showed. `shown`: model instances or ShownRecords (None skipped; the subject is added first if
    missing).
    Nothing shown, nothing logged: an empty result names nobody. One INSERT whatever the number of entries."""
    objects = [obj for obj in ([subject] if subject is not None else []) + list(shown) if obj is not None]
    groups: dict[tuple[str, int | None], list] = {}
    for obj in objects:
        ids = groups.setdefault((obj._meta.label_lower, getattr(obj, "commune_id", None)), [])
        if obj.pk not in ids:
            ids.append(obj.pk)
    subject_key = subject._meta.label_lower if subject is not None else None
    description = (description or (str(subject) if subject is not None else ""))[:255]
    entries = [
        AccessLog(
            user=request.user,
            action=action,
            object_type=object_type,
            object_id=str(ids[0]) if object_type == subject_key and ids[0] == subject.pk else "",
            object_ids=ids,
            commune_id=commune_id,
            description=description,
            path=request.get_full_path()[:500],
        )
        for (object_type, commune_id), ids in groups.items()
    ]
    if len(entries) == 1:
        # Most pages show one kind of record of one commune: a plain INSERT, without the transaction that
        # bulk_create opens around its statement (two round trips fewer).
        entries[0].save(force_insert=True)
        return entries
    return AccessLog.objects.bulk_create(entries) if entries else []


def log_export(request, records, *, description: str, object_type: str = "") -> list[AccessLog]:
    """A whole list streamed to a file: one entry per commune whose records it holds, so each commune's officer
    sees the export. The ids are not copied (a list can hold 100,000 rows): the path keeps the query."""
    commune_ids = records.order_by().values_list("commune_id", flat=True).distinct()
    entries = [
        AccessLog(
            user=request.user,
            action=AccessLog.Action.EXPORT,
            object_type=object_type or records.model._meta.label_lower,
            commune_id=commune_id,
            description=description[:255],
            path=request.get_full_path()[:500],
        )
        for commune_id in commune_ids
    ]
    return AccessLog.objects.bulk_create(entries) if entries else []


def log_access(
    user,
    obj=None,
    *,
    action=AccessLog.Action.VIEW,
    object_type="",
    object_id="",
    commune_id=None,
    description="",
    request=None,
) -> AccessLog:
    """One entry for something that is not a list of records: an export of a whole list, a gap list's metric."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        commune_id = commune_id if commune_id is not None else getattr(obj, "commune_id", None)
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ids=[obj.pk] if obj is not None else [],
        commune_id=commune_id,
        description=description[:255],
        path=(request.get_full_path()[:500] if request is not None else ""),
    )
