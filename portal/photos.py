"""Every photo uploaded to the portal (issues, answers, activities): checked by its content, never by its name,
and re-encoded without EXIF.

A phone photo carries the place it was taken (GPS) and the phone's make in its EXIF block. The portal keeps
none of it: every photo is decoded, turned upright, shrunk and saved as a new JPEG.

Decoding is the expensive part, so it comes last: the size in bytes, the format and the pixel count are read
from the file's header first (photo_header_check), and a form can refuse everything else before a single pixel
is decoded. Decoding then reads the whole file (load(), not only verify()), so a truncated photo is refused as
not an image instead of failing half-way through the re-encoding.
"""

from __future__ import annotations

import io
import secrets
import struct
import warnings
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# MPO is how many phones (iPhone portrait mode, Samsung) label their JPEGs.
ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
JPEG_FORMATS = frozenset({"JPEG", "MPO"})
# Pixels decoded into memory for one photo, read from the header before decoding: a tiny file can claim
# billions of pixels, and a 49-megapixel PNG takes over a second of a worker to decode. A phone photo is
# 12 megapixels (24 at most); a JPEG is decoded already scaled down towards ISSUE_PHOTO_MAX_SIDE, so the
# 48- and 50-megapixel modes of some phones still fit. Pillow's own decompression-bomb guard stays on above this.
DEFAULT_MAX_PIXELS = 25_000_000
JPEG_QUALITY = 82
# What Pillow raises on a file it cannot read or that ends too early.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)


def _max_pixels() -> int:
    return int(getattr(settings, "ISSUE_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _name_of(upload: File) -> str:
    return getattr(upload, "name", "") or _("照片")


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”的像素尺寸过大，无法处理，请换一张或先用手机缩小。") % {"name": name}, code="too_many_pixels"
    )


def _not_an_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”不是有效的图片文件，请选择手机相册里的照片。") % {"name": name}, code="not_an_image"
    )


def _check_bytes(upload: File, max_bytes: int | None) -> None:
    limit = max_bytes or settings.ISSUE_PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s”太大（超过 %(limit)d MB），请换一张或先压缩。")
            % {"name": _name_of(upload), "limit": limit // (1024 * 1024)},
            code="too_big",
        )


def _opened(upload: File, *, max_side: int) -> Image.Image:
    """The image with only its header read, refused unless its format and its pixel count are acceptable.

    A JPEG is set to decode scaled down (draft) before its pixels are counted: its cost is what is decoded.
    """
    name = _name_of(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is lower and checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(
                _("“%(name)s”不是支持的照片格式，请上传 JPG、PNG、WEBP 或 GIF 图片。") % {"name": name},
                code="format",
            )
        if image.format in JPEG_FORMATS:
            image.draft("RGB", (max_side, max_side))
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except _UNREADABLE as error:
        raise _not_an_image(name) from error
    width, height = image.size
    if width * height > _max_pixels():
        raise _too_many_pixels(name)
    return image


def _decoded(upload: File, *, max_side: int) -> Image.Image:
    """Every pixel of the (first frame of the) photo, or a ValidationError: a file that ends early is refused."""
    image = _opened(upload, max_side=max_side)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.seek(0)  # GIF and MPO: the first frame
            image.load()
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(_name_of(upload)) from error
    except _UNREADABLE as error:
        raise _not_an_image(_name_of(upload)) from error
    return image


def photo_header_check(upload: File, *, max_bytes: int | None = None, max_side: int | None = None) -> None:
    """Raises ValidationError (Chinese) unless size, format and pixel count are acceptable; decodes nothing.

    Cheap enough to run on every form submission; photo_reencode (or photo_accept) decodes later.
    """
    _check_bytes(upload, max_bytes)
    try:
        _opened(upload, max_side=max_side or settings.ISSUE_PHOTO_MAX_SIDE)
    finally:
        upload.seek(0)


def photo_check(upload: File, *, max_bytes: int | None = None, max_side: int | None = None) -> None:
    """Raises ValidationError (Chinese) unless the upload is a photo the portal accepts, whatever its name.

    Decodes the whole photo; where the re-encoded photo is wanted too, photo_accept decodes it only once.
    """
    _check_bytes(upload, max_bytes)
    try:
        _decoded(upload, max_side=max_side or settings.ISSUE_PHOTO_MAX_SIDE)
    finally:
        upload.seek(0)


def _flatten_onto_white(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def photo_reencode(upload: File, *, max_side: int | None = None) -> ContentFile:
    """An upright RGB JPEG no larger than max_side (ISSUE_PHOTO_MAX_SIDE), with no metadata at all, under a
    random name. Raises ValidationError (Chinese) when the upload cannot be decoded whole.
    """
    max_side = max_side or settings.ISSUE_PHOTO_MAX_SIDE
    try:
        image = _decoded(upload, max_side=max_side)
        try:
            image = ImageOps.exif_transpose(image)
            image = _flatten_onto_white(image)
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        except _UNREADABLE as error:
            raise _not_an_image(_name_of(upload)) from error
        # A new image made from the pixels alone: nothing of the original's info (EXIF, ICC, XMP, comments) travels.
        clean = Image.new("RGB", image.size)
        clean.paste(image)
        buffer = io.BytesIO()
        clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(16)}.jpg")


def photo_accept(upload: File, *, max_bytes: int | None = None, max_side: int | None = None) -> ContentFile:
    """photo_check and photo_reencode in one, decoding the photo once: the re-encoded JPEG, or a ValidationError."""
    _check_bytes(upload, max_bytes)
    return photo_reencode(upload, max_side=max_side)
