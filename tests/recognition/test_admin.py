"""The recognition models in the admin (recognition/admin.py): what each role may change there, and that the rules of
the services still hold. Every URL × persona is walked by tests/test_admin_access.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AccessLog, Role
from recognition.models import Decision, Dossier, DossierCriterion, Evidence, ProvinceTarget
from recognition.services import dossiers
from tests import factories as f

from .conftest import TODAY, recognised, registered, submitted
from .test_evidence import PDF

pytestmark = pytest.mark.django_db


def _url(model, page, *args):
    return reverse(f"admin:recognition_{model._meta.model_name}_{page}", args=args)


def test_a_draft_dossiers_texts_are_saved_through_the_service_and_the_approval_lapses(rw, client):
    dossier = dossiers.freeze_dossier(recognition=registered(rw), as_of=TODAY, actor=rw.personas.officer_a)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    client.force_login(rw.personas.officer_a)
    response = client.post(
        _url(Dossier, "change", dossier.pk), {"self_assessment": "Biên bản sửa trong trang quản trị", "proposal": ""}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.self_assessment == "Biên bản sửa trong trang quản trị"
    assert (dossier.state, dossier.approved_by) == (Dossier.State.DRAFT, None)


def test_a_submitted_dossier_is_read_only_in_the_admin(rw, client):
    _, dossier = submitted(rw)
    for user in (rw.personas.officer_a, rw.personas.admin):
        client.force_login(user)
        page = client.get(_url(Dossier, "change", dossier.pk)).content.decode()
        assert 'name="_save"' not in page and 'name="proposal"' not in page
        assert client.post(_url(Dossier, "change", dossier.pk), {"proposal": "Sửa sau khi nộp"}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.proposal == ""


def test_frozen_gap_lists_are_read_logged_and_never_shown_to_another_commune(rw, client):
    recognition = registered(rw)
    dossier = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=rw.personas.officer_a)
    pledged = dossier.criteria.get(metric_key="households_pledged")
    client.force_login(rw.personas.officer_a)
    page = client.get(_url(DossierCriterion, "change", pledged.pk)).content.decode()
    assert "Lò Thị Hoa" in page  # the household not pledged yet, in the frozen list
    assert AccessLog.objects.filter(object_type="recognition.dossiercriterion", object_id=str(pledged.pk)).exists()
    client.force_login(rw.personas.officer_b)
    assert client.get(_url(DossierCriterion, "change", pledged.pk)).status_code == 404
    assert client.get(_url(DossierCriterion, "history", pledged.pk)).status_code == 404
    assert "Lò Thị Hoa" not in client.get(_url(DossierCriterion, "changelist")).content.decode()


def test_an_evidence_file_opens_only_through_the_scoped_view(rw, client):
    dossier = dossiers.freeze_dossier(recognition=registered(rw), as_of=TODAY, actor=rw.personas.officer_a)
    evidence = dossiers.attach_evidence(
        dossier=dossier,
        upload=SimpleUploadedFile("ke-hoach.pdf", PDF),
        kind=Evidence.Kind.PLAN,
        title="Kế hoạch",
        criterion=None,
        actor=rw.personas.officer_a,
    )
    client.force_login(rw.personas.officer_a)
    page = client.get(_url(Evidence, "change", evidence.pk)).content.decode()
    assert f'href="/recognition/evidence/{evidence.pk}/"' in page
    assert evidence.file.name not in page


def test_officers_read_the_councils_records_and_only_administrators_correct_their_wording(rw, client):
    recognition = recognised(rw)
    decision = Decision.objects.get(recognition=recognition)
    client.force_login(rw.personas.officer_a)
    assert client.get(_url(Decision, "change", decision.pk)).status_code == 200
    data = {"signer": "Người khác", "note": ""}
    assert client.post(_url(Decision, "change", decision.pk), data).status_code == 403
    client.force_login(rw.personas.admin)
    assert client.post(_url(Decision, "change", decision.pk), {**data, "number": "99/QĐ"}).status_code == 302
    decision.refresh_from_db()
    # The wording changed; the number (a field the service wrote) did not.
    assert (decision.signer, decision.number) == ("Người khác", "15/QĐ-UBND")


def test_the_roadmap_targets_are_seen_in_their_province_and_set_by_administrators(rw, client):
    client.force_login(rw.personas.admin)
    data = {"province": rw.places.province.pk, "year": 2027, "target_communes": 40, "note": "KH 695"}
    assert client.post(_url(ProvinceTarget, "add"), data).status_code == 302
    target = ProvinceTarget.objects.get(province=rw.places.province, year=2027)
    assert target.history.count() == 1
    client.force_login(rw.personas.officer_a)
    assert client.get(_url(ProvinceTarget, "change", target.pk)).status_code == 200
    assert client.post(_url(ProvinceTarget, "change", target.pk), {"target_communes": 1}).status_code == 403
    other = f.user("cand_nghethu", Role.COMMUNE_OFFICER, commune=rw.places.commune_c, is_staff=True)
    client.force_login(other)
    assert client.get(_url(ProvinceTarget, "change", target.pk)).status_code == 404
    assert "KH 695" not in client.get(_url(ProvinceTarget, "changelist")).content.decode()
