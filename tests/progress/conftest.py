"""A hand-counted world for the Đề án 3822 metrics: commune A has one record of every situation, commune B little."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from communes.models import Hotspot, ProgrammePlan, SteeringCommittee
from pledges.models import HamletCommitment, PreventionModel
from progress.models import Programme
from residents.models import ArrestedSuspect, DrugCase, DrugTest, Household, Incident
from residents.models.records import EndReason
from residents.services import lifecycle as L
from tests import factories as f

TODAY = timezone.localdate()
YEAR = TODAY.year


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def positive(actor, person, days=10):
    return L.person_record_test(actor=actor, person=person, tested_on=ago(days), result=DrugTest.Result.POSITIVE)


def decision(days=5, number="12/QĐ-UBND"):
    return L.ManagementDecision(number=number, decided_on=ago(days), starts_on=ago(days))


def addict(actor, person, days=60):
    positive(actor, person, days)
    L.person_record_assessment(actor=actor, person=person, assessed_on=ago(days - 5), facility="TTYT", criteria_met=4)
    return person


@pytest.fixture
def programme(db):
    return Programme.objects.get(legal_document__startswith="Đề án 3822")


@pytest.fixture
def story(places, personas):
    """Commune A (hamlets a, a2) and B (hamlet b), counted by hand in each test's docstring or comment."""
    officer = personas.officer_a
    a, a2, b = places.hamlet_a, places.hamlet_a2, places.hamlet_b

    # Households: A has 3 residing (h1, h2 pledged this year; h3 only last year), h4 moved away (pledged), h5
    # dissolved; B has one residing household without a pledge.
    h1 = f.household(a, code="A-1", head_name="Hà Văn Một", members=4)
    h2 = f.household(a2, code="A-2", head_name="Lò Văn Hai", members=3)
    h3 = f.household(a, code="A-3", head_name="Vi Văn Ba", members=5)
    h4 = f.household(a, code="A-4", head_name="Cầm Văn Bốn", members=2, status=Household.Status.MOVED_AWAY)
    f.household(a, code="A-5", head_name="Đinh Văn Năm", members=6, status=Household.Status.DISSOLVED)
    hb = f.household(b, code="B-1", head_name="Bùi Văn Sáu", members=8)
    f.pledge(h1, year=YEAR, signed_on=ago(3))
    f.pledge(h2, year=YEAR, signed_on=ago(3))
    f.pledge(h3, year=YEAR - 1, signed_on=date(YEAR - 1, 3, 1))
    f.pledge(h4, year=YEAR, signed_on=ago(3))

    people = SimpleNamespace()
    p = people
    # Suspects: one untested, one tested negative, one listed twice (tested negative both times), one stopped.
    p.untested = f.person(a, full_name="Nghi Chưa Test")
    L.person_list_as_suspect(actor=officer, person=p.untested, listed_on=ago(5), trigger="tip")
    p.negative = f.person(a2, full_name="Nghi Âm Tính")
    L.person_list_as_suspect(actor=officer, person=p.negative, listed_on=ago(20), trigger="signs")
    L.person_record_test(actor=officer, person=p.negative, tested_on=ago(18), result="negative")
    p.twice = f.person(a, full_name="Nghi Hai Lần")
    for listed, tested in [(90, 88), (30, 28)]:
        L.person_list_as_suspect(actor=officer, person=p.twice, listed_on=ago(listed), trigger="tip")
        L.person_record_test(actor=officer, person=p.twice, tested_on=ago(tested), result="negative")
    p.suspect_moved = f.person(a, full_name="Nghi Chuyển Đi")
    L.person_list_as_suspect(actor=officer, person=p.suspect_moved, listed_on=ago(40), trigger="tip")
    L.person_stop_management(actor=officer, person=p.suspect_moved, stopped_on=ago(35), reason=EndReason.MOVED)

    # Listed, then positive, awaiting a decision (found through the list: not missed).
    p.awaiting = f.person(a, full_name="Dương Tính Chờ")
    L.person_list_as_suspect(actor=officer, person=p.awaiting, listed_on=ago(12), trigger="caught")
    positive(officer, p.awaiting, days=10)
    # A user under management, positive again (re-use while managed: not missed, counted once).
    p.user = f.person(a, full_name="Sử Dụng Quản Lý")
    positive(officer, p.user, days=100)  # found outside the list: missed
    L.person_start_management(actor=officer, person=p.user, decision=decision(95))
    positive(officer, p.user, days=20)
    # A user whose management was stopped (prison): neither a user nor counted as active.
    p.user_ended = f.person(a, full_name="Sử Dụng Đã Dừng")
    L.person_list_as_suspect(actor=officer, person=p.user_ended, listed_on=ago(200), trigger="tip")
    positive(officer, p.user_ended, days=199)
    L.person_start_management(actor=officer, person=p.user_ended, decision=decision(195))
    L.person_stop_management(actor=officer, person=p.user_ended, stopped_on=ago(50), reason=EndReason.PRISON)
    # Addicts: one not in treatment (found with two positive tests outside the list: missed, once), one in
    # treatment, one whose treatment was stopped (death).
    p.addict = f.person(a2, full_name="Nghiện Chưa Cai")
    positive(officer, p.addict, days=70)
    addict(officer, p.addict, days=60)
    p.in_treatment = f.person(a, full_name="Đang Cai Nghiện")
    L.person_list_as_suspect(actor=officer, person=p.in_treatment, listed_on=ago(400), trigger="tip")
    addict(officer, p.in_treatment, days=390)
    L.person_start_treatment(actor=officer, person=p.in_treatment, form="home", starts_on=ago(300))
    p.addict_dead = f.person(a, full_name="Nghiện Đã Chết")
    L.person_list_as_suspect(actor=officer, person=p.addict_dead, listed_on=ago(400), trigger="tip")
    addict(officer, p.addict_dead, days=390)
    L.person_start_treatment(actor=officer, person=p.addict_dead, form="facility", starts_on=ago(300))
    L.person_end_treatment(actor=officer, person=p.addict_dead, ended_on=ago(10), outcome="stopped")
    # Post-rehab: one with a Mẫu 51 decision, one without.
    for name, number in [("Sau Cai Có QĐ", "51/QĐ"), ("Sau Cai Chưa QĐ", None)]:
        person = f.person(a, full_name=name)
        L.person_list_as_suspect(actor=officer, person=person, listed_on=ago(500), trigger="tip")
        addict(officer, person, days=490)
        L.person_start_treatment(actor=officer, person=person, form="facility", starts_on=ago(480))
        L.person_end_treatment(
            actor=officer,
            person=person,
            ended_on=ago(100),
            outcome="completed",
            post_rehab_decision=decision(100, number) if number else None,
        )
    # Commune B: one user found outside the list.
    p.user_b = f.person(b, full_name="Người Xã Khác")
    positive(personas.officer_b, p.user_b, days=30)

    # Incidents: only the very serious one by a person with psychosis within 12 months counts.
    for severity, by_psychosis, days in [
        (Incident.Severity.VERY_SERIOUS, True, 30),
        (Incident.Severity.ESPECIALLY_SERIOUS, True, 400),
        (Incident.Severity.SERIOUS, True, 10),
        (Incident.Severity.ESPECIALLY_SERIOUS, False, 10),
    ]:
        Incident.objects.create(
            commune=places.commune_a, hamlet=a, occurred_on=ago(days), severity=severity,
            caused_by_psychosis=by_psychosis, description="Vụ việc",
        )  # fmt: skip

    # Hotspots: detected and dealing (organised use) are active, cleared is not.
    for status, kind in [("detected", "selling"), ("dealing", "use"), ("cleared", "use")]:
        Hotspot.objects.create(
            commune=places.commune_a, hamlet=a2, kind=kind, location=f"Điểm {status}", detected_on=ago(90),
            status=status, cleared_on=ago(5) if status == "cleared" else None,
        )  # fmt: skip

    # Models: A has one active and one ended; B none.
    PreventionModel.objects.create(commune=places.commune_a, name="Khu phố sạch", launched_on=ago(300))
    PreventionModel.objects.create(
        commune=places.commune_a, name="Mô hình cũ", launched_on=ago(900), status="ended", ended_on=ago(400)
    )
    # BCĐ and plan: A has both, B only the committee.
    SteeringCommittee.objects.create(commune=places.commune_a, head_name="Lương Văn Kiên")
    ProgrammePlan.objects.create(commune=places.commune_a, number="15/KH-BCĐ", issued_on=ago(100), target_year=YEAR)
    SteeringCommittee.objects.create(commune=places.commune_b, head_name="Phạm Văn Hùng")
    # Hamlet commitments: hamlet a this year, a2 only last year.
    HamletCommitment.objects.create(hamlet=a, year=YEAR, registered_on=ago(30), signed_by="Lò Văn Hặc")
    HamletCommitment.objects.create(hamlet=a2, year=YEAR - 1, registered_on=date(YEAR - 1, 2, 1), signed_by="X")

    # Arrests: 2 within 12 months in A (hamlet a), 1 older.
    case = DrugCase.objects.create(commune=places.commune_a, hamlet=a, detected_on=ago(60), offence="Mua bán")
    old = DrugCase.objects.create(commune=places.commune_a, hamlet=a, detected_on=ago(500), offence="Tàng trữ")
    for suspect_case, name, days in [(case, "Bắt Một", 60), (case, "Bắt Hai", 60), (old, "Bắt Cũ", 500)]:
        ArrestedSuspect.objects.create(case=suspect_case, full_name=name, arrested_on=ago(days))
    return SimpleNamespace(households=SimpleNamespace(h1=h1, h2=h2, h3=h3, h4=h4, hb=hb), people=people)
