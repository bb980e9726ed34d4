"""A PostgreSQL database of the benchmark's own, so that `make bench` never touches the user's data."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def bench_database_url(name: str) -> str:
    server = urlsplit(os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER))
    # BENCH_DB_SUFFIX keeps two checkouts benchmarking on one server (say, two branches) out of each other's data.
    suffix = os.environ.get("BENCH_DB_SUFFIX", "")
    return urlunsplit(server._replace(path=f"/drugfree_bench_{name}{suffix}"))


def use_own_database(name: str, *, fresh: bool = True) -> str:
    """Create (or, with fresh=False, reuse) `drugfree_bench_<name>`, point Django at it, set Django up and migrate.

    Returns the database URL. Exits with a message when no PostgreSQL server answers: the figures are only
    meaningful on the production database engine.
    """
    import psycopg2

    url = bench_database_url(name)
    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    database = parts.path.lstrip("/")
    try:
        connection = psycopg2.connect(maintenance)
    except psycopg2.OperationalError as error:
        sys.exit(f"benchmark {name}: PostgreSQL is needed ({maintenance}): {error}")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        if fresh or not exists:
            cursor.execute(f'CREATE DATABASE "{database}"')
    connection.close()

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugfree.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ["DEBUG"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return url


def open_for_pages(name: str) -> None:
    """The benchmark's own database (kept between runs unless BENCH_FRESH=1), for pages requested through Django's
    test client as a browser would over plain HTTP."""
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    try:
        use_own_database(name, fresh=os.environ.get("BENCH_FRESH") == "1")
    except Exception as error:  # a kept database whose migration history no longer matches the code
        from django.db import connections

        print(f"kept database unusable ({error.__class__.__name__}); starting afresh", flush=True)
        connections.close_all()
        use_own_database(name, fresh=True)
    from django.conf import settings

    # Templates name static files; the benchmark has no collected manifest, and serving files is not measured.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Set-up (the warm-up, the checks) may already have opened the manifest storage: forget it.
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.utils.functional import empty

    storages.__dict__.pop("backends", None)
    storages._backends, storages._storages = None, {}
    staticfiles_storage._wrapped = empty


def bench_line(name: str, value: float, unit: str, reference: float) -> str:
    ratio = value / reference if reference else float("inf")
    return f"BENCH name={name} value={value:.1f} unit={unit} reference={reference:.1f} ratio={ratio:.2f}"


def remember_spec(cursor, spec: str) -> None:
    """Mark the benchmark's database as holding the data set `spec` describes, so that later runs reuse it."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_dataset (spec text)")
    cursor.execute("DELETE FROM bench_dataset")
    cursor.execute("INSERT INTO bench_dataset VALUES (%s)", [spec])


def current_spec(cursor) -> str | None:
    cursor.execute("SELECT to_regclass('bench_dataset') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("SELECT spec FROM bench_dataset")
    row = cursor.fetchone()
    return row[0] if row else None
