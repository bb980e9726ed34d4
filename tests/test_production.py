"""The production environment of README "Production" passes Django's deployment checks, read replica included."""

from tests.test_settings import _manage

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "-production-like-secret-with-enough-entropy-9876543210",
    "ALLOWED_HOSTS": "drugfree.congan.thanhhoa.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://drugfree.congan.thanhhoa.gov.vn",
    "DATABASE_URL": "postgres://drugfree:secret@10.0.0.10:5432/drugfree",
    "DATABASE_REPLICA_URL": "postgres://drugfree_ro:secret@10.0.0.11:5432/drugfree",
    "CELERY_BROKER_URL": "redis://10.0.0.12:6379/0",
    "STATIC_ROOT": "/srv/drugfree/static",
    "MEDIA_ROOT": "/srv/drugfree/media",
}


def test_deploy_check_is_clean_with_the_production_guide_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_replica_of_another_kind_of_database_stops_the_server():
    result = _manage("check", **{**PRODUCTION, "DATABASE_REPLICA_URL": "sqlite:///replica.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL" in result.stderr
