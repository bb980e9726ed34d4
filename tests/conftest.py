"""Personas built once per test: officers of two communes, a viewer, reviewers and an administrator."""

import shutil
import subprocess
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import transaction
from django.test import Client

from accounts.db import access_log_maintenance
from accounts.models import Role
from progress.models import Programme
from tests import factories as f
from tests.second_factor import pass_second_factor


def pytest_sessionstart(session):
    """The project's catalogues (locale/, not committed as .mo) compiled when missing or older than their .po, as
    `make messages` does: a targeted run after a pull would otherwise show the admin half in English. Under xdist
    only the controller compiles, before the workers start."""
    if hasattr(session.config, "workerinput") or shutil.which("msgfmt") is None:
        return  # without gettext only the tests of the Vietnamese admin fail (English found); the others run
    compiled = False
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
            compiled = True
    if compiled:
        # Django set-up may already have read the old catalogues into this process; forget them, as Django does
        # when LOCALE_PATHS changes.
        from django.utils import translation
        from django.utils.translation import trans_real

        translation.deactivate()
        trans_real._translations = {}
        trans_real._default = None
        trans_real.translation_catalog_exists.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_access_log():
    """Transactional tests end with `flush`; the access log refuses DELETE (SQLite trigger) except under this switch."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, *args, **options):
        with access_log_maintenance():
            return original(self, *args, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture
def seeded_programmes(db):
    """Đề án 3822, QĐ 28/2025 and the hamlet set as their data migrations seed them, for a transactional test: an
    earlier transactional test in the same worker flushed the tables (Django's serialized rollback is not used: its
    snapshot clashes with content types that flush and migration tests renumber)."""
    if not Programme.objects.exists():
        import_module("progress.migrations.0002_seed_de_an_3822").seed(django_apps, None)
        import_module("progress.migrations.0008_seed_qd28_and_hamlet_set").seed(django_apps, None)


@pytest.fixture
def places(db):
    return build_places()


@pytest.fixture(scope="module")
def module_places_and_personas(django_db_setup, django_db_blocker):
    """The places and personas built once for a module whose many tests only read them (the URL walks), in a
    transaction rolled back at the module's end; each test runs in a savepoint inside it. Building them per test was
    most of those walks' time."""
    with django_db_blocker.unblock(), transaction.atomic():
        places = build_places()
        yield SimpleNamespace(places=places, personas=build_personas(places))
        transaction.set_rollback(True)


@pytest.fixture
def personas(places):
    return build_personas(places)


def build_places() -> SimpleNamespace:
    """Two communes of Thanh Hóa (A and B) and one of another province; also used by module-scoped worlds."""
    thanh_hoa = f.province()
    quan_son = f.commune("15016", "Xã Quan Sơn")
    ngoc_lac = f.commune("15061", "Xã Ngọc Lặc")
    other_province = f.province("40", "Nghệ An")
    return SimpleNamespace(
        province=thanh_hoa,
        commune_a=quan_son,
        commune_b=ngoc_lac,
        hamlet_a=f.hamlet(quan_son, "Khu phố Sỏi", kind="khu_pho"),
        hamlet_a2=f.hamlet(quan_son, "Bản Na Nghịu", kind="ban"),
        hamlet_b=f.hamlet(ngoc_lac, "Thôn Quang Thắng"),
        other_province=other_province,
        commune_c=f.commune("16000", "Xã Nghệ Thử", prov=other_province),
    )


def build_personas(places) -> SimpleNamespace:
    # Officers and administrators use the admin (is_staff); viewers and reviewers read in the application's pages only.
    return SimpleNamespace(
        officer_a=f.user(
            "cand_quanson", Role.COMMUNE_OFFICER, commune=places.commune_a, full_name="Hà Văn Dũng", is_staff=True
        ),
        viewer_a=f.user("xem_quanson", Role.COMMUNE_VIEWER, commune=places.commune_a),
        officer_b=f.user("cand_ngoclac", Role.COMMUNE_OFFICER, commune=places.commune_b, is_staff=True),
        reviewer=f.user("pc04_thanhhoa", Role.REVIEWER, province=places.province),
        reviewer_personal=f.user("pc04_hoso", Role.REVIEWER, province=places.province, may_view_personal_data=True),
        admin=f.user("quantri", Role.ADMINISTRATOR, is_staff=True),
    )


class SecondFactorClient(Client):
    """force_login also passes the second factor for users who need it (administrators): tests of other pages get
    the session a real administrator has after entering the code. The second factor itself is tested through the
    real login form in tests/accounts/test_second_factor.py."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)


@pytest.fixture
def client():
    return SecondFactorClient()


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona: client_for(personas.officer_a)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def at_instant(request):
    """Pin the clock at an instant for the rest of the test: at_instant(datetime(…, tzinfo=UTC))."""

    def travel(instant):
        traveller = time_machine.travel(instant, tick=False)
        traveller.start()
        request.addfinalizer(traveller.stop)

    return travel
