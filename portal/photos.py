"""Every photo uploaded to the portal (issues, answers, activities): checked by its content, never by its name,
and re-encoded without EXIF.

A phone photo carries the place it was taken (GPS) and the phone's make in its EXIF block. The portal keeps
none of it: every photo is decoded, turned upright, shrunk and saved as a new JPEG.
"""

from __future__ import annotations

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# MPO is how many phones (iPhone portrait mode, Samsung) label their JPEGs.
ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
# A photo larger than this is refused before it is decoded: a tiny file can claim billions of pixels.
DEFAULT_MAX_PIXELS = 50_000_000
JPEG_QUALITY = 82


def _max_pixels() -> int:
    return int(getattr(settings, "ISSUE_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _open(upload: UploadedFile | ContentFile) -> Image.Image:
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; ours is lower and checked explicitly.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(upload)


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”的像素尺寸过大,无法处理,请换一张或先用手机缩小。") % {"name": name}, code="too_many_pixels"
    )


def photo_check(upload: UploadedFile, *, max_bytes: int | None = None) -> None:
    """Raises ValidationError (Chinese) unless the upload is a photo the portal accepts, whatever its name."""
    name = getattr(upload, "name", "") or _("照片")
    max_bytes = max_bytes or settings.ISSUE_PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s”太大(超过 %(limit)d MB),请换一张或先压缩。")
            % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    try:
        try:
            image = _open(upload)
        except Image.DecompressionBombError as error:
            raise _too_many_pixels(name) from error
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(
                _("“%(name)s”不是支持的照片格式,请上传 JPG、PNG、WEBP 或 GIF 图片。") % {"name": name},
                code="format",
            )
        width, height = image.size
        if width * height > _max_pixels():
            raise _too_many_pixels(name)
        image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("“%(name)s”不是有效的图片文件,请选择手机相册里的照片。") % {"name": name}, code="not_an_image"
        ) from error
    finally:
        upload.seek(0)


def _flatten_onto_white(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def photo_reencode(upload: UploadedFile | ContentFile, *, max_side: int | None = None) -> ContentFile:
    """An upright RGB JPEG no larger than max_side (ISSUE_PHOTO_MAX_SIDE), with no metadata at all, under a
    random name. Call photo_check first; this assumes the upload is an image of an allowed format.
    """
    max_side = max_side or settings.ISSUE_PHOTO_MAX_SIDE
    image = _open(upload)
    if image.format in ("JPEG", "MPO"):
        # Let the JPEG decoder scale down while decoding: a 48-megapixel photo never sits whole in memory.
        image.draft("RGB", (max_side, max_side))
    image.seek(0)  # GIF and MPO: the first frame
    image = ImageOps.exif_transpose(image)
    image = _flatten_onto_white(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image made from the pixels alone: nothing of the original's info (EXIF, ICC, XMP, comments) travels.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(16)}.jpg")
