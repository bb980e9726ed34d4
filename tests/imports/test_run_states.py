"""The states an import run may go to (services.TRANSITIONS), asked through the services the pages and jobs call."""

import pytest

from imports import services
from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.previews import create_run

from .helpers import household_row, write_xlsx

Status = ImportRun.Status


@pytest.fixture
def run_in(personas, tmp_path):
    """A previewed 3-row upload, then put in the given state (as a job or an earlier page would have left it)."""
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 4)])

    def make(status: str) -> ImportRun:
        run, _plan = create_run(actor=personas.officer_a, commune=personas.officer_a.commune,
                                uploaded=path.read_bytes(), file_name=path.name)  # fmt: skip
        mode = ImportRun.Mode.ALL if status == Status.DONE else ""
        ImportRun.objects.filter(pk=run.pk).update(status=status, mode=mode)
        run.refresh_from_db()
        return run

    return make


def test_every_state_has_its_transitions_and_the_final_ones_have_none():
    assert set(services.TRANSITIONS) == set(Status)
    assert services.TRANSITIONS[Status.DONE] == services.TRANSITIONS[Status.CANCELLED] == frozenset()


@pytest.mark.parametrize("status", [Status.READING, Status.QUEUED, Status.RUNNING, Status.DONE, Status.CANCELLED])
def test_only_a_run_waiting_for_the_user_can_be_confirmed_or_cancelled(run_in, status):
    run = run_in(status)

    with pytest.raises(services.RunNotWaiting):
        services.queue(run, mode=ImportRun.Mode.ALL)
    assert services.cancel(run) is False

    run.refresh_from_db()
    assert run.status == status and run.file


@pytest.mark.parametrize("status", [Status.PREVIEW, Status.FAILED])
def test_a_preview_or_a_failed_run_is_confirmed_once(run_in, status):
    run = run_in(status)

    assert services.queue(run, mode=ImportRun.Mode.ALL).status == Status.QUEUED
    with pytest.raises(services.RunNotWaiting):
        services.queue(run, mode=ImportRun.Mode.ALL)


@pytest.mark.parametrize("status", [Status.DONE, Status.CANCELLED])
def test_a_finished_run_is_never_started_again_nor_failed(run_in, personas, status):
    run = run_in(status)

    with pytest.raises(services.ImportSuperseded):
        execute_run(run, mode=ImportRun.Mode.ALL, actor=personas.officer_a)
    services.fail(run, "Lỗi")

    run.refresh_from_db()
    assert run.status == status and run.message == ""
