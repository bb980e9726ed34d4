"""`manage.py backup` then `manage.py restore` into another database gives the same rows and the same dashboard, on
the database the suite runs on (SQLite: online backup API; PostgreSQL: pg_dump/pg_restore into a scratch database
created and dropped here). The restore runs in a process of its own pointed at the target, as an operator runs it."""

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from progress.tallies import HouseholdTally
from residents.models import DrugTest
from residents.services import lifecycle as L
from tests import factories as f
from tests.backups import figures

ROOT = Path(__file__).resolve().parents[2]
# Committed rows (pg_dump reads through its own connection).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_programmes")]


@pytest.fixture
def records(places, personas):
    """Two communes with households, pledges and people at several steps of their lifecycle."""
    today = timezone.localdate()
    officer = personas.officer_a
    for index in range(6):
        household = f.household(places.hamlet_a if index % 2 else places.hamlet_a2, head_name=f"Lò Văn Hộ {index}")
        if index < 4:
            f.pledge(household, year=today.year, signed_on=today - timedelta(days=index))
    f.household(places.hamlet_b, head_name="Bùi Văn Sáu")
    suspect = f.person(places.hamlet_a, full_name="Nghi Chưa Test")
    L.person_list_as_suspect(actor=officer, person=suspect, listed_on=today - timedelta(days=5), trigger="tip")
    user = f.person(places.hamlet_a2, full_name="Dương Tính Một")
    L.person_list_as_suspect(actor=officer, person=user, listed_on=today - timedelta(days=20), trigger="signs")
    L.person_record_test(
        actor=officer, person=user, tested_on=today - timedelta(days=18), result=DrugTest.Result.POSITIVE
    )
    return places


@contextmanager
def scratch_database(tmp_path):
    """An empty database to restore into, as a DATABASE_URL; a PostgreSQL one is dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg2

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    server = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT']}"
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def restored_figures(database_url: str) -> dict:
    result = manage(database_url, "shell", "-c", "from tests.backups.figures import as_json; print(as_json())")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_round_trip_keeps_every_row_and_the_dashboard(records, tmp_path):
    rows, dashboard = figures.row_counts(), figures.province_dashboard()
    assert rows["residents_household"] == 7 and rows["pledges_householdpledge"] == 4
    # A tally gone wrong before the backup (triggers bypassed): the restore's recount must put it right.
    HouseholdTally.objects.filter(commune=records.commune_a).update(households=999)
    backup = tmp_path / f"drugfree{'.dump' if connection.vendor == 'postgresql' else '.sqlite3'}"
    call_command("backup", str(backup))
    assert backup.stat().st_mode & 0o777 == 0o600

    with scratch_database(tmp_path) as target:
        result = manage(target, "restore", str(backup))
        assert result.returncode == 0, result.stderr
        assert "Migration: đã áp dụng đủ." in result.stdout
        assert "households=2 pledges=1" in result.stdout  # recount_tallies: two communes with residing households

        restored = restored_figures(target)
        assert restored["rows"] == rows
        assert restored["dashboard"] == json.loads(json.dumps(dashboard, ensure_ascii=False))

        refused = manage(target, "restore", str(backup))
        assert refused.returncode != 0
        assert "Cơ sở dữ liệu đích không trống" in refused.stderr and "--force" in refused.stderr

        replaced = manage(target, "restore", "--force", str(backup))
        assert replaced.returncode == 0, replaced.stderr
        assert restored_figures(target)["rows"] == rows


def test_a_file_that_is_not_a_backup_is_refused_before_the_database_is_touched(records, tmp_path):
    households = figures.row_counts()["residents_household"]
    not_a_backup = tmp_path / "danh-sach.xlsx"
    not_a_backup.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(CommandError, match="không phải là bản sao lưu"):
        call_command("restore", "--force", str(not_a_backup))
    assert figures.row_counts()["residents_household"] == households


def test_a_backup_never_overwrites_an_older_one(records, tmp_path):
    existing = tmp_path / "drugfree.dump"
    existing.write_bytes(b"older backup")
    with pytest.raises(CommandError, match="đã có"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"older backup"


@pytest.fixture
def progress_latest_unrecorded():
    """The database as if progress's latest migration had not run yet (its name); the record is put back afterwards
    (no flush or serialized rollback restores django_migrations)."""
    recorder = MigrationRecorder(connection)
    [(_app, name)] = MigrationLoader(connection, ignore_no_migrations=True).graph.leaf_nodes("progress")
    recorder.record_unapplied("progress", name)
    yield name
    recorder.record_applied("progress", name)


def test_a_backup_older_than_the_code_is_restored_and_asks_for_migrate(records, progress_latest_unrecorded, tmp_path):
    backup = tmp_path / f"drugfree{'.dump' if connection.vendor == 'postgresql' else '.sqlite3'}"
    call_command("backup", str(backup))
    with scratch_database(tmp_path) as target:
        result = manage(target, "restore", str(backup))
        assert result.returncode != 0
        assert "Đã khôi phục" in result.stdout
        unapplied = f"progress.{progress_latest_unrecorded[:4]}"
        assert unapplied in result.stderr and "manage.py migrate" in result.stderr
        assert "households=" not in result.stdout  # no recount on a schema the code does not know


def test_a_damaged_backup_leaves_the_target_as_it_was(records, tmp_path):
    backup = tmp_path / f"drugfree{'.dump' if connection.vendor == 'postgresql' else '.sqlite3'}"
    call_command("backup", str(backup))
    damaged = tmp_path / f"damaged{backup.suffix}"
    damaged.write_bytes(backup.read_bytes()[: backup.stat().st_size * 2 // 3])
    with scratch_database(tmp_path) as target:
        assert manage(target, "restore", str(backup)).returncode == 0
        before = restored_figures(target)
        result = manage(target, "restore", "--force", str(damaged))
        assert result.returncode != 0
        assert "bị hỏng" in result.stderr or "giữ nguyên như trước" in result.stderr
        assert restored_figures(target) == before
