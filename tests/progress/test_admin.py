"""The admin's commune list shows each criterion's status, computed by the same metrics as the dashboards."""

from django.urls import reverse

from progress.metrics import Moment
from progress.models import Programme
from progress.selectors import evaluate_communes, today
from tests import factories as f


def test_commune_list_has_a_column_per_criterion_and_the_overall_result(story, places, personas, client_for, programme):
    content = client_for(personas.officer_a).get(reverse("admin:progress_communeprogress_changelist")).content.decode()
    assert "5. Hộ gia đình ký cam kết" in content
    assert "✘ 66,7 %" in content  # commune A's pledges, as on its dashboard
    [row] = evaluate_communes(list(programme.criteria.all()), [places.commune_a], Moment(today()))
    assert sum(r.met for r in row.results) == 2
    assert content.count("✔") >= 2
    assert reverse("progress:commune_dashboard", kwargs={"code": places.commune_a.code}) in content
    assert places.commune_b.name not in content  # another commune: out of the officer's scope


def test_officer_sees_only_their_commune_in_the_progress_list(story, places, personas, client_for):
    content = client_for(personas.officer_b).get(reverse("admin:progress_communeprogress_changelist")).content.decode()
    assert places.commune_b.name in content and places.commune_a.name not in content


def test_commune_list_query_count_does_not_grow_with_communes(
    places, personas, client_for, django_assert_max_num_queries
):
    for n in range(40):
        commune = f.commune(f"19{n:03d}", f"Xã Danh Sách {n}")
        f.pledge(f.household(f.hamlet(commune, "Thôn 1")))
    client = client_for(personas.admin)
    # session, user, province lookup, programme, criteria, count ×2, page, district filter choices, 11 metrics.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("admin:progress_communeprogress_changelist"))
    assert response.status_code == 200


def test_administrators_define_criteria_sets_in_the_admin(personas, client_for):
    client = client_for(personas.admin)
    assert client.get(reverse("admin:progress_programme_add")).status_code == 200
    assert client_for(personas.officer_a).get(reverse("admin:progress_programme_add")).status_code == 403


def test_administrators_edit_the_qd28_classes_in_the_admin(personas, client_for):
    qd28 = Programme.objects.get(legal_document__startswith="Quyết định 28/2025")
    content = client_for(personas.admin).get(reverse("admin:progress_programme_change", args=[qd28.pk])).content
    content = content.decode()
    # The groups inline ("at least k of n") and the criteria inline whose group choices are this set's groups only.
    assert "Xã trọng điểm phức tạp về ma túy loại III" in content and 'name="groups-0-min_met" value="3"' in content
    assert "loại I</option>" in content
    de_an = Programme.objects.get(legal_document__startswith="Đề án 3822")
    content = client_for(personas.admin).get(reverse("admin:progress_programme_change", args=[de_an.pk])).content
    assert "loại I</option>" not in content.decode()
