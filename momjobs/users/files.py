"""Checks for uploaded documents (CVs, business licences): the type is decided by the content,
never by the file name, and archives are opened only as far as their directory says."""

import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_CV_BYTES = 5 * 1024 * 1024
MAX_DOCX_UNPACKED = 25 * 1024 * 1024
MAX_DOCX_ENTRIES = 1000


def sniff(upload):
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _check_docx(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_DOCX_ENTRIES:
                raise ValidationError(_("文档包含的文件过多，无法接收。"), code="zip_entries")
            if sum(e.file_size for e in entries) > MAX_DOCX_UNPACKED:
                raise ValidationError(_("文档解压后过大（超过25 MB），无法接收。"), code="zip_bomb")
            if "word/document.xml" not in archive.namelist():
                raise ValidationError(_("这不是 Word（.docx）文档。"), code="not_docx")
    except zipfile.BadZipFile as error:
        raise ValidationError(_("文档已损坏，无法打开。"), code="bad_zip") from error
    finally:
        upload.seek(0)


def validate_cv(upload):
    """PDF or DOCX, at most 5 MB. Returns the extension to store it under."""
    if upload.size > MAX_CV_BYTES:
        raise ValidationError(_("简历文件不能超过5 MB。"), code="too_big")
    kind = sniff(upload)
    if kind == "pdf":
        return "pdf"
    if kind == "zip":
        _check_docx(upload)
        return "docx"
    raise ValidationError(_("简历只接受 PDF 或 Word（.docx）文件。"), code="cv_type")


def generated_name(extension):
    # Never the uploader's file name: it could carry personal data or path tricks.
    return f"{uuid.uuid4().hex}.{extension}"
