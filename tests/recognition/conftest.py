"""A recognition world: a small criteria set whose gaps a test can open and close by hand, the commune's leader, the
province's appraisal council, and helpers that walk a cycle to a given stage through the services."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Role
from communes.models import Hotspot
from progress.models import Criterion, Programme
from recognition.models import Alert, Decision, Verdict
from recognition.services import appraisal, dossiers, keeping, registration
from tests import factories as f

TODAY = timezone.localdate()


def pledge_now(household):
    return f.pledge(household, year=TODAY.year, signed_on=TODAY.replace(month=1, day=1))


@pytest.fixture
def programme(places):
    """Three criteria: every household pledged (rate), no active hotspot and no serious incident (counts)."""
    Programme.objects.update(is_active=False)
    programme = Programme.objects.create(
        name="Bộ tiêu chí thử",
        legal_document="KH 1/KH-THU",
        province=places.province,
        period_start=date(TODAY.year, 1, 1),
        period_end=date(TODAY.year + 4, 12, 31),
    )
    for order, (key, comparison, target) in enumerate(
        [("households_pledged", "gte", 100), ("active_hotspots", "lte", 0), ("psychosis_serious_incidents", "lte", 0)],
        start=1,
    ):
        Criterion.objects.create(programme=programme, order=order, metric_key=key, comparison=comparison, target=target)
    return programme


@pytest.fixture
def rw(places, personas, programme):
    """Commune A with two households (one pledged), its leader and the province's council."""
    household = f.household(places.hamlet_a, code="H1", head_name="Hà Văn Minh")
    unpledged = f.household(places.hamlet_a, code="H2", head_name="Lò Thị Hoa")
    pledge_now(household)
    return SimpleNamespace(
        places=places,
        personas=personas,
        programme=programme,
        unpledged=unpledged,
        leader=f.user("ct_quanson", Role.COMMUNE_OFFICER, commune=places.commune_a, is_unit_leader=True),
        council=f.user("hd_thamdinh", Role.APPRAISAL_COUNCIL, province=places.province, full_name="Lê Thị Hội"),
        council_other=f.user("hd_nghean", Role.APPRAISAL_COUNCIL, province=places.other_province),
    )


def registered(rw, hamlet=None):
    return registration.register(
        commune=rw.places.commune_a, hamlet=hamlet, target_year=TODAY.year, actor=rw.personas.officer_a
    )


def submitted(rw):
    """Registered, gap closed, frozen, approved by the leader, submitted."""
    recognition = registered(rw)
    pledge_now(rw.unpledged)
    dossier = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=rw.personas.officer_a)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)
    recognition.refresh_from_db()
    dossier.refresh_from_db()
    return recognition, dossier


def decide(recognition, actor, number="15/QĐ-UBND", signer="Chủ tịch UBND tỉnh"):
    """Record the recognition, signed today."""
    return appraisal.record_decision(
        recognition=recognition,
        outcome=Decision.Outcome.RECOGNISED,
        number=number,
        signed_on=TODAY,
        signer=signer,
        actor=actor,
    )


def recognised(rw):
    recognition, dossier = submitted(rw)
    for criterion in dossier.criteria.all():
        appraisal.give_verdict(criterion=criterion, result=Verdict.Result.PASS, comment="", actor=rw.council)
    decide(recognition, rw.personas.reviewer)
    recognition.refresh_from_db()
    return recognition


def revoked(rw, recognition, number="21/QĐ-UBND"):
    return keeping.revoke(
        recognition=recognition,
        number=number,
        signed_on=TODAY,
        signer="Chủ tịch UBND tỉnh",
        reasons="Phát sinh tụ điểm mua bán",
        actor=rw.personas.reviewer,
    )


def hotspot(commune, days_ago=1):
    return Hotspot.objects.create(
        commune=commune,
        kind=Hotspot.Kind.SELLING,
        location="Bãi đất trống cuối bản",
        detected_on=TODAY - timedelta(days=days_ago),
    )


def open_alert(recognition, n, *, closed=False):
    """An alert of the live watch about hotspot n, straight in the database (open unless `closed`)."""
    return Alert.objects.create(
        recognition=recognition,
        commune=recognition.commune,
        metric_key="active_hotspots",
        criterion_title="Không còn tụ điểm",
        object_type="communes.hotspot",
        object_id=str(n),
        event=f"Tụ điểm {n}",
        closed_at=timezone.now() if closed else None,
    )
