"""Checks on the files a department attaches to its answer: judged by their content, never by their name.

Accepted: PDF; JPEG/PNG images, re-encoded by portal.photos like the issue photos (upright, no EXIF or
GPS data, nothing hidden behind the image data, long side ISSUE_PHOTO_MAX_SIDE); Word and Excel documents
in the OOXML format (a zip whose [Content_Types].xml names the document's main part; macro-enabled
documents are refused). Each accepted file gets a random stored name whose extension matches its content;
the name the handler gave is kept for display only.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from portal.photos import photo_accept

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5
# A zip may claim any size once unpacked; an honest Word or Excel reply is far below this.
OOXML_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
CONTENT_TYPES_MAX_BYTES = 64 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}
# What a file's name may end with for each content; a mismatch is refused rather than silently renamed.
NAME_EXTENSIONS = {
    PDF: {".pdf"},
    JPEG: {".jpg", ".jpeg", ".png"},
    PNG: {".png", ".jpg", ".jpeg"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
}
# The main part of each OOXML document, as [Content_Types].xml names it.
OOXML_MAIN_PARTS = {
    DOCX: ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}

ACCEPTED_HINT = gettext_lazy("PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）")


@dataclass(frozen=True)
class CheckedAttachment:
    file: File
    original_name: str
    content_type: str

    def as_service_tuple(self) -> tuple[File, str, str]:
        """The (file, name, type) triple consultations.services.assignment_answer takes."""
        return (self.file, self.original_name, self.content_type)


def check_attachments(uploads: Sequence[File]) -> list[CheckedAttachment]:
    """Every upload checked; all problems reported at once, one sentence per file."""
    if len(uploads) > ATTACHMENT_MAX_COUNT:
        raise ValidationError(_("最多上传 %(count)d 个附件。") % {"count": ATTACHMENT_MAX_COUNT})
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def check_attachment(upload: File) -> CheckedAttachment:
    name = display_name(upload.name or "")
    if upload.size is not None and upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s”太大（%(size)s），每个附件不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(ATTACHMENT_MAX_BYTES)}
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s”不是可接受的文件类型，请上传 %(types)s 文件。") % {"name": name, "types": ACCEPTED_HINT}
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in NAME_EXTENSIONS[content_type]:
        raise ValidationError(_("“%(name)s”的内容与文件扩展名不符，请检查后重新上传。") % {"name": name})
    if content_type in (JPEG, PNG):
        return CheckedAttachment(file=_reencoded_image(upload), original_name=name, content_type=JPEG)
    upload.seek(0)
    upload.name = _stored_name(content_type)
    return CheckedAttachment(file=upload, original_name=name, content_type=content_type)


def display_name(name: str) -> str:
    """The file's own name without any directory part or control characters, short enough for the column."""
    base = os.path.basename(name.replace("\\", "/"))
    cleaned = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip()
    return (cleaned or _("附件"))[-150:]


def sniff_content_type(upload: File) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image_type(upload)
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_type(upload)
    return None


def _image_type(upload: File) -> str | None:
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return {"JPEG": JPEG, "PNG": PNG}.get(kind or "")


def _ooxml_type(upload: File) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                return None
            if sum(info.file_size for info in infos) > OOXML_MAX_UNPACKED_BYTES:
                return None
            # Macros (.docm/.xlsm renamed) carry code; a reply to villagers never needs it.
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None
            with archive.open("[Content_Types].xml") as manifest:
                content_types = manifest.read(CONTENT_TYPES_MAX_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        return None
    finally:
        upload.seek(0)
    for content_type, (main_part, declared) in OOXML_MAIN_PARTS.items():
        if main_part in names and declared in content_types:
            return content_type
    return None


def _reencoded_image(upload: File) -> File:
    # The issue photos' checks and re-encoding: pixel-count limit, upright, no EXIF/GPS, a fresh JPEG.
    return photo_accept(upload)


def _stored_name(content_type: str) -> str:
    return f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
