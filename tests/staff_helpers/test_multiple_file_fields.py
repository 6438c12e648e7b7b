"""Several files in one input: the department's attachments, the activity's photos and the villager's photos."""

import io

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import Image

from activities.forms_staff import MultipleImageField
from consultations.forms_public import PhotosField
from portal.forms.multiple_files import MultipleFileField


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name: str = "答复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 minimal", content_type="application/pdf")


class AnswerLikeForm(forms.Form):
    attachments = MultipleFileField(label="附件", accept=".pdf,.docx")


class PhotosLikeForm(forms.Form):
    photos = MultipleImageField(label="活动照片")


class VillagerLikeForm(forms.Form):
    photos = PhotosField(label="照片")


def bound(form_class, name: str, files: list) -> forms.Form:
    return form_class({}, MultiValueDict({name: files}))


def test_choosing_no_file_is_fine_and_cleans_to_an_empty_list():
    form = AnswerLikeForm({}, MultiValueDict())
    assert form.is_valid()
    assert form.cleaned_data["attachments"] == []


def test_every_chosen_file_is_kept_in_the_order_chosen():
    form = bound(AnswerLikeForm, "attachments", [pdf("一.pdf"), pdf("二.pdf"), pdf("三.pdf")])
    assert form.is_valid()
    assert [upload.name for upload in form.cleaned_data["attachments"]] == ["一.pdf", "二.pdf", "三.pdf"]


def test_an_empty_attachment_is_refused_in_chinese():
    form = bound(AnswerLikeForm, "attachments", [pdf(), SimpleUploadedFile("空.pdf", b"")])
    assert not form.is_valid()
    assert form.errors["attachments"] == ["所提交的是空文件。"]


def test_the_input_lets_a_phone_choose_several_files_of_the_accepted_kinds():
    html = str(AnswerLikeForm()["attachments"])
    assert 'type="file"' in html
    assert "multiple" in html
    assert 'accept=".pdf,.docx"' in html
    assert "required" not in html


def test_activity_photos_accept_images_only_and_come_back_reencoded_without_exif():
    html = str(PhotosLikeForm()["photos"])
    assert 'accept="image/*"' in html
    assert "multiple" in html
    form = bound(PhotosLikeForm, "photos", [jpeg("一.jpg"), jpeg("二.jpg")])
    assert form.is_valid(), form.errors
    photos = form.cleaned_data["photos"]
    assert len(photos) == 2
    for photo in photos:
        photo.seek(0)
        assert not Image.open(photo).getexif()


def test_a_villager_whose_empty_file_is_not_a_photo_is_told_so_and_asked_to_choose_again():
    form = bound(VillagerLikeForm, "photos", [jpeg(), SimpleUploadedFile("空.jpg", b"", content_type="image/jpeg")])
    assert not form.is_valid()
    assert form.errors["photos"] == ["“空.jpg”不是有效的图片文件，请选择手机相册里的照片。", "请重新选择照片。"]
