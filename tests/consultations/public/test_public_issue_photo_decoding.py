"""Photos are decoded whole and only when it is worth it: a truncated photo is refused in words, a form with
other mistakes (or a villager over the limit) costs no decoding, and a photo too large for a phone is refused
from its header alone."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile

from consultations.models import Issue, IssuePhoto
from portal.photos import photo_accept, photo_check, photo_header_check

pytestmark = pytest.mark.django_db

NEW = "/issues/new/"


def _errors_of(response, field: str) -> str:
    html = response.content.decode()
    match = re.search(rf'data-testid="error-{field}">(.*?)</div>\s*</div>', html, re.S)
    assert match, f"no error shown next to {field}"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def truncated_jpeg(name: str = "村口照片.jpg") -> SimpleUploadedFile:
    """A phone photo whose upload was cut off on a weak network: the header is whole, the pixels are not."""
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return SimpleUploadedFile(name, data[: len(data) * 2 // 3], "image/jpeg")


def png_claiming(width: int, height: int, name: str = "截图.png") -> SimpleUploadedFile:
    """A 1-bit PNG: a few kilobytes on disk whatever its pixel count, so that only the header tells its size."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


@pytest.fixture(autouse=True)
def _in_chinese():
    """The messages are checked in the portal's language, whatever a test before this one activated."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def decodings(monkeypatch) -> list[str]:
    """The formats of the images Pillow decoded during the test, in order."""
    seen: list[str] = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        if self.tile:  # not yet decoded
            seen.append(self.format)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


# ---- a truncated photo --------------------------------------------------------------------------------------


def test_a_truncated_jpeg_fails_the_check_in_words():
    with pytest.raises(ValidationError, match=re.escape("“村口照片.jpg”不是有效的图片文件")):
        photo_check(truncated_jpeg())
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        photo_accept(truncated_jpeg())


def test_a_villager_whose_photo_was_cut_off_is_told_and_keeps_what_they_typed(client, issue_form_data, make_photo):
    response = client.post(NEW, {**issue_form_data(), "photos": [make_photo(), truncated_jpeg()]})

    assert response.status_code == 200
    errors = _errors_of(response, "photos")
    assert "“村口照片.jpg”不是有效的图片文件" in errors
    assert "请重新选择照片" in errors
    html = response.content.decode()
    assert "竹林小路塌了一段" in html
    assert "竹林小路北段" in html
    assert "李阿婆" in html
    assert Issue.objects.count() == 0
    assert IssuePhoto.objects.count() == 0


# ---- decoding only when the rest is valid -------------------------------------------------------------------


def test_the_header_check_decodes_nothing(make_photo, decodings):
    for kind in ("jpeg", "png", "webp", "gif"):
        photo_header_check(make_photo(kind))
    assert decodings == []


def test_photos_sent_with_a_form_that_has_other_mistakes_are_not_decoded(
    client, issue_form_data, make_photo, decodings
):
    photos = [make_photo("png", size=(1200, 900)) for _ in range(6)]

    response = client.post(NEW, {**issue_form_data(title="", submitter_phone="12"), "photos": photos})

    assert "请填写标题" in response.content.decode()
    assert "请重新选择照片" in response.content.decode()
    assert decodings == []
    assert Issue.objects.count() == 0


def test_photos_of_a_villager_over_the_submission_limit_are_not_decoded(
    client, settings, issue_form_data, make_photo, decodings
):
    settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR = 1
    assert client.post(NEW, issue_form_data()).status_code == 302

    response = client.post(NEW, {**issue_form_data(), "photos": [make_photo("png") for _ in range(6)]})

    assert "一小时内已提交了 1 个议题" in response.content.decode()
    assert decodings == []
    assert Issue.objects.count() == 1


def test_photos_of_a_valid_form_are_decoded_once_each(client, issue_form_data, make_photo, decodings):
    response = client.post(NEW, {**issue_form_data(), "photos": [make_photo("png"), make_photo("jpeg")]})

    assert response.status_code == 302
    assert decodings == ["PNG", "JPEG"]
    assert Issue.objects.get().photos.count() == 2


# ---- the pixel budget ---------------------------------------------------------------------------------------


def test_a_49_megapixel_picture_is_refused_by_its_header_before_decoding(decodings):
    with pytest.raises(ValidationError, match="像素尺寸过大"):
        photo_header_check(png_claiming(7000, 7000))
    with pytest.raises(ValidationError, match="像素尺寸过大"):
        photo_accept(png_claiming(7000, 7000))
    assert decodings == []


def test_six_49_megapixel_pictures_are_refused_next_to_the_photos_field(client, issue_form_data, decodings):
    photos = [png_claiming(7000, 7000, name=f"截图{index}.png") for index in range(6)]

    response = client.post(NEW, {**issue_form_data(), "photos": photos})

    errors = _errors_of(response, "photos")
    assert errors.count("像素尺寸过大") == 6
    assert "竹林小路塌了一段" in response.content.decode()
    assert decodings == []
    assert Issue.objects.count() == 0


def test_a_24_megapixel_phone_screenshot_still_fits():
    photo_header_check(png_claiming(4000, 6000))


def test_a_48_megapixel_jpeg_from_a_phone_camera_is_decoded_scaled_down_and_accepted(settings):
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 6000), (40, 120, 60)).save(buffer, format="JPEG", quality=70)

    saved = photo_accept(SimpleUploadedFile("IMG_48MP.jpg", buffer.getvalue(), "image/jpeg"))

    with Image.open(saved) as image:
        assert max(image.size) == settings.ISSUE_PHOTO_MAX_SIDE


def test_pillows_own_decompression_bomb_guard_still_refuses_a_gigantic_jpeg(settings):
    settings.ISSUE_PHOTO_MAX_PIXELS = 10**12  # even with no budget of ours, Pillow's guard holds
    with pytest.raises(ValidationError, match="像素尺寸过大"):
        photo_header_check(SimpleUploadedFile("huge.jpg", jpeg_claiming(20000, 10000), "image/jpeg"))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is rewritten to claim another size."""
    buffer = io.BytesIO()
    Image.new("L", (16, 16)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)
