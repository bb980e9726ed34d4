from playwright.sync_api import expect


def test_officer_signs_in_through_the_login_form_and_reaches_home(personas, log_in, live_server):
    page = log_in(personas.officer_a)
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("text=Đăng xuất").count() or page.locator("form[action$='/accounts/logout/']").count()


def test_wrong_password_keeps_the_user_on_the_login_page(page, live_server, personas):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.officer_a.username)
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "/accounts/login/" in page.url


def test_administrator_signs_in_through_the_password_and_the_code(personas, log_in, live_server):
    page = log_in(personas.admin)
    assert page.url.rstrip("/") == live_server.url
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/" in page.url and "second-factor" not in page.url


def test_locked_out_login_shows_the_vietnamese_page(page, live_server, personas):
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", personas.officer_a.username)
        page.fill("input[name=password]", "sai-mat-khau")
        page.click("button[type=submit]")
    expect(page.locator("h1", has_text="Tạm khóa đăng nhập")).to_be_visible()
