from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Hotspot, HotspotStatusChange
from tests import factories as f

TODAY = timezone.localdate()


def _hotspot(commune, *, status=Hotspot.Status.DETECTED, detected_on=date(2025, 1, 2), hamlet=None, **extra):
    hotspot = Hotspot.objects.create(
        commune=commune,
        hamlet=hamlet,
        kind=Hotspot.Kind.SELLING,
        location=extra.pop("location", "Quán nước ngã ba"),
        detected_on=detected_on,
        status=status,
        **extra,
    )
    HotspotStatusChange.objects.create(hotspot=hotspot, status="detected", changed_on=detected_on)
    return hotspot


def _list(commune):
    return reverse("communes:hotspot_list", args=[commune.code])


def test_officer_records_a_new_hotspot_with_its_first_history_entry(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("communes:hotspot_create", args=[places.commune_a.code]),
        {"hamlet": places.hamlet_a.pk, "kind": "use", "location": "Lán trại ven suối", "detected_on": "02/05/2025"},
    )

    hotspot = Hotspot.objects.get()
    assert response["Location"] == reverse("communes:hotspot_detail", args=[hotspot.pk])
    assert (hotspot.commune, hotspot.status, hotspot.detected_on) == (places.commune_a, "detected", date(2025, 5, 2))
    assert list(hotspot.status_changes.values_list("status", "changed_on", "recorded_by")) == [
        ("detected", date(2025, 5, 2), personas.officer_a.pk)
    ]
    assert hotspot.history.get().history_user == personas.officer_a


def test_a_hotspot_detected_in_the_future_is_refused_in_vietnamese(places, personas, client_for):
    tomorrow = TODAY + timedelta(days=1)
    response = client_for(personas.officer_a).post(
        reverse("communes:hotspot_create", args=[places.commune_a.code]),
        {"kind": "use", "location": "Lán trại", "detected_on": f"{tomorrow:%d/%m/%Y}"},
    )

    assert response.status_code == 200
    assert "Ngày không được ở tương lai." in response.content.decode()
    assert not Hotspot.objects.exists()


def test_the_hamlet_of_another_commune_cannot_be_chosen(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("communes:hotspot_create", args=[places.commune_a.code]),
        {"hamlet": places.hamlet_b.pk, "kind": "use", "location": "Lán trại", "detected_on": "02/05/2025"},
    )

    assert "hamlet" in response.context["form"].errors
    assert not Hotspot.objects.exists()


def test_status_moves_from_detected_to_dealing_to_cleared_with_dates_and_history(places, personas, client_for):
    hotspot = _hotspot(places.commune_a)
    client = client_for(personas.officer_a)
    url = reverse("communes:hotspot_status", args=[hotspot.pk])

    client.post(url, {"status": "dealing", "changed_on": "10/01/2025", "seen_status": "detected"})
    client.post(url, {"status": "cleared", "changed_on": "12/02/2025", "seen_status": "dealing", "note": "Đã bắt"})

    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.dealing_since, hotspot.cleared_on) == (
        "cleared",
        date(2025, 1, 10),
        date(2025, 2, 12),
    )
    response = client.get(reverse("communes:hotspot_detail", args=[hotspot.pk]))
    history = [(c.status, c.changed_on) for c in response.context["history"]]
    assert history == [("detected", date(2025, 1, 2)), ("dealing", date(2025, 1, 10)), ("cleared", date(2025, 2, 12))]
    assert "Đã bắt" in response.content.decode()


def test_a_cleared_hotspot_can_reemerge_and_keeps_its_earlier_episode(places, personas, client_for):
    hotspot = _hotspot(places.commune_a, status="cleared", cleared_on=date(2025, 2, 1))
    client = client_for(personas.officer_a)

    client.post(
        reverse("communes:hotspot_status", args=[hotspot.pk]),
        {"status": "detected", "changed_on": "01/03/2025", "seen_status": "cleared"},
    )

    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.detected_on, hotspot.cleared_on) == ("detected", date(2025, 3, 1), None)
    assert hotspot.status_changes.count() == 2


def test_a_status_cannot_skip_back_or_go_before_the_last_change(places, personas, client_for):
    hotspot = _hotspot(places.commune_a, status="dealing", dealing_since=date(2025, 1, 10))
    client = client_for(personas.officer_a)
    HotspotStatusChange.objects.create(hotspot=hotspot, status="dealing", changed_on=date(2025, 1, 10))
    url = reverse("communes:hotspot_status", args=[hotspot.pk])

    backwards = client.post(url, {"status": "detected", "changed_on": "11/01/2025", "seen_status": "dealing"})
    too_early = client.post(url, {"status": "cleared", "changed_on": "05/01/2025", "seen_status": "dealing"})

    assert "status" in backwards.context["status_form"].errors
    assert "Ngày không được trước lần cập nhật gần nhất (10/01/2025)." in too_early.content.decode()
    hotspot.refresh_from_db()
    assert hotspot.status == "dealing" and hotspot.status_changes.count() == 2


def test_a_colleagues_status_change_in_between_is_reported_not_overwritten(places, personas, client_for):
    hotspot = _hotspot(places.commune_a, status="cleared", cleared_on=date(2025, 2, 1))

    response = client_for(personas.officer_a).post(
        reverse("communes:hotspot_status", args=[hotspot.pk]),
        {"status": "detected", "changed_on": "01/03/2025", "seen_status": "dealing"},
    )

    assert "Người khác vừa chuyển tụ điểm sang “Đã triệt xóa”" in response.content.decode()
    assert hotspot.status_changes.count() == 1


