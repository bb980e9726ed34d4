"""Keeping the title: a recognition past its validity stops being "đã công nhận" at midnight in Hanoi (pages and the
nightly job alike), a confirmed maintenance review renews it, and a review falling due within
RECOGNITION_REVIEW_WARNING_DAYS shows on the commune's page and in the province's lists.

The clock is pinned around midnight in Hanoi (17:00 UTC), and at 06:59:59 Hanoi time when the UTC date is still the
day before, as tests/test_midnight_in_hanoi.py does. The instants are a year ahead (the default validity); no row
saved after travelling carries a date the database checks against its own clock."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.test import override_settings

from recognition.models import Decision, MaintenanceReview, Recognition, Verdict
from recognition.selectors import unit_status
from recognition.services import appraisal, keeping
from recognition.tasks import expire_lapsed_recognitions

from .conftest import TODAY, hotspot, recognised, submitted

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi(day, hour=0, minute=0, second=0):
    return datetime.combine(day, time(hour, minute, second), tzinfo=HANOI)


def _statuses_shown(client, rw, recognition) -> dict[str, str]:
    """The commune's status as each page writes it: recognition's list and cycle page, progress's province and
    commune dashboards."""
    shown = {}
    for name, url in [
        ("overview", "/recognition/"),
        ("cycle", f"/recognition/cycles/{recognition.pk}/"),
        ("area", "/progress/"),
        ("dashboard", f"/progress/communes/{rw.places.commune_a.code}/"),
    ]:
        body = client.get(url).content.decode()
        if name == "overview":
            body = body[body.index(f'data-commune="{rw.places.commune_a.code}"') :]
        elif name == "area":
            body = body[body.index(f'href="/progress/communes/{rw.places.commune_a.code}/"') :].split("</tr>")[0]
        shown[name] = body.split('data-status="')[1].split('"')[0]
    return shown


@pytest.mark.parametrize(
    ("hanoi_time", "day_after", "expected"),
    [
        pytest.param((23, 59, 59), 0, "recognised", id="last-day-23:59:59-in-Hanoi"),
        pytest.param((0, 0, 0), 1, "expired", id="midnight-in-Hanoi-UTC-still-the-last-day"),
        pytest.param((6, 59, 59), 1, "expired", id="06:59:59-in-Hanoi-UTC-still-the-last-day"),
    ],
)
def test_every_page_shows_the_expiry_from_midnight_in_hanoi(rw, client, at_instant, hanoi_time, day_after, expected):
    recognition = recognised(rw)
    last_day = recognition.valid_until
    assert last_day == recognition.decision.valid_until
    instant = hanoi(last_day + timedelta(days=day_after), *hanoi_time)
    at_instant(instant)
    assert instant.astimezone(ZoneInfo("UTC")).date() == last_day  # UTC alone would still say "recognised"
    client.force_login(rw.personas.reviewer)

    shown = _statuses_shown(client, rw, recognition)

    assert shown == dict.fromkeys(shown, expected)
    cycle_page = client.get(f"/recognition/cycles/{recognition.pk}/").content.decode()
    assert ("data-expired" in cycle_page) == (expected == "expired")
    if expected == "expired":
        assert "Hết hiệu lực – cần rà soát lại" in cycle_page
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.RECOGNISED  # shown at once, stored by the nightly job


def test_the_nightly_job_stores_the_expiry_in_the_history_once(rw, at_instant):
    recognition = recognised(rw)
    last_day = recognition.valid_until
    at_instant(hanoi(last_day, 23, 59, 59))
    assert expire_lapsed_recognitions.delay().get() == 0

    at_instant(hanoi(last_day + timedelta(days=1), 0, 10))  # the beat's hour; in UTC still the last day
    assert expire_lapsed_recognitions.delay().get() == 1
    assert expire_lapsed_recognitions.delay().get() == 0  # beat restarted: nothing more

    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.EXPIRED
    latest = recognition.history.first()
    assert latest.status == Recognition.Status.EXPIRED and latest.history_user is None  # the system, not a user
    assert list(recognition.history.values_list("status", flat=True))[:2] == ["expired", "recognised"]
    assert unit_status(rw.places.commune_a).label == "Hết hiệu lực – cần rà soát lại"


def test_the_job_is_scheduled_just_after_midnight_in_vietnam():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["expire-lapsed-recognitions"]
    assert entry["task"] == expire_lapsed_recognitions.name
    assert entry["schedule"].hour == {0} and entry["schedule"].minute == {10}
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def recognised_until(rw, last_day):
    """Recognised by a decision signed 400 days ago whose validity ended on `last_day`."""
    recognition, dossier = submitted(rw)
    for criterion in dossier.criteria.all():
        appraisal.give_verdict(criterion=criterion, result=Verdict.Result.PASS, comment="", actor=rw.council)
    start = TODAY - timedelta(days=400)
    appraisal.record_decision(
        recognition=recognition,
        outcome=Decision.Outcome.RECOGNISED,
        number="15/QĐ-UBND",
        signed_on=start,
        signer="Chủ tịch UBND tỉnh",
        valid_from=start,
        valid_until=last_day,
        actor=rw.personas.reviewer,
    )
    recognition.refresh_from_db()
    return recognition


def _review(client, recognition, findings):
    return client.post(
        f"/recognition/cycles/{recognition.pk}/review/",
        {"year": TODAY.year, "reviewed_on": TODAY.strftime("%d/%m/%Y"), "findings": findings},
    )


def test_a_confirmed_review_renews_an_expired_recognition(rw, client):
    recognition = recognised_until(rw, TODAY - timedelta(days=3))
    assert [r.pk for r in keeping.expire_lapsed(today=TODAY)] == [recognition.pk]
    client.force_login(rw.personas.reviewer)
    page = client.get(f"/recognition/cycles/{recognition.pk}/").content.decode()
    assert 'name="review"' in page and 'name="revoke"' in page  # the review and the revocation stay open to it

    assert _review(client, recognition, "Giữ vững").status_code == 302

    recognition.refresh_from_db()
    assert recognition.reviews.get().outcome == MaintenanceReview.Outcome.CONFIRMED
    assert recognition.status == Recognition.Status.RECOGNISED
    assert recognition.valid_until == TODAY + relativedelta(years=1, days=-1)
    assert recognition.history.first().history_user == rw.personas.reviewer
    assert recognition.decision.valid_until == TODAY - timedelta(days=3)  # the decision itself is never rewritten
    assert unit_status(rw.places.commune_a).label == "Đã công nhận"


def test_a_review_finding_a_broken_criterion_renews_nothing(rw, client):
    recognition = recognised_until(rw, TODAY - timedelta(days=3))
    keeping.expire_lapsed(today=TODAY)
    hotspot(rw.places.commune_a)
    client.force_login(rw.personas.reviewer)

    _review(client, recognition, "Phát sinh tụ điểm")

    recognition.refresh_from_db()
    assert recognition.reviews.get().outcome == MaintenanceReview.Outcome.AT_RISK
    assert (recognition.status, recognition.valid_until) == (Recognition.Status.EXPIRED, TODAY - timedelta(days=3))


def test_an_early_review_never_shortens_the_validity(rw):
    recognition = recognised(rw)
    until, history = recognition.valid_until, recognition.history.count()
    keeping.record_review(
        recognition=recognition, year=TODAY.year, reviewed_on=TODAY - timedelta(days=30), findings="", unmet=[],
        actor=rw.personas.reviewer,
    )  # fmt: skip
    recognition.refresh_from_db()
    assert recognition.valid_until == until and recognition.history.count() == history  # nothing to record


def test_an_expired_recognition_may_be_revoked(rw):
    recognition = recognised_until(rw, TODAY - timedelta(days=1))
    keeping.expire_lapsed(today=TODAY)
    keeping.revoke(
        recognition=recognition,
        number="30/QĐ-UBND",
        signed_on=TODAY,
        signer="Chủ tịch UBND tỉnh",
        reasons="Không rà soát lại",
        actor=rw.personas.reviewer,
    )
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.REVOKED


@pytest.mark.parametrize(
    ("days_before_due", "warning_days", "shown"),
    [(31, 30, False), (30, 30, True), (1, 30, True), (45, 60, True)],
)
def test_a_review_falling_due_shows_on_the_commune_page_and_the_province_lists(
    rw, client, at_instant, days_before_due, warning_days, shown
):
    recognition = recognised(rw)
    due = recognition.decision.valid_from.replace(year=recognition.decision.valid_from.year + 1)
    at_instant(hanoi(due - timedelta(days=days_before_due), 0, 30))
    client.force_login(rw.personas.reviewer)
    with override_settings(RECOGNITION_REVIEW_WARNING_DAYS=warning_days):
        overview = client.get("/recognition/").content.decode()
        alerts = client.get("/recognition/alerts/").content.decode()
        commune = client.get(f"/recognition/communes/{rw.places.commune_a.code}/").content.decode()
        cycle = client.get(f"/recognition/cycles/{recognition.pk}/").content.decode()
        area = client.get("/progress/").content.decode()

    due_text = due.strftime("%d/%m/%Y")
    assert ("data-review-soon" in commune) == shown
    assert ("data-review-soon" in overview) == shown and ("data-reviews-due>1<" in overview) == shown
    assert (f'data-review-due="{recognition.pk}"' in alerts) == shown
    assert ("data-review-soon" in area) == shown
    assert due_text in cycle and ("text-danger fw-bold" in cycle) == shown
    if shown:
        assert f"Sắp đến hạn rà soát {due_text}" in commune


def test_the_status_shows_at_risk_where_the_commune_appears(rw, client, django_capture_on_commit_callbacks):
    recognised(rw)
    with django_capture_on_commit_callbacks(execute=True):
        hotspot(rw.places.commune_a)  # the live watch raises an alert once the write commits
    client.force_login(rw.personas.reviewer)
    for url in ["/recognition/", "/progress/", f"/progress/communes/{rw.places.commune_a.code}/", "/communes/"]:
        body = client.get(url).content.decode()
        assert "data-at-risk" in body and "Nguy cơ không giữ vững" in body, url
