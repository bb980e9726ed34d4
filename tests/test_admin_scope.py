"""The Django admin applies the same scope as the application: an officer sees only their own commune."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from residents.models import DrugTest, Person
from residents.services import lifecycle
from tests import factories as f


@pytest.fixture
def records_a(places, personas):
    """Commune A's personal records, each carrying a name that must never appear outside commune A."""
    household = f.household(places.hamlet_a, code="SOI-001", head_name="Đinh Công Bí Mật")
    tam = f.person(places.hamlet_a, full_name="Lò Văn Tám", household_=household)
    lifecycle.person_record_test(
        actor=personas.officer_a, person=tam, tested_on=timezone.localdate(), result="positive"
    )
    f.pledge(household)
    return {"household": household, "person": tam, "test": tam.drugtests.get()}


def _changelists():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


@pytest.mark.parametrize("url", _changelists())
def test_other_commune_officer_never_sees_commune_a_names_in_any_admin_list(url, records_a, personas, client):
    client.force_login(personas.officer_b)
    response = client.get(url)
    assert response.status_code in (200, 403)
    assert "Lò Văn Tám" not in response.content.decode()
    assert "Đinh Công Bí Mật" not in response.content.decode()


@pytest.mark.parametrize("key", ["household", "person", "test"])
def test_other_commune_record_cannot_be_opened_in_the_admin(key, records_a, personas, client):
    obj = records_a[key]
    client.force_login(personas.officer_b)
    response = client.get(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
    assert response.status_code == 404


def test_officer_sees_own_commune_in_the_admin_with_a_fixed_number_of_queries(
    records_a, places, personas, client, django_assert_max_num_queries
):
    for n in range(30):
        f.person(places.hamlet_a, full_name=f"Hà Văn Người {n}")
        f.person(places.hamlet_b, full_name=f"Bùi Văn Khác {n}")
    client.force_login(personas.officer_a)
    # session, user, count, full count, page rows (with hamlet and commune joined), filter choices (2).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("admin:residents_person_changelist"))
    content = response.content.decode()
    assert "Lò Văn Tám" in content and "Hà Văn Người 7" in content
    assert "Bùi Văn Khác" not in content


def test_admin_search_ignores_diacritics_and_case(records_a, personas, client):
    client.force_login(personas.officer_a)
    response = client.get(reverse("admin:residents_person_changelist"), {"q": "LO VAN tam"})
    assert "Lò Văn Tám" in response.content.decode()
    response = client.get(reverse("admin:residents_household_changelist"), {"q": "dinh cong bi"})
    assert "SOI-001" in response.content.decode()


def test_officer_cannot_attach_a_household_to_another_communes_hamlet(places, personas, client):
    client.force_login(personas.officer_a)
    response = client.post(
        reverse("admin:residents_household_add"),
        {"commune": places.commune_b.pk, "hamlet": places.hamlet_b.pk, "code": "X-1", "head_name": "Hà Văn X",
         "members_count": 2, "status": "residing"},
    )  # fmt: skip
    assert response.status_code == 200  # the form comes back with errors
    assert not places.commune_b.households.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "reviewer", "reviewer_personal"])
