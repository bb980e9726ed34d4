"""Dashboards, gap lists and reports through the views, as each persona sees them."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from communes.models import Hotspot
from progress.models import MonthReview
from progress.selectors import today
from progress.services import first_of_month, take_snapshots
from residents.models import Person
from tests import factories as f

THIS_MONTH = first_of_month(today())


def same_page(one, other) -> bool:
    """The same HTML but for the CSRF tokens (64 characters), which each response masks anew."""

    def unmasked(response):
        return re.sub(rb"\b[A-Za-z0-9]{64}\b", b"", response.content)

    return unmasked(one) == unmasked(other)


def commune_url(name, places, **kwargs):
    return reverse(name, kwargs={"code": places.commune_a.code, **kwargs})


def gap_url(places, key="households_pledged", name="progress:gap_list"):
    return reverse(name, kwargs={"code": places.commune_a.code, "metric_key": key})


def test_commune_dashboard_shows_each_criterion_with_value_target_and_gap_link(story, places, personas, client_for):
    content = client_for(personas.officer_a).get(commune_url("progress:commune_dashboard", places)).content.decode()
    assert "66,7 %" in content  # 2 of 3 residing households pledged
    assert "≥ 100 %" in content and "= 0" in content and "≥ 1" in content
    assert gap_url(places) in content
    assert "Khu phố Sỏi" in content  # hamlet breakdown
    assert "Xã đạt 2/11 tiêu chí" in content


def test_commune_dashboard_query_count_does_not_grow_with_rows(
    story, places, personas, client_for, django_assert_num_queries
):
    for n in range(40):
        f.pledge(f.household(places.hamlet_a2, code=f"X-{n}"))
        f.person(places.hamlet_a, full_name=f"Nghiện {n}", status="addict")
    client = client_for(personas.officer_a)
    # session, user, commune (with province and district), programme, criteria, hamlets, 9 metrics by hamlet (the
    # commune's figures are their sums; the status counts serve three metrics, the hamlet tally the households, the
    # population and which hamlets, hence whether the commune, have data), 2 metrics without a hamlet breakdown,
    # snapshots (none yet, so no reviews), programmes for the selector; QĐ 28's
    # class: the classifying set, its criteria, 2 metrics by hamlet (arrests; plants and m² in one read) and 1
    # without (routes): its users' share reads the status counts and population, its use places the hotspots,
    # already read; the commune's recognition status (one query).
    # The commune's figures stamp (progress.stamps) is read first.
    with django_assert_num_queries(26):
        response = client.get(commune_url("progress:commune_dashboard", places))
    assert response.status_code == 200
    # Nothing written since: the figures kept under the commune's stamp are reused. Session, user (with the menu's
    # open alerts), commune, programme, the stamp, programmes for the selector, recognition status.
    with django_assert_num_queries(7):
        again = client.get(commune_url("progress:commune_dashboard", places))
    assert same_page(again, response)


def test_other_commune_dashboard_is_not_found(places, personas, client_for):
    assert client_for(personas.officer_b).get(commune_url("progress:commune_dashboard", places)).status_code == 404


def test_commune_roles_are_sent_from_the_area_dashboard_to_their_commune(places, personas, client_for):
    response = client_for(personas.viewer_a).get(reverse("progress:area_dashboard"))
    assert response["Location"] == commune_url("progress:commune_dashboard", places)


def test_area_dashboard_lists_every_commune_of_the_province_coloured_by_status(story, places, personas, client_for):
    content = client_for(personas.reviewer).get(reverse("progress:area_dashboard")).content.decode()
    assert places.commune_a.name in content and places.commune_b.name in content
    assert places.commune_c.name not in content  # another province
    assert "table-danger" in content and "chart-bars" in content
    assert "http://" not in content and "https://" not in content  # no CDN, no external chart library


@pytest.mark.parametrize("communes", [3, 40])
def test_area_dashboard_query_count_does_not_grow_with_communes(
    communes, places, personas, client_for, django_assert_num_queries
):
    for n in range(communes):
        commune = f.commune(f"18{n:03d}", f"Xã Nhiều {n}")
        hamlet = f.hamlet(commune, "Thôn 1")
        f.pledge(f.household(hamlet))
        f.person(hamlet, full_name=f"Người {n}", status="user")
    take_snapshots(month=THIS_MONTH)
    client = client_for(personas.reviewer)
    # session, user, programme for the province, programmes (form choices), districts (form choices), criteria,
    # communes, 11 metrics in 10 queries (addicts in treatment and users with a decision share the status counts),
    # communes with households, snapshots per commune and month (trend), last month's snapshots (changes); QĐ 28's
    # classes: the classifying set, its criteria, 6 metrics in 4 queries (the users' share reads the status counts
    # and the use places the hotspots already read; the two shares one population, from the hamlet tally; plants
    # and m² one read); the communes' recognition statuses (one query); recognition's summary
    # (progress.extensions): the province's communes and those recognised.
    with django_assert_num_queries(28):
        response = client.get(reverse("progress:area_dashboard"))
    assert response.status_code == 200
    # Nothing written since: the overview kept under the communes' stamps (read with the communes) is reused: no
    # metric, criterion or snapshot query.
    with django_assert_num_queries(8):
        again = client.get(reverse("progress:area_dashboard"))
    assert same_page(again, response)
    # A write in one commune: that commune's part is computed again (the first request's queries, restricted to
    # it), the others' parts are reused; as many queries after writes in every commune but the two of `places`.
    Hotspot.objects.create(commune=commune, kind="use", location="Bến đò", detected_on=today())
    with django_assert_num_queries(28):
        after_one = client.get(reverse("progress:area_dashboard"))
    Person.objects.filter(full_name__startswith="Người ").update(note="Đã rà soát")
    with django_assert_num_queries(28):
        after_all = client.get(reverse("progress:area_dashboard"))
    assert same_page(after_all, after_one)


def test_area_table_filters_unmet_criterion_and_sorts(story, places, personas, client_for, programme):
    pledged = programme.criteria.get(metric_key="active_prevention_models")
    client = client_for(personas.reviewer)
    content = client.get(reverse("progress:area_dashboard"), {"unmet": pledged.pk}).content.decode()
    assert places.commune_b.name in content and f'href="/progress/communes/{places.commune_a.code}/"' not in content
    content = client.get(reverse("progress:area_dashboard"), {"q": "quan son"}).content.decode()
    assert places.commune_a.name in content and places.commune_b.name not in content
    # B meets 8 of 11 criteria, A only 2.
    content = client.get(reverse("progress:area_dashboard"), {"sort": "met", "desc": "1"}).content.decode()
    assert content.index(places.commune_b.name) < content.index(places.commune_a.name)
    content = client.get(reverse("progress:area_dashboard"), {"sort": "met"}).content.decode()
    assert content.index(places.commune_a.name) < content.index(places.commune_b.name)


def test_area_dashboard_shows_what_changed_since_the_last_frozen_month(story, places, personas, client_for):
    take_snapshots(month=THIS_MONTH)
    f.pledge(story.households.h3, year=today().year)  # A now has 3/3 households pledged
    content = client_for(personas.reviewer).get(reverse("progress:area_dashboard")).content.decode()
    assert "Mới đạt" in content


def test_gap_list_shows_names_to_officers_and_logs_the_view(story, places, personas, client_for):
    content = client_for(personas.officer_a).get(gap_url(places)).content.decode()
    assert "Vi Văn Ba" in content and "Hà Văn Một" not in content
    log = AccessLog.objects.get()
    assert (log.user, log.object_type) == (personas.officer_a, "residents.household")
    assert log.commune_id == places.commune_a.pk
    assert log.object_ids == [story.households.h3.pk] and "households_pledged" in log.description


def test_gap_list_shows_only_a_count_to_aggregate_reviewers(story, places, personas, client_for):
    content = client_for(personas.reviewer).get(gap_url(places)).content.decode()
    assert "Vi Văn Ba" not in content and "Có 1 trường hợp" in content
    assert not AccessLog.objects.exists()
    assert client_for(personas.reviewer).get(gap_url(places, name="progress:gap_export")).status_code == 403


def test_gap_list_query_count_is_fixed_with_many_records(
    story, places, personas, client_for, django_assert_num_queries
):
    for n in range(150):
        f.household(places.hamlet_a, code=f"Z-{n}")
    client = client_for(personas.reviewer_personal)
    # session, user, commune, count, page of households with hamlets, access log insert, the reviewer's province
    # for the account menu.
    with django_assert_num_queries(6):
        response = client.get(gap_url(places))
    assert response.status_code == 200


def test_gap_export_opens_in_excel_and_as_csv(story, places, personas, client_for):
    client = client_for(personas.officer_a)
    response = client.get(gap_url(places, "addicts_in_treatment", "progress:gap_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][0] == "Nghiện Chưa Cai"
    response = client.get(gap_url(places, name="progress:gap_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][:2] == ["A-3", "Vi Văn Ba"]
    assert AccessLog.objects.filter(action="export").count() == 2


def test_area_and_commune_reports_open_in_excel(story, places, personas, client_for):
    client = client_for(personas.reviewer)
    sheet = load_workbook(io.BytesIO(client.get(reverse("progress:area_export")).content)).active
    communes = {row[1] for row in sheet.iter_rows(min_row=6, values_only=True)}  # below the titles and the header
    assert communes == {places.commune_a.name, places.commune_b.name}
    sheet = load_workbook(io.BytesIO(client.get(commune_url("progress:commune_export", places)).content)).active
    assert sheet["B6"].value.startswith("Người nghiện") and sheet["I10"].value == "Chưa đạt"


def test_printable_pages_use_the_a4_print_stylesheet(story, places, personas, client_for):
    client = client_for(personas.reviewer)
    for url in [reverse("progress:area_print"), commune_url("progress:commune_print", places)]:
        content = client.get(url).content.decode()
        assert "progress/print" in content and "data-print" in content  # bound by static/js/app.js


def test_reviewer_marks_a_frozen_month_reviewed_from_the_dashboard(places, personas, client_for):
    take_snapshots(month=THIS_MONTH)
    client = client_for(personas.reviewer)
    response = client.post(commune_url("progress:review_month", places), {"month": f"{THIS_MONTH:%Y-%m}"})
    assert response.status_code == 302
    review = MonthReview.objects.get()
    assert (review.commune, review.reviewed_by) == (places.commune_a, personas.reviewer)
    content = client.get(commune_url("progress:commune_dashboard", places)).content.decode()
    assert "✓" in content


def test_commune_viewer_cannot_mark_a_month_reviewed(places, personas, client_for):
    take_snapshots(month=THIS_MONTH)
    response = client_for(personas.viewer_a).post(commune_url("progress:review_month", places), {"month": "2026-01"})
    assert response.status_code == 403
    assert not MonthReview.objects.exists()
