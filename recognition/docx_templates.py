"""Builds the shipped Word templates of recognition/docx/ (docxtpl tags inside), in the layout of official documents
(NĐ 30/2020/NĐ-CP): A4, Times New Roman, the issuing body and number on the left, the national motto, place and date
on the right, the title, bases, articles, signature and recipients. The .docx files are committed; run
`python -m recognition.docx_templates` after changing this file. Administrators replace the files, not this code.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

FOLDER = Path(__file__).resolve().parent / "docx"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def _new(*, landscape: bool = False, **header) -> Document:
    """An A4 document that opens with the heading of official documents (see _header)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    style.paragraph_format.space_after = Pt(3)
    _header(doc, **header)
    return doc


def _para(container, text="", *, bold=False, italic=False, align=JUSTIFY, size=None):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def _header(doc, *, superior: str, issuer: str, number: str, place: str = "{{ place }}", draft: bool = False):
    """Issuing body and number | national motto, place and date."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = superior
    left.paragraphs[0].alignment = CENTER
    _para(left, issuer, bold=True, align=CENTER)
    _para(left, "-------", align=CENTER)
    _para(left, number, align=CENTER)
    right.paragraphs[0].alignment = CENTER
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    _para(right, "---------------", align=CENTER)
    _para(right, place + ", {{ date_line }}", italic=True, align=CENTER)
    if draft:
        _para(right, "DỰ THẢO", bold=True, align=CENTER)


def _title(doc, kind: str, subject: str):
    _para(doc, "")
    _para(doc, kind, bold=True, align=CENTER, size=14)
    _para(doc, subject, bold=True, align=CENTER)


def _lines(container, loop: str, line: str, **style):
    """A paragraph per item: docxtpl's {%p %} tags each stand in a paragraph of their own."""
    _para(container, f"{{%p for item in {loop} %}}", align=LEFT)
    _para(container, line, **style)
    _para(container, "{%p endfor %}", align=LEFT)


def _criteria_table(doc, *, appraisal: bool = False):
    heads = ["STT", "Tiêu chí", "Chỉ tiêu", "Kết quả", "Tử số/mẫu số", "Còn thiếu", "Đánh giá"]
    cells = [
        "{{ row.order }}",
        "{{ row.title }}{{ row.group_note }}",
        "{{ row.target }}",
        "{{ row.value }}",
        "{{ row.fraction }}",
        "{{ row.gap }}",
        "{{ row.met_text }}",
    ]
    if appraisal:
        heads += ["Kết luận của Hội đồng", "Nhận xét"]
        cells += ["{{ row.verdict }}", "{{ row.comment }}"]
    table = doc.add_table(rows=4, cols=len(heads))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].add_run(head).bold = True
    table.rows[1].cells[0].text = "{%tr for row in criteria %}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    # The "at least k of n" groups, one line each (none for a set without groups).
    _lines(doc, "groups", "{{ item.line }}", align=LEFT)


def _signature(doc, *, on_behalf: str, title: str, recipients: str = ""):
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    if recipients:
        left.paragraphs[0].add_run("Nơi nhận:").bold = True
        _lines(left, recipients, "{{ item }}", align=LEFT, size=11)
    right.paragraphs[0].alignment = CENTER
    right.paragraphs[0].add_run(on_behalf).bold = True
    _para(right, title, bold=True, align=CENTER)
    for _ in range(3):
        _para(right, "", align=CENTER)
    _para(right, "{{ signer_name }}", bold=True, align=CENTER)


def _conclusion(doc, then: str, *, on_behalf: str, title: str):
    """The minutes end alike: how many criteria the unit meets, what follows, the signature."""
    _para(doc, "Kết luận: {{ unit }} đạt {{ met_count }}/{{ criteria_count }} tiêu chí." + then, bold=True)
    _signature(doc, on_behalf=on_behalf, title=title)


def self_assessment() -> Document:
    doc = _new(
        superior="UBND {{ commune_upper }}",
        issuer="BAN CHỈ ĐẠO",
        number="Số: {{ number }}/BB-BCĐ",
        place="{{ commune_place }}",
    )
    _title(doc, "BIÊN BẢN", "Tự đánh giá kết quả xây dựng “{{ goal }}” năm {{ year }} – {{ unit }}")
    _para(
        doc,
        "Hôm nay, {{ date_line }}, Ban Chỉ đạo tiến hành tự đánh giá kết quả thực hiện các tiêu chí của "
        "{{ programme }} ({{ legal_document }}) đối với {{ unit }}, {{ province }}; số liệu tính đến ngày "
        "{{ as_of }}.",
    )
    _para(doc, "Thành phần tham gia:", bold=True)
    _lines(doc, "members", "- {{ item }}")
    _para(doc, "Kết quả tự đánh giá từng tiêu chí:", bold=True)
    _criteria_table(doc)
    _para(doc, "{{ self_assessment_text }}")
    _conclusion(
        doc,
        "{% if all_met %} Đủ điều kiện đề nghị công nhận “{{ goal }}”.{% else %} Chưa đủ điều kiện đề nghị "
        "công nhận; tiếp tục khắc phục các tiêu chí chưa đạt.{% endif %}",
        on_behalf="TM. BAN CHỈ ĐẠO",
        title="TRƯỞNG BAN",
    )
    return doc


