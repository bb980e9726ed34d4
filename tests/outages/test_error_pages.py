"""Error pages: Vietnamese, in the site's layout, with a way back; a database outage is a 503, rendered without it."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

LAYOUT = 'class="navbar-brand"'
WAY_BACK = ('href="/"', "Về trang chủ", "data-history-back")


def assert_error_page(response, status, *texts):
    page = response.content.decode()
    assert response.status_code == status
    assert '<html lang="vi">' in page and LAYOUT in page
    assert f'data-status="{status}"' in page
    for text in (*WAY_BACK, *texts):
        assert text in page, text


def test_a_missing_page_is_a_vietnamese_404(client_for, personas):
    response = client_for(personas.officer_a).get("/khong-co-trang-nay/")

    assert_error_page(response, 404, "Không tìm thấy trang")
    assert str(personas.officer_a) in response.content.decode()  # the user's menu is there


def test_a_forbidden_page_is_a_vietnamese_403(client_for, personas):
    response = client_for(personas.viewer_a).get(reverse("imports:index"))

    assert_error_page(response, 403, "Không có quyền truy cập")


def test_a_bad_request_is_a_vietnamese_400(client):
    response = client.get("/", headers={"host": "ke-gia-mao.example"})

    assert_error_page(response, 400, "Yêu cầu không hợp lệ")


def test_a_form_refused_by_csrf_is_explained_in_vietnamese(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.officer_a)

    response = client.post(reverse("accounts:logout"))

    assert_error_page(response, 403, "Không gửi được biểu mẫu", "Dữ liệu chưa được lưu")
    assert "cookie" in response.content.decode()  # no CSRF cookie was sent: the page says what to check


def test_an_unexpected_error_is_a_vietnamese_500_with_the_request_id(client_for, personas, monkeypatch):
    client = client_for(personas.officer_a)
    client.raise_request_exception = False
    monkeypatch.setattr("imports.views.Paginator", lambda *a, **k: 1 / 0)

    response = client.get(reverse("imports:index"), headers={"x-request-id": "bao-loi-42"})

    assert_error_page(response, 500, "Lỗi hệ thống", "bao-loi-42")


@pytest.mark.parametrize("url", ["/", "/imports/", "/khong-co-trang-nay/"])
def test_a_database_outage_is_a_vietnamese_503_rendered_without_the_database(client_for, personas, monkeypatch, url):
    client = client_for(personas.officer_a)
    client.raise_request_exception = False
    queries = []

    def database_down(self, sql, params=None):
        queries.append(sql)
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", database_down)
        response = client.get(url)

    assert_error_page(response, 503, "Dịch vụ tạm thời không hoạt động", "cơ sở dữ liệu")
    assert response["Retry-After"] == "30"
    assert len(queries) == 1  # the session lookup that failed; the page itself asked nothing of the database
