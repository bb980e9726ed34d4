"""The province level, hand-counted: the seeded QĐ 28/2025 province set evaluated over Thanh Hóa's communes on the
roadmap, the national goal from RECOGNITION_TARGET_PERCENT / RECOGNITION_TARGET_YEAR on the roadmap and on the
province dashboard (progress.extensions)."""

import pytest
from django.urls import reverse

from communes.models import Hotspot
from progress.models import Level, Programme
from tests import factories as f

from .conftest import TODAY, recognised, revoked

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_set(rw):
    """The seeded province set, and QĐ 28's commune set for the communes' classes; the conftest set stays the
    province's commune set (its own comes first)."""
    qd28 = Programme.objects.filter(legal_document__contains="Quyết định 28/2025")
    qd28.update(is_active=True)
    return qd28.get(level=Level.PROVINCE)


def build(rw):
    """Thanh Hóa: communes A and B (Nghệ An's C is elsewhere). Residents: A's two households of 4, B's one: 12.
    A is recognised, then has one drug user on file and two places organising use."""
    f.household(rw.places.hamlet_b, code="B1")
    recognition = recognised(rw)
    f.person(rw.places.hamlet_a, full_name="Lò Văn Dùng", status="user")
    for place in ("Lán rẫy", "Nhà hoang"):
        Hotspot.objects.create(
            commune=rw.places.commune_a, kind=Hotspot.Kind.USE_ORGANISED, location=place, detected_on=TODAY
        )
    return recognition


def row(body, metric):
    return body[body.index(f'data-metric="{metric}"') :].split("</tr>")[0]


def test_the_province_set_is_evaluated_over_the_provinces_communes(rw, province_set, client):
    recognition = build(rw)
    client.force_login(rw.personas.reviewer)
    body = client.get(reverse("recognition:roadmap")).content.decode()
    # Drug-free goal: 1 of 2 communes recognised = 50 % ≥ 50 %: met.
    assert ">50 %<" in row(body, "recognised_communes_share") and "Đạt" in row(body, "recognised_communes_share")
    assert 'id="province-level" data-met="1"' in body
    # The hotspot province, at least 2 of 4: (a) 1 user of 12 residents = 8,333 % ≥ 0,2 %: yes; (b) 2 places < 5:
    # no; (c) no arrest: no; (d) A is a class III commune (a place organising use), B none: 1 of 2 = 50 % ≥ 20 %.
    assert ">8,333 %<" in row(body, "qd28_users_addicts_share")
    assert ">2<" in row(body, "qd28_use_places")
    assert ">50 %<" in row(body, "qd28_hotspot_communes_share")
    assert "đạt 2/4 điểm (cần ít nhất 2) — thuộc diện" in body
    # Revoked: no commune holds a recognition, the goal is no longer met.
    revoked(rw, recognition)
    body = client.get(reverse("recognition:roadmap")).content.decode()
    assert 'id="province-level" data-met="0"' in body and ">0 %<" in row(body, "recognised_communes_share")


def test_the_goal_follows_the_settings_on_the_roadmap_and_the_province_dashboard(rw, client, settings):
    recognised(rw)
    client.force_login(rw.personas.reviewer)
    dashboard = client.get(reverse("progress:area_dashboard")).content.decode()
    # 2 communes in Thanh Hóa, 50 % of them: 1; A holds its recognition.
    assert "Xã không ma túy: 1/2 xã được công nhận còn hiệu lực (50 %)" in dashboard
    assert "mục tiêu ít nhất 50 % số xã (1 xã) đến hết năm 2030. Đã đạt mục tiêu." in dashboard
    assert "Lộ trình công nhận đến 2030" in dashboard

    settings.RECOGNITION_TARGET_PERCENT, settings.RECOGNITION_TARGET_YEAR = 100, 2028
    dashboard = client.get(reverse("progress:area_dashboard")).content.decode()
    assert "mục tiêu ít nhất 100 % số xã (2 xã) đến hết năm 2028. Còn 1 xã." in dashboard
    assert "Lộ trình công nhận đến 2028" in dashboard
    roadmap = client.get(reverse("recognition:roadmap")).content.decode()
    assert "Lộ trình xã không ma túy đến 2028" in roadmap
    assert '<tr data-year="2028"' in roadmap and '<tr data-year="2029"' not in roadmap
    assert 'data-goal="2" data-held="1"' in roadmap and 'stroke-dasharray="6 4" data-goal="2"' in roadmap
