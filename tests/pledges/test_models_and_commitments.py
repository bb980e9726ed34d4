from datetime import date

from django.urls import reverse

from communes.models import SecurityTeam
from pledges.models import EmulationCompact, HamletCommitment, ModelActivity, PreventionModel
from tests import factories as f

MODEL_DATA = {
    "name": "Khu phố sạch về ma túy",
    "launched_on": "20/04/2024",
    "decision_number": "28/QĐ-UBND",
    "decision_date": "10/04/2024",
    "status": "active",
    "ended_on": "",
    "description": "",
}


def _model(commune, **extra):
    return PreventionModel.objects.create(
        commune=commune, name=extra.pop("name", "Khu phố sạch"), launched_on=date(2024, 4, 20), **extra
    )


def test_officer_creates_a_prevention_model_for_hamlets_of_the_commune(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("pledges:model_create", args=[places.commune_a.code]), {**MODEL_DATA, "hamlets": [places.hamlet_a.pk]}
    )

    model = PreventionModel.objects.get()
    assert response["Location"] == reverse("pledges:model_detail", args=[model.pk])
    assert (model.commune, model.decision_date, list(model.hamlets.all())) == (
        places.commune_a,
        date(2024, 4, 10),
        [places.hamlet_a],
    )
    assert model.history.get().history_user == personas.officer_a


def test_an_ended_model_needs_its_end_date_after_the_launch(places, personas, client_for):
    client = client_for(personas.officer_a)
    url = reverse("pledges:model_create", args=[places.commune_a.code])

    no_date = client.post(url, {**MODEL_DATA, "status": "ended"})
    before_launch = client.post(url, {**MODEL_DATA, "status": "ended", "ended_on": "01/01/2024"})

    assert "Mô hình đã dừng cần có ngày dừng." in no_date.content.decode()
    assert "Ngày dừng không được trước ngày ra mắt." in before_launch.content.decode()
    assert not PreventionModel.objects.exists()


def test_a_hamlet_of_another_commune_is_not_offered(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("pledges:model_create", args=[places.commune_a.code]), {**MODEL_DATA, "hamlets": [places.hamlet_b.pk]}
    )
    assert "hamlets" in response.context["form"].errors
    assert not PreventionModel.objects.exists()


def test_editing_a_model_to_ended(places, personas, client_for):
    model = _model(places.commune_a)
    client_for(personas.officer_a).post(
        reverse("pledges:model_edit", args=[model.pk]), {**MODEL_DATA, "status": "ended", "ended_on": "01/06/2025"}
    )
    model.refresh_from_db()
    assert (model.status, model.ended_on) == ("ended", date(2025, 6, 1))


def test_activities_are_added_and_listed_on_the_model_page(places, personas, client_for):
    model = _model(places.commune_a)
    client = client_for(personas.officer_a)

    response = client.post(
        reverse("pledges:activity_create", args=[model.pk]),
        {"held_on": "15/05/2025", "title": "Tuyên truyền tại nhà văn hóa", "participants": "65", "note": ""},
        follow=True,
    )

    assert ModelActivity.objects.get().model == model
    assert "Tuyên truyền tại nhà văn hóa" in response.content.decode()


def test_an_activity_of_another_communes_model_is_not_found(places, personas, client_for):
    model = _model(places.commune_a)
    response = client_for(personas.officer_b).post(
        reverse("pledges:activity_create", args=[model.pk]), {"held_on": "15/05/2025", "title": "X", "participants": 1}
    )
    assert response.status_code == 404
    assert not ModelActivity.objects.exists()


def test_model_list_filters_by_status_with_constant_queries(places, personas, client_for, django_assert_num_queries):
    for n in range(60):
        model = _model(places.commune_a, name=f"Mô hình {n}")
        model.hamlets.set([places.hamlet_a, places.hamlet_a2])
        ModelActivity.objects.create(model=model, held_on=date(2025, 1, 1), title="Họp")
    _model(places.commune_a, name="Đã dừng", status="ended", ended_on=date(2025, 1, 1))
    client = client_for(personas.officer_a)
    # session, user, commune, count, page of models with activity counts, their hamlets
    with django_assert_num_queries(6):
        response = client.get(reverse("pledges:model_list", args=[places.commune_a.code]), {"status": "active"})
    assert response.context["paginator"].count == 60


def test_reviewer_sees_models_without_edit_buttons(places, personas, client_for):
    model = _model(places.commune_a)
    html = client_for(personas.reviewer).get(reverse("pledges:model_detail", args=[model.pk])).content.decode()
    assert model.name in html and reverse("pledges:model_edit", args=[model.pk]) not in html


def test_hamlet_registers_its_commitment_once_per_year(places, personas, client_for):
    client = client_for(personas.officer_a)
    url = reverse("pledges:commitment_create", args=[places.commune_a.code])
    data = {"hamlet": places.hamlet_a.pk, "year": "2025", "registered_on": "05/01/2025", "signed_by": "Lò Văn Hặc"}

    client.post(url, data)
    again = client.post(url, data)

    assert HamletCommitment.objects.count() == 1
    assert "Khu phố Sỏi đã đăng ký cam kết năm 2025." in again.content.decode()


