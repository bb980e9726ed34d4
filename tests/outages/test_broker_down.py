"""Redis down: a job that cannot be queued is refused at once in Vietnamese, and no run is left waiting for it."""

from django.urls import reverse

from imports.models import ImportRun
from residents.models import Household
from tests.imports.helpers import household_row, write_xlsx
from tests.imports.test_web_flow import upload, uploaded_run

UNAVAILABLE = "Hệ thống xử lý nền hiện không hoạt động"


def test_a_confirmed_long_import_fails_with_a_vietnamese_reason_when_the_broker_is_down(
    client_for, personas, settings, tmp_path, broker_down
):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_ROWS = 3
    client = client_for(personas.officer_a)
    run = uploaded_run(client, write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 11)]))

    response = client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert UNAVAILABLE in page and "Đang nhập trong nền" not in page
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and UNAVAILABLE in run.message
    assert not run.task_id and not Household.objects.exists()
    # The failed run can be confirmed again once the broker is back (here: jobs in-process again).
    broker_down.conf.task_always_eager = True
    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created_count == 10


def test_a_large_upload_fails_with_a_vietnamese_reason_when_the_broker_is_down(
    client_for, personas, settings, tmp_path, broker_down
):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_BYTES = 1
    client = client_for(personas.officer_a)

    response = upload(client, write_xlsx(tmp_path / "lon.xlsx", [household_row(n) for n in range(1, 6)]))

    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and UNAVAILABLE in run.message
    page = client.get(response["Location"]).content.decode()
    assert UNAVAILABLE in page
    assert 'hx-trigger="every 1s"' not in page  # no progress bar waiting for a job that was never queued
