"""The cycle through its services, against a small hand-counted criteria set (conftest.programme)."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError

from recognition.models import Dossier, Recognition, Verdict
from recognition.models.dossier import Immutable
from recognition.selectors import dossier_changes, unit_status
from recognition.services import appraisal, dossiers, keeping
from recognition.services.dossiers import GapsRemain

from .conftest import TODAY, decide, pledge_now, recognised, registered, revoked, submitted

pytestmark = pytest.mark.django_db


def test_freezing_copies_every_criterion_with_its_gap_list(rw):
    recognition = registered(rw)
    dossier = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=rw.personas.officer_a)
    rows = {c.metric_key: c for c in dossier.criteria.all()}
    assert set(rows) == {"households_pledged", "active_hotspots", "psychosis_serious_incidents"}
    pledged = rows["households_pledged"]
    # 1 of 2 residing households pledged this year: 50 %, one missing, named in the frozen list.
    assert (pledged.numerator, pledged.denominator, pledged.gap_size, pledged.met) == (1, 2, 1, False)
    assert [row["id"] for row in pledged.gap_rows] == [rw.unpledged.pk]
    assert "Lò Thị Hoa" in pledged.gap_rows[0]["cells"]
    assert rows["active_hotspots"].met and rows["active_hotspots"].gap_rows == []


def test_submission_is_refused_with_the_gaps_until_they_are_fixed(rw):
    recognition = registered(rw)
    officer = rw.personas.officer_a
    dossier = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=officer)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    with pytest.raises(GapsRemain) as refused:
        dossiers.submit_dossier(dossier=dossier, actor=officer)
    assert [c.metric_key for c in refused.value.unmet] == ["households_pledged"]
    assert "còn 1" in refused.value.messages[0]

    pledge_now(rw.unpledged)
    dossier = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=officer)
    # New figures: the leader's approval lapsed with the old ones.
    assert dossier.state == Dossier.State.DRAFT and dossier.criteria.filter(met=False).count() == 0
    with pytest.raises(ValidationError, match="phê duyệt"):
        dossiers.submit_dossier(dossier=dossier, actor=officer)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    dossiers.submit_dossier(dossier=dossier, actor=officer)
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.SUBMITTED
    assert unit_status(rw.places.commune_a).label == "Đã nộp hồ sơ"


def test_only_the_leader_approves(rw):
    dossier = dossiers.freeze_dossier(recognition=registered(rw), as_of=TODAY, actor=rw.personas.officer_a)
    with pytest.raises(PermissionDenied):
        dossiers.approve_dossier(dossier=dossier, actor=rw.personas.officer_a)


def test_a_submitted_dossier_never_changes(rw):
    recognition, dossier = submitted(rw)
    dossier.proposal = "Sửa sau khi nộp"
    with pytest.raises(Immutable):
        dossier.save()
    with pytest.raises(ValidationError):
        dossiers.update_dossier_texts(dossier=dossier, self_assessment="x", proposal="y", actor=rw.personas.officer_a)
    with pytest.raises(Immutable):
        dossier.criteria.first().save()
    with pytest.raises(ValidationError):
        dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=rw.personas.officer_a)


def test_return_and_supplement_show_what_changed(rw):
    recognition, first = submitted(rw)
    pledged = first.criteria.get(metric_key="households_pledged")
    appraisal.give_verdict(
        criterion=pledged, result=Verdict.Result.SUPPLEMENT, comment="Thiếu bản cam kết quét", actor=rw.council
    )
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.IN_APPRAISAL
    appraisal.return_dossier(dossier=first, reasons="Bổ sung bản quét cam kết của hộ", actor=rw.council)
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.RETURNED
    assert [v.comment for v in appraisal.supplement_requests(first)] == ["Thiếu bản cam kết quét"]

    second = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=rw.personas.officer_a)
    assert (second.number, second.previous_id) == (2, first.pk)
    dossiers.update_dossier_texts(
        dossier=second, self_assessment="Biên bản mới", proposal=second.proposal, actor=rw.personas.officer_a
    )
    second.refresh_from_db()
    changes = dossier_changes(second)
    assert changes.texts_changed == ["biên bản tự đánh giá"] and changes.figures == []
    first.refresh_from_db()
    assert first.state == Dossier.State.RETURNED


def test_recognition_needs_every_criterion_passed_and_holds_the_configured_years(rw, settings):
    settings.RECOGNITION_VALID_MONTHS = 36
    recognition, dossier = submitted(rw)
    with pytest.raises(ValidationError, match="chưa được hội đồng kết luận đạt"):
        decide(recognition, rw.personas.reviewer)
    for criterion in dossier.criteria.all():
        appraisal.give_verdict(criterion=criterion, result=Verdict.Result.PASS, comment="", actor=rw.council)
    decision = decide(recognition, rw.personas.reviewer)
    assert decision.valid_from == TODAY
    assert decision.valid_until == TODAY + relativedelta(years=3, days=-1)
    assert unit_status(rw.places.commune_a).label == "Đã công nhận"


def test_the_commune_cannot_appraise_its_own_dossier_nor_another_province_council(rw):
    recognition, dossier = submitted(rw)
    criterion = dossier.criteria.first()
    for actor in (rw.personas.officer_a, rw.leader, rw.personas.reviewer):
        with pytest.raises(PermissionDenied):
            appraisal.give_verdict(criterion=criterion, result=Verdict.Result.PASS, comment="", actor=actor)


def test_revocation_only_after_recognition_and_it_ends_the_cycle(rw):
    hamlet_cycle = registered(rw, hamlet=rw.places.hamlet_a)
    with pytest.raises(ValidationError, match="Thu hồi"):
        keeping.revoke(
            recognition=hamlet_cycle, number="2/QĐ", signed_on=TODAY, signer="A", reasons="x", actor=rw.personas.admin
        )
    recognition = recognised(rw)
    revoked(rw, recognition)
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.REVOKED
    assert unit_status(rw.places.commune_a).label == "Bị thu hồi"
    assert recognition.history.count() >= 4
