"""The recognition chapter: Khu phố Sỏi recognised "sạch về ma túy" by the commune in 04/2024, from its paper
dossier; Xã Quan Sơn registered this year, its dossier before the province's council; Thanh Hóa's roadmap to 2030.

Sỏi's cycle predates the application: its dossier is entered as the paper one reported it (every criterion met on
31/03/2024), a state the rules allow but no page writes (the services date what they do today, and a past year
cannot be registered). Quan Sơn's cycle goes through the services, as its officers would have taken it: frozen as of
`SINCE_THE_DOSSIER` days ago, when the commune's records met every criterion (the chapter runs before what came since,
quan_son.since_the_dossier), approved by the chairman, submitted, then the council's verdicts and field check. The
figures are met; the council asks for evidence on two of them ("cần bổ sung")."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from accounts.audit import audited_save
from demo.story.managed_people import SINCE_THE_DOSSIER
from recognition.freezing import frozen_criteria, programme_for
from recognition.models import (
    Decision,
    Dossier,
    DossierCriterion,
    ProvinceTarget,
    Recognition,
    Verdict,
)
from recognition.services.appraisal import give_verdict, record_inspection
from recognition.services.dossiers import (
    GapsRemain,
    approve_dossier,
    freeze_dossier,
    submit_dossier,
    update_dossier_texts,
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
    dossier = _paper_dossier(cycle, story.officer_qs, leader, as_of)
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


# The council's requests on the figures it found met: the evidence behind them, which the dossier does not yet hold.
EVIDENCE_REQUESTS = {
    "households_pledged": "Số liệu đạt; đề nghị bổ sung minh chứng: bản cam kết có chữ ký của các hộ ký trong đợt vận "
    "động trước ngày chốt số liệu.",
    "users_with_decision": "Số liệu đạt; đề nghị bổ sung minh chứng: bản sao các quyết định quản lý người sử dụng "
    "trái phép chất ma túy (Mẫu 07).",
}


def _quan_son_in_appraisal(story: Story, leader, council) -> None:
    # Registered at the start of the year: the cycle's first state, written as the register service would have
    # written it that day (the service dates a registration today).
    cycle = Recognition(
        commune=story.quan_son,
        target_year=story.year,
        registered_on=date(story.year, 1, 10),
        registered_by=story.officer_qs,
    )
    audited_save(cycle, actor=story.officer_qs)
    # Pledges and hamlet commitments count in the year of the figures: in the first days of January the dossier's
    # date stays in the year it is registered for.
    as_of = max(story.days_ago(SINCE_THE_DOSSIER), date(story.year, 1, 1))
    officer = story.officer_qs
    dossier = freeze_dossier(recognition=cycle, as_of=as_of, actor=officer)
    dossier = update_dossier_texts(
        dossier=dossier,
        self_assessment="Ban chỉ đạo đã tự đánh giá từng tiêu chí theo số liệu đã chốt: đạt tất cả các tiêu chí.",
        proposal="Đề nghị xem xét, công nhận đạt chuẩn không ma túy.",
        actor=officer,
    )
    dossier = approve_dossier(dossier=dossier, actor=leader)
    try:
        dossier = submit_dossier(dossier=dossier, actor=officer)
    except GapsRemain:
        # A database seeded before this chapter holds the story's later records too: as in the application, the
        # dossier with gaps stays with the commune.
        return
    for criterion in dossier.criteria.order_by("order"):
        comment = EVIDENCE_REQUESTS.get(criterion.metric_key, "")
        result = Verdict.Result.SUPPLEMENT if comment else Verdict.Result.PASS
        give_verdict(criterion=criterion, result=result, comment=comment, actor=council)
    record_inspection(
        dossier=dossier,
        inspected_on=story.today,
        members="Đ/c Nguyễn Thị Thẩm (PC04), đại diện Sở Y tế, Sở LĐ-TB&XH",
        findings="Kiểm tra thực tế tại Khu phố Sỏi và Bản Na Nghịu; hồ sơ quản lý người sử dụng đầy đủ.",
        actor=council,
    )


def _paper_dossier(cycle, officer, leader, as_of) -> Dossier:
    """Sỏi's paper dossier as submitted in 2024: written as it stood, since the services date what they do today."""
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
    submitted = {"state": Dossier.State.SUBMITTED, "submitted_by": officer, "submitted_at": dossier.frozen_at}
    Dossier.objects.filter(pk=dossier.pk).update(**submitted)
    dossier.refresh_from_db()
    return dossier
