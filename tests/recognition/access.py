"""The recognition pages in the URL × persona matrix (tests/test_url_access.py). The world's cycle of commune A is
built once per test, straight in the database, at the stage every action below can start from: a submitted
dossier with one frozen criterion and one evidence file, and an open alert."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from progress.models import Programme
from recognition.models import Alert, Dossier, DossierCriterion, Evidence, Recognition
from tests.access import COMMUNE_READ, Route

# Aggregates of the commune: its roles and reviewers of its area.
FIGURES = {**COMMUNE_READ, "reviewer": 200}
# The commune's officers act for it (302 back to the page, whatever the service answered).
WRITE = {"officer_a": 302, "viewer_a": 403, "officer_b": 404, "reviewer": 403, "reviewer_personal": 403, "admin": 302}
# The council appraises (no council persona here: see test_council.py); nobody of the commune does.
APPRAISE = {**WRITE, "officer_a": 403}
# The deciding authority (RECOGNITION_DECIDE_ROLES: reviewers, administrators) records decisions and revocations.
DECIDE = {**APPRAISE, "reviewer": 302, "reviewer_personal": 302}
# The commune's leader approves (none of the shared personas is a leader).
APPROVE = APPRAISE
# Evidence may name people: roles that see names, or that appraise.
EVIDENCE = {**COMMUNE_READ, "reviewer": 403}
AREA = {"officer_a": 302, "viewer_a": 302, "officer_b": 302, "reviewer": 200, "reviewer_personal": 200, "admin": 200}
EVERYONE = dict.fromkeys(WRITE, 200)
PROVINCE_WRITE = {**dict.fromkeys(WRITE, 403), "reviewer": 302, "reviewer_personal": 302, "admin": 302}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cycle(world):
    if not hasattr(world.extra, "recognition"):
        places, officer = world.places, world.personas.officer_a
        world.extra.recognition = Recognition.objects.create(
            commune=places.commune_a,
            target_year=timezone.localdate().year,
            status=Recognition.Status.SUBMITTED,
            registered_on=timezone.localdate(),
            registered_by=officer,
        )
        dossier = Dossier.objects.create(
            recognition=world.extra.recognition,
            programme=Programme.objects.first(),
            programme_name="Đề án 3822",
            as_of=timezone.localdate(),
            frozen_by=officer,
            approved_by=officer,
            state=Dossier.State.APPROVED,
        )
        world.extra.criterion = DossierCriterion.objects.create(
            dossier=dossier,
            order=1,
            title="Hộ ký cam kết",
            metric_key="households_pledged",
            comparison="gte",
            target=100,
            target_display="≥ 100 %",
            value=100,
            value_display="100 %",
            numerator=2,
            denominator=2,
            gap_size=0,
            met=True,
        )
        evidence = Evidence(
            dossier=dossier,
            kind=Evidence.Kind.PLAN,
            title="Kế hoạch 70/KH-BCĐ",
            original_name="kh.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=officer,
        )
        evidence.file.save("kh.pdf", ContentFile(PDF), save=False)
        evidence.save()
        Dossier.objects.filter(pk=dossier.pk).update(state=Dossier.State.SUBMITTED)
        world.extra.dossier, world.extra.evidence = dossier, evidence
        world.extra.alert = Alert.objects.create(
            recognition=world.extra.recognition,
            commune=places.commune_a,
            metric_key="active_hotspots",
            criterion_title="Không còn tụ điểm",
            object_type="communes.hotspot",
            object_id="1",
            event="Tụ điểm mới",
        )
    return world.extra.recognition


def _cycle_url(name):
    return lambda w: reverse(name, kwargs={"pk": cycle(w).pk})


def _dossier_url(name):
    return lambda w: cycle(w) and reverse(name, kwargs={"pk": w.extra.dossier.pk})


def _commune_url(name):
    return lambda w: reverse(name, kwargs={"code": w.places.commune_a.code})


ROUTES = [
    Route("recognition:overview", lambda w: reverse("recognition:overview"), AREA),
    Route("recognition:roadmap", lambda w: reverse("recognition:roadmap"), EVERYONE),
    Route(
        "recognition:set_target",
        lambda w: reverse("recognition:set_target"),
        PROVINCE_WRITE,
        method="post",
        data={"year": "2027", "target_communes": "5"},
    ),
    Route("recognition:alerts", lambda w: reverse("recognition:alerts"), EVERYONE),
    Route(
        "recognition:close_alert",
        lambda w: cycle(w) and reverse("recognition:close_alert", kwargs={"pk": w.extra.alert.pk}),
        DECIDE,
        method="post",
        data={"note": "Đã triệt xóa"},
    ),
    Route("recognition:commune", _commune_url("recognition:commune"), FIGURES),
    Route("recognition:register", _commune_url("recognition:register"), WRITE, method="post", data={"x": "1"}),
    Route("recognition:cycle", _cycle_url("recognition:cycle"), FIGURES),
    Route("recognition:freeze", _cycle_url("recognition:freeze"), WRITE, method="post", data={"x": "1"}),
    Route("recognition:decide", _cycle_url("recognition:decide"), DECIDE, method="post", data={"x": "1"}),
    Route("recognition:review", _cycle_url("recognition:review"), DECIDE, method="post", data={"x": "1"}),
    Route("recognition:revoke", _cycle_url("recognition:revoke"), DECIDE, method="post", data={"x": "1"}),
    Route("recognition:dossier", _dossier_url("recognition:dossier"), FIGURES),
    Route("recognition:texts", _dossier_url("recognition:texts"), WRITE, method="post", data={"x": "1"}),
    # The paperwork holds the dossier's figures, no names: as the dossier's page.
    Route(
        "recognition:paper_print",
        lambda w: (
            cycle(w) and reverse("recognition:paper_print", kwargs={"pk": w.extra.dossier.pk, "document": "to_trinh"})
        ),
        FIGURES,
    ),
    Route(
        "recognition:paper_docx",
        lambda w: (
            cycle(w)
            and reverse("recognition:paper_docx", kwargs={"pk": w.extra.dossier.pk, "document": "quyet_dinh_cong_nhan"})
        ),
        FIGURES,
    ),
    Route(
        "recognition:upload_evidence",
        _dossier_url("recognition:upload_evidence"),
        WRITE,
        method="post",
        data={"x": "1"},
    ),
    Route("recognition:approve", _dossier_url("recognition:approve"), APPROVE, method="post", data={"x": "1"}),
    Route("recognition:submit", _dossier_url("recognition:submit"), WRITE, method="post", data={"x": "1"}),
    Route("recognition:inspection", _dossier_url("recognition:inspection"), APPRAISE, method="post", data={"x": "1"}),
    Route("recognition:return", _dossier_url("recognition:return"), APPRAISE, method="post", data={"x": "1"}),
    Route(
        "recognition:verdict",
        lambda w: cycle(w) and reverse("recognition:verdict", kwargs={"pk": w.extra.criterion.pk}),
        APPRAISE,
        method="post",
        data={"result": "pass"},
    ),
    Route(
        "recognition:evidence",
        lambda w: cycle(w) and reverse("recognition:evidence", kwargs={"pk": w.extra.evidence.pk}),
        EVIDENCE,
    ),
]
