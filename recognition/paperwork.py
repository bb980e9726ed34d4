"""The documents of a recognition cycle, as editable Word files (docxtpl templates an administrator can replace) and
as A4 print pages, both filled from one plain context (docs/recognition.md, "The paperwork").

`paper_context()` builds the context from plain values, so it does not depend on how a dossier is stored: a frozen
dossier passes its criteria as rows (dicts with the keys `_criteria()` reads). A replacement template may use every
key `paper_context()` returns.
"""

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from docxtpl import DocxTemplate

from progress.models import format_number

from .models import Decision
from .rules import frozen_groups

SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Document:
    key: str
    title: object  # lazy translation

    @property
    def docx_name(self) -> str:
        return f"{self.key}.docx"

    @property
    def print_template(self) -> str:
        return f"recognition/print/{self.key}.html"


DOCUMENTS = {
    document.key: document
    for document in (
        Document("bien_ban_tu_danh_gia", gettext_lazy("Biên bản tự đánh giá")),
        Document("to_trinh", gettext_lazy("Tờ trình đề nghị công nhận")),
        Document("bien_ban_tham_dinh", gettext_lazy("Biên bản thẩm định")),
        Document("quyet_dinh_cong_nhan", gettext_lazy("Quyết định công nhận (dự thảo)")),
        Document("giay_cong_nhan", gettext_lazy("Giấy công nhận")),
    )
}


def date_line(day: date | None) -> str:
    """ "ngày 06 tháng 12 năm 2026", as official documents write the date; dots to fill in when not known yet."""
    if day is None:
        return _("ngày ... tháng ... năm ...")
    return _("ngày %(day)02d tháng %(month)02d năm %(year)d") % {"day": day.day, "month": day.month, "year": day.year}


def short_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "..."


def _fraction(row: dict) -> str:
    if row.get("denominator") is None:
        return format_number(row["numerator"])
    return f"{format_number(row['numerator'])}/{format_number(row['denominator'])}"


CITY = "Thành phố "


def _short_province(province_name: str) -> str:
    """ "Thành phố Hà Nội" → "Hà Nội" (the place line); a province is stored without "Tỉnh"."""
    return province_name.removeprefix(CITY)


def _validity(months: int) -> str:
    """How long a recognition holds, as the decision writes it: "3 năm", or "18 tháng" when not whole years."""
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(years)s năm", "%(years)s năm", years) % {"years": years}
    return ngettext("%(months)s tháng", "%(months)s tháng", months) % {"months": months}


def _without_kind(commune_name: str) -> str:
    """ "Xã Quan Sơn" → "Quan Sơn"."""
    for kind in ("Xã ", "Phường ", "Đặc khu "):
        if commune_name.startswith(kind):
            return commune_name.removeprefix(kind)
    return commune_name


def _authority(province_name: str) -> str:
    if settings.RECOGNITION_DECIDING_AUTHORITY:
        return settings.RECOGNITION_DECIDING_AUTHORITY
    if province_name.startswith(CITY):
        return _("Ủy ban nhân dân thành phố %(province)s") % {"province": _short_province(province_name)}
    return _("Ủy ban nhân dân tỉnh %(province)s") % {"province": province_name}


