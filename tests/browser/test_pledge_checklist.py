from django.utils import timezone

from pledges.models import HouseholdPledge
from tests import factories as f


def test_officer_ticks_three_households_in_a_hamlet_checklist_and_sees_the_counts_change(
    places, personas, log_in, live_server
):
    year = timezone.localdate().year
    households = [f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Lò Văn {n}") for n in range(1, 7)]
    f.pledge(households[0], year=year, signed_on=timezone.localdate())

    page = log_in(personas.officer_a)
    page.locator("nav").get_by_role("link", name="Cam kết", exact=True).click()
    page.click(f"a:has-text('{places.hamlet_a.name}')")
    assert page.locator("#pledge-count").inner_text() == "1/6"

    for code in ("SOI-002", "SOI-004", "SOI-006"):
        page.locator(f"[data-household-code='{code}'] input[name$='-signed']").check()
    page.click("button:has-text('Lưu danh sách')")

    page.wait_for_selector(".alert-success")
    assert page.locator("#pledge-count").inner_text() == "4/6"
    assert page.locator("[data-household-code='SOI-004'] input[name$='-signed']").is_checked()
    assert set(HouseholdPledge.objects.values_list("household__code", flat=True)) == {
        "SOI-001",
        "SOI-002",
        "SOI-004",
        "SOI-006",
    }
