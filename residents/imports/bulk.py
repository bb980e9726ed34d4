"""Bulk writes for imports: rows as plain dicts, written by COPY on PostgreSQL (bulk_create elsewhere), with their
simple-history rows written the same way.

Model instances cost more than the database work for 100,000 rows (Django's per-field preparation dominates a
profile of bulk_create), so new rows never become instances: their values are completed with the model's defaults
and streamed to COPY, primary keys drawn from the table's sequence beforehand in one query.
"""

import csv
import datetime
import io
import operator
from collections.abc import Sequence

from django.db import connection, models

BATCH = 2000
QUERY_CHUNK = 5000


def chunks(values: Sequence, size: int = QUERY_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _concrete_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]


def complete(model, row: dict, *, now: datetime.datetime) -> dict:
    """The row with every concrete field: auto_now(_add) set to now, others their model default."""
    for field in _concrete_fields(model):
        if field.attname in row:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            row[field.attname] = now
        else:
            row[field.attname] = field.get_default()
    return row


# --- COPY -----------------------------------------------------------------------------------------------------------


class _Null(float):
    """Written unquoted and empty by the csv module (it quotes every non-number), which COPY's CSV format reads as
    NULL, while an empty string is written quoted and stays an empty string."""

    def __repr__(self) -> str:
        return ""

    __str__ = __repr__


_NULL = _Null()


def _copy(table: str, columns: list[str], rows: list[dict]) -> None:
    # The csv module formats in C: one Python-level step per value only to swap None for _NULL.
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    pick = operator.itemgetter(*columns)
    writer.writerows([_NULL if value is None else value for value in pick(row)] for row in rows)
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT csv)", buffer
        )


def _next_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
        return [row[0] for row in cursor.fetchall()]


# --- public ---------------------------------------------------------------------------------------------------------


def insert(model, rows: list[dict], *, now: datetime.datetime, returning_ids: bool = True) -> list[int]:
    """Insert rows (dicts of attname -> value, completed with defaults) and return their primary keys in order."""
    if not rows:
        return []
    for row in rows:
        complete(model, row, now=now)
    columns = [f.attname for f in _concrete_fields(model)]
    pk = model._meta.pk.attname
    if is_postgresql():
        ids = _next_ids(model, len(rows)) if returning_ids else []
        if returning_ids:
            for row, pk_value in zip(rows, ids, strict=True):
                row[pk] = pk_value
            columns = [pk, *columns]
        _copy(model._meta.db_table, columns, rows)
        return ids
    objects = [model(**{c: row[c] for c in columns}) for row in rows]
    model.objects.bulk_create(objects, batch_size=BATCH)
    ids = [obj.pk for obj in objects]
    for row, pk_value in zip(rows, ids, strict=True):
        row[pk] = pk_value
    return ids


def history_rows(model, rows: list[dict], *, actor, reason: str, now, history_type: str = "+") -> None:
    """simple-history rows for rows just inserted (dicts holding every tracked field, primary key included)."""
    if not rows:
        return
    historical = model.history.model
    tracked = [field.attname for field in historical.tracked_fields]
    actor_id = actor.pk if actor is not None else None
    extra = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": actor_id,
    }
    insert(
        historical,
        [{**{name: row[name] for name in tracked}, **extra} for row in rows],
        now=now,
        returning_ids=False,
    )


def history(model, objects: list, *, actor, reason: str, now, update: bool = False) -> None:
    """simple-history rows for model instances (the updated ones), attributed to the actor, in bulk."""
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
