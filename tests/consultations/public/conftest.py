"""The villager's side: helpers to fill the issue form as a phone would, and to make photos of every kind.

- `issue_form_data(**overrides)`: a valid POST for /issues/new/ (anonymous villager, 青山同心荟).
- `make_photo(kind="jpeg", size=(800, 600), gps=False, name=None)`: an upload built with Pillow.
- every test here sends SMS to the memory backend and starts with an empty cache (rate limits, tokens).
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consultations.forms_public import new_submission_token
from portal.sms import backends as sms_backends

VILLAGER_NAME = "李阿婆"
VILLAGER_PHONE = "13712345678"

# GPS of 青山村, roughly: the kind of thing a phone writes into every photo.
GPS_IFD = {
    1: "N",
    2: (30.0, 25.0, 12.5),
    3: "E",
    4: (119.0, 52.0, 3.25),
}


@pytest.fixture(autouse=True)
def _quiet_sms_and_fresh_cache(settings):
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    cache.clear()
    yield
    sms_backends.outbox.clear()
    cache.clear()


def photo_bytes(kind: str = "jpeg", size: tuple[int, int] = (800, 600), gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (40, 120, 60))
    # A stripe so that the re-encoded photo has something to look at.
    for x in range(size[0] // 4):
        for y in range(0, size[1], 7):
            image.putpixel((x, y), (230, 230, 30))
    buffer = io.BytesIO()
    if kind == "jpeg":
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0112] = 1  # Orientation
        if gps:
            exif[0x8825] = GPS_IFD
        image.save(buffer, format="JPEG", exif=exif.tobytes(), quality=90)
    elif kind == "png":
        image.save(buffer, format="PNG")
    elif kind == "webp":
        image.save(buffer, format="WEBP")
    elif kind == "gif":
        image.convert("P").save(buffer, format="GIF")
    else:
        raise ValueError(kind)
    return buffer.getvalue()


@pytest.fixture
def make_photo():
    def make(kind: str = "jpeg", size: tuple[int, int] = (800, 600), gps: bool = False, name: str | None = None):
        extension = {"jpeg": "jpg"}.get(kind, kind)
        content_type = {"jpeg": "image/jpeg"}.get(kind, f"image/{kind}")
        return SimpleUploadedFile(name or f"IMG_0001.{extension}", photo_bytes(kind, size, gps), content_type)

    return make


@pytest.fixture
def issue_form_data(qingshan_tongxinhui):
    def data(**overrides: object) -> dict[str, object]:
        values: dict[str, object] = {
            "organization": qingshan_tongxinhui.slug,
            "title": "竹林小路塌了一段",
            "description": "去竹林的小路前天下雨塌了一段，老人小孩走很危险，希望尽快修一下。",
            "category": "infrastructure",
            "place": "竹林小路北段",
            "submitter_name": VILLAGER_NAME,
            "submitter_phone": VILLAGER_PHONE,
            "phone_visible_to_department": "on",
            "submission_token": new_submission_token(),
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    return data
