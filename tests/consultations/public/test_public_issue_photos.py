"""Photos lose everything but their pixels: no GPS, no EXIF, upright, no larger than the configured side."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.photos import photo_check, photo_reencode


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/jpeg")


def test_gps_and_all_other_exif_are_removed(make_photo):
    original = make_photo(gps=True)
    carried = Image.open(io.BytesIO(original.read())).getexif()
    assert carried.get_ifd(0x8825), "the test photo must carry GPS to begin with"
    original.seek(0)

    saved = photo_reencode(original)

    image = Image.open(io.BytesIO(saved.read()))
    assert image.format == "JPEG"
    exif = image.getexif()
    assert len(exif) == 0
    assert not exif.get_ifd(0x8825)
    assert "exif" not in image.info


def test_the_photo_is_turned_upright_from_its_exif_orientation():
    sideways = Image.new("RGB", (400, 200), (10, 10, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: rotate 90° to show it upright
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", exif=exif.tobytes())

    image = Image.open(photo_reencode(_upload(buffer.getvalue())))

    assert image.size == (200, 400)


def test_a_large_photo_is_shrunk_to_the_configured_side(settings, make_photo):
    settings.ISSUE_PHOTO_MAX_SIDE = 300
    image = Image.open(photo_reencode(make_photo(size=(1200, 900))))
    assert max(image.size) == 300


def test_the_new_file_has_a_random_jpg_name(make_photo):
    first = photo_reencode(make_photo(name="我家门口.png", kind="png"))
    second = photo_reencode(make_photo(name="我家门口.png", kind="png"))
    assert first.name is not None and second.name is not None
    assert first.name.endswith(".jpg") and second.name.endswith(".jpg")
    assert first.name != second.name
    assert "我家" not in first.name


def test_transparent_png_becomes_white_not_black():
    clear = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    buffer = io.BytesIO()
    clear.save(buffer, format="PNG")
    image = Image.open(photo_reencode(_upload(buffer.getvalue(), "clear.png")))
    pixel = image.getpixel((25, 25))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 240


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "gif"])
def test_common_phone_formats_pass_the_check(make_photo, kind):
    photo_check(make_photo(kind))


def test_text_named_jpg_fails_the_check():
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        photo_check(_upload(b"GIF89 but not really\x00\x01", "fake.jpg"))


def test_a_truncated_image_fails_the_check(make_photo):
    data = make_photo("png").read()
    with pytest.raises(ValidationError):
        photo_check(_upload(data[: len(data) // 2], "half.png"))


def test_a_tiny_file_claiming_a_gigantic_picture_is_refused_before_decoding():
    # A 1-bit PNG of 20000×20000 pixels is a few kilobytes on disk and 400 megapixels when decoded.
    bomb = Image.new("1", (20000, 20000))
    buffer = io.BytesIO()
    bomb.save(buffer, format="PNG", optimize=True)
    assert buffer.tell() < 200_000

    with pytest.raises(ValidationError, match="像素尺寸过大"):
        photo_check(_upload(buffer.getvalue(), "bomb.png"))


def test_formats_other_than_photos_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="BMP")
    with pytest.raises(ValidationError, match="不是支持的照片格式"):
        photo_check(_upload(buffer.getvalue(), "scan.jpg"))
