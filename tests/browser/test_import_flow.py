"""A commune officer imports the Khu phố Sỏi list in a real browser: upload → preview → confirm → progress → done."""

import re
from pathlib import Path
from types import SimpleNamespace

from playwright.sync_api import expect

from imports.models import ImportRun
from imports.tasks import import_households
from residents.models import Household

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "samples" / "ho_gia_dinh_khu_pho_soi.xlsx"


def test_officer_uploads_previews_confirms_and_follows_the_progress(personas, places, log_in, live_server, settings,
                                                                    monkeypatch):  # fmt: skip
    settings.HOUSEHOLD_IMPORT_BACKGROUND_ROWS = 10
    # A worker that picks the job up when the test says so, to watch the progress bar in between.
    queued = []
    monkeypatch.setattr(
        "imports.views.import_households",
        SimpleNamespace(delay=lambda *args: queued.append(args) or SimpleNamespace(id="job-1")),
    )
    page = log_in(personas.officer_a)

    page.click("text=Nhập danh sách hộ")
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.click("text=Tải lên và xem trước")

    expect(page.locator('[data-count="new"]')).to_have_text("89")
    expect(page.locator("text=SOI-001").first).to_be_visible()
    assert Household.objects.count() == 0

    page.click("button:has-text('Nhập tất cả')")

    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("text=Đang nhập trong nền")).to_be_visible()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED
    import_households.run(*queued[0])  # the worker runs the job

    expect(page.locator("#run-status")).to_have_text("Đã nhập xong", timeout=15_000)
    expect(page.locator('[data-count="created"]')).to_have_text("89")
    assert Household.objects.filter(commune=places.commune_a).count() == 89

    page.click("text=Nhập danh sách hộ")
    expect(page.locator("table").first).to_contain_text("ho_gia_dinh_khu_pho_soi.xlsx")
    expect(page.locator("table").first).to_contain_text(re.compile("Đã nhập xong"))
