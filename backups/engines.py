"""Backup and restore of the whole database, one engine per database kind: PostgreSQL through pg_dump/pg_restore
in their custom format, SQLite through its online backup API. Both write the backup file under a temporary name and
rename it when complete, and both restore all or nothing."""

import logging
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# First bytes of each kind of backup file, so that a file of the other kind (or not a backup) is refused up front.
POSTGRESQL_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


def vendor(using: str = "default") -> str:
    return connections[using].vendor


def extension(using: str = "default") -> str:
    return ".dump" if vendor(using) == "postgresql" else ".sqlite3"


def table_names(using: str = "default") -> list[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def pending_migrations(using: str = "default") -> list[str]:
    """Migrations the code has and the restored database has not applied, as `migrate --check` counts them."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup(path: Path, *, using: str = "default") -> None:
    """Write a consistent backup of the whole database to `path` (which must not exist yet)."""
    partial = path.with_name(f".{path.name}.partial")
    # Created private before anything is written: a backup holds every person's sensitive data.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        if vendor(using) == "postgresql":
            _pg_dump(partial, using)
        else:
            _sqlite_backup(partial, using)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)


def check_backup_file(path: Path, *, using: str = "default") -> None:
    """Refuse a file that is not a backup of this database's kind, before the database is touched."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        message = _("Không đọc được tệp sao lưu %(path)s: %(error)s") % {"path": path, "error": error}
        raise CommandError(message) from error
    expected = POSTGRESQL_MAGIC if vendor(using) == "postgresql" else SQLITE_MAGIC
    if not head.startswith(expected):
        other = SQLITE_MAGIC if expected == POSTGRESQL_MAGIC else POSTGRESQL_MAGIC
        if head.startswith(other):
            raise CommandError(
                _("Tệp %(path)s là bản sao lưu của loại cơ sở dữ liệu khác; cơ sở dữ liệu đích là %(vendor)s.")
                % {"path": path, "vendor": vendor(using)}
            )
        raise CommandError(_("Tệp %(path)s không phải là bản sao lưu của ứng dụng này.") % {"path": path})
    if expected == POSTGRESQL_MAGIC:
        _pg_restore_list(path, using)
    else:
        _sqlite_check(path)


def restore(path: Path, *, using: str = "default", replace: bool = False) -> None:
    """Load the backup into the database in one transaction: on any error the database is left as it was."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # pg_restore works through its own connection; ours must hold no lock it would wait for.
        connection.close()
        _pg_restore(path, using, replace=replace)
    else:
        _sqlite_restore(path, using)
    # The schema changed under any connection that stayed open.
    connection.close()


# PostgreSQL ---------------------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise CommandError(
            _("Không tìm thấy chương trình %(tool)s: cài gói postgresql-client cùng phiên bản với máy chủ.")
            % {"tool": name}
        )
    return tool


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables from the Django connection's settings: the password never appears on a command line."""
    settings = connections[using].settings_dict
    env = dict(os.environ)
    for variable, value in [
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGDATABASE", settings.get("NAME")),
        ("PGSSLMODE", settings.get("OPTIONS", {}).get("sslmode")),
    ]:
        if value:
            env[variable] = str(value)
    return env


def _run(command: list[str], using: str, failure: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=_pg_environment(using), capture_output=True, text=True)
    if result.returncode != 0:
        logger.error("%s failed (exit %s): %s", Path(command[0]).name, result.returncode, result.stderr.strip())
        raise CommandError(f"{failure}\n{result.stderr.strip()}")
    return result


def _pg_dump(path: Path, using: str) -> None:
    # One snapshot (pg_dump's own repeatable-read transaction): rows written meanwhile are wholly in or wholly out.
    _run(
        [_pg_tool("pg_dump"), "--format=custom", f"--file={path}", connections[using].settings_dict["NAME"]],
        using,
        _("pg_dump không sao lưu được cơ sở dữ liệu."),
    )


def _pg_restore_list(path: Path, using: str) -> None:
    _run(
        [_pg_tool("pg_restore"), "--list", str(path)],
        using,
        _("Tệp %(path)s bị hỏng hoặc không đọc được.") % {"path": path},
    )


def _pg_restore(path: Path, using: str, *, replace: bool) -> None:
    command = [
        _pg_tool("pg_restore"),
        "--single-transaction",
        "--exit-on-error",
        # The target's roles decide ownership and grants, not the roles of the server the backup came from.
        "--no-owner",
        "--no-privileges",
        f"--dbname={connections[using].settings_dict['NAME']}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(path)], using, _("pg_restore không khôi phục được; cơ sở dữ liệu giữ nguyên như trước."))


# SQLite -------------------------------------------------------------------------------------------------------------


def _raw_sqlite(using: str) -> sqlite3.Connection:
    connection = connections[using]
    connection.ensure_connection()
    return connection.connection


def _sqlite_backup(path: Path, using: str) -> None:
    # The online backup API copies a consistent image while the application keeps running (WAL included).
    target = sqlite3.connect(path)
    try:
        _raw_sqlite(using).backup(target)
        # A copy of a WAL database is in WAL mode too; a backup is one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_check(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (result,) = source.execute("PRAGMA quick_check").fetchone()
            has_migrations = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(_("Tệp %(path)s bị hỏng: %(error)s") % {"path": path, "error": error}) from error
    if result != "ok":
        raise CommandError(_("Tệp %(path)s bị hỏng: %(error)s") % {"path": path, "error": result})
    if not has_migrations:
        raise CommandError(_("Tệp %(path)s không phải là bản sao lưu của ứng dụng này.") % {"path": path})


def _sqlite_restore(path: Path, using: str) -> None:
    # The backup API replaces the target's pages in one step under its lock: readers see the old or the new database.
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(_raw_sqlite(using))
    except sqlite3.DatabaseError as error:
        raise CommandError(_("Không khôi phục được từ %(path)s: %(error)s") % {"path": path, "error": error}) from error
    finally:
        source.close()
