"""Activity covers and photos are public once the activity is; a draft's cover is not."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from activities import services


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="cover.jpg")


def test_a_published_activitys_cover_is_public_and_a_drafts_is_not(client, activity_factory, village_staff_qingshan):
    published = activity_factory()
    draft = activity_factory(publish=False)
    for activity in (published, draft):
        services.activity_set_cover(activity=activity, actor=village_staff_qingshan, cover=_jpeg())
        activity.refresh_from_db()
    assert client.get(published.cover.url).status_code == 200
    assert client.get(draft.cover.url).status_code == 404
    client.force_login(village_staff_qingshan)
    assert client.get(draft.cover.url).status_code == 200
