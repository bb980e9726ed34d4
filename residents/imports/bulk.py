"""Bulk writes for imports: INSERT in batches (COPY on PostgreSQL), history rows in bulk."""

from collections.abc import Sequence

from django.db import connection

BATCH = 2000
QUERY_CHUNK = 5000


def chunks(values: Sequence, size: int = QUERY_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert(model, objects: list, *, now) -> None:
    """Insert new rows and set their primary keys."""
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH)


def history(model, objects: list, *, actor, reason: str, now, update: bool = False) -> None:
    """One simple-history row per object, attributed to the actor, in bulk."""
    if not objects:
        return
    model.history.bulk_history_create(
        objects,
        batch_size=BATCH,
        update=update,
        default_user=actor,
        default_change_reason=reason,
        default_date=now,
    )


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"
