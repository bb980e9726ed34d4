"""The recognition pages: what they show, to whom, and at what cost (query counts pinned with many rows)."""

import pytest

from accounts.models import AccessLog
from recognition.models import Recognition
from recognition.services import registration
from tests import factories as f

from .conftest import TODAY, open_alert, recognised, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(rw):
    """Twenty more communes of the province, each registered, every fifth with an open alert."""
    communes = [f.commune(f"15{n:03d}", f"Xã Thử {n}") for n in range(100, 120)]
    for n, commune in enumerate(communes):
        cycle = Recognition.objects.create(
            commune=commune, target_year=2027, registered_on=TODAY, registered_by=rw.personas.admin
        )
        if n % 5 == 0:
            open_alert(cycle, n)
    return communes


def test_overview_lists_every_commune_with_its_status(rw, many, client, django_assert_num_queries):
    recognised(rw)
    client.force_login(rw.personas.reviewer)
    # session, user; communes; cycles with their open alerts and reviews; the open alert count (the tab's and the
    # menu's) comes with the user
    with django_assert_num_queries(4):
        response = client.get("/recognition/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-status="registered"') == 20
    assert 'data-status="recognised"' in body and 'data-status="building"' in body  # A recognised, B never registered
    assert "data-alert-count>4<" in body


def test_alerts_list_pins_its_queries(rw, many, client, django_assert_num_queries):
    client.force_login(rw.council)
    # session, user (with the open count: the tab's and the menu's); count and page of alerts; the reviews falling
    # due; the user's province (menu)
    with django_assert_num_queries(5):
        response = client.get("/recognition/alerts/?show=all")
    assert response.content.decode().count("data-alert=") == 4


def test_commune_page_shows_status_cycles_and_hamlets(rw, client, django_assert_num_queries):
    registered(rw, hamlet=rw.places.hamlet_a)
    registered(rw)
    client.force_login(rw.personas.officer_a)
    # session, user, commune; cycles; status (cycles with their alerts and reviews); hamlet status (the same); hamlets;
    # the register form's hamlets; (the menu's open alerts and the user's commune come with the user)
    with django_assert_num_queries(8):
        response = client.get(f"/recognition/communes/{rw.places.commune_a.code}/")
    body = response.content.decode()
    assert body.count('data-status="registered"') == 2  # the commune and Khu phố Sỏi
    assert 'name="register"' in body


def test_dossier_page_names_people_only_to_roles_that_may_see_them_and_logs_it(rw, client):
    recognition = registered(rw)
    client.force_login(rw.personas.officer_a)
    client.post(f"/recognition/cycles/{recognition.pk}/freeze/", {"as_of": TODAY.strftime("%d/%m/%Y")})
    dossier = recognition.dossiers.get()
    body = client.get(f"/recognition/dossiers/{dossier.pk}/").content.decode()
    assert "Lò Thị Hoa" in body and 'id="gaps"' in body
    assert AccessLog.objects.filter(object_type="recognition.dossier", user=rw.personas.officer_a).count() == 1
    client.force_login(rw.personas.reviewer)
    body = client.get(f"/recognition/dossiers/{dossier.pk}/").content.decode()
    assert "Lò Thị Hoa" not in body
    assert not AccessLog.objects.filter(user=rw.personas.reviewer).exists()


def test_submitting_with_a_gap_shows_the_gap_list(rw, client):
    recognition = registered(rw)
    client.force_login(rw.personas.officer_a)
    client.post(f"/recognition/cycles/{recognition.pk}/freeze/", {"as_of": TODAY.strftime("%d/%m/%Y")})
    dossier = recognition.dossiers.get()
    response = client.post(f"/recognition/dossiers/{dossier.pk}/submit/", follow=True)
    assert "Chưa đạt “" in response.content.decode()
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.REGISTERED


def test_roadmap_counts_per_year(rw, client, django_assert_num_queries):
    province = rw.places.province
    registration.set_target(province=province, year=TODAY.year, target_communes=3, actor=rw.personas.reviewer)
    recognised(rw)
    other = f.commune("15999", "Xã Mới")
    Recognition.objects.create(commune=other, target_year=2030, registered_on=TODAY, registered_by=rw.personas.admin)
    client.force_login(rw.personas.reviewer)
    # session, user; province (user's); targets; registered; recognised; revoked; the goal
    # (communes, those recognised: one query); the province-level set (none active here)
    with django_assert_num_queries(8):
        body = client.get("/recognition/roadmap/").content.decode()
    year = f'data-year="{TODAY.year}"'
    row = body[body.index(f"<tr {year}") :].split("</tr>")[0]
    assert "data-target>3<" in row and "data-registered>1<" in row and "data-recognised>1<" in row
    assert "data-held>1<" in row
    # Thanh Hóa has 3 communes (A, B, Xã Mới): 50 % of them is 2 (rounded up); 1 is recognised.
    assert 'data-goal="2" data-held="1"' in body and "Còn 1 xã." in body
    assert 'stroke-dasharray="6 4" data-goal="2"' in body and 'data-held="1" data-year' in body
    row_2030 = body[body.index('<tr data-year="2030"') :].split("</tr>")[0]
    assert "data-registered>1<" in row_2030
    assert body.count("<rect") == 4 * (2030 - min(2025, TODAY.year) + 1)


def test_only_the_province_sets_its_roadmap(rw, client):
    client.force_login(rw.personas.reviewer)
    assert client.post("/recognition/roadmap/target/", {"year": 2028, "target_communes": 40}).status_code == 302
    assert rw.places.province.recognition_targets.get(year=2028).target_communes == 40
    client.force_login(rw.council)
    assert client.post("/recognition/roadmap/target/", {"year": 2028, "target_communes": 1}).status_code == 403
    assert rw.places.province.recognition_targets.get(year=2028).target_communes == 40
