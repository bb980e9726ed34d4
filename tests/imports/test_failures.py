"""A confirmed import that fails records why (in Vietnamese, with the row and column when known), logs the
traceback, and leaves the database as it was."""

import io
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportRun
from pledges.models import HouseholdPledge
from residents.models import Household, Person
from tests import factories as f

from .helpers import HEADER, household_row, write_xlsx
from .test_web_flow import uploaded_run

PLEDGE_HEADER = [*HEADER, "Ngày ký cam kết"]


def database_state():
    """Every table an import writes, with its history."""
    return [
        model.objects.count()
        for model in (Household, Household.history.model, Person, Person.history.model, HouseholdPledge)
    ] + [HouseholdPledge.history.model.objects.count()]


def list_with_a_pledge_signed(tmp_path, signed_on):
    """Three households; the one on spreadsheet row 3 signed its pledge on `signed_on`, the others long ago."""
    long_ago = (timezone.localdate() - timedelta(days=30)).strftime("%d/%m/%Y")
    rows = [household_row(n) + [signed_on if n == 2 else long_ago] for n in range(1, 4)]
    return write_xlsx(tmp_path / "cam_ket.xlsx", rows, header=PLEDGE_HEADER)


@pytest.fixture
def tomorrow_in_python_only():
    """Python's clock a day ahead of the database's: the planner accepts "today" that the database's own check
    (Vietnam's date computed by the database) refuses, as when the two disagreed at night."""
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        yield timezone.localdate()


def test_a_row_the_database_refuses_fails_the_import_with_its_row_column_and_reason(
    client_for, personas, places, tmp_path, tomorrow_in_python_only, caplog
):
    f.household(places.hamlet_a, code="SOI-001", head_name="Lò Văn Cường")
    before = database_state()
    client = client_for(personas.officer_a)
    path = list_with_a_pledge_signed(tmp_path, tomorrow_in_python_only.strftime("%d/%m/%Y"))
    run = uploaded_run(client, path)
    assert (run.new_rows, run.invalid_rows) == (3, 0)  # the preview saw nothing wrong

    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"}, follow=True)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert (run.failure_row, run.failure_column) == (3, "Ngày ký cam kết")
    assert run.failure_reason == "Ngày này chưa tới: không được ghi một ngày sau hôm nay."
    page = response.content.decode()
    assert "dòng 3, cột “Ngày ký cam kết”: Ngày này chưa tới" in page
    assert "pledges_signed_not_future" not in page and "CHECK" not in page
    assert database_state() == before
    failure = [r for r in caplog.records if r.levelno == logging.ERROR and f"import #{run.pk}" in r.getMessage()]
    assert failure and failure[0].exc_info is not None  # the traceback goes to the log


def test_an_unexpected_error_fails_the_import_with_a_generic_reason_and_its_traceback_in_the_log(
    client_for, personas, places, tmp_path, monkeypatch, caplog
):
    before = database_state()
    client = client_for(personas.officer_a)
    run = uploaded_run(client, write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 4)]))

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    # After the households and heads are written, before the transaction commits.
    monkeypatch.setattr("imports.writing.bulk.history", disk_full)
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"}, follow=True)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.failure_reason.startswith("Lỗi hệ thống, không do dữ liệu trong tệp")
    assert run.failure_row is None
    assert run.failure_reason in response.content.decode()
    assert database_state() == before
    [record] = [r for r in caplog.records if f"import #{run.pk}" in r.getMessage()]
    assert "No space left on device" in str(record.exc_info[1])


def test_the_command_prints_the_reason_and_exits_non_zero(places, tmp_path, tomorrow_in_python_only):
    path = list_with_a_pledge_signed(tmp_path, tomorrow_in_python_only.strftime("%d/%m/%Y"))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_households", str(path), "--commune", "15016", stdout=out, stderr=err)

    assert exit_.value.code == 1
    assert "dòng 3, cột “Ngày ký cam kết”: Ngày này chưa tới" in err.getvalue()
    assert out.getvalue().strip().splitlines()[-1] == "created=0 updated=0 unchanged=0 invalid=0"
    assert not Household.objects.exists() and not HouseholdPledge.objects.exists()
    run = ImportRun.objects.get()
    assert (run.status, run.failure_row) == (ImportRun.Status.FAILED, 3)


def test_a_background_preview_that_fails_unexpectedly_records_a_reason_and_logs_the_traceback(
    client_for, personas, places, tmp_path, settings, monkeypatch, caplog
):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_BYTES = 1  # no broker: the preview job runs in-process at once

    def database_gone(*args, **kwargs):
        raise ConnectionError("server closed the connection unexpectedly")

    monkeypatch.setattr("imports.previews.plan_import", database_gone)
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 4)])

    with caplog.at_level(logging.ERROR), pytest.raises(ConnectionError):
        uploaded_run(client, path)

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.failure_reason.startswith("Lỗi hệ thống, không do dữ liệu trong tệp")
    [record] = [r for r in caplog.records if f"import #{run.pk}" in r.getMessage()]
    assert "server closed the connection" in str(record.exc_info[1])
