"""Retention: uploaded lists deleted N days after the run ended; ended management past its period flagged."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from imports import services
from imports.models import ImportRun
from imports.pipeline import execute_run
from imports.previews import create_run
from imports.tasks import purge_import_files
from residents.models import PostRehabManagement, UserManagement
from tests import factories as f
from tests.imports.conftest import WITH_ERRORS

# --- uploaded files ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    return settings.MEDIA_ROOT


def _ended_run(places, personas, *, days_ago: int) -> ImportRun:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        run, _plan = create_run(
            actor=personas.officer_a, commune=places.commune_a, uploaded=WITH_ERRORS.read_bytes(),
            file_name=WITH_ERRORS.name,
        )  # fmt: skip
        execute_run(run, mode=ImportRun.Mode.VALID_ONLY, actor=personas.officer_a)  # done; the file is kept
    return ImportRun.objects.get(pk=run.pk)


def test_the_file_of_a_run_ended_longer_ago_than_the_setting_is_deleted_and_logged(places, personas, caplog):
    old = _ended_run(places, personas, days_ago=31)
    recent = _ended_run(places, personas, days_ago=29)
    old_path = old.file.path
    assert old.summary["first"]

    out = StringIO()
    call_command("purge_import_files", stdout=out)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and old.file_purged_at is not None and old.summary["first"] == {}
    assert not (old.file.storage.exists(old_path))
    assert recent.file and recent.file_purged_at is None
    assert "đã xóa tệp của 1 lần nhập" in out.getvalue()
    assert f"import run #{old.pk}" in caplog.text
    assert old.invalid_rows and old.errors  # the run's record stays


def test_the_run_page_says_the_file_was_deleted_and_the_annotated_workbook_is_gone(places, personas, client_for):
    run = _ended_run(places, personas, days_ago=40)
    purge_import_files.delay()
    client = client_for(personas.officer_a)
    assert "theo quy định lưu giữ" in client.get(reverse("imports:run", args=[run.pk])).text
    assert client.get(reverse("imports:annotated", args=[run.pk])).status_code == 404


def test_a_run_cancelled_long_ago_loses_its_preview_rows_too(places, personas):
    run, _plan = create_run(
        actor=personas.officer_a, commune=places.commune_a, uploaded=WITH_ERRORS.read_bytes(),
        file_name=WITH_ERRORS.name,
    )  # fmt: skip
    assert services.cancel(run)  # the file goes at once; the rows copied from it stayed
    run.refresh_from_db()
    assert run.summary["first"] and not run.file
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=31))
    call_command("purge_import_files", stdout=StringIO())
    run.refresh_from_db()
    assert run.summary["first"] == {} and run.file_purged_at is not None


def test_a_dry_run_deletes_nothing(places, personas):
    run = _ended_run(places, personas, days_ago=31)
    call_command("purge_import_files", "--dry-run", stdout=StringIO())
    run.refresh_from_db()
    assert run.file and run.file_purged_at is None


def test_a_running_import_is_never_touched(places, personas):
    run = _ended_run(places, personas, days_ago=90)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, finished_at=None)
    call_command("purge_import_files", stdout=StringIO())
    run.refresh_from_db()
    assert run.file


def test_the_purge_runs_every_night_beside_the_other_jobs(settings):
    assert "monthly-snapshots" in settings.CELERY_BEAT_SCHEDULE  # not replaced by this entry
    entry = settings.CELERY_BEAT_SCHEDULE["purge-import-files"]
    assert entry["task"] == "imports.tasks.purge_import_files"
    assert purge_import_files.name == entry["task"]


# --- management records -----------------------------------------------------------------------------------------


def _ended_management(hamlet, *, ended_on: date, name: str, post_rehab_ended_on: date | None = None):
    person = f.person(hamlet, full_name=name, status="ended")
    starts = ended_on - timedelta(days=200)
    UserManagement.objects.create(
        person=person, starts_on=starts, ends_on=starts + timedelta(days=364), ended_on=ended_on
    )
    if post_rehab_ended_on:
        PostRehabManagement.objects.create(
            person=person, starts_on=ended_on, ends_on=post_rehab_ended_on, ended_on=post_rehab_ended_on
        )
    return person


@pytest.fixture
def ended(places, settings):
    settings.MANAGEMENT_RECORD_RETENTION_YEARS = 5
    today = timezone.localdate()
    five_years_ago = today.replace(year=today.year - 5)
    return {
        "due": _ended_management(places.hamlet_a, ended_on=five_years_ago, name="Lò Văn Hết Hạn"),
        "not_yet": _ended_management(places.hamlet_a, ended_on=five_years_ago + timedelta(days=1), name="Lò Văn Chưa"),
        # The user management ended long ago, but post-rehab management ended last year: the latest end counts.
        "later_period": _ended_management(
            places.hamlet_a,
            ended_on=five_years_ago.replace(year=five_years_ago.year - 2),
            name="Lò Văn Sau Cai",
            post_rehab_ended_on=today - timedelta(days=300),
        ),  # fmt: skip
        "other_province": _ended_management(
            f.hamlet(places.commune_c, "Bản Xa"), ended_on=five_years_ago, name="Vi Văn Xa"
        ),
    }


def test_people_whose_management_ended_longer_ago_than_the_period_are_listed(ended, personas, client_for):
    response = client_for(personas.reviewer_personal).get(reverse("residents:past_retention"))
    assert [person.pk for person in response.context["page"]] == [ended["due"].pk]
    assert AccessLog.objects.get().object_ids == [ended["due"].pk]


def test_an_administrator_sees_every_province(ended, personas, client_for):
    response = client_for(personas.admin).get(reverse("residents:past_retention"))
    assert {person.pk for person in response.context["page"]} == {ended["due"].pk, ended["other_province"].pk}


def test_the_period_is_a_setting(ended, personas, client_for, settings):
    settings.MANAGEMENT_RECORD_RETENTION_YEARS = 1
    response = client_for(personas.admin).get(reverse("residents:past_retention"))
    names = {person.full_name for person in response.context["page"]}
    assert names == {"Lò Văn Hết Hạn", "Lò Văn Chưa", "Vi Văn Xa"}


def test_officers_do_not_get_the_list(ended, personas, client_for):
    assert client_for(personas.officer_a).get(reverse("residents:past_retention")).status_code == 403


def test_the_list_costs_the_same_queries_for_many_people(places, personas, client_for, django_assert_num_queries):
    for n in range(60):
        _ended_management(places.hamlet_a, ended_on=date(2015, 1, 1 + n % 28), name=f"Người {n}")
    client = client_for(personas.reviewer_personal)
    # session, user, count, page of people with commune and hamlet (their last end dates as subqueries),
    # access log insert
    with django_assert_num_queries(5):
        response = client.get(reverse("residents:past_retention"))
    assert len(response.context["page"]) == 50
