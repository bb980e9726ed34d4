"""What an evidence file is, read from its first bytes and not from its name or the browser's word: PDF, JPEG, PNG,
and the two Office Open XML documents (DOCX, XLSX), which are ZIP archives told apart by their parts."""

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}

_SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
# The part that makes an Office archive a Word document or a workbook.
_OFFICE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def sniff(upload) -> str | None:
    """The content type of an uploaded file by its content, or None when it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            return next((content_type for part, content_type in _OFFICE_PARTS if part in names), None)
    return None


def check_evidence_file(upload) -> str:
    """The file's content type; a ValidationError in Vietnamese when it is too large or of another kind."""
    limit = settings.RECOGNITION_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s); tối đa %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(_("Chỉ nhận tệp PDF, ảnh JPEG, PNG, văn bản Word (DOCX) hoặc bảng tính Excel (XLSX)."))
    return content_type


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
