"""The cycle's documents: each Word file opens (python-docx) and holds the dossier's figures in the official layout;
the A4 print pages show the same; an administrator's template replaces the shipped one."""

import io
from datetime import date

import docx
import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AccessLog
from progress.metrics import Moment
from progress.models import Programme
from progress.selectors import criteria_of, evaluate_communes, today
from recognition.paperwork import DOCUMENTS, docx_response, paper_context, render_docx, render_print
from tests import factories as f
from tests.recognition.conftest import recognised, submitted

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of the document, in order (cells of nested tables included)."""
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def criterion_rows(results) -> list[dict]:
    """progress.selectors.CriterionResult → the rows the documents print (a frozen dossier builds the same keys)."""
    return [
        {
            "order": index,
            "title": result.criterion.title,
            "target": result.criterion.target_display,
            "value": result.value_display,
            "numerator": result.figure.numerator,
            "denominator": result.figure.denominator,
            "gap": result.gap_size,
            "met": result.met,
            "verdict": "",
            "comment": "",
        }
        for index, result in enumerate(results, start=1)
    ]


@pytest.fixture
def dossier(places, personas):
    """Xã Quan Sơn on Đề án 3822: 3 residing households, 2 pledged this year (2/3, 66,7 %), nothing else recorded."""
    households = [f.household(places.hamlet_a, members=4) for _ in range(3)]
    for household in households[:2]:
        f.pledge(household, year=today().year, signed_on=today())
    programme = Programme.objects.get(legal_document__startswith="Đề án 3822")
    [row] = evaluate_communes(criteria_of(programme), [places.commune_a], Moment(today()))
    rows = criterion_rows(row.results)
    rows[4]["verdict"], rows[4]["comment"] = "Cần bổ sung", "Còn 1 hộ chưa ký cam kết"
    return paper_context(
        unit="Xã Quan Sơn",
        commune="Xã Quan Sơn",
        province="Thanh Hóa",
        goal="xã không ma túy",
        year=2026,
        programme=programme.name,
        legal_document=programme.legal_document,
        as_of=date(2026, 11, 30),
        rows=rows,
        number="12",
        signer_name="Hà Văn Trưởng",
        members=("Hà Văn Trưởng, Bí thư Đảng ủy", "Lò Thị Phó, Trưởng Công an xã"),
        field_check={"date": date(2026, 12, 3), "members": ("Phạm Văn Kiểm",), "findings": "Đã kiểm tra 5 hộ"},
        decision={"number": "345/QĐ-UBND", "date": date(2026, 12, 10), "valid_until": date(2027, 12, 9)},
        proposal={"number": "7", "date": date(2026, 12, 1)},
    )


def test_the_context_holds_the_dossiers_figures(dossier):
    pledged = dossier["criteria"][4]
    assert (pledged["fraction"], pledged["value"], pledged["gap"], pledged["met_text"]) == (
        "2/3",
        "66,7 %",
        1,
        "Chưa đạt",
    )
    assert dossier["criteria_count"] == 11 and not dossier["all_met"]
    assert dossier["decision"]["valid_until"] == "09/12/2027"


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_each_word_file_opens_in_the_official_layout_with_the_figures(dossier, key):
    text = docx_text(render_docx(key, dossier))
    assert all(line in text for line in MOTTO)
    # Place and date, to fill in at signature: where the commune sits for its own documents, else the province.
    place = "Quan Sơn" if key in {"bien_ban_tu_danh_gia", "to_trinh"} else "Thanh Hóa"
    assert f"{place}, ngày ... tháng ... năm ..." in text
    assert "{{" not in text and "{%" not in text
    if key == "giay_cong_nhan":
        assert "XÃ QUAN SƠN" in text and "Số: 12/GCN-UBND" in text and "Quyết định số 345/QĐ-UBND" in text
        assert "09/12/2027" in text
        return
    assert "Xã Quan Sơn" in text
    assert f"đạt {dossier['met_count']}/11 tiêu chí" in text
    if key != "quyet_dinh_cong_nhan":
        # The pledge criterion's row: target, value, fraction, gap, assessment.
        assert "\n".join(["≥ 100 %", "66,7 %", "2/3", "1", "Chưa đạt"]) in text


def test_the_decision_has_bases_articles_recipients_and_is_a_draft(dossier):
    text = docx_text(render_docx("quyet_dinh_cong_nhan", dossier))
    assert "Số: 345/QĐ-UBND" in text and "DỰ THẢO" in text
    assert "Căn cứ Đề án 3822/ĐA-CAT, Công an tỉnh Thanh Hóa;" in text
    assert "Xét Tờ trình số 7 ngày 01/12/2026" in text
    assert "Điều 1. Công nhận Xã Quan Sơn, Thanh Hóa đạt “xã không ma túy” năm 2026" in text
    assert "Điều 2." in text and "đến ngày 09/12/2027" in text and "Điều 3." in text
    assert "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT." in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Hà Văn Trưởng" in text


def test_the_appraisal_minutes_hold_the_council_verdicts_and_the_field_check(dossier):
    text = docx_text(render_docx("bien_ban_tham_dinh", dossier))
    assert "Kiểm tra thực tế ngày 03/12/2026:" in text and "Phạm Văn Kiểm" in text and "Đã kiểm tra 5 hộ" in text
    assert "Cần bổ sung\nCòn 1 hộ chưa ký cam kết" in text
    assert "ỦY BAN NHÂN DÂN TỈNH THANH HÓA" in text


def test_names_with_markup_characters_stay_text(dossier):
    dossier = {**dossier, "unit": "Khu phố Sỏi & Bản <Na>"}
    assert "Khu phố Sỏi & Bản <Na>" in docx_text(render_docx("to_trinh", dossier))


def test_an_administrators_template_replaces_the_shipped_one(dossier, settings, tmp_path):
    replacement = docx.Document()
    replacement.add_paragraph("Mẫu riêng của tỉnh: {{ unit }} đạt {{ met_count }}/{{ criteria_count }}")
    replacement.save(tmp_path / "to_trinh.docx")
    settings.RECOGNITION_DOCX_TEMPLATE_DIR = str(tmp_path)
    assert (
        docx_text(render_docx("to_trinh", dossier)) == f"Mẫu riêng của tỉnh: Xã Quan Sơn đạt {dossier['met_count']}/11"
    )
    # The others still come from the shipped templates.
    assert "TỜ TRÌNH" not in docx_text(render_docx("bien_ban_tu_danh_gia", dossier))
    assert "BIÊN BẢN" in docx_text(render_docx("bien_ban_tu_danh_gia", dossier))


def test_the_download_is_a_named_word_file(dossier):
    response = docx_response("quyet_dinh_cong_nhan", dossier)
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"] == 'attachment; filename="quyet_dinh_cong_nhan_xa-quan-son_2026.docx"'


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_each_print_page_shows_the_same_document(dossier, personas, key):
    request = RequestFactory().get("/")
    request.user = personas.officer_a
    page = render_print(key, dossier, request)
    assert all(line in page for line in MOTTO)
    assert "recognition/paper" in page  # the A4 stylesheet
    if key == "giay_cong_nhan":
        assert "XÃ QUAN SƠN" in page and "345" in page
    else:
        assert f"{dossier['met_count']}/11" in page
    if key in {"bien_ban_tu_danh_gia", "to_trinh", "bien_ban_tham_dinh"}:
        assert "<td>2/3</td><td>1</td><td>Chưa đạt</td>" in page
    if key == "quyet_dinh_cong_nhan":
        assert "Căn cứ Luật Phòng, chống ma túy" in page and "Điều 1." in page and "Nơi nhận:" in page


def test_a_recognised_dossiers_documents_are_scoped_and_logged(rw, client_for, django_assert_num_queries):
    recognition = recognised(rw)
    dossier = recognition.dossiers.get()
    client = client_for(rw.personas.officer_a)
    url = reverse("recognition:paper_docx", kwargs={"pk": dossier.pk, "document": "quyet_dinh_cong_nhan"})
    # session, user, dossier with its cycle, commune and province; frozen criteria with verdicts; field check;
    # decision; programme; access log insert.
    with django_assert_num_queries(8):
        response = client.get(url)
    text = docx_text(response.content)
    assert "Số: 15/QĐ-UBND" in text and "Chủ tịch UBND tỉnh" in text
    assert "Điều 1. Công nhận Xã Quan Sơn, Thanh Hóa đạt “xã không ma túy”" in text
    assert "đạt 3/3 tiêu chí của Bộ tiêu chí thử" in text and "Căn cứ KH 1/KH-THU;" in text
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type) == (rw.personas.officer_a, "export", "recognition.dossier")
    assert log.commune_id == rw.places.commune_a.pk
    page = client.get(reverse("recognition:paper_print", kwargs={"pk": dossier.pk, "document": "bien_ban_tham_dinh"}))
    assert "<td>2/2</td><td>0</td><td>Đạt</td><td>Đạt</td>" in page.content.decode()
    assert AccessLog.objects.filter(action="print").count() == 1
    assert client_for(rw.personas.officer_b).get(url).status_code == 404
    unknown = reverse("recognition:paper_print", kwargs={"pk": dossier.pk, "document": "khac"})
    assert client.get(unknown).status_code == 404


def test_the_dossier_page_links_to_each_document(rw, client_for):
    recognition, dossier = submitted(rw)
    page = client_for(rw.personas.officer_a).get(reverse("recognition:dossier", kwargs={"pk": dossier.pk}))
    for key in DOCUMENTS:
        assert reverse("recognition:paper_print", kwargs={"pk": dossier.pk, "document": key}) in page.content.decode()
