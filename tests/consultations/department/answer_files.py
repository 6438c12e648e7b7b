"""Small files as a department would attach them, built in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def pdf(name: str = "答复函.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _ooxml(main_part: str, main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/{main_part}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def docx(name: str = "办理情况说明.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _ooxml("word/document.xml", DOCX_MAIN), content_type="application/msword")


def xlsx(name: str = "路灯清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _ooxml("xl/workbook.xml", XLSX_MAIN), content_type="application/vnd.ms-excel")


def exe_named_pdf(name: str = "答复函.pdf") -> SimpleUploadedFile:
    body = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def plain_zip_named_docx(name: str = "说明.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def jpeg_with_gps(name: str = "现场照片.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 17.0, 0.0), 3: "E", 4: (119.0, 53.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
