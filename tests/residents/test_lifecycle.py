"""The legal lifecycle through its services: allowed transitions, refused ones, pre-filled legal periods."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from drugfree.concurrency import EditConflict
from residents import periods
from residents.models import DrugTest, Person, PostRehabManagement, Treatment, UserManagement
from residents.models.records import EndReason
from residents.services import lifecycle as L
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def tam(places):
    return f.person(places.hamlet_a, full_name="Lò Văn Tám", birth_year=1990, sex="male")


def _positive(officer, person, days_ago=10):
    return L.person_record_test(
        actor=officer,
        person=person,
        tested_on=TODAY - timedelta(days=days_ago),
        result=DrugTest.Result.POSITIVE,
        substances="Methamphetamine",
    )


def _decision(days_ago=5):
    day = TODAY - timedelta(days=days_ago)
    return L.ManagementDecision(number="12/QĐ-UBND", decided_on=day, starts_on=day)


def test_suspect_tested_negative_leaves_the_list(tam, personas):
    L.person_list_as_suspect(actor=personas.officer_a, person=tam, listed_on=TODAY - timedelta(days=9), trigger="tip")
    L.person_record_test(actor=personas.officer_a, person=tam, tested_on=TODAY, result=DrugTest.Result.NEGATIVE)
    tam.refresh_from_db()
    assert tam.status == Person.Status.NONE
    suspicion = tam.suspicions.get()
    assert suspicion.closed_on == TODAY
    assert suspicion.tests.get().result == DrugTest.Result.NEGATIVE


def test_positive_test_then_decision_starts_one_year_of_management(tam, personas):
    _positive(personas.officer_a, tam)
    tam.refresh_from_db()
    assert tam.status == Person.Status.POSITIVE
    management = L.person_start_management(actor=personas.officer_a, person=tam, decision=_decision())
    tam.refresh_from_db()
    assert tam.status == Person.Status.USER
    assert management.ends_on == management.starts_on.replace(year=management.starts_on.year + 1) - timedelta(days=1)


def test_decision_without_positive_test_is_refused_with_a_message(tam, personas):
    with pytest.raises(ValidationError) as error:
        L.person_start_management(actor=personas.officer_a, person=tam, decision=_decision())
    assert "Không thể" in str(error.value)
    assert not UserManagement.objects.exists()


def test_re_use_restarts_the_management_year(tam, personas):
    _positive(personas.officer_a, tam, days_ago=200)
    first = L.person_start_management(actor=personas.officer_a, person=tam, decision=_decision(days_ago=195))
    _positive(personas.officer_a, tam, days_ago=3)
    second = L.person_start_management(actor=personas.officer_a, person=tam, decision=_decision(days_ago=1))
    first.refresh_from_db()
    assert first.ended_on == second.starts_on
    assert first.end_reason == EndReason.RE_USE
    assert tam.usermanagements.filter(ended_on__isnull=True).get() == second


def test_addiction_assessment_needs_three_criteria_and_stops_user_management(tam, personas):
    _positive(personas.officer_a, tam, days_ago=40)
    L.person_start_management(actor=personas.officer_a, person=tam, decision=_decision(days_ago=38))
    L.person_record_assessment(
        actor=personas.officer_a, person=tam, assessed_on=TODAY - timedelta(days=20), facility="TTYT", criteria_met=2
    )
    tam.refresh_from_db()
    assert tam.status == Person.Status.USER
    L.person_record_assessment(
        actor=personas.officer_a, person=tam, assessed_on=TODAY - timedelta(days=10), facility="TTYT", criteria_met=3
    )
    tam.refresh_from_db()
    assert tam.status == Person.Status.ADDICT
    assert tam.usermanagements.get().end_reason == EndReason.ADDICTED


def _addict(person, officer):
    _positive(officer, person, days_ago=400)
    L.person_record_assessment(
        actor=officer, person=person, assessed_on=TODAY - timedelta(days=390), facility="TTYT", criteria_met=4
    )


def test_completed_adult_compulsory_treatment_gives_two_years_post_rehab(tam, personas):
    _addict(tam, personas.officer_a)
    started = TODAY - timedelta(days=380)
    treatment = L.person_start_treatment(
        actor=personas.officer_a, person=tam, form=Treatment.Form.COMPULSORY, starts_on=started
    )
    assert treatment.planned_end_on == periods.months_later(started, 24)
    post = L.person_end_treatment(
        actor=personas.officer_a, person=tam, ended_on=TODAY - timedelta(days=10), outcome=Treatment.Outcome.COMPLETED
    )
    tam.refresh_from_db()
    assert tam.status == Person.Status.POST_REHAB
    assert post.ends_on == periods.months_later(post.starts_on, 24)


def test_voluntary_treatment_gives_one_year_post_rehab_then_ends(tam, personas):
    _addict(tam, personas.officer_a)
    L.person_start_treatment(
        actor=personas.officer_a, person=tam, form=Treatment.Form.HOME_COMMUNITY, starts_on=TODAY - timedelta(days=200)
    )
    post = L.person_end_treatment(
        actor=personas.officer_a, person=tam, ended_on=TODAY - timedelta(days=20), outcome=Treatment.Outcome.COMPLETED
    )
    assert post.ends_on == periods.months_later(post.starts_on, 12)
    L.person_end_post_rehab(actor=personas.officer_a, person=tam, ended_on=TODAY)
    tam.refresh_from_db()
    assert tam.status == Person.Status.ENDED
    assert PostRehabManagement.objects.get().end_reason == EndReason.COMPLETED


def test_dropping_out_of_treatment_makes_the_person_an_addict_again(tam, personas):
    _addict(tam, personas.officer_a)
    L.person_start_treatment(
        actor=personas.officer_a, person=tam, form=Treatment.Form.METHADONE, starts_on=TODAY - timedelta(days=60)
    )
    L.person_end_treatment(actor=personas.officer_a, person=tam, ended_on=TODAY, outcome=Treatment.Outcome.DROPPED_OUT)
    tam.refresh_from_db()
    assert tam.status == Person.Status.ADDICT
    assert L.Action.START_TREATMENT in L.allowed_actions(tam)


def test_treatment_cannot_start_before_addiction_is_established(tam, personas):
    _positive(personas.officer_a, tam)
    with pytest.raises(ValidationError):
        L.person_start_treatment(
            actor=personas.officer_a, person=tam, form=Treatment.Form.FACILITY, starts_on=TODAY - timedelta(days=1)
        )
    assert not Treatment.objects.exists()


def test_stopping_management_closes_every_open_period(tam, personas):
    _addict(tam, personas.officer_a)
    L.person_start_treatment(
        actor=personas.officer_a, person=tam, form=Treatment.Form.FACILITY, starts_on=TODAY - timedelta(days=100)
    )
    L.person_stop_management(actor=personas.officer_a, person=tam, stopped_on=TODAY, reason=EndReason.PRISON)
    tam.refresh_from_db()
    assert tam.status == Person.Status.ENDED
    assert tam.treatments.get().outcome == Treatment.Outcome.STOPPED


def test_future_dates_are_refused(tam, personas):
    with pytest.raises(ValidationError):
        L.person_record_test(
            actor=personas.officer_a, person=tam, tested_on=TODAY + timedelta(days=2), result=DrugTest.Result.NEGATIVE
        )
    assert not DrugTest.objects.exists()


def test_only_allowed_actions_are_offered(tam, personas):
    assert L.allowed_actions(tam) == [L.Action.LIST_SUSPECT, L.Action.RECORD_TEST]
    _positive(personas.officer_a, tam)
    tam.refresh_from_db()
    assert L.Action.ISSUE_MANAGEMENT_DECISION in L.allowed_actions(tam)
    assert L.Action.END_POST_REHAB not in L.allowed_actions(tam)


def test_management_decision_deadline_counts_working_days_and_holidays():
    # From Fri 24/04/2026: weekend, Mon 27/04 (Giỗ Tổ observed), then 28, 29 work; 30/04, 01/05 and the weekend
    # are off, so the third working day is Mon 04/05.
    assert periods.management_decision_due(date(2026, 4, 24)) == date(2026, 5, 4)
    assert periods.management_decision_due(date(2026, 4, 29)) == date(2026, 5, 6)


@override_settings(DRUGFREE_LEGAL_PERIODS={**periods.settings.DRUGFREE_LEGAL_PERIODS, "user_management_months": 6})
def test_legal_periods_come_from_configuration():
    assert periods.user_management_end(date(2026, 7, 1)) == date(2026, 12, 31)


def test_treatment_cannot_end_before_it_started(tam, personas):
    _addict(tam, personas.officer_a)
    started = TODAY - timedelta(days=30)
    L.person_start_treatment(actor=personas.officer_a, person=tam, form=Treatment.Form.FACILITY, starts_on=started)
    with pytest.raises(ValidationError) as error:
        L.person_end_treatment(
            actor=personas.officer_a,
            person=tam,
            ended_on=started - timedelta(days=1),
            outcome=Treatment.Outcome.COMPLETED,
        )
    assert error.value.message_dict["ended_on"] == [
        f"Ngày kết thúc không được trước ngày bắt đầu ({started:%d/%m/%Y})."
    ]
    tam.refresh_from_db()
    assert tam.status == Person.Status.IN_TREATMENT


def _managed_since(officer, person, start: date):
    L.person_record_test(actor=officer, person=person, tested_on=start, result=DrugTest.Result.POSITIVE)
    return L.person_start_management(
        actor=officer, person=person, decision=L.ManagementDecision(number="7/QĐ", decided_on=start, starts_on=start)
    )


def test_restarting_management_needs_a_positive_test_after_the_current_period_started(tam, personas):
    officer = personas.officer_a
    first = _managed_since(officer, tam, date(2026, 6, 1))
    # A second positive result on the start day is part of the same decision, not re-use.
    L.person_record_test(actor=officer, person=tam, tested_on=date(2026, 6, 1), result=DrugTest.Result.POSITIVE)
    restart = L.ManagementDecision(number="9/QĐ", decided_on=date(2026, 9, 1), starts_on=date(2026, 9, 1))
    with pytest.raises(ValidationError) as error:
        L.person_start_management(actor=officer, person=tam, decision=restart)
    assert error.value.messages == [
        "Người này đang được quản lý từ ngày 01/06/2026: chỉ ra quyết định quản lý lại khi có kết quả xét nghiệm "
        "dương tính mới sau ngày đó."
    ]
    assert list(tam.usermanagements.all()) == [first]
    first.refresh_from_db()
    assert first.ended_on is None

    L.person_record_test(actor=officer, person=tam, tested_on=date(2026, 8, 28), result=DrugTest.Result.POSITIVE)
    second = L.person_start_management(actor=officer, person=tam, decision=restart)
    assert second.positive_test.tested_on == date(2026, 8, 28)
    assert second.ends_on == date(2027, 8, 31)
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason) == (date(2026, 9, 1), EndReason.RE_USE)


def test_an_action_on_a_file_someone_changed_since_the_form_opened_is_refused_and_writes_nothing(tam, personas):
    seen = tam.version  # the officer opens the test form
    L.person_list_as_suspect(actor=personas.officer_a, person=tam, listed_on=TODAY, trigger="tip")  # a colleague

    with pytest.raises(EditConflict):
        L.person_record_test(
            actor=personas.officer_a,
            person=Person.objects.get(pk=tam.pk),
            seen_version=seen,
            tested_on=TODAY,
            result=DrugTest.Result.POSITIVE,
            substances="Methamphetamine",
        )

    assert not DrugTest.objects.exists()
    assert Person.objects.get(pk=tam.pk).status == Person.Status.SUSPECTED
