"""A worker killed mid-job: the job comes back (acks_late), writes exactly once, and the page says what is going on."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from drugfree.celery import app as celery_app
from imports import pipeline
from imports.models import ImportRun
from imports.previews import create_run
from imports.services import MAX_DELIVERIES, record_stall
from imports.tasks import import_households, preview_household_import
from residents.models import Household
from tests.imports.helpers import household_row, write_xlsx


@pytest.fixture
def queued_run(personas, tmp_path):
    """A confirmed 6-row import waiting for its background job."""
    path = write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 7)])
    run, _plan = create_run(actor=personas.officer_a, commune=personas.officer_a.commune,
                            uploaded=path.read_bytes(), file_name=path.name)  # fmt: skip
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED, mode=ImportRun.Mode.ALL)
    return run


def deliver(run, personas, job_id="job-1"):
    """The worker receives the job (again, after a worker died, with the same id)."""
    return import_households.apply(args=(run.pk, ImportRun.Mode.ALL, personas.officer_a.pk), task_id=job_id).get()


def test_workers_acknowledge_late_reject_lost_jobs_and_get_them_back_within_minutes():
    assert celery_app.conf.task_acks_late and celery_app.conf.task_reject_on_worker_lost
    assert import_households.acks_late and import_households.reject_on_worker_lost
    visibility = celery_app.conf.broker_transport_options["visibility_timeout"]
    assert visibility == settings.JOB_REDELIVERY_MINUTES * 60 <= 10 * 60  # minutes, not Redis' default hour
    assert celery_app.conf.broker_connection_timeout <= 5
    assert celery_app.conf.broker_transport_options["socket_connect_timeout"] <= 5


def test_a_job_delivered_again_after_its_worker_died_mid_write_imports_once(queued_run, personas):
    # The first delivery started, then its worker was killed: its transaction rolled back, the run says "running".
    ImportRun.objects.filter(pk=queued_run.pk).update(
        status=ImportRun.Status.RUNNING, phase="writing", started_at=timezone.now() - timedelta(minutes=6),
        summary={**queued_run.summary, "job": {"id": "job-1", "deliveries": 1}},
    )  # fmt: skip

    assert deliver(queued_run, personas) == ImportRun.Status.DONE

    queued_run.refresh_from_db()
    assert queued_run.created_count == 6 and queued_run.summary["job"] == {"id": "job-1", "deliveries": 2}
    assert Household.objects.count() == 6 and Household.history.count() == 6


def test_a_job_delivered_again_after_the_import_finished_writes_nothing(queued_run, personas):
    assert deliver(queued_run, personas) == ImportRun.Status.DONE
    history = Household.history.count()

    assert deliver(queued_run, personas) == ImportRun.Status.DONE

    assert Household.objects.count() == 6 and Household.history.count() == history


def test_a_slow_first_delivery_overtaken_by_a_second_one_writes_nothing(queued_run, personas, monkeypatch):
    # While the first delivery is still checking rows (past the visibility timeout), the job is delivered again
    # and the second delivery imports; the first then finds it is no longer the run's attempt.
    plan_import = pipeline.plan_import
    overtaken = []

    def slow_plan(*args, **kwargs):
        if not overtaken:
            overtaken.append("second delivery")
            overtaken[0] = deliver(queued_run, personas)
        return plan_import(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_import", slow_plan)

    assert deliver(queued_run, personas) == ImportRun.Status.DONE

    assert overtaken == [ImportRun.Status.DONE]
    queued_run.refresh_from_db()
    assert queued_run.status == ImportRun.Status.DONE and queued_run.created_count == 6
    assert Household.objects.count() == 6 and Household.history.count() == 6


def test_a_job_that_keeps_killing_its_worker_fails_the_run_instead_of_looping(queued_run, personas):
    ImportRun.objects.filter(pk=queued_run.pk).update(
        status=ImportRun.Status.RUNNING, summary={"job": {"id": "job-1", "deliveries": MAX_DELIVERIES}}
    )

    assert deliver(queued_run, personas) == ImportRun.Status.FAILED

    queued_run.refresh_from_db()
    assert "đã dừng đột ngột 3 lần" in queued_run.message and not Household.objects.exists()


def test_a_preview_job_for_a_run_no_longer_reading_does_nothing(queued_run):
    before = ImportRun.objects.values().get(pk=queued_run.pk)

    assert preview_household_import.apply(args=(queued_run.pk,), task_id="p-1").get() == ImportRun.Status.QUEUED

    assert ImportRun.objects.values().get(pk=queued_run.pk) == before


def test_a_silent_job_is_shown_as_such_and_a_finished_one_is_never_marked_interrupted(
    queued_run, personas, client_for, settings
):
    client = client_for(personas.officer_a)
    ImportRun.objects.filter(pk=queued_run.pk).update(
        status=ImportRun.Status.RUNNING, phase="writing", updated_at=timezone.now() - timedelta(minutes=4)
    )

    progress = client.get(reverse("imports:progress", args=[queued_run.pk])).content.decode()

    assert 'id="import-quiet"' in progress and "tiến trình có thể đã bị dừng" in progress
    assert 'hx-trigger="every 1s"' in progress  # still following it: the job may come back
    # A page loaded before the (redelivered) job finished does not overwrite its result with "interrupted".
    stale = ImportRun.objects.get(pk=queued_run.pk)
    ImportRun.objects.filter(pk=queued_run.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    stale.updated_at = timezone.now() - timedelta(hours=1)
    ImportRun.objects.filter(pk=queued_run.pk).update(status=ImportRun.Status.DONE)
    assert record_stall(stale) is False  # checked again under the row's lock
    assert ImportRun.objects.get(pk=queued_run.pk).status == ImportRun.Status.DONE


def test_a_queued_job_nobody_picked_up_says_so(queued_run, personas, client_for):
    ImportRun.objects.filter(pk=queued_run.pk).update(updated_at=timezone.now() - timedelta(minutes=5))

    page = client_for(personas.officer_a).get(reverse("imports:run", args=[queued_run.pk])).content.decode()

    assert "Chưa có tiến trình nền nào nhận việc này" in page


def test_a_job_queued_under_its_name_from_before_the_move_still_runs(queued_run, personas):
    """Jobs an existing deployment queued as residents.tasks.* before imports became an app find their worker."""
    old = celery_app.tasks["residents.tasks.import_households"]
    assert old.acks_late and old.reject_on_worker_lost

    assert old.apply(args=(queued_run.pk, ImportRun.Mode.ALL, personas.officer_a.pk)).get() == ImportRun.Status.DONE
    assert Household.objects.filter(commune=personas.officer_a.commune).count() == 6
    assert {"residents.tasks.preview_household_import", "residents.tasks.purge_import_files"} <= set(celery_app.tasks)
