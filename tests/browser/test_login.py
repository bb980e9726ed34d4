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