def test_commitment_list_shows_how_many_hamlets_registered_in_the_year(places, personas, client_for):
    HamletCommitment.objects.create(hamlet=places.hamlet_a, year=2025, registered_on=date(2025, 1, 5), signed_by="A")
    HamletCommitment.objects.create(hamlet=places.hamlet_a2, year=2024, registered_on=date(2024, 1, 5), signed_by="B")

    response = client_for(personas.viewer_a).get(
        reverse("pledges:commitment_list", args=[places.commune_a.code]), {"year": "2025"}
    )

    assert [c.hamlet for c in response.context["object_list"]] == [places.hamlet_a]
    assert response.context["coverage"] == {"hamlets": 2, "registered": 1, "year": 2025, "percentage": 50}
    assert list(response.context["missing_hamlets"]) == [places.hamlet_a2]
    assert "Chưa đăng ký: Bản Na Nghịu" in response.content.decode()


def test_editing_a_commitment(places, personas, client_for):
    commitment = HamletCommitment.objects.create(
        hamlet=places.hamlet_a, year=2025, registered_on=date(2025, 1, 5), signed_by="A"
    )
    client_for(personas.officer_a).post(
        reverse("pledges:commitment_edit", args=[commitment.pk]),
        {"hamlet": places.hamlet_a.pk, "year": "2025", "registered_on": "06/01/2025", "signed_by": "Lò Văn Hặc"},
    )
    commitment.refresh_from_db()
    assert (commitment.registered_on, commitment.signed_by) == (date(2025, 1, 6), "Lò Văn Hặc")
    assert commitment.history.latest().history_user == personas.officer_a


def test_a_compact_is_signed_between_at_least_two_security_teams_of_the_commune(places, personas, client_for):
    team_1 = SecurityTeam.objects.create(hamlet=places.hamlet_a, name="Tổ ANTT số 1")
    team_2 = SecurityTeam.objects.create(hamlet=places.hamlet_a2, name="Tổ ANTT số 2")
    foreign = SecurityTeam.objects.create(hamlet=places.hamlet_b, name="Tổ xã khác")
    client = client_for(personas.officer_a)
    url = reverse("pledges:compact_create", args=[places.commune_a.code])
    data = {"title": "Giao ước thi đua", "signed_on": "20/04/2024", "content": ""}

    alone = client.post(url, {**data, "teams": [team_1.pk]})
    with_foreign = client.post(url, {**data, "teams": [team_1.pk, foreign.pk]})
    client.post(url, {**data, "teams": [team_1.pk, team_2.pk]})

    assert "cần ít nhất hai tổ" in alone.content.decode()
    assert "teams" in with_foreign.context["form"].errors
    compact = EmulationCompact.objects.get()
    assert (compact.commune, set(compact.teams.all())) == (places.commune_a, {team_1, team_2})


def test_compact_list_costs_the_same_queries_with_many_rows(places, personas, client_for, django_assert_num_queries):
    teams = [SecurityTeam.objects.create(hamlet=places.hamlet_a, name=f"Tổ {n}") for n in range(3)]
    for n in range(60):
        EmulationCompact.objects.create(
            commune=places.commune_a, title=f"G {n}", signed_on=date(2024, 4, 20)
        ).teams.set(teams)
    client = client_for(personas.officer_a)
    # session, user, commune, count, page of compacts, their teams with hamlets
    with django_assert_num_queries(6):
        client.get(reverse("pledges:compact_list", args=[places.commune_a.code]))


def test_viewer_cannot_open_the_forms(places, personas, client_for):
    client = client_for(personas.viewer_a)
    assert client.get(reverse("pledges:model_create", args=[places.commune_a.code])).status_code == 403
    assert client.post(reverse("pledges:compact_create", args=[places.commune_a.code]), {}).status_code == 403


def test_a_colleagues_change_of_a_models_hamlets_is_shown_before_overwriting(places, personas, client_for):
    model = _model(places.commune_a)
    model.hamlets.set([places.hamlet_a])
    client = client_for(personas.officer_a)
    url = reverse("pledges:model_edit", args=[model.pk])
    seen_version = client.get(url).context["form"]["seen_version"].value()
    model.hamlets.add(places.hamlet_a2)
    model.description = "Đổi bởi đồng nghiệp"
    model.save()

    response = client.post(url, {**MODEL_DATA, "hamlets": [places.hamlet_a.pk], "seen_version": seen_version})

    rows = {row.label: (row.theirs, row.yours) for row in response.context["conflict"]}
    assert rows["Thôn"] == ("Bản Na Nghịu, Khu phố Sỏi", "Khu phố Sỏi")
    assert set(model.hamlets.all()) == {places.hamlet_a, places.hamlet_a2}


def test_model_page_costs_the_same_queries_with_many_activities(
    places, personas, client_for, django_assert_num_queries
):
    model = _model(places.commune_a)
    model.hamlets.set([places.hamlet_a, places.hamlet_a2])
    for n in range(80):
        ModelActivity.objects.create(model=model, held_on=date(2025, 1, 1), title=f"Hoạt động {n}")
    client = client_for(personas.officer_a)
    # session, user, model with commune, its hamlets, activities count, page of activities
    with django_assert_num_queries(6):
        response = client.get(reverse("pledges:model_detail", args=[model.pk]))
    assert len(response.context["activities"]) == 50


def test_commitment_list_costs_the_same_queries_with_many_rows(places, personas, client_for, django_assert_num_queries):
    for n in range(60):
        hamlet = f.hamlet(places.commune_a, f"Thôn {n}")
        HamletCommitment.objects.create(hamlet=hamlet, year=2025, registered_on=date(2025, 1, 5), signed_by="A")
    client = client_for(personas.officer_a)
    url = reverse("pledges:commitment_list", args=[places.commune_a.code])
    # session, user, commune, filter's hamlets, count, page with hamlets, coverage, hamlets missing
    with django_assert_num_queries(8):
        client.get(url, {"year": "2025"})
