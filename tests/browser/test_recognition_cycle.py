"""The whole recognition cycle in Chromium, each step by the account whose job it is: the officer freezes a dossier,
submission is blocked by a gap, the gap is fixed and the dossier submitted after the leader's approval; the council
returns it for a supplement, the commune supplements, the council approves and records the decision; a new hotspot
raises the alert, and the revocation ends it. The roadmap's chart follows each step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communes.models import Hotspot
from tests.recognition.conftest import pledge_now, programme, rw  # noqa: F401  (the recognition world's fixtures)

TODAY = timezone.localdate()


@pytest.fixture
def cycle_world(request, page, live_server, log_in):
    world = request.getfixturevalue("rw")

    def as_user(user):
        page.context.clear_cookies()
        return log_in(user)

    return world, page, live_server.url, as_user


def _post(page, action_suffix: str, button: str | None = None):
    form = page.locator(f"form[action$='{action_suffix}']").first
    (form.locator(f"button[name={button}]") if button else form.locator("button")).first.click()
    page.wait_for_load_state()


def _roadmap_bar(page, base, series):
    page.goto(f"{base}/recognition/roadmap/")
    return page.locator(f"rect[data-series={series}][data-year='{TODAY.year}']").get_attribute("data-value")


def test_the_whole_cycle(cycle_world, tmp_path):
    world, page, base, as_user = cycle_world
    commune = world.places.commune_a

    # The officer registers the commune for this year and freezes its criteria: one household has not pledged.
    as_user(world.personas.officer_a)
    page.goto(f"{base}/recognition/communes/{commune.code}/")
    page.fill("#id_target_year", str(TODAY.year))
    _post(page, "/register/")
    page.locator("a[href^='/recognition/cycles/']").first.click()
    cycle_url = page.url
    page.fill("#id_as_of", TODAY.strftime("%d/%m/%Y"))
    _post(page, "/freeze/")
    page.locator("a[data-dossier='1']").click()
    expect(page.locator("#gaps")).to_contain_text("còn thiếu 1")
    _post(page, "/submit/")
    expect(page.locator(".alert-danger, .alert-error").first).to_contain_text("Chưa đạt")

    # The gap is fixed (the household signs), the figures frozen again, a plan attached.
    pledge_now(world.unpledged)
    page.goto(cycle_url)
    page.fill("#id_as_of", TODAY.strftime("%d/%m/%Y"))
    _post(page, "/freeze/")
    page.locator("a[data-dossier='1']").click()
    dossier_url = page.url
    expect(page.locator("#gaps")).to_have_count(0)
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_file", str(plan))
    page.fill("#id_title", "Kế hoạch 70/KH-BCĐ")
    _post(page, "/evidence/")
    expect(page.get_by_role("link", name="Kế hoạch 70/KH-BCĐ")).to_be_visible()

    # The leader approves; the officer submits.
    as_user(world.leader)
    page.goto(dossier_url)
    _post(page, "/approve/")
    as_user(world.personas.officer_a)
    page.goto(dossier_url)
    _post(page, "/submit/")
    expect(page.locator("[data-dossier-state]")).to_have_attribute("data-dossier-state", "submitted")
    assert _roadmap_bar(page, base, "registered") == "1"

    # The council asks for a supplement on the pledges and returns the dossier.
    as_user(world.council)
    page.goto(dossier_url)
    form = page.locator("form[data-verdict-form='households_pledged']")
    form.locator("select[name=result]").select_option("supplement")
    form.locator("textarea[name=comment]").fill("Thiếu bản quét cam kết của hộ Lò Thị Hoa")
    form.locator("button").click()
    page.wait_for_load_state()
    page.locator("#return summary").click()
    page.fill("#id_reasons", "Bổ sung bản quét cam kết")
    _post(page, "/return/")
    expect(page.locator("#return-reasons")).to_contain_text("Thiếu bản quét cam kết")

    # The commune supplements: a second version, its differences shown, approved and submitted.
    as_user(world.personas.officer_a)
    page.goto(cycle_url)
    page.fill("#id_as_of", TODAY.strftime("%d/%m/%Y"))
    _post(page, "/freeze/")
    page.locator("a[data-dossier='2']").click()
    second_url = page.url
    page.fill("#id_self_assessment", "Biên bản tự đánh giá bổ sung, kèm bản quét cam kết")
    page.fill("#id_proposal", "Tờ trình đề nghị công nhận")
    _post(page, "/texts/")
    expect(page.locator("#changes")).to_contain_text("biên bản tự đánh giá")
    as_user(world.leader)
    page.goto(second_url)
    _post(page, "/approve/")
    as_user(world.personas.officer_a)
    page.goto(second_url)
    _post(page, "/submit/")

    # The council passes every criterion; the province records the decision.
    as_user(world.council)
    page.goto(second_url)
    for key in ("households_pledged", "active_hotspots", "psychosis_serious_incidents"):
        page.locator(f"form[data-verdict-form='{key}'] button").click()
        page.wait_for_load_state()
    as_user(world.personas.reviewer)
    page.goto(cycle_url)
    page.fill("#id_number", "15/QĐ-UBND")
    page.fill("#id_signed_on", TODAY.strftime("%d/%m/%Y"))
    page.fill("#id_signer", "Chủ tịch UBND tỉnh")
    _post(page, "/decision/")
    expect(page.locator("[data-decision-number]")).to_have_text("15/QĐ-UBND")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "recognised")
    # The province dashboard links to the roadmap, whose chart counts the recognition.
    page.goto(f"{base}/progress/")
    page.click("[data-roadmap-link]")
    expect(page.locator(f"rect[data-series=recognised][data-year='{TODAY.year}']")).to_have_attribute("data-value", "1")

    # A hotspot is found in the recognised commune: the province is alerted, the commune is at risk.
    Hotspot.objects.create(
        commune=commune, kind=Hotspot.Kind.SELLING, location="Lán trại bỏ hoang", detected_on=TODAY - timedelta(days=1)
    )
    page.goto(f"{base}/recognition/alerts/")
    expect(page.locator("[data-alert-count]")).to_have_text("1")
    expect(page.locator("tr[data-alert]")).to_contain_text("Lán trại bỏ hoang")
    page.goto(f"{base}/recognition/communes/{commune.code}/")
    expect(page.locator("[data-at-risk]").first).to_be_visible()

    # Revocation ends it.
    page.goto(cycle_url)
    page.locator("#revoke summary").click()
    page.fill("#id_number", "30/QĐ-UBND")
    page.fill("#id_signed_on", TODAY.strftime("%d/%m/%Y"))
    page.fill("#id_signer", "Chủ tịch UBND tỉnh")
    page.fill("#id_reasons", "Phát sinh điểm bán lẻ ma túy")
    _post(page, "/revoke/")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "revoked")
    assert _roadmap_bar(page, base, "revoked") == "1"
    page.goto(f"{base}/recognition/alerts/")
    expect(page.locator("[data-alert-count]")).to_have_count(0)