def test_editing_a_hotspot_keeps_its_status_and_refuses_a_detection_after_clearing(places, personas, client_for):
    hotspot = _hotspot(places.commune_a, status="cleared", cleared_on=date(2025, 2, 1))
    client = client_for(personas.officer_a)
    url = reverse("communes:hotspot_edit", args=[hotspot.pk])
    data = {"kind": "mixed", "location": "Quán mới", "detected_on": "02/01/2025", "note": "Đổi tên"}

    client.post(url, data)
    refused = client.post(url, {**data, "detected_on": "05/02/2025"})

    hotspot.refresh_from_db()
    assert (hotspot.kind, hotspot.location, hotspot.status) == ("mixed", "Quán mới", "cleared")
    assert "Ngày phát hiện không được sau" in refused.content.decode()


def test_list_filters_by_status_and_keeps_the_filter_in_the_page_links(places, personas, client_for):
    for n in range(55):
        _hotspot(places.commune_a, location=f"Điểm {n:02d}")
    _hotspot(places.commune_a, status="cleared", cleared_on=date(2025, 2, 1), location="Đã xóa")
    _hotspot(places.commune_b, location="Xã khác")
    client = client_for(personas.officer_a)

    active = client.get(_list(places.commune_a), {"status": "active"})
    cleared = client.get(_list(places.commune_a), {"status": "cleared"})

    assert active.context["paginator"].count == 55
    assert "?status=active&amp;page=2" in active.content.decode()
    assert [h.location for h in cleared.context["object_list"]] == ["Đã xóa"]


def test_an_htmx_filter_request_gets_only_the_results(places, personas, client_for):
    _hotspot(places.commune_a)
    response = client_for(personas.officer_a).get(
        _list(places.commune_a), {"status": "detected"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_viewer_sees_hotspots_without_buttons(places, personas, client_for):
    hotspot = _hotspot(places.commune_a)
    client = client_for(personas.viewer_a)

    listing = client.get(_list(places.commune_a)).content.decode()
    detail = client.get(reverse("communes:hotspot_detail", args=[hotspot.pk])).content.decode()

    assert reverse("communes:hotspot_create", args=[places.commune_a.code]) not in listing
    assert reverse("communes:hotspot_status", args=[hotspot.pk]) not in detail
    assert reverse("communes:hotspot_edit", args=[hotspot.pk]) not in detail


@pytest.mark.parametrize("persona", ["officer_b"])
def test_another_communes_hotspot_is_not_found(places, personas, client_for, persona):
    hotspot = _hotspot(places.commune_a)
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("communes:hotspot_detail", args=[hotspot.pk])).status_code == 404
    assert client.get(_list(places.commune_a)).status_code == 404


def test_hotspot_list_costs_the_same_queries_with_many_rows(places, personas, client_for, django_assert_num_queries):
    for n in range(60):
        _hotspot(places.commune_a, hamlet=places.hamlet_a, location=f"Điểm {n}")
    client = client_for(personas.officer_a)
    # session, user, commune, filter's hamlets, count, page of hotspots with hamlets
    with django_assert_num_queries(6):
        client.get(_list(places.commune_a), {"status": "active"})


def test_hotspot_detail_costs_the_same_queries_with_a_long_history(
    places, personas, client_for, django_assert_num_queries
):
    hotspot = _hotspot(places.commune_a)
    for n in range(30):
        HotspotStatusChange.objects.create(
            hotspot=hotspot,
            status="dealing",
            changed_on=date(2025, 1, 3),
            recorded_by=f.user(f"u{n}", "commune_officer", commune=places.commune_a),
        )
    client = client_for(personas.officer_a)
    # session, user, hotspot with hamlet and commune, history with recorders
    with django_assert_num_queries(4):
        client.get(reverse("communes:hotspot_detail", args=[hotspot.pk]))


def test_two_officers_editing_a_hotspot_at_once_the_second_is_shown_the_difference(places, personas, client_for):
    hotspot = _hotspot(places.commune_a)
    client = client_for(personas.officer_a)
    url = reverse("communes:hotspot_edit", args=[hotspot.pk])
    seen_version = client.get(url).context["form"]["seen_version"].value()
    # A colleague renames the place meanwhile.
    hotspot.location = "Quán nước bờ suối"
    hotspot.save()
    mine = {"kind": "selling", "location": "Quán nước ngã ba", "detected_on": "02/01/2025", "note": "Theo dõi thêm"}

    response = client.post(url, {**mine, "seen_version": seen_version})

    assert response.status_code == 200
    rows = [(row.label, row.theirs, row.yours) for row in response.context["conflict"]]
    assert ("Địa điểm", "Quán nước bờ suối", "Quán nước ngã ba") in rows
    hotspot.refresh_from_db()
    assert (hotspot.location, hotspot.note) == ("Quán nước bờ suối", "")

    # Having seen it, the officer saves again and their version is kept.
    client.post(url, {**mine, "seen_version": response.context["form"]["seen_version"].value()})
    hotspot.refresh_from_db()
    assert (hotspot.location, hotspot.note) == ("Quán nước ngã ba", "Theo dõi thêm")


def test_a_cleared_hotspot_offers_only_reemergence(places, personas, client_for):
    hotspot = _hotspot(places.commune_a, status="cleared", cleared_on=date(2025, 2, 1))
    response = client_for(personas.officer_a).get(reverse("communes:hotspot_detail", args=[hotspot.pk]))
    assert response.context["status_form"].fields["status"].choices == [("detected", "Tái xuất hiện (phát hiện lại)")]