def paper_context(
    *,
    unit: str,
    commune: str,
    province: str,
    goal: str,
    year: int,
    programme: str,
    legal_document: str,
    as_of: date,
    rows: list[dict],
    groups: list[dict] = (),
    number: str = "",
    signed_on: date | None = None,
    place: str = "",
    signer_name: str = "",
    members: tuple[str, ...] = (),
    field_check: dict | None = None,
    decision: dict | None = None,
    proposal: dict | None = None,
    self_assessment_text: str = "",
    proposal_text: str = "",
) -> dict:
    """Everything a document needs. `unit` is what is recognised ("Xã Quan Sơn", "Khu phố Sỏi"), `goal` the title
    it earns ("xã không ma túy", "khu phố sạch về ma túy"); `decision` and `proposal` hold number and date. A row
    of a grouped criterion names its group (`group`, `clause`); `groups` holds each "at least k of n" group
    (`name`, `is_requirement`, `met`, `line`: its rule and result in one sentence)."""
    authority = _authority(province)
    return {
        "unit": unit,
        "unit_upper": unit.upper(),
        "commune": commune,
        "commune_upper": commune.upper(),
        "province": province,
        "authority": authority,
        "authority_upper": authority.upper(),
        "goal": goal,
        "year": year,
        "programme": programme,
        "legal_document": legal_document,
        "as_of": short_date(as_of),
        **_criteria(rows, list(groups)),
        "number": number or "...",
        "place": place or _short_province(province),
        # The commune's documents are dated where the commune sits ("Quan Sơn, ngày …").
        "commune_place": _without_kind(commune),
        "date_line": date_line(signed_on),
        "signer_name": signer_name or "..............................",
        "members": list(members),
        **_steps(field_check or {}, decision or {}, proposal or {}),
        "validity": _validity(settings.RECOGNITION_VALID_MONTHS),
        "self_assessment_text": self_assessment_text,
        "proposal_text": proposal_text,
        "bases": _decision_bases(legal_document, proposal or {}),
        "recipients_proposal": [_("- Như trên;"), _("- Lưu: VT.")],
        "recipients_decision": [_("- Như Điều 3;"), _("- Lưu: VT.")],
    }


def _group_note(row: dict) -> str:
    """ " (Loại I, điểm a)" after a grouped criterion's title; nothing for an ungrouped one."""
    if not row.get("group"):
        return ""
    if row.get("clause"):
        return _(" (%(group)s, điểm %(clause)s)") % {"group": row["group"], "clause": row["clause"]}
    return f" ({row['group']})"


def _criteria(rows: list[dict], groups: list[dict]) -> dict:
    """The rows, and the count the documents state: each ungrouped criterion and each requirement group ("at least
    k of n", counted once) met or not; class groups are listed, never counted (recognition/rules.py)."""
    rows = [
        {
            **row,
            "fraction": _fraction(row),
            "met_text": _("Đạt") if row["met"] else _("Chưa đạt"),
            "group_note": _group_note(row),
        }
        for row in rows
    ]
    counted = [row["met"] for row in rows if not row.get("group")]
    counted += [group["met"] for group in groups if group["is_requirement"]]
    met = sum(counted)
    return {
        "criteria": rows,
        "groups": groups,
        "met_count": met,
        "criteria_count": len(counted),
        "all_met": met == len(counted),
    }


def _steps(field_check: dict, decision: dict, proposal: dict) -> dict:
    """The field check, the decision and the proposal, dates as dd/mm/yyyy ("..." when not known yet)."""
    return {
        "field_check": {
            "date": short_date(field_check.get("date")),
            "members": list(field_check.get("members", ())),
            "findings": field_check.get("findings", ""),
        },
        "decision": {
            # A recorded number carries its symbol ("15/QĐ-UBND"); a draft leaves it to fill in.
            "number": decision.get("number") or "…/QĐ-UBND",
            "date": short_date(decision.get("date")),
            "valid_until": short_date(decision.get("valid_until")),
        },
        "proposal": {"number": proposal.get("number") or "...", "date": short_date(proposal.get("date"))},
    }


def _decision_bases(legal_document: str, proposal: dict) -> list[str]:
    """The decision's "Căn cứ…" lines: the law, the national target (docs/recognition.md), the criteria set."""
    return [
        _("Căn cứ Luật Phòng, chống ma túy ngày 30 tháng 3 năm 2021;"),
        _(
            "Căn cứ Kết luận số 132-KL/TW ngày 18/3/2025 của Bộ Chính trị và Nghị quyết số 93/NQ-CP ngày 16/4/2025 "
            "của Chính phủ;"
        ),
        _("Căn cứ %(document)s;") % {"document": legal_document},
        _("Xét Tờ trình số %(number)s ngày %(date)s và kết quả thẩm định của Hội đồng thẩm định.")
        % {"number": proposal.get("number") or "...", "date": short_date(proposal.get("date"))},
    ]


