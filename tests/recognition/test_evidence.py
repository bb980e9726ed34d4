"""Evidence files: accepted by their content (not their name), limited in size, stored under a name of our making
and served only through the scoped view, which logs every download."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AccessLog
from recognition.models import Evidence
from recognition.services import dossiers

from .conftest import TODAY, registered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def draft(rw):
    return dossiers.freeze_dossier(recognition=registered(rw), as_of=TODAY, actor=rw.personas.officer_a)


def attach(rw, dossier, name, content, **extra):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return dossiers.attach_evidence(
        dossier=dossier, upload=upload, kind=Evidence.Kind.PLAN, title="", criterion=None, actor=rw.personas.officer_a
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ke-hoach.pdf", PDF, "application/pdf"),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        ("anh.png", PNG, "image/png"),
        ("bien-ban.docx", office("word/document.xml"), "wordprocessingml"),
        ("so-lieu.xlsx", office("xl/workbook.xml"), "spreadsheetml"),
        # The name says PDF; the content says PNG: the content wins.
        ("gia-mao.pdf", PNG, "image/png"),
    ],
)
def test_accepted_kinds_are_told_by_their_content(rw, draft, name, content, expected):
    evidence = attach(rw, draft, name, content)
    assert expected in evidence.content_type
    assert evidence.size == len(content) and name not in evidence.file.name


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00 an executable", b"<html><script>x</script>", office("content.xml"), b"PK\x03\x04broken"]
)
def test_other_content_is_refused(rw, draft, content):
    with pytest.raises(ValidationError, match="Chỉ nhận tệp"):
        attach(rw, draft, "tai-lieu.pdf", content)
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(rw, draft, settings):
    settings.RECOGNITION_EVIDENCE_MAX_BYTES = 64
    with pytest.raises(ValidationError, match="quá lớn"):
        attach(rw, draft, "lon.pdf", PDF + b"0" * 64)


def test_download_through_the_scoped_view_is_logged(rw, draft, client):
    evidence = attach(rw, draft, "ke-hoach.pdf", PDF)
    client.force_login(rw.personas.officer_a)
    response = client.get(f"/recognition/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    entry = AccessLog.objects.get(object_type="recognition.evidence")
    assert (entry.user, entry.object_id) == (rw.personas.officer_a, str(evidence.pk))
    assert entry.commune_id == draft.commune_id
    client.force_login(rw.personas.officer_b)
    assert client.get(f"/recognition/evidence/{evidence.pk}/").status_code == 404


def test_evidence_is_not_under_the_media_url(settings, rw, draft):
    evidence = attach(rw, draft, "ke-hoach.pdf", PDF)
    assert not str(evidence.file.path).startswith(str(settings.MEDIA_ROOT))
