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
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL

from drugfree.integrity import violated_constraint

BATCH = 2000
QUERY_CHUNK = 5000
# After a failed write, at most this many rows are checked one by one to find the one that broke the rule.
LOCATE_LIMIT = 50_000
_COPY_LINE = re.compile(r"\bCOPY \S+, line (\d+)")


def chunks(values: Sequence, size: int = QUERY_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def foreign_keys_checked_per_statement() -> Iterator[None]:
    """Inside a transaction: check deferred foreign keys at the end of each statement instead of at commit.

    The same checks, but each COPY's are made while its rows are still in PostgreSQL's buffers; deferred to the
    commit of a 100,000-row import they re-read (and, locking each new household its people refer to, re-dirty)
    pages that 300 MB of later writes had pushed out of a small shared_buffers. A violation still rolls everything
    back. On success the transaction gets Django's deferred checking back; after an error the rollback restores it.
    """
    if not is_postgresql():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def one_of(model, field_name: str, values: Sequence) -> models.Q | RawSQL:
    """A filter `field IN values`; on PostgreSQL one array parameter, because Django prepares each value of an __in
    list in Python (about 10 µs each: a second for the CCCDs of a 100,000-row file)."""
    if not is_postgresql():
        return models.Q(**{f"{field_name}__in": values})
    field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(field.column)}"
    return RawSQL(f"{column} = ANY(%s)", [list(values)], output_field=models.BooleanField())


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


# Rows formatted per read of the COPY stream: PostgreSQL ingests one batch while the next is formatted.
STREAM_ROWS = 2000


def _csv_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    """COPY CSV text, STREAM_ROWS rows at a time: the csv module formats in C, rows already hold NULL for None so no
    Python code runs per value, and only a chunk of text is held at a time (Vietnamese text makes it 4 bytes a
    character)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    rows = iter(rows)
    while batch := list(islice(rows, STREAM_ROWS)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(batch)
        yield buffer.getvalue()


class _CsvStream:
    """A file object for copy_expert that gives the next chunk of COPY text at each read: formatted as COPY reads
    (a generator of chunks), or ahead of it (`Prepared`)."""

    def __init__(self, chunks: Iterable[str | bytes]):
        self._chunks = iter(chunks)

    def read(self, size: int = -1) -> str | bytes:
        return next(self._chunks, "")


def _copy(table: str, columns: Sequence[str], chunks: Iterable[str | bytes]) -> None:
    """COPY through psycopg2's own cursor, its errors turned into Django's (IntegrityError…) as any query's are; a
    row that broke a rule is named by its position (PostgreSQL says which line of the COPY it was)."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    statement = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT csv)"
    try:
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.cursor.copy_expert(statement, _CsvStream(chunks))
    except DatabaseError as error:
        context = getattr(getattr(error.__cause__, "diag", None), "context", None) or ""
        if match := _COPY_LINE.search(context):
            error.failed_index = int(match.group(1)) - 1
        raise


