from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from residents import periods
from residents.models import DrugTest, Person, UserManagement
from residents.services import lifecycle
from tests import factories as f


def _action(person, action):
    return reverse("residents:person_action", args=[person.pk, action])


def _today():
    return timezone.localdate().strftime("%d/%m/%Y")


def test_officer_records_a_positive_test_then_issues_the_management_decision(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    client = client_for(personas.officer_a)
    response = client.post(
        _action(person, "record_test"),
        {"tested_on": _today(), "result": "positive", "method": "quick_urine", "seen_version": person.version},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Person.Status.POSITIVE
    response = client.post(
        _action(person, "issue_management_decision"),
        {
            "number": "15/QĐ-UBND",
            "decided_on": _today(),
            "starts_on": _today(),
            "team_leader": personas.officer_a.pk,
            "seen_version": person.version,
        },
    )
    assert response.status_code == 302
    management = UserManagement.objects.get(person=person)
    assert management.decision_number == "15/QĐ-UBND"
    assert management.ends_on == timezone.localdate().replace(year=timezone.localdate().year + 1) - timedelta(days=1)
    assert management.history.get().history_user == personas.officer_a


def test_decision_form_is_pre_filled_with_the_configured_period(places, personas, client_for, settings):
    settings.DRUGFREE_LEGAL_PERIODS = {**settings.DRUGFREE_LEGAL_PERIODS, "user_management_months": 6}
    person = f.person(places.hamlet_a)
    lifecycle.person_record_test(
        actor=personas.officer_a, person=person, tested_on=timezone.localdate(), result="positive"
    )
    response = client_for(personas.officer_a).get(_action(person, "issue_management_decision"))
    expected_end = periods.months_later(timezone.localdate(), 6)
    assert expected_end.strftime("%d/%m/%Y") in response.text
    assert "6 tháng" in response.text


def test_treatment_planned_end_follows_the_chosen_form(places, personas, client_for):
    person = f.person(places.hamlet_a, birth_year=1990)
    person.status = Person.Status.ADDICT
    person.save()
    response = client_for(personas.officer_a).get(
        _action(person, "start_treatment"), {"form": "compulsory", "starts_on": "01/01/2026"}, HTTP_HX_REQUEST="true"
    )
    assert "31/12/2027" in response.text  # 24 months for an adult (configured maximum)


def test_an_action_not_allowed_from_the_current_status_is_refused(places, personas, client_for):
    person = f.person(places.hamlet_a)
    client = client_for(personas.officer_a)
    response = client.get(_action(person, "end_post_rehab"), follow=True)
    assert "Không thể" in response.text
    response = client.post(_action(person, "start_treatment"), {"form": "home", "starts_on": _today()})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Person.Status.NONE


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(places, personas, client_for):
    person = f.person(places.hamlet_a)
    future = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
    response = client_for(personas.officer_a).post(
        _action(person, "record_test"), {"tested_on": future, "result": "positive", "method": "quick_urine"}
    )
    assert response.status_code == 200
    assert "Ngày không được ở tương lai." in response.context["form"].errors["tested_on"]
    assert not DrugTest.objects.exists()


def test_action_on_a_file_changed_meanwhile_is_refused_and_shows_what_changed(places, personas, client_for):
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    seen = person.version
    # Another officer records a positive test in the meantime.
    lifecycle.person_record_test(actor=personas.admin, person=person, tested_on=timezone.localdate(), result="positive")
    response = client_for(personas.officer_a).post(
        _action(person, "record_test"),
        {"tested_on": _today(), "result": "negative", "method": "quick_urine", "seen_version": seen},
    )
    assert response.status_code == 200
    assert DrugTest.objects.count() == 1
    [row] = response.context["conflict"]
    assert (row.theirs, row.yours) == ("Dương tính, chờ quyết định quản lý", "Không thuộc diện quản lý")
    person.refresh_from_db()
    assert response.context["form"]["seen_version"].value() == person.version  # saving again is deliberate


def test_psychosis_flag_is_offered_and_recorded(places, personas, client_for):
    person = f.person(places.hamlet_a)
    client = client_for(personas.officer_a)
    assert _action(person, "flag_psychosis") in client.get(reverse("residents:person", args=[person.pk])).text
    client.post(_action(person, "flag_psychosis"), {"flagged_on": _today(), "note": "Hoang tưởng"})
    person.refresh_from_db()
    assert person.psychosis_risk


def test_reintegration_is_recorded_whatever_the_status_and_shown_on_the_timeline(places, personas, client_for):
    person = f.person(places.hamlet_a)
    client = client_for(personas.officer_a)
    response = client.post(
        _action(person, "record_reintegration"),
        {"released_on": _today(), "prison": "Trại giam Thanh Xuân", "offence": "Tàng trữ trái phép chất ma túy"},
    )
    assert response.status_code == 302
    text = client.get(reverse("residents:person", args=[person.pk])).text
    assert "Tái hòa nhập cộng đồng" in text
    assert "Trại giam Thanh Xuân" in text


@pytest.fixture
def managed_since_june(places, personas):
    """Lò Văn Tám, under management from 01/06/2026 on the positive test of that day."""
    person = f.person(places.hamlet_a, full_name="Lò Văn Tám")
    lifecycle.person_record_test(actor=personas.officer_a, person=person, tested_on=date(2026, 6, 1), result="positive")
    decision = lifecycle.ManagementDecision(number="7/QĐ", decided_on=date(2026, 6, 1), starts_on=date(2026, 6, 1))
    lifecycle.person_start_management(actor=personas.officer_a, person=person, decision=decision)
    return person


def test_restarting_management_without_a_new_positive_test_is_refused_on_the_form(
    managed_since_june, personas, client_for
):
    officer, person = personas.officer_a, managed_since_june
    person.refresh_from_db()
    client = client_for(officer)
    form = client.get(_action(person, "issue_management_decision"))
    assert "Chỉ quản lý lại khi có kết quả xét nghiệm dương tính mới sau ngày bắt đầu quản lý." in form.text
    response = client.post(
        _action(person, "issue_management_decision"),
        {"number": "9/QĐ", "decided_on": "01/09/2026", "starts_on": "01/09/2026", "seen_version": person.version},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Người này đang được quản lý từ ngày 01/06/2026: chỉ ra quyết định quản lý lại khi có kết quả xét nghiệm "
        "dương tính mới sau ngày đó."
    ]
    assert 'value="31/08/2027"' in response.text  # the end of the start the officer typed, not of today
    assert UserManagement.objects.filter(person=person).count() == 1


def test_restarting_management_after_a_new_positive_test_is_saved(managed_since_june, personas, client_for):
    officer, person = personas.officer_a, managed_since_june
    lifecycle.person_record_test(actor=officer, person=person, tested_on=date(2026, 8, 17), result="positive")
    person.refresh_from_db()
    client = client_for(officer)
    form = client.get(_action(person, "issue_management_decision"))
    assert "Đang quản lý từ 01/06/2026 đến 31/05/2027." in form.text
    # Monday 17/08/2026: three working days later is Thursday 20/08.
    assert "Xét nghiệm dương tính ngày 17/08/2026: hạn ra quyết định 20/08/2026." in form.text
    response = client.post(
        _action(person, "issue_management_decision"),
        {"number": "9/QĐ", "decided_on": "19/08/2026", "starts_on": "19/08/2026", "seen_version": person.version},
    )
    assert response.status_code == 302
    assert UserManagement.objects.get(person=person, ended_on__isnull=True).decision_number == "9/QĐ"


def test_management_end_follows_the_start_date_typed_on_the_decision_form(places, personas, client_for):
    person = f.person(places.hamlet_a)
    lifecycle.person_record_test(actor=personas.officer_a, person=person, tested_on=date(2026, 6, 1), result="positive")
    client = client_for(personas.officer_a)
    page = client.get(_action(person, "issue_management_decision")).text
    assert 'hx-trigger="change from:#id_decided_on, change from:#id_starts_on"' in page
    assert 'hx-select="#div_id_ends_on" hx-target="#div_id_ends_on"' in page
    response = client.get(
        _action(person, "issue_management_decision"),
        {"decided_on": "01/06/2026", "starts_on": "29/02/2028"},
        HTTP_HX_REQUEST="true",
    )
    assert response.context["form"]["ends_on"].value() == date(2029, 2, 28)
    assert 'value="28/02/2029"' in response.text
    # The start left empty: the period runs from the decision date.
    choice = {"decided_on": "31/01/2027", "starts_on": ""}
    response = client.get(_action(person, "issue_management_decision"), choice, HTTP_HX_REQUEST="true")
    assert response.context["form"]["ends_on"].value() == date(2028, 1, 30)


def test_treatment_form_says_when_a_minor_is_presumed_from_the_birth_year_alone(places, personas, client_for):
    only_year = f.person(places.hamlet_a, birth_year=2008, status=Person.Status.ADDICT)
    known_date = f.person(places.hamlet_a, birth_date=date(2008, 12, 31), status=Person.Status.ADDICT)
    client = client_for(personas.officer_a)
    choice = {"form": "compulsory", "starts_on": "15/01/2026"}
    response = client.get(_action(only_year, "start_treatment"), choice, HTTP_HX_REQUEST="true")
    assert response.context["form"]["planned_end_on"].value() == date(2027, 1, 14)  # 12 months, a minor's maximum
    assert (
        "Chỉ biết năm sinh (2008), chưa biết ngày sinh: có thể chưa đủ 18 tuổi vào ngày 15/01/2026 nên được tính "
        "như người chưa thành niên (có lợi cho người bị áp dụng)."
    ) in response.text
    response = client.get(_action(known_date, "start_treatment"), choice, HTTP_HX_REQUEST="true")
    assert response.context["form"]["planned_end_on"].value() == date(2027, 1, 14)
    assert "Chỉ biết năm sinh" not in response.text
    assert 'hx-include="#id_form, #id_starts_on, #id_decision_date"' in response.text


def _in_treatment(places, officer, *, form, birth_year=1980):
    person = f.person(places.hamlet_a, birth_year=birth_year, status=Person.Status.ADDICT)
    lifecycle.person_start_treatment(actor=officer, person=person, form=form, starts_on=date(2026, 1, 5))
    return person


def test_post_rehab_decision_end_follows_its_dates_on_the_end_treatment_form(places, personas, client_for):
    adult_compulsory = _in_treatment(places, personas.officer_a, form="compulsory")
    voluntary = _in_treatment(places, personas.officer_a, form="home")
    client = client_for(personas.officer_a)
    page = client.get(_action(adult_compulsory, "end_treatment")).text
    assert (
        'hx-trigger="change from:#id_ended_on, change from:#id_post_rehab_decided_on, '
        'change from:#id_post_rehab_starts_on"'
    ) in page
    assert 'hx-select="#div_id_post_rehab_ends_on"' in page

    def end(person, **choice):
        response = client.get(_action(person, "end_treatment"), choice, HTTP_HX_REQUEST="true")
        return response.context["form"]["post_rehab_ends_on"].value()

    # Two years after an adult's compulsory treatment, one after voluntary treatment, from the decision's start,
    # else the decision date, else the end of treatment; calendar-wise (from 29/02/2028, as residents.periods: 28/02).
    assert end(adult_compulsory, ended_on="31/01/2027") == date(2029, 1, 30)
    assert end(adult_compulsory, ended_on="31/01/2027", post_rehab_starts_on="29/02/2028") == date(2030, 2, 28)
    assert end(voluntary, ended_on="31/01/2027", post_rehab_decided_on="02/02/2027") == date(2028, 2, 1)


def test_post_rehab_end_shown_on_the_form_is_the_one_saved(places, personas, client_for):
    person = _in_treatment(places, personas.officer_a, form="home")
    person.refresh_from_db()
    response = client_for(personas.officer_a).post(
        _action(person, "end_treatment"),
        {
            "ended_on": "05/07/2026",
            "outcome": "completed",
            "post_rehab_number": "51/QĐ",
            "post_rehab_decided_on": "06/07/2026",
            "post_rehab_starts_on": "07/07/2026",
            "post_rehab_ends_on": "01/01/2030",  # disabled: a posted value is ignored
            "seen_version": person.version,
        },
    )
    assert response.status_code == 302
    assert person.postrehabmanagements.get().ends_on == date(2027, 7, 6)


def test_assessment_form_gives_the_deadline_to_register_a_treatment_form(places, personas, client_for):
    person = f.person(places.hamlet_a)
    lifecycle.person_record_test(actor=personas.officer_a, person=person, tested_on=date(2026, 6, 1), result="positive")
    # Thursday 10/12/2026 in Vietnam: five working days later is Thursday 17/12 (the weekend does not count).
    with time_machine.travel(date(2026, 12, 10), tick=False):
        form = client_for(personas.officer_a).get(_action(person, "record_assessment"))
    assert "trong 5 ngày làm việc (xác định hôm nay thì hạn là 17/12/2026)" in form.text
