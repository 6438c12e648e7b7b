"""A district's whole roster is built by a worker into a write-only workbook and announced in the asker's inbox;
only the asker downloads it."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from members.models import Stratum
from portal.notifications.models import InboxMessage
from portal.notifications.outbox import outbox_dispatch_once
from stats.models import ExportState, StatsExport


@pytest.fixture
def eager_celery():
    from portal.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was_eager


def test_a_district_admin_asks_for_the_roster_and_downloads_it_from_the_inbox(
    client,
    eager_celery,
    django_capture_on_commit_callbacks,
    district_admin_yuhang,
    town_staff_huanghu,
    qingshan_tongxinhui,
    tianmu_alliance,
    enrol,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    enrol(qingshan_tongxinhui, name="张竹青", joined_on=datetime.date(2019, 2, 28), stratum=Stratum.FREELANCER)
    enrol(
        qingshan_tongxinhui,
        name="=HYPERLINK(1)",
        joined_on=datetime.date(2020, 5, 1),
        left_on=datetime.date(2024, 1, 1),
    )
    enrol(tianmu_alliance, name="临安的人")  # 临安区: outside 余杭区
    client.force_login(district_admin_yuhang)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stats:roster_export"), {"region": qingshan_tongxinhui.region.parent.parent_id})
    assert response.status_code == 302
    export = StatsExport.objects.get()
    assert export.state == ExportState.READY
    assert export.rows == 2
    while outbox_dispatch_once(limit=50):
        pass
    message = InboxMessage.objects.get(user=district_admin_yuhang)
    assert "2 行" in message.body

    download = client.get(message.url)
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("所在区域", "组织", "姓名", "社会阶层", "职业", "职务", "入会日期", "退出日期")
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"张竹青", "'=HYPERLINK(1)"}
    assert by_name["张竹青"][6] == datetime.datetime(2019, 2, 28)  # a date cell, not text
    assert by_name["'=HYPERLINK(1)"][7] == datetime.datetime(2024, 1, 1)

    client.force_login(town_staff_huanghu)
    assert client.get(message.url).status_code == 404  # someone else's file


def test_staff_cannot_ask_for_a_roster_outside_their_place(client, town_staff_huanghu, tree, tianmu_alliance):
    client.force_login(town_staff_huanghu)
    assert client.post(reverse("stats:roster_export"), {"region": tree.linan.pk}).status_code == 404
    assert client.get(reverse("stats:roster_export")).status_code == 405
    assert not StatsExport.objects.exists()