def proposal() -> Document:
    doc = _new(
        superior="UBND {{ commune_upper }}",
        issuer="BAN CHỈ ĐẠO",
        number="Số: {{ number }}/TTr-BCĐ",
        place="{{ commune_place }}",
    )
    _title(doc, "TỜ TRÌNH", "Đề nghị thẩm định, công nhận {{ unit }} đạt “{{ goal }}” năm {{ year }}")
    _para(doc, "Kính gửi: {{ authority }}.", align=CENTER)
    _para(doc, "Căn cứ {{ legal_document }};")
    _para(doc, "Căn cứ kết quả tự đánh giá của Ban Chỉ đạo, số liệu tính đến ngày {{ as_of }},")
    _para(doc, "{{ unit }} đạt {{ met_count }}/{{ criteria_count }} tiêu chí của {{ programme }}, cụ thể:")
    _criteria_table(doc)
    _para(doc, "{{ proposal_text }}")
    _para(
        doc,
        "Ban Chỉ đạo kính đề nghị {{ authority }} thẩm định, công nhận {{ unit }} đạt “{{ goal }}” năm "
        "{{ year }}. Hồ sơ kèm theo: biên bản tự đánh giá, kế hoạch, biên bản họp và tài liệu chứng minh.",
    )
    _signature(doc, on_behalf="TM. BAN CHỈ ĐẠO", title="TRƯỞNG BAN", recipients="recipients_proposal")
    return doc


def appraisal() -> Document:
    doc = _new(
        landscape=True, superior="{{ authority_upper }}", issuer="HỘI ĐỒNG THẨM ĐỊNH", number="Số: {{ number }}/BB-HĐTĐ"
    )
    _title(doc, "BIÊN BẢN", "Thẩm định hồ sơ đề nghị công nhận {{ unit }} đạt “{{ goal }}” năm {{ year }}")
    _para(
        doc,
        "Căn cứ Tờ trình số {{ proposal.number }} ngày {{ proposal.date }} đề nghị công nhận {{ unit }}; "
        "Hội đồng thẩm định theo {{ programme }} ({{ legal_document }}), số liệu tính đến ngày {{ as_of }}.",
    )
    _para(doc, "Thành viên Hội đồng:", bold=True)
    _lines(doc, "members", "- {{ item }}")
    _para(doc, "Kiểm tra thực tế ngày {{ field_check.date }}:", bold=True)
    _lines(doc, "field_check.members", "- {{ item }}")
    _para(doc, "Kết quả kiểm tra thực tế: {{ field_check.findings }}")
    _criteria_table(doc, appraisal=True)
    _conclusion(
        doc,
        "{% if all_met %} Hội đồng đề nghị công nhận “{{ goal }}”.{% endif %}",
        on_behalf="TM. HỘI ĐỒNG THẨM ĐỊNH",
        title="CHỦ TỊCH HỘI ĐỒNG",
    )
    return doc


def decision() -> Document:
    doc = _new(superior="", issuer="{{ authority_upper }}", number="Số: {{ decision.number }}", draft=True)
    _title(doc, "QUYẾT ĐỊNH", "Về việc công nhận {{ unit }} đạt “{{ goal }}” năm {{ year }}")
    _para(doc, "{{ authority_upper }}", bold=True, align=CENTER)
    _lines(doc, "bases", "{{ item }}", italic=True)
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER)
    _para(
        doc,
        "Điều 1. Công nhận {{ unit }}, {{ province }} đạt “{{ goal }}” năm {{ year }} ({{ unit }} đạt "
        "{{ met_count }}/{{ criteria_count }} tiêu chí của {{ programme }}, số liệu tính đến ngày {{ as_of }}).",
    )
    for article in (
        "Điều 2. Việc công nhận có giá trị {{ validity }}, đến ngày {{ decision.valid_until }}; "
        "hằng năm rà soát, đánh giá lại; không duy trì được các tiêu chí thì bị thu hồi.",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị liên quan và "
        "{{ unit }} chịu trách nhiệm thi hành Quyết định này./.",
    ):
        _para(doc, article)
    _signature(doc, on_behalf="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", recipients="recipients_decision")
    return doc


def certificate() -> Document:
    doc = _new(landscape=True, superior="", issuer="{{ authority_upper }}", number="Số: {{ number }}/GCN-UBND")
    _para(doc, "")
    _para(doc, "GIẤY CÔNG NHẬN", bold=True, align=CENTER, size=24)
    _para(doc, "{{ unit_upper }}", bold=True, align=CENTER, size=18)
    _para(doc, "{{ province }}", align=CENTER)
    _para(doc, "Đạt “{{ goal }}” năm {{ year }}", bold=True, align=CENTER, size=16)
    _para(
        doc,
        "(Kèm theo Quyết định số {{ decision.number }} ngày {{ decision.date }} của {{ authority }}; "
        "có giá trị đến ngày {{ decision.valid_until }})",
        italic=True,
        align=CENTER,
    )
    _signature(doc, on_behalf="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH")
    return doc


BUILDERS = {
    "bien_ban_tu_danh_gia": self_assessment,
    "to_trinh": proposal,
    "bien_ban_tham_dinh": appraisal,
    "quyet_dinh_cong_nhan": decision,
    "giay_cong_nhan": certificate,
}


def build(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, builder in BUILDERS.items():
        path = folder / f"{key}.docx"
        builder().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
