from datetime import date

from django.urls import reverse

from accounts.models import AccessLog
from residents.models import ArrestedSuspect, DrugCase, Incident
from tests import factories as f

CASE = {"number": "07/2024", "detected_on": "03/02/2024", "offence": "Mua bán trái phép chất ma túy", "summary": ""}


def _suspects(*rows, initial=0, prefix="suspects"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _case(commune, **extra):
    return DrugCase.objects.create(
        commune=commune,
        number=extra.pop("number", "01/2023"),
        detected_on=date(2023, 6, 12),
        offence="Tàng trữ",
        **extra,
    )


def test_officer_records_a_case_with_its_arrested_suspects_in_one_go(places, personas, client_for):
    known = f.person(places.hamlet_a, full_name="Lò Văn Tám", cccd="038095001234", birth_year=1995, sex="male")

    response = client_for(personas.officer_a).post(
        reverse("residents:case_create", args=[places.commune_a.code]),
        {
            **CASE,
            "hamlet": places.hamlet_a.pk,
            **_suspects(
                {
                    "full_name": "Lò Văn Tám",
                    "birth_year": "1995",
                    "arrested_on": "03/02/2024",
                    "person_cccd": known.cccd,
                },
                {"full_name": "Hà  Văn Bảy", "birth_year": "", "arrested_on": "04/02/2024", "person_cccd": ""},
            ),
        },
    )

    case = DrugCase.objects.get()
    assert response["Location"] == reverse("residents:case_detail", args=[case.pk])
    suspects = list(case.suspects.order_by("arrested_on").values_list("full_name", "person"))
    assert suspects == [("Lò Văn Tám", known.pk), ("Hà Văn Bảy", None)]
    assert ArrestedSuspect.history.filter(history_user=personas.officer_a).count() == 2
    assert case.history.get().history_user == personas.officer_a


def test_a_bad_suspect_row_saves_nothing_and_says_why(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("residents:case_create", args=[places.commune_a.code]),
        {
            **CASE,
            **_suspects(
                {"full_name": "Lò Văn Tám", "arrested_on": "01/01/2024", "person_cccd": ""},
                {"full_name": "Hà Văn Bảy", "arrested_on": "04/02/2024", "person_cccd": "123"},
            ),
        },
    )

    html = response.content.decode()
    assert "Ngày bắt không được trước ngày phát hiện vụ án." in html
    assert "CCCD gồm đúng 12 chữ số." in html
    assert not DrugCase.objects.exists() and not ArrestedSuspect.objects.exists()


def test_a_cccd_of_someone_outside_the_commune_is_not_linked(places, personas, client_for):
    f.person(places.hamlet_b, full_name="Người xã khác", cccd="038095009999", birth_year=1995, sex="male")

    response = client_for(personas.officer_a).post(
        reverse("residents:case_create", args=[places.commune_a.code]),
        {**CASE, **_suspects({"full_name": "X", "arrested_on": "04/02/2024", "person_cccd": "038095009999"})},
    )

    assert "Không có người nào mang CCCD này trong xã." in response.content.decode()
    assert not DrugCase.objects.exists()


def test_editing_a_case_removes_a_suspect_and_adds_another(places, personas, client_for):
    case = _case(places.commune_a)
    old = ArrestedSuspect.objects.create(case=case, full_name="Lò Văn Cũ", arrested_on=date(2023, 6, 12))

    client_for(personas.officer_a).post(
        reverse("residents:case_edit", args=[case.pk]),
        {
            **CASE,
            "detected_on": "12/06/2023",
            **_suspects(
                {"id": old.pk, "full_name": "Lò Văn Cũ", "arrested_on": "12/06/2023", "DELETE": "on"},
                {"full_name": "Lò Văn Mới", "arrested_on": "13/06/2023"},
                initial=1,
            ),
        },
    )

    assert list(case.suspects.values_list("full_name", flat=True)) == ["Lò Văn Mới"]
    assert ArrestedSuspect.history.filter(history_type="-", history_user=personas.officer_a).count() == 1


def test_case_detail_lists_suspects(places, personas, client_for):
    case = _case(places.commune_a)
    ArrestedSuspect.objects.create(case=case, full_name="Lò Văn Tám", arrested_on=date(2023, 6, 12))
    html = client_for(personas.reviewer_personal).get(reverse("residents:case_detail", args=[case.pk])).content.decode()
    assert "Lò Văn Tám" in html and reverse("residents:case_edit", args=[case.pk]) not in html


def test_case_list_filters_by_year_and_costs_the_same_queries(places, personas, client_for, django_assert_num_queries):
    for n in range(60):
        case = _case(places.commune_a, number=f"{n}/2023", hamlet=places.hamlet_a)
        ArrestedSuspect.objects.create(case=case, full_name="X", arrested_on=date(2023, 6, 12))
    DrugCase.objects.create(commune=places.commune_a, detected_on=date(2024, 1, 1), offence="Khác")
    client = client_for(personas.officer_a)
    # session, user, commune, filter's hamlets, count, page of cases with suspect counts and hamlets, access log
    # insert
    with django_assert_num_queries(7):
        response = client.get(reverse("residents:case_list", args=[places.commune_a.code]), {"year": "2023"})
    assert response.context["paginator"].count == 60
    assert response.context["object_list"][0].suspects_count == 1


def test_aggregate_reviewer_and_other_commune_do_not_see_cases(places, personas, client_for):
    case = _case(places.commune_a)
    assert client_for(personas.reviewer).get(reverse("residents:case_detail", args=[case.pk])).status_code == 404
    assert client_for(personas.officer_b).get(reverse("residents:case_detail", args=[case.pk])).status_code == 404


def test_officer_records_an_incident_caused_by_a_person_with_psychosis(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Vi Văn Tài", cccd="038090001111", birth_year=1990, sex="male")

    response = client_for(personas.officer_a).post(
        reverse("residents:incident_create", args=[places.commune_a.code]),
        {
            "hamlet": places.hamlet_a.pk,
            "occurred_on": "10/03/2025",
            "severity": "very_serious",
            "caused_by_psychosis": "on",
            "person_cccd": person.cccd,
            "description": "Cầm dao đe dọa người thân",
        },
    )

    incident = Incident.objects.get()
    assert response["Location"] == reverse("residents:incident_list", args=[places.commune_a.code])
    assert (incident.severity, incident.caused_by_psychosis, incident.person) == ("very_serious", True, person)
    assert incident.history.get().history_user == personas.officer_a


def test_an_incident_needs_a_severity_and_a_description(places, personas, client_for):
    response = client_for(personas.officer_a).post(
        reverse("residents:incident_create", args=[places.commune_a.code]), {"occurred_on": "10/03/2025"}
    )
    assert set(response.context["form"].errors) >= {"severity", "description"}
    assert not Incident.objects.exists()


def test_editing_an_incident_keeps_its_person_link_unless_changed(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Vi Văn Tài", cccd="038090001111", birth_year=1990, sex="male")
    incident = Incident.objects.create(
        commune=places.commune_a, occurred_on=date(2025, 3, 10), severity="serious", description="A", person=person
    )
    client = client_for(personas.officer_a)
    url = reverse("residents:incident_edit", args=[incident.pk])

    page = client.get(url)
    shown_cccd = page.context["form"]["person_cccd"].value()
    client.post(
        url, {"occurred_on": "10/03/2025", "severity": "serious", "description": "B", "person_cccd": shown_cccd}
    )

    incident.refresh_from_db()
    assert (incident.description, incident.person) == ("B", person)


def test_incident_list_filters_psychosis_and_severity_with_constant_queries(
    places, personas, client_for, django_assert_num_queries
):
    person = f.person(places.hamlet_a)
    for n in range(60):
        Incident.objects.create(
            commune=places.commune_a,
            hamlet=places.hamlet_a,
            occurred_on=date(2025, 1, 1 + n % 28),
            severity="especially_serious" if n % 2 else "serious",
            caused_by_psychosis=bool(n % 3),
            person=person,
            description="x",
        )
    client = client_for(personas.officer_a)
    url = reverse("residents:incident_list", args=[places.commune_a.code])
    # session, user, commune, filter's hamlets, count, page of incidents with hamlets and people, access log insert
    with django_assert_num_queries(7):
        response = client.get(url, {"severity": "especially_serious", "psychosis": "on"})
    assert response.context["paginator"].count == len([n for n in range(60) if n % 2 and n % 3])


def test_opening_a_case_is_logged_and_costs_the_same_queries_with_many_suspects(
    places, personas, client_for, django_assert_num_queries
):
    case = _case(places.commune_a)
    for n in range(40):
        person = f.person(places.hamlet_a, full_name=f"Người {n}")
        ArrestedSuspect.objects.create(case=case, full_name=f"Người {n}", arrested_on=date(2023, 6, 12), person=person)
    client = client_for(personas.officer_a)
    # session, user, case with hamlet and commune, suspects with their people, access log insert
    with django_assert_num_queries(5):
        client.get(reverse("residents:case_detail", args=[case.pk]))
    log = AccessLog.objects.get(object_type="residents.drugcase")
    assert (log.user, log.object_id) == (personas.officer_a, str(case.pk))
    suspects = AccessLog.objects.get(object_type="residents.person")
    assert len(suspects.object_ids) == 40 and suspects.commune_id == places.commune_a.pk