def _next_ids(model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        # One round trip; the sequence is looked up once (materialised): pg_get_serial_sequence in the select list
        # would run once per id.
        cursor.execute(
            "WITH serial AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS sequence) "
            "SELECT nextval(serial.sequence) FROM serial, generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _locate(error: IntegrityError, objects: Sequence[models.Model]) -> None:
    """Note on `error` the position of the first object that breaks the rule it names, checked one by one (only
    after a failure, and only where the database did not say which row it was)."""
    found = violated_constraint(error)
    if found is None or getattr(error, "failed_index", None) is not None:
        return
    model, constraint = found
    for index, instance in enumerate(objects[:LOCATE_LIMIT]):
        if not isinstance(instance, model):
            return
        try:
            constraint.validate(model, instance)
        except ValidationError:
            error.failed_index = index
            return


@contextmanager
def _located(objects: Sequence[models.Model]) -> Iterator[None]:
    """A savepoint around a bulk write, so that after an integrity error the database may still be asked which
    object broke the rule (the import's transaction is rolled back all the same)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        _locate(error, objects)
        raise


def _bulk_create(model, columns: Sequence[str], rows: list[tuple]) -> list[int]:
    objects = [model(**{c: (None if v is NULL else v) for c, v in zip(columns, row, strict=True)}) for row in rows]
    with _located(objects):
        model.objects.bulk_create(objects, batch_size=BATCH)
    return [obj.pk for obj in objects]


def update(model, objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """bulk_update, the object that broke a rule (if one does) noted on the error by its position."""
    with _located(objects):
        model.objects.bulk_update(objects, fields, batch_size=BATCH)


@contextmanager
def blame(row_numbers: Sequence[int]) -> Iterator[None]:
    """An integrity error raised inside by a write whose failing row is known by its position (in the rows or
    objects written, in the order of `row_numbers`) gets `row_number`: the spreadsheet row it came from."""
    try:
        yield
    except IntegrityError as error:
        index = getattr(error, "failed_index", None)
        if getattr(error, "row_number", None) is None and index is not None and 0 <= index < len(row_numbers):
            error.row_number = row_numbers[index]
        raise


# --- public ---------------------------------------------------------------------------------------------------------


@dataclass
class Inserted:
    """Rows as written: `columns` (primary key first) and their primary keys, for their history rows. `rows` holds
    the full rows only where the history is written from Python (not on PostgreSQL, which copies the table's rows)."""

    model: type
    columns: list[str]
    ids: list[int]
    rows: list[tuple] = field(default_factory=list)


def _full_columns(model, columns: Sequence[str], *, now: datetime.datetime) -> tuple[list[str], tuple]:
    """The columns a new row is written with (primary key first, then `columns`, then the fields left to their
    defaults) and the values of those defaults."""
    stamp = now.isoformat() if is_postgresql() else now  # formatted once, not once per row
    defaults = _defaults(model, now=stamp)
    tail_columns = [name for name in defaults if name not in columns]
    tail = tuple(NULL if defaults[name] is None else defaults[name] for name in tail_columns)
    return [model._meta.pk.attname, *columns, *tail_columns], tail


def insert(
    model, columns: Sequence[str], rows: Iterable[tuple], *, now: datetime.datetime, count: int | None = None
) -> Inserted:
    """Insert rows (tuples in `columns` order, NULL for None; other fields get their defaults) and return their
    primary keys. `rows` may be a generator of `count` rows: on PostgreSQL they are then built while the database
    stores the ones before."""
    full_columns, tail = _full_columns(model, columns, now=now)
    count = len(rows) if count is None else count
    if not count:
        return Inserted(model, full_columns, [])
    if is_postgresql():
        ids = _next_ids(model, count)
        rows = ((i, *row, *tail) for i, row in zip(ids, rows, strict=True))
        _copy(model._meta.db_table, full_columns, _csv_chunks(rows))
        return Inserted(model, full_columns, ids)
    full = [row + tail for row in rows]
    ids = _bulk_create(model, full_columns[1:], full)
    return Inserted(model, full_columns, ids, [(i, *row) for i, row in zip(ids, full, strict=True)])


@dataclass
class Prepared:
    """New rows made ready for COPY ahead of their write (`prepare_insert`): ids drawn, text formatted, so that the
    write only sends them."""

    model: type
    columns: list[str]
    ids: list[int]
    text: list[bytes]
    now: datetime.datetime

    def insert(self) -> Inserted:
        """Write the rows (one COPY) and return them as `insert` does."""
        text, self.text = self.text, []  # the text is not held past its write
        if self.ids:
            _copy(self.model._meta.db_table, self.columns, text)
        return Inserted(self.model, self.columns, self.ids)


def prepare_insert(model, columns: Sequence[str], rows: Sequence[tuple], *, now: datetime.datetime) -> Prepared:
    """`insert` up to its COPY, done ahead (PostgreSQL): the ids drawn from the table's sequence through this
    thread's connection (a sequence is outside transactions: ids drawn by another connection are the import's as
    surely as its own, and a rollback leaves a gap either way) and the COPY text formatted, as UTF-8 (a third of the
    memory of Python's text for Vietnamese)."""
    full_columns, tail = _full_columns(model, columns, now=now)
    ids = _next_ids(model, len(rows)) if rows else []
    full_rows = ((i, *row, *tail) for i, row in zip(ids, rows, strict=True))
    return Prepared(model, full_columns, ids, [chunk.encode() for chunk in _csv_chunks(full_rows)], now)


_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def history_rows(inserted: Inserted, *, actor, reason: str, now) -> None:
    """simple-history rows ("+", created) for rows just inserted, attributed to the actor."""
    if not inserted.ids:
        return
    historical = inserted.model.history.model
    tracked = {field.attname for field in historical.tracked_fields}
    assert tracked == set(inserted.columns), "every tracked field is in the inserted rows"
    extra = (now, reason, "+", actor.pk if actor is not None else None)
    if is_postgresql():
        _copy_history(inserted, historical, extra)
        return
    columns = [*inserted.columns, *_HISTORY_COLUMNS]
    for chunk in chunks(inserted.rows):
        _bulk_create(historical, columns, [row + extra for row in chunk])


def _copy_history(inserted: Inserted, historical, extra: tuple) -> None:
    """The snapshot is the row as stored, copied inside the database: no row travels back through Python."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in inserted.columns)
    pk = quote(inserted.columns[0])
    ids = inserted.ids
    statement = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, {', '.join(_HISTORY_COLUMNS)}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(inserted.model._meta.db_table)} WHERE {pk} BETWEEN %s AND %s"
    )
    params = [*extra, ids[0], ids[-1]]
    if ids[-1] - ids[0] + 1 != len(ids):
        # Another session drew ids from the sequence meanwhile: its rows in the range are not this import's.
        statement += f" AND {pk} = ANY(%s)"
        params.append(ids)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        assert cursor.rowcount == len(ids), "a history row for every inserted row"


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
