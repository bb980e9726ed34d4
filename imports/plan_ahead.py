"""A stream's next batch read, cleaned and planned while the import's connection writes the batch before (issue 16).

A producer thread iterates the batches (`PlanStream`): it takes the reading child's rows, plans each batch and hands
it over, one batch ahead, while the importing thread streams the batch before into COPY. The producer's lookups
(the commune's households, the people its CCCDs name, heads and pledges of the households it matched) go through a
connection of its own, outside the import's transaction. That is correct because:

- **The import's own writes are never needed by a later batch.** A later row that names what an earlier row
  writes (the same household by any key, the same head CCCD) is a duplicate, refused whatever the lookups say
  (`row_checks.mark_duplicates`), and the households are matched against the commune as loaded at the start
  anyway. So each batch plans against the database as it was before the import, exactly as the whole-file preview
  does, and the lookups need not see the transaction's uncommitted rows.
- **Other writers are seen no later than before.** Both connections read committed data (READ COMMITTED): a
  lookup sees what other sessions committed up to the moment it runs, as the import's own connection would have.
  What another session commits between a lookup and the write was already a race (the plan is made before the
  write, the households loaded before the first batch), and the database has the last word on what matters: a
  CCCD or household code committed meanwhile breaks a unique rule at the COPY, which rolls the whole import back
  and names the row.
- **Nothing is written through the second connection**, so the import is still one transaction: a failure
  anywhere (in the producer too: its exception is raised in the importing thread) rolls back every batch.

Only where the rows the lookups need are committed: on PostgreSQL, when the import's transaction is the outermost
(`can_plan_ahead`). Inside a caller's transaction (a test's, say) another connection would not see that
transaction's rows, and SQLite serialises its connections: there the batches are planned in line, as before.
"""

import contextvars
import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import connection
from django.utils import translation

T = TypeVar("T")
# Batches planned ahead of the one being written: one keeps PostgreSQL busy; more would only hold memory.
AHEAD = 1
_WAIT = 0.5  # seconds between looks at the stop flag while the queue is full


def can_plan_ahead() -> bool:
    """Whether a stream's lookups may go through another connection: called before the import's transaction
    opens (no transaction open on this connection yet), on PostgreSQL."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def planned_ahead(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The items of `produce()`, made in a thread of their own (its own database connection, closed at its end)
    up to AHEAD items before they are taken. The producer's exception is raised here; leaving the loop early stops
    the producer after the item it is making, its iterator closed in its own thread (the reading child ends)."""
    handed: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    language = translation.get_language()

    def put(message: tuple) -> bool:
        while not stop.is_set():
            try:
                handed.put(message, timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            with translation.override(language):
                items = produce()
                try:
                    for item in items:
                        if not put(("item", item)):
                            return
                finally:
                    close = getattr(items, "close", None)
                    if close is not None:
                        close()
            put(("end", None))
        except BaseException as exc:  # handed to the importing thread, which raises it
            put(("error", exc))
        finally:
            connection.close()  # this thread's own connection

    producer = threading.Thread(target=contextvars.copy_context().run, args=(run,), name="plan-ahead", daemon=True)
    producer.start()
    try:
        while True:
            kind, value = handed.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        producer.join()
