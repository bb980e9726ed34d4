"""The officer's day, end to end in Chromium: find a person, record a positive test, issue the decision, pledges."""

from django.urls import reverse
from django.utils import timezone

from residents.models import Person, UserManagement
from tests import factories as f


def _task_subjects(page, section: str) -> list[str]:
    return page.locator(f"#queue-{section} li a").all_inner_texts()


def test_officer_finds_a_person_records_a_positive_test_and_issues_the_decision(places, personas, log_in, live_server):
    year = timezone.localdate().year
    households = [f.household(places.hamlet_a, code=f"SOI-{n:03d}", head_name=f"Hà Văn {n}") for n in range(1, 7)]
    f.pledge(households[0], year=year, signed_on=timezone.localdate())
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990, household_=households[1])

    page = log_in(personas.officer_a)
    assert _task_subjects(page, "decision") == []

    # Search without diacritics: results arrive as the officer types (htmx), the URL keeps the query.
    page.click("nav >> text=Tìm người, hộ")
    page.fill("input[name=q]", "lo van tam")
    page.wait_for_selector("#search-results a:has-text('Lò Văn Tám')")
    assert "q=lo%20van%20tam" in page.url
    page.click("#search-results a:has-text('Lò Văn Tám')")

    # Only the transitions allowed from "not under management" are offered, in a menu since none is due yet.
    assert page.locator("a:has-text('Kết thúc quản lý sau cai nghiện')").count() == 0
    assert page.locator("#next-step").count() == 0
    page.click("button:has-text('Chọn thao tác')")
    page.click(".dropdown-menu a:has-text('Ghi kết quả xét nghiệm')")
    page.check("input[name=result][value=positive]")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector(".alert-success")
    assert "Dương tính, chờ quyết định quản lý" in page.locator("main").inner_text()
    # Back on the file, the decision the law now asks for is the one primary button, with its deadline.
    assert page.locator("#next-step").inner_text() == "Ra quyết định quản lý người sử dụng"
    assert page.locator("#next-step-due").inner_text().startswith("Hạn ")

    # The work queue now asks for the management decision; its link opens the decision form.
    page.click("nav >> text=Trang chủ")
    assert _task_subjects(page, "decision") == ["Lò Văn Tám"]
    page.click("#queue-decision a:has-text('Lò Văn Tám')")
    page.fill("input[name=number]", "15/QĐ-UBND")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector(".alert-success")
    assert "15/QĐ-UBND" in page.locator("main").inner_text()

    page.click("nav >> text=Trang chủ")
    assert _task_subjects(page, "decision") == []
    assert Person.objects.get(pk=person.pk).status == Person.Status.USER
    assert UserManagement.objects.get(person=person).created_by == personas.officer_a

    # Households without a pledge: the queue links to the hamlet checklist; ticking three changes the counts.
    assert "5 hộ chưa ký" in page.locator("#queue-pledges").inner_text()
    page.click(f"#queue-pledges a:has-text('{places.hamlet_a.name}')")
    assert page.locator("#pledge-count").inner_text() == "1/6"
    for code in ("SOI-002", "SOI-003", "SOI-005"):
        page.locator(f"[data-household-code='{code}'] input[name$='-signed']").check()
    page.click("button:has-text('Lưu danh sách')")
    page.wait_for_selector(".alert-success")
    assert page.locator("#pledge-count").inner_text() == "4/6"
    page.click("nav >> text=Trang chủ")
    assert "2 hộ chưa ký" in page.locator("#queue-pledges").inner_text()


def test_officer_of_another_commune_gets_not_found_for_the_same_urls(places, personas, log_in, live_server):
    household = f.household(places.hamlet_a, code="SOI-001")
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám", household_=household)
    urls = [
        reverse("residents:person", args=[person.pk]),
        reverse("residents:person_action", args=[person.pk, "record_test"]),
        reverse("residents:person_edit", args=[person.pk]),
        reverse("residents:household", args=[household.pk]),
        reverse("residents:member_create", args=[household.pk]),
        reverse("workspace:households", args=[places.commune_a.code]),
    ]
    page = log_in(personas.officer_b)
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404, url
        assert "Lò Văn Tám" not in page.content()
    page.goto(f"{live_server.url}{reverse('residents:search')}?q=lo+van+tam")
    assert "Lò Văn Tám" not in page.locator("main").inner_text()