def test_readers_have_no_admin_and_are_sent_to_its_login(persona, records_a, personas, client):
    client.force_login(getattr(personas, persona))
    for url in (reverse("admin:index"), reverse("admin:residents_person_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_viewers_and_reviewers_cannot_be_given_the_admin(personas):
    from django.core.exceptions import ValidationError

    personas.reviewer.is_staff = True
    with pytest.raises(ValidationError, match="trang quản trị"):
        personas.reviewer.full_clean()


def test_only_administrators_manage_accounts(personas, client):
    client.force_login(personas.officer_a)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    client.force_login(personas.admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_person_tests_are_listed_only_for_own_commune(records_a, places, personas, client):
    other = f.person(places.hamlet_b, full_name="Bùi Văn Hải")
    DrugTest.objects.create(person=other, tested_on=timezone.localdate(), result="negative")
    client.force_login(personas.officer_a)
    content = client.get(reverse("admin:residents_drugtest_changelist")).content.decode()
    assert "Lò Văn Tám" in content and "Bùi Văn Hải" not in content
    assert Person.objects.count() == 2


# --- history pages, revert, service-owned fields, read logging ---


def _version_url(obj):
    name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history"
    return reverse(name, args=[obj.pk, obj.history.earliest().history_id])


def test_revert_is_refused_even_to_the_communes_own_officer_with_a_valid_form(records_a, places, personas, client):
    test = records_a["test"]
    client.force_login(personas.officer_a)
    data = {"method": test.method, "substances": "Heroin", "performed_by": "Trạm y tế", "note": "đảo ngược",
            "result": "negative", "tested_on": test.tested_on.strftime("%d/%m/%Y"),
            "person": test.person_id}  # fmt: skip
    response = client.post(_version_url(test), data)
    assert response.status_code == 403
    test.refresh_from_db()
    assert (test.result, test.substances, test.note) == ("positive", "", "")
    assert test.history.count() == 1


def test_history_version_is_shown_read_only_without_a_revert_button(records_a, personas, client):
    person = records_a["person"]
    client.force_login(personas.officer_a)
    content = client.get(_version_url(person)).content.decode()
    assert "Lò Văn Tám" in content
    assert 'name="_save"' not in content and 'name="full_name"' not in content
    history = client.get(reverse("admin:residents_person_history", args=[person.pk])).content.decode()
    assert "Lò Văn Tám" in history


def test_admin_reads_of_personal_data_are_logged(records_a, places, personas, client):
    from accounts.models import AccessLog

    person = records_a["person"]
    client.force_login(personas.officer_a)
    client.get(reverse("admin:residents_person_changelist"))
    client.get(reverse("admin:residents_person_change", args=[person.pk]))
    client.get(reverse("admin:residents_person_history", args=[person.pk]))
    client.get(_version_url(person))
    client.get(reverse("admin:residents_drugtest_change", args=[records_a["test"].pk]))
    logged = list(AccessLog.objects.filter(user=personas.officer_a).order_by("at", "pk"))
    assert [(entry.object_type, entry.object_id) for entry in logged] == [
        ("residents.person", ""),
        ("residents.person", str(person.pk)),
        ("residents.person", str(person.pk)),
        ("residents.person", str(person.pk)),
        ("residents.drugtest", str(records_a["test"].pk)),
    ]
    assert {entry.commune_id for entry in logged} == {places.commune_a.pk}


def test_non_personal_admin_pages_are_not_logged(records_a, places, personas, client):
    from accounts.models import AccessLog

    client.force_login(personas.officer_a)
    client.get(reverse("admin:communes_hamlet_changelist"))
    client.get(reverse("admin:communes_hamlet_change", args=[places.hamlet_a.pk]))
    assert not AccessLog.objects.exists()


def test_lifecycle_fields_stay_with_the_services_while_wording_is_corrected(records_a, personas, client):
    test = records_a["test"]
    client.force_login(personas.officer_a)
    url = reverse("admin:residents_drugtest_change", args=[test.pk])
    response = client.post(url, {"method": test.method, "substances": "Methamphetamine", "performed_by": "Trạm y tế",
                                 "note": "", "result": "negative"})  # fmt: skip
    assert response.status_code == 302
    test.refresh_from_db()
    assert (test.result, test.substances) == ("positive", "Methamphetamine")
    assert records_a["person"].__class__.objects.get(pk=test.person_id).status == "positive"
    content = client.get(reverse("admin:residents_person_change", args=[test.person_id])).content.decode()
    assert 'name="status"' not in content and 'name="psychosis_risk"' not in content


def test_lifecycle_records_people_and_households_are_never_added_or_deleted_in_the_admin(records_a, personas, client):
    client.force_login(personas.officer_a)
    assert client.get(reverse("admin:residents_drugtest_add")).status_code == 403
    assert client.get(reverse("admin:residents_drugtest_delete", args=[records_a["test"].pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:residents_person_delete", args=[records_a["person"].pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:residents_household_delete", args=[records_a["household"].pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Person.objects.filter(pk=records_a["person"].pk).exists()


def test_import_runs_are_read_only_evidence_in_the_admin(places, personas, client):
    from imports.models import ImportRun

    run = ImportRun.objects.create(commune=places.commune_a, created_by=personas.officer_a, file_name="soi.xlsx")
    client.force_login(personas.officer_a)
    assert client.get(reverse("admin:imports_importrun_change", args=[run.pk])).status_code == 200
    assert client.post(reverse("admin:imports_importrun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()


def test_household_admin_keeps_the_pipeline_import_and_has_no_stock_processing(personas, client):
    from django.urls import NoReverseMatch

    client.force_login(personas.officer_a)
    assert client.get(reverse("admin:residents_household_import")).status_code == 200
    with pytest.raises(NoReverseMatch):
        reverse("admin:residents_household_process_import")


def test_view_on_site_answers_only_inside_the_scope(records_a, personas, client):
    from django.contrib.contenttypes.models import ContentType

    person = records_a["person"]
    url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Person).pk, person.pk])
    client.force_login(personas.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(personas.officer_a)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith(person.get_absolute_url())
