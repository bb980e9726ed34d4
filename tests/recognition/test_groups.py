""" "At least k of n" groups in a criteria set used for recognition, hand-counted on built data through the services
and the pages: submission, the decision, the dossier page, the paperwork, and the seeded QĐ 28/2025 set."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communes.models import Hotspot
from progress.models import Criterion, CriterionGroup, Programme
from recognition.models import Decision, Recognition, Verdict
from recognition.rules import classification, frozen_groups
from recognition.services import appraisal, dossiers
from recognition.services.dossiers import GapsRemain
from tests import factories as f

from .conftest import TODAY, decide, hotspot, pledge_now, registered

pytestmark = pytest.mark.django_db

GROUP = "Giữ vững địa bàn"


@pytest.fixture
def grouped(programme):
    """The conftest set reduced to "every household pledged", plus a requirement group "at least 2 of 3 clauses":
    (a) no active hotspot, (b) no trafficking route, (c) no plant destroyed OR no m² destroyed (one clause, two
    alternatives); and a class group "Loại thử" (at least 1 of 1): a place organising drug use."""
    programme.criteria.exclude(metric_key="households_pledged").delete()
    group = CriterionGroup.objects.create(
        programme=programme, order=1, name=GROUP, short_name="Nhóm A", role=CriterionGroup.Role.REQUIREMENT, min_met=2
    )
    classes = CriterionGroup.objects.create(
        programme=programme, order=2, name="Xã trọng điểm loại thử", short_name="Loại thử", min_met=1
    )
    for order, (grp, clause, key, comparison, target) in enumerate(
        [
            (group, "a", "active_hotspots", "lte", 0),
            (group, "b", "qd28_trafficking_routes", "lte", 0),
            (group, "c", "qd28_plants_destroyed", "lte", 0),
            (group, "c", "qd28_plants_area", "lte", 0),
            (classes, "a", "qd28_use_places", "gte", 1),
        ],
        start=2,
    ):
        Criterion.objects.create(
            programme=programme,
            group=grp,
            clause=clause,
            order=order,
            metric_key=key,
            comparison=comparison,
            target=target,
        )
    return programme


def use_place(commune):
    return Hotspot.objects.create(
        commune=commune, kind=Hotspot.Kind.USE_ORGANISED, location="Lán rẫy", detected_on=TODAY
    )


def frozen(rw):
    recognition = registered(rw)
    pledge_now(rw.unpledged)
    dossier = dossiers.freeze_dossier(recognition=recognition, as_of=TODAY, actor=rw.personas.officer_a)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    return recognition, dossier


def test_a_member_unmet_inside_a_met_group_does_not_block_and_a_class_never_blocks(rw, grouped):
    # One place organising use: (a) unmet (an active hotspot), (b) met, (c) met → 2 of 3 ≥ 2; the class applies.
    use_place(rw.places.commune_a)
    recognition, dossier = frozen(rw)
    rows = {c.slot: c for c in dossier.criteria.all()}
    assert len(rows) == 6
    assert not rows[(GROUP, "active_hotspots")].met
    assert rows[("Xã trọng điểm loại thử", "qd28_use_places")].met
    dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.SUBMITTED


def test_an_unmet_group_blocks_with_its_members_listed(rw, grouped):
    # A hotspot and a trafficking route: (a) and (b) unmet, (c) met → 1 of 3 < 2.
    hotspot(rw.places.commune_a)
    f.trafficking_route(rw.places.commune_a, identified_on=TODAY)
    _, dossier = frozen(rw)
    with pytest.raises(GapsRemain) as refused:
        dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)
    assert refused.value.unmet == []
    [group] = refused.value.groups
    assert (group.name, group.met_count, group.size, group.min_met) == (GROUP, 1, 3, 2)
    [message] = refused.value.messages
    assert message.startswith(f"Chưa đạt nhóm “{GROUP}”: đạt 1/3 điểm, cần ít nhất 2. Các tiêu chí của nhóm: a) ")
    assert "b) QĐ 28/2025: địa bàn nằm trên tuyến trung chuyển ma túy: 1 (chỉ tiêu ≤ 0) — chưa đạt" in message
    assert message.count("c) ") == 2  # the clause's two alternatives, both met
    # The route ends: the group holds again (2 of 3) and the dossier goes.
    route = rw.places.commune_a.trafficking_routes.get()
    route.ended_on = TODAY
    route.save()
    dossier = dossiers.freeze_dossier(recognition=dossier.recognition, as_of=TODAY, actor=rw.personas.officer_a)
    dossiers.approve_dossier(dossier=dossier, actor=rw.leader)
    dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)


def test_alternatives_of_a_clause_count_once(rw, grouped):
    # 300 plants destroyed, no m²: clause (c) is met through its second alternative; with a hotspot, 2 of 3.
    hotspot(rw.places.commune_a)
    f.plant_eradication(rw.places.commune_a, destroyed_on=TODAY, plants=300)
    _, dossier = frozen(rw)
    rows = {c.slot: c for c in dossier.criteria.all()}
    assert (rows[(GROUP, "qd28_plants_destroyed")].met, rows[(GROUP, "qd28_plants_area")].met) == (False, True)
    assert not rows[(GROUP, "active_hotspots")].met
    dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)


def test_without_alternatives_the_clause_fails_and_blocks(rw, grouped):
    # Plants and m² destroyed: neither alternative of (c); with a hotspot, (a) and (c) unmet → 1 of 3.
    hotspot(rw.places.commune_a)
    f.plant_eradication(rw.places.commune_a, destroyed_on=TODAY, plants=300, area_m2=20)
    _, dossier = frozen(rw)
    with pytest.raises(GapsRemain) as refused:
        dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)
    assert [(g.met_count, g.size) for g in refused.value.groups] == [(1, 3)]


def test_the_decision_needs_k_clauses_of_a_group_judged_passed(rw, grouped):
    hotspot(rw.places.commune_a)
    recognition, dossier = frozen(rw)
    dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)
    rows = {c.slot: c for c in dossier.criteria.all()}

    def judge(slot, result, comment=""):
        appraisal.give_verdict(criterion=rows[slot], result=result, comment=comment, actor=rw.council)

    judge(("", "households_pledged"), Verdict.Result.PASS)
    judge((GROUP, "active_hotspots"), Verdict.Result.FAIL, "Còn tụ điểm bán lẻ")
    judge((GROUP, "qd28_trafficking_routes"), Verdict.Result.SUPPLEMENT, "Thiếu xác nhận của đồn biên phòng")
    judge((GROUP, "qd28_plants_area"), Verdict.Result.PASS)
    # Only (c) judged passed: 1 of 3. The class group needs no verdict.
    with pytest.raises(ValidationError, match=f"{GROUP} \\(1/3, ≥ 2\\)"):
        decide(recognition, rw.personas.reviewer)
    judge((GROUP, "qd28_trafficking_routes"), Verdict.Result.PASS)
    decision = decide(recognition, rw.personas.reviewer)
    assert decision.outcome == Decision.Outcome.RECOGNISED


def test_the_dossier_page_shows_each_group_its_count_and_the_class(rw, grouped, client):
    use_place(rw.places.commune_a)
    f.trafficking_route(rw.places.commune_a, identified_on=TODAY)
    _, dossier = frozen(rw)
    client.force_login(rw.personas.officer_a)
    page = client.get(reverse("recognition:dossier", kwargs={"pk": dossier.pk})).content.decode()
    assert 'data-group="Nhóm A" data-group-met="0"' in page
    assert "1/3 điểm — Chưa đạt" in page and "đạt ít nhất 2 trong 3 điểm" in page
    assert 'data-unmet-group="Nhóm A"' in page
    assert 'data-group="Loại thử" data-group-met="1"' in page
    assert "<strong>Phân loại:</strong> Xã trọng điểm loại thử" in page


def test_the_paperwork_lists_the_groups_where_the_figures_are(rw, grouped, client):
    hotspot(rw.places.commune_a)
    _, dossier = frozen(rw)
    client.force_login(rw.personas.officer_a)
    line = f"{GROUP} (điều kiện phải đạt: đạt ít nhất 2 trong 3 điểm): 2/3 điểm — Đạt"
    url = reverse("recognition:paper_print", kwargs={"pk": dossier.pk, "document": "bien_ban_tu_danh_gia"})
    page = client.get(url).content.decode()
    assert line in page
    assert "(Nhóm A, điểm c)" in page
    # The ungrouped criterion and the requirement group: 2 of 2 (class groups are listed, not counted).
    assert "đạt 2/2 tiêu chí" in page
    docx = client.get(reverse("recognition:paper_docx", kwargs={"pk": dossier.pk, "document": "to_trinh"}))
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        text = archive.read("word/document.xml").decode()
    assert line in text


def test_the_seeded_qd28_set_freezes_and_classifies_without_blocking(rw):
    """A province without its own set uses the national QĐ 28/2025 set: its class groups reuse each indicator, and
    only the drug-free area's own criteria can block. Class I: (b) 2 places organising use, (d) 3,000 plants,
    (đ) a trafficking route → 3 clauses ≥ 3."""
    Programme.objects.update(is_active=False)
    Programme.objects.filter(legal_document__startswith="Quyết định 28/2025").update(is_active=True)
    use_place(rw.places.commune_a)
    use_place(rw.places.commune_a)
    f.plant_eradication(rw.places.commune_a, destroyed_on=TODAY, plants=3000)
    f.trafficking_route(rw.places.commune_a, identified_on=TODAY)
    _, dossier = frozen(rw)
    assert dossier.criteria.count() == 6 + 3 * 6
    with pytest.raises(GapsRemain) as refused:
        dossiers.submit_dossier(dossier=dossier, actor=rw.personas.officer_a)
    assert {c.metric_key for c in refused.value.unmet} == {"active_hotspots", "qd28_plants_destroyed"}
    assert refused.value.groups == []
    groups = frozen_groups(dossier.criteria.all())
    assert [(g.short_name, g.met_count) for g in groups] == [("Loại I", 3), ("Loại II", 3), ("Loại III", 3)]
    assert classification(groups).short_name == "Loại I"
