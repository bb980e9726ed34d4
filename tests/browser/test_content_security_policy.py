"""Under the Content-Security-Policy (no inline script, no on* handler) the pages' own scripts still work."""

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f


def test_buttons_that_used_inline_handlers_work_under_the_policy_without_violations(
    places, personas, log_in, live_server
):
    year = timezone.localdate().year
    households = [f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Lò Văn {n}") for n in range(1, 5)]
    page = log_in(personas.officer_a)
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.on("pageerror", lambda error: violations.append(str(error)))
    # Printing is the browser's own dialog: note the call instead (an init script, which the policy does not govern).
    page.add_init_script("window.print = () => document.documentElement.setAttribute('data-printed', 'yes');")

    # The checklist's counter and "tick all" come from static/pledges/checklist.js (an inline script before).
    response = page.goto(live_server.url + reverse("pledges:checklist", args=[places.hamlet_a.pk, year]))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    expect(page.locator("#pledge-ticked")).to_have_text("0")
    page.click("#pledge-tick-all")
    expect(page.locator("#pledge-ticked")).to_have_text("4")

    # The print button of the pledge form (onclick="window.print()" before) is bound by static/js/app.js.
    page.goto(live_server.url + reverse("pledges:print_form", args=[households[0].pk, year]))
    page.click("button:has-text('In (A4)')")
    expect(page.locator("html")).to_have_attribute("data-printed", "yes")

    # The error page's "back" button (no inline handler either) returns to the form.
    page.goto(live_server.url + "/khong-co-trang-nay/")
    page.click("button:has-text('Quay lại trang trước')")
    expect(page).to_have_url(live_server.url + reverse("pledges:print_form", args=[households[0].pk, year]))

    assert violations == []
