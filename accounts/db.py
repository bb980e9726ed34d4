"""The access log's database guard: a switch only the test suite's flush (and a DBA's purge) may turn."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_maintenance = ContextVar("access_log_maintenance", default=False)


@receiver(connection_created)
def register_sqlite_guard(sender, connection, **kwargs):
    """SQLite has no session settings: its trigger asks this function (migration accounts 0006)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "drugfree_access_log_maintenance", 0, lambda: int(_maintenance.get()), deterministic=False
        )


@contextmanager
def access_log_maintenance():
    """Let this thread's connection delete access log rows (emptying a test database). Never used by the app."""
    token = _maintenance.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('drugfree.access_log_maintenance', 'on', false)")
        yield
    finally:
        _maintenance.reset(token)
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('drugfree.access_log_maintenance', '', false)")
