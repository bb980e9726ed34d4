"""Bulk writes for imports: new rows as tuples, written by COPY on PostgreSQL (bulk_create elsewhere), with their
simple-history rows written the same way.

Model instances cost more than the database work for 100,000 rows (Django's per-field preparation dominates a
profile of bulk_create), so new rows never become instances: tuples completed with the model's defaults are
formatted by the csv module (in C) and streamed to COPY, primary keys drawn from the table's sequence beforehand
in one query.
"""

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass

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


def _defaults(model, *, now) -> dict:
    """attname -> value for a new row: auto_now(_add) fields get now, the others their model default."""
    return {
        field.attname: now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default()
        for field in _concrete_fields(model)
    }


# --- COPY -----------------------------------------------------------------------------------------------------------


class _Null(float):
    """Written unquoted and empty by the csv module (it quotes every non-number), which COPY's CSV format reads as
    NULL, while an empty string is written quoted and stays an empty string."""

    def __repr__(self) -> str:
        return ""

    __str__ = __repr__


NULL = _Null()  # what callers put in a row for SQL NULL


COPY_CHUNK = 20_000


def _copy(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    # The csv module formats in C; rows already hold NULL for None, so no Python code runs per value. One COPY per
    # chunk keeps the text buffer small (Vietnamese text makes it 4 bytes a character).
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    statement = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_CHUNK):
            buffer = io.StringIO()
            csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(
                rows[start : start + COPY_CHUNK]
            )
            buffer.seek(0)
            cursor.cursor.copy_expert(statement, buffer)


def _next_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
        return [row[0] for row in cursor.fetchall()]


def _bulk_create(model, columns: Sequence[str], rows: list[tuple]) -> list[int]:
    objects = [model(**{c: (None if v is NULL else v) for c, v in zip(columns, row, strict=True)}) for row in rows]
    model.objects.bulk_create(objects, batch_size=BATCH)
    return [obj.pk for obj in objects]


# --- public ---------------------------------------------------------------------------------------------------------


@dataclass
class Inserted:
    """Rows as written: `columns` (primary key first) and full `rows`, for their history rows."""

    model: type
    columns: list[str]
    rows: list[tuple]

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]


def insert(model, columns: Sequence[str], rows: list[tuple], *, now: datetime.datetime) -> Inserted:
    """Insert rows (tuples in `columns` order, NULL for None; other fields get their defaults) and return them with
    their primary keys."""
    stamp = now.isoformat() if is_postgresql() else now  # formatted once, not once per row
    defaults = _defaults(model, now=stamp)
    tail_columns = [name for name in defaults if name not in columns]
    tail = tuple(NULL if defaults[name] is None else defaults[name] for name in tail_columns)
    full_columns = [*columns, *tail_columns]
    pk = model._meta.pk.attname
    if not rows:
        return Inserted(model, [pk, *full_columns], [])
    if is_postgresql():
        ids = _next_ids(model, len(rows))
        full = [(pk_value, *row, *tail) for pk_value, row in zip(ids, rows, strict=True)]
        _copy(model._meta.db_table, [pk, *full_columns], full)
    else:
        full = [row + tail for row in rows]
        ids = _bulk_create(model, full_columns, full)
        full = [(pk_value, *row) for pk_value, row in zip(ids, full, strict=True)]
    return Inserted(model, [pk, *full_columns], full)


def history_rows(inserted: Inserted, *, actor, reason: str, now) -> None:
    """simple-history rows ("+", created) for rows just inserted, attributed to the actor."""
    if not inserted.rows:
        return
    historical = inserted.model.history.model
    tracked = {field.attname for field in historical.tracked_fields}
    assert tracked == set(inserted.columns), "every tracked field is in the inserted rows"
    extra_columns = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    extra = (now.isoformat() if is_postgresql() else now, reason, "+", actor.pk if actor is not None else NULL)
    columns = [*inserted.columns, *extra_columns]
    for start in range(0, len(inserted.rows), COPY_CHUNK):
        rows = [row + extra for row in inserted.rows[start : start + COPY_CHUNK]]
        if is_postgresql():
            _copy(historical._meta.db_table, columns, rows)
        else:
            _bulk_create(historical, columns, rows)


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
