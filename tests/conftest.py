"""Personas built once per test: officers of two communes, a viewer, reviewers and an administrator."""

from types import SimpleNamespace

import pytest

from accounts.db import access_log_maintenance
from accounts.models import Role
from tests import factories as f


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
def places(db):
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


@pytest.fixture
def personas(places):
    # Every role may open the admin (is_staff); what each sees there is decided by role and scope.
    return SimpleNamespace(
        officer_a=f.user(
            "cand_quanson", Role.COMMUNE_OFFICER, commune=places.commune_a, full_name="Hà Văn Dũng", is_staff=True
        ),
        viewer_a=f.user("xem_quanson", Role.COMMUNE_VIEWER, commune=places.commune_a, is_staff=True),
        officer_b=f.user("cand_ngoclac", Role.COMMUNE_OFFICER, commune=places.commune_b, is_staff=True),
        reviewer=f.user("pc04_thanhhoa", Role.REVIEWER, province=places.province, is_staff=True),
        reviewer_personal=f.user("pc04_hoso", Role.REVIEWER, province=places.province, may_view_personal_data=True),
        admin=f.user("quantri", Role.ADMINISTRATOR, is_staff=True),
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona: client_for(personas.officer_a)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
