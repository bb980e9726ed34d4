"""The recognition status wherever a commune is named: progress's province dashboard (rows, A4 print, Excel/CSV),
the commune dashboard's header, the communes list and workspace's hamlets list. Progress and communes do not import
recognition: the status comes through the marks recognition registers (communes/marks.py), in one query for any
number of communes."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from communes import marks
from recognition.models import Recognition
from tests import factories as f

from .conftest import TODAY, open_alert, recognised, registered

pytestmark = pytest.mark.django_db


def _communes(rw, start, stop):
    """More communes of the province, every one registered, every third recognised with an open alert."""
    for i in range(start, stop):
        commune = f.commune(f"18{i:03d}", f"Xã Nhiều {i}")
        status = Recognition.Status.RECOGNISED if i % 3 == 0 else Recognition.Status.REGISTERED
        cycle = Recognition.objects.create(
            commune=commune, target_year=TODAY.year, status=status, registered_on=TODAY, registered_by=rw.personas.admin
        )
        if status == Recognition.Status.RECOGNISED:
            open_alert(cycle, i)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_recognition_registers_its_status_as_a_mark():
    [mark] = [m for m in marks.registered() if m.key == "recognition"]
    assert str(mark.label) == "Công nhận"
    assert marks.marks_for([]).of(1) == [(mark, None)]  # no commune listed: no query, nothing to show


def test_the_province_dashboard_shows_each_communes_status_at_a_constant_cost(rw, client):
    client.force_login(rw.personas.reviewer)
    _communes(rw, 0, 3)
    small_body, small = _queries(client, "/progress/")
    _communes(rw, 3, 40)
    body, large = _queries(client, "/progress/")

    assert large == small  # one query for the statuses, whatever the number of communes
    assert body.count('data-mark="recognition"') == 42  # A, B and the 40 others
    assert body.count('data-status="recognised"') == 14 and body.count('data-status="registered"') == 26
    assert small_body.count("data-at-risk") == 1 and body.count("data-at-risk") == 14  # each with its open alert
    assert body.count('data-status="building"') == 2  # A and B never registered
    assert '<th class="text-center small">Công nhận</th>' in body


def test_the_commune_dashboard_header_and_the_print_and_exports_show_the_status(rw, client):
    recognition = recognised(rw)
    open_alert(recognition, 1)
    client.force_login(rw.personas.reviewer)
    dashboard = client.get(f"/progress/communes/{rw.places.commune_a.code}/").content.decode()
    header = dashboard[dashboard.index("<h1") : dashboard.index("</h1>")]
    assert 'data-status="recognised"' in header and "Nguy cơ không giữ vững" in header

    printed = client.get("/progress/print/").content.decode()
    row = printed[printed.index(rw.places.commune_a.name) :].split("</tr>")[0]
    assert 'data-status="recognised"' in row and "data-at-risk" in row

    sheet = load_workbook(io.BytesIO(client.get("/progress/export/").content)).active
    header_row = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Mã xã")
    column = header_row.index("Công nhận")
    row_a = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == rw.places.commune_a.code)
    assert row_a[column] == "Đã công nhận – Nguy cơ không giữ vững"
    response = client.get("/progress/export/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row_b = next(row for row in rows if row and row[0] == rw.places.commune_b.code)
    assert row_b[column] == "Đang xây dựng"


def test_the_communes_list_shows_each_communes_status(rw, client):
    registered(rw)
    client.force_login(rw.personas.reviewer)
    body = client.get("/communes/").content.decode()
    item_a = body[body.index(rw.places.commune_a.name) :].split("</li>")[0]
    item_b = body[body.index(rw.places.commune_b.name) :].split("</li>")[0]
    assert 'data-status="registered"' in item_a and 'data-status="building"' in item_b


def test_the_hamlets_list_shows_each_hamlets_status(rw, client):
    registered(rw, hamlet=rw.places.hamlet_a)
    client.force_login(rw.personas.officer_a)
    body = client.get(f"/workspace/{rw.places.commune_a.code}/hamlets/").content.decode()
    soi = body[body.index(f'data-hamlet-status="{rw.places.hamlet_a.pk}"') :].split("</span></span>")[0]
    na = body[body.index(f'data-hamlet-status="{rw.places.hamlet_a2.pk}"') :].split("</span></span>")[0]
    assert 'data-status="registered"' in soi and 'data-status="building"' in na
