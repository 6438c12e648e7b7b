"""Issue photos are personal data: only those who may see the issue can open them."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from consultations import services
from consultations.models import IssueCategory


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


@pytest.fixture
def issue_with_photo(qingshan_tongxinhui):
    issue = services.issue_submit(
        organization=qingshan_tongxinhui,
        title="村口路灯不亮",
        description="晚上很黑",
        category=IssueCategory.OTHER,
        place="村口",
        submitter_name="王大伯",
        submitter_phone="13912345678",
        phone_visible_to_department=False,
        photos=[_jpeg()],
    )
    return issue, issue.photos.get().image.url


def test_a_stranger_cannot_open_an_issue_photo(client, issue_with_photo):
    _issue, url = issue_with_photo
    assert client.get(url).status_code == 404


def test_the_submitter_opens_the_photo_after_showing_the_tracking_proof(client, issue_with_photo):
    issue, url = issue_with_photo
    client.post("/issues/track/", {"code": issue.receipt_code, "phone_last4": "5678"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_village_staff_open_their_villages_photos_but_not_others(
    client, issue_with_photo, village_staff_qingshan, village_staff_wanghu
):
    _issue, url = issue_with_photo
    client.force_login(village_staff_wanghu)
    assert client.get(url).status_code == 404
    client.force_login(village_staff_qingshan)
    assert client.get(url).status_code == 200


def test_a_path_that_no_upload_names_is_not_served(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    assert client.get("/media/issues/../../portal/settings/base.py").status_code == 404
    assert client.get("/media/other/file.txt").status_code == 404
