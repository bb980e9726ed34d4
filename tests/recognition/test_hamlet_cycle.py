"""A hamlet's cycle ("thôn, bản, khu phố sạch về ma túy"): its own criteria set (level hamlet), figures of the hamlet
alone, and the commune's leader appraises and decides, not the province's council."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from progress.models import Criterion, Level, Programme
from recognition.models import Recognition, Verdict
from recognition.services import appraisal, dossiers
from tests import factories as f

from .conftest import TODAY, decide, pledge_now, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def hamlet_set(rw):
    programme = Programme.objects.create(
        name="Khu phố sạch về ma túy (thử)",
        legal_document="KH 2/KH-THU",
        province=rw.places.province,
        level=Level.HAMLET,
        period_start=date(TODAY.year, 1, 1),
        period_end=date(TODAY.year + 4, 12, 31),
    )
    Criterion.objects.create(
        programme=programme, order=1, metric_key="households_pledged", comparison="gte", target=100
    )
    return programme


def test_the_commune_leader_recognises_its_hamlet_on_the_hamlets_own_figures(rw, hamlet_set):
    # Khu phố Sỏi has H1 (pledged) and H2 (not); Bản Na Nghịu's unpledged household must not count against Sỏi.
    f.household(rw.places.hamlet_a2, code="N1", head_name="Vi Văn Nghịu")
    cycle = registered(rw, hamlet=rw.places.hamlet_a)
    pledge_now(rw.unpledged)
    dossier = dossiers.freeze_dossier(recognition=cycle, as_of=TODAY, actor=rw.personas.officer_a)
    [row] = dossier.criteria.all()
    assert (dossier.programme, row.numerator, row.denominator, row.met) == (hamlet_set, 2, 2, True)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)

    with pytest.raises(PermissionDenied):
        appraisal.give_verdict(criterion=row, result=Verdict.Result.PASS, comment="", actor=rw.council)
    appraisal.give_verdict(criterion=row, result=Verdict.Result.PASS, comment="", actor=rw.leader)
    decide(cycle, rw.leader, number="45/QĐ-UBND", signer="Chủ tịch UBND xã")
    cycle.refresh_from_db()
    assert cycle.status == Recognition.Status.RECOGNISED
