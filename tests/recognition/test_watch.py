"""The live watch: an event that breaks a criterion of a recognised commune raises one alert for the province, the
commune shows "nguy cơ không giữ vững", and the revocation closes the alerts."""

import pytest
from dateutil.relativedelta import relativedelta

from communes.models import Hotspot
from recognition.models import Alert
from recognition.selectors import unit_status
from recognition.tasks import watch_recognised_units

from .conftest import TODAY, hotspot, recognised, registered, revoked

pytestmark = pytest.mark.django_db


def test_a_new_hotspot_in_a_recognised_commune_raises_one_alert(rw, django_capture_on_commit_callbacks):
    recognition = recognised(rw)
    assert not unit_status(rw.places.commune_a).at_risk
    with django_capture_on_commit_callbacks(execute=True):
        spot = hotspot(rw.places.commune_a)
    [alert] = Alert.objects.all()
    assert (alert.recognition, alert.metric_key, alert.object_id) == (recognition, "active_hotspots", str(spot.pk))
    assert "Bãi đất trống cuối bản" in alert.event
    assert unit_status(rw.places.commune_a).at_risk
    # Saved again (its status changes): still one alert.
    with django_capture_on_commit_callbacks(execute=True):
        spot.note = "Đang xác minh"
        spot.save()
    assert Alert.objects.count() == 1


def test_no_alert_for_a_commune_that_is_not_recognised(rw, django_capture_on_commit_callbacks):
    registered(rw)
    with django_capture_on_commit_callbacks(execute=True):
        hotspot(rw.places.commune_a)
        hotspot(rw.places.commune_b)
    assert not Alert.objects.exists()


def test_revocation_closes_the_open_alerts(rw, django_capture_on_commit_callbacks):
    recognition = recognised(rw)
    with django_capture_on_commit_callbacks(execute=True):
        hotspot(rw.places.commune_a)
    revoked(rw, recognition)
    alert = Alert.objects.get()
    assert alert.closed_at is not None and "21/QĐ-UBND" in alert.closing_note
    status = unit_status(rw.places.commune_a)
    assert (status.label, status.at_risk) == ("Bị thu hồi", False)


def test_the_yearly_review_records_what_no_longer_holds(rw, client, django_capture_on_commit_callbacks):
    recognition = recognised(rw)
    with django_capture_on_commit_callbacks(execute=True):
        hotspot(rw.places.commune_a)
    client.force_login(rw.personas.reviewer)
    data = {"year": TODAY.year, "reviewed_on": TODAY.strftime("%d/%m/%Y"), "findings": "Rà soát cuối năm"}
    assert client.post(f"/recognition/cycles/{recognition.pk}/review/", data).status_code == 302
    review = recognition.reviews.get()
    assert review.get_outcome_display() == "Nguy cơ không giữ vững"
    assert review.unmet_criteria == ["Không còn điểm, tụ điểm phức tạp về ma túy"]


def test_the_nightly_sweep_finds_what_no_signal_saw(rw):
    recognition = recognised(rw)
    # Written without a signal, as a bulk import or SQL would.
    spot = Hotspot(commune=rw.places.commune_a, kind=Hotspot.Kind.SELLING, location="Nhà hoang", detected_on=TODAY)
    Hotspot.objects.bulk_create([spot])
    assert not Alert.objects.exists()
    assert watch_recognised_units.delay().get() == 1
    assert watch_recognised_units.delay().get() == 0
    assert Alert.objects.get().recognition == recognition


def test_the_cycle_page_shows_when_the_maintenance_review_falls_due(rw, client, settings):
    settings.RECOGNITION_REVIEW_INTERVAL_MONTHS = 12
    recognition = recognised(rw)
    client.force_login(rw.personas.reviewer)
    body = client.get(f"/recognition/cycles/{recognition.pk}/").content.decode()
    due = TODAY + relativedelta(years=1)
    assert f"data-review-due>Rà soát duy trì đến hạn: {due:%d/%m/%Y}" in body
