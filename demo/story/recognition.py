"""The recognition chapter: Khu phố Sỏi recognised "sạch về ma túy" by the commune in 04/2024, from its paper
dossier; Xã Quan Sơn registered this year, its dossier before the province's council; Thanh Hóa's roadmap to 2030.

Sỏi's cycle predates the application: its dossier is entered as the paper one reported it (every criterion met on
31/03/2024). Quan Sơn's dossier is frozen from the application's own figures, and the council's verdicts answer
them: what the demo data leaves unmet is "cần bổ sung"."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from recognition.freezing import frozen_criteria, programme_for
from recognition.models import (
    Decision,
    Dossier,
    DossierCriterion,
    FieldInspection,
    ProvinceTarget,
    Recognition,
    Verdict,
)

if TYPE_CHECKING:
    from demo.story import Story

# Thanh Hóa's yearly targets (communes recognised by the end of each year): illustrative, see docs/recognition.md.
ROADMAP = {2025: 10, 2026: 40, 2027: 80, 2028: 120, 2029: 150, 2030: 166}


@transaction.atomic
def build(story: Story) -> None:
    for year, target in ROADMAP.items():
        ProvinceTarget.objects.get_or_create(province=story.province, year=year, defaults={"target_communes": target})
    if Recognition.objects.filter(commune=story.quan_son).exists():
        return
    leader, council = story.users["ct.quanson"], story.users["hd.thamdinh"]
    _soi_recognised(story, leader)
    _quan_son_in_appraisal(story, leader, council)


def _soi_recognised(story: Story, leader) -> None:
    soi = story.quan_son.hamlets.get(name="Khu phố Sỏi")
    cycle = Recognition.objects.create(
        commune=story.quan_son,
        hamlet=soi,
        target_year=2024,
        status=Recognition.Status.RECOGNISED,
        valid_until=date(2027, 4, 19),  # the decision's period below
        registered_on=date(2024, 1, 15),
        registered_by=story.officer_qs,
        note="Đăng ký theo kế hoạch xây dựng mô hình khu phố sạch về ma túy",
    )
    as_of = date(2024, 3, 31)
    dossier = _dossier(cycle, story.officer_qs, leader, as_of, state=Dossier.State.SUBMITTED)
    rows = frozen_criteria(cycle, dossier.programme, as_of)
    for row in rows:
        # As the paper dossier reported it: every criterion met, nothing missing.
        row.dossier, row.value, row.value_display, row.met, row.gap_size, row.gap_rows = (
            dossier,
            row.target,
            row.target_display.lstrip("≥=≤ "),
            True,
            0,
            [],
        )
    DossierCriterion.objects.bulk_create(rows)
    for row in dossier.criteria.all():
        Verdict.objects.create(criterion=row, result=Verdict.Result.PASS, given_by=leader)
    Decision.objects.create(
        recognition=cycle,
        dossier=dossier,
        outcome=Decision.Outcome.RECOGNISED,
        number="45/QĐ-UBND",
        signed_on=date(2024, 4, 20),
        signer="Chủ tịch UBND xã Quan Sơn",
        valid_from=date(2024, 4, 20),
        valid_until=date(2027, 4, 19),
        note="Công bố tại lễ ra mắt mô hình “Khu phố sạch về ma túy”.",
        recorded_by=leader,
    )


def _quan_son_in_appraisal(story: Story, leader, council) -> None:
    cycle = Recognition.objects.create(
        commune=story.quan_son,
        target_year=story.year,
        status=Recognition.Status.IN_APPRAISAL,
        registered_on=date(story.year, 1, 10),
        registered_by=story.officer_qs,
    )
    as_of = story.days_ago(20)
    dossier = _dossier(cycle, story.officer_qs, leader, as_of, state=Dossier.State.SUBMITTED)
    rows = frozen_criteria(cycle, dossier.programme, as_of)
    for row in rows:
        row.dossier = dossier
    DossierCriterion.objects.bulk_create(rows)
    for row in dossier.criteria.all():
        if row.met:
            Verdict.objects.create(criterion=row, result=Verdict.Result.PASS, given_by=council)
        else:
            comment = f"Còn {row.gap_size} trường hợp trong danh sách; đề nghị bổ sung minh chứng đã khắc phục."
            Verdict.objects.create(criterion=row, result=Verdict.Result.SUPPLEMENT, comment=comment, given_by=council)
    FieldInspection.objects.create(
        dossier=dossier,
        inspected_on=story.days_ago(5),
        members="Đ/c Nguyễn Thị Thẩm (PC04), đại diện Sở Y tế, Sở LĐ-TB&XH",
        findings="Kiểm tra thực tế tại Khu phố Sỏi và Bản Na Nghịu; hồ sơ quản lý người sử dụng đầy đủ.",
        recorded_by=council,
    )


def _dossier(cycle, officer, leader, as_of, *, state) -> Dossier:
    programme = programme_for(cycle)
    dossier = Dossier.objects.create(
        recognition=cycle,
        programme=programme,
        programme_name=programme.name,
        as_of=as_of,
        frozen_by=officer,
        self_assessment="Ban chỉ đạo đã tự đánh giá từng tiêu chí theo số liệu đã chốt.",
        proposal="Đề nghị xem xét, công nhận đạt chuẩn không ma túy.",
        approved_by=leader,
        state=Dossier.State.APPROVED,
    )
    # Submitted last: the model refuses changes to a submitted dossier.
    Dossier.objects.filter(pk=dossier.pk).update(state=state, submitted_by=officer, submitted_at=dossier.frozen_at)
    dossier.refresh_from_db()
    return dossier