def template_path(document: Document) -> Path:
    """The administrator's replacement when the configured folder holds one, else the shipped template."""
    folder = settings.RECOGNITION_DOCX_TEMPLATE_DIR
    if folder and (Path(folder) / document.docx_name).is_file():
        return Path(folder) / document.docx_name
    return SHIPPED_TEMPLATES / document.docx_name


def render_docx(key: str, context: dict) -> bytes:
    """The filled Word file; values are escaped (a name with "&" or "<" stays text)."""
    template = DocxTemplate(template_path(DOCUMENTS[key]))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def docx_response(key: str, context: dict) -> HttpResponse:
    response = HttpResponse(render_docx(key, context), content_type=DOCX_TYPE)
    filename = f"{key}_{slugify(context['unit'])}_{context['year']}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_print(key: str, context: dict, request=None) -> str:
    """The A4 print page of the same document (templates/recognition/print/)."""
    document = DOCUMENTS[key]
    return render_to_string(document.print_template, {**context, "document": document}, request=request)


def dossier_paper_context(dossier) -> dict:
    """The documents of one dossier: its frozen criteria with the council's verdicts, the latest field check, the
    decision once recorded. Four queries (criteria with verdicts, inspection, decision, the programme)."""
    recognition = dossier.recognition
    commune, hamlet = recognition.commune, recognition.hamlet
    criteria = list(dossier.criteria.select_related("verdict").order_by("order", "pk"))
    rows = [
        {
            "order": criterion.order,
            "title": criterion.title,
            "target": criterion.target_display,
            "value": criterion.value_display,
            "numerator": criterion.numerator,
            "denominator": criterion.denominator,
            "gap": criterion.gap_size,
            "met": criterion.met,
            "verdict": criterion.verdict.get_result_display() if hasattr(criterion, "verdict") else "",
            "comment": criterion.verdict.comment if hasattr(criterion, "verdict") else "",
            "group": criterion.group_short_name,
            "clause": criterion.clause,
        }
        for criterion in criteria
    ]
    inspection = dossier.inspections.order_by("-inspected_on", "-pk").first()
    decision = Decision.objects.filter(recognition=recognition, outcome=Decision.Outcome.RECOGNISED).first()
    unit_kind = (hamlet.get_kind_display() if hamlet else commune.get_kind_display()).lower()
    goal = _("%(kind)s sạch về ma túy") if hamlet else _("%(kind)s không ma túy")
    return paper_context(
        unit=hamlet.full_name if hamlet else commune.name,
        commune=commune.name,
        province=commune.province.name,
        goal=goal % {"kind": unit_kind},
        year=recognition.target_year,
        programme=dossier.programme_name,
        legal_document=dossier.programme.legal_document,
        as_of=dossier.as_of,
        rows=rows,
        groups=[_group_row(group) for group in frozen_groups(criteria)],
        signer_name=decision.signer if decision else "",
        field_check={
            "date": inspection.inspected_on,
            "members": [line.strip() for line in inspection.members.splitlines() if line.strip()],
            "findings": inspection.findings,
        }
        if inspection
        else None,
        decision={"number": decision.number, "date": decision.signed_on, "valid_until": decision.valid_until}
        if decision
        else None,
        proposal={"date": timezone.localdate(dossier.submitted_at) if dossier.submitted_at else None},
        self_assessment_text=dossier.self_assessment,
        proposal_text=dossier.proposal,
    )


def _group_row(group) -> dict:
    """ "Loại I — Xã trọng điểm … (phân loại: đạt ít nhất 3 trong 5 điểm): 1/5 điểm — Không thuộc"."""
    kind = _("điều kiện phải đạt") if group.is_requirement else _("phân loại")
    return {
        "name": group.name,
        "short_name": group.short_name,
        "is_requirement": group.is_requirement,
        "met": group.met,
        "line": f"{group.name} ({kind}: {group.rule}): {group.result_text}",
    }
