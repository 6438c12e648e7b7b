"""Photos uploaded by staff (an activity's cover, the pictures taken at it), checked by their content.

A file is accepted when Pillow can decode it as a picture, whatever its name or declared type says; it is then
re-encoded as a plain JPEG so that the EXIF block (GPS position of the phone, its serial number) never reaches
the public page, and big camera pictures are scaled down to a size a village network can carry.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_SIDE = 1600
# Far above any phone camera; refuses "decompression bombs" before they are decoded.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 85


def _max_bytes() -> int:
    return int(settings.ACTIVITY_PHOTO_MAX_BYTES)


def _max_side() -> int:
    return int(getattr(settings, "ACTIVITY_PHOTO_MAX_SIDE", DEFAULT_MAX_SIDE))


def photo_reencode(upload: UploadedFile, *, max_bytes: int | None = None, max_side: int | None = None) -> ContentFile:
    """The upload as an EXIF-free JPEG no wider or taller than max_side; ValidationError in Chinese otherwise."""
    limit = max_bytes or _max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("照片太大了:每张不能超过 %(mb)d MB,请换一张或先压缩。") % {"mb": limit // (1024 * 1024)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("照片像素过大,请换一张。"), code="too_many_pixels")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as picture:
                picture.load()
                # Phones store portrait pictures sideways plus an orientation tag; apply it before dropping EXIF.
                upright = ImageOps.exif_transpose(picture) or picture
                converted = upright.convert("RGB")
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ValidationError(
            _("这个文件不是能识别的图片,请上传 JPG、PNG 或 WEBP 格式的照片。"), code="not_an_image"
        ) from error
    side = max_side or _max_side()
    converted.thumbnail((side, side))
    buffer = io.BytesIO()
    converted.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
