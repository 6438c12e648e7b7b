"""A photo attached to a department's answer and cut off on the way up is refused in words, and the answer
typed stays in the form."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from consultations.models import AssignmentState

pytestmark = pytest.mark.django_db


def test_a_truncated_photo_attached_to_an_answer_is_refused_and_the_answer_kept(
    client, handler_huanghu, assigned_issue
):
    assignment = assigned_issue()
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buffer, format="JPEG", quality=90)
    whole = buffer.getvalue()
    cut = SimpleUploadedFile("现场照片.jpg", whole[: len(whole) * 2 // 3], content_type="image/jpeg")
    client.force_login(handler_huanghu)

    response = client.post(
        reverse("department:answer", args=[assignment.pk]),
        {"answer": "已安排维修队更换路灯三盏。", "attachments": [cut]},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "“现场照片.jpg”不是有效的图片文件" in content
    assert "已安排维修队更换路灯三盏。" in content
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN
    assert not assignment.attachments.exists()
