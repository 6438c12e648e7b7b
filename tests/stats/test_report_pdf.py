"""月度 / 年度工作报表 as the portal's own PDF: A4, Chinese text a reader can copy, the figures of the period and
the results published in it, for the places of the officer's scope only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consultations.models import PublicNotice
from stats.periods import Period, PeriodKind

pytestmark = pytest.mark.django_db


def _pdf(client, user, **query) -> PdfReader:
    client.force_login(user)
    response = client.get(reverse("stats:report_pdf"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="report-')
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def test_the_town_officer_downloads_the_month_s_report_of_her_town_on_a4_in_chinese(
    client, town_staff_huanghu, issue_in_state, tree
):
    issue_in_state("publicized", title="村口路灯不亮")
    reader = _pdf(client, town_staff_huanghu, period=PeriodKind.MONTH.value)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    text = _text(reader)
    assert "黄湖镇统战工作报表" in text
    assert Period.of(PeriodKind.MONTH, timezone.localdate()).label() in text
    assert "办理三率" in text and "各环节平均用时" in text
    notice = PublicNotice.objects.get(issue__title="村口路灯不亮")
    assert notice.title in text
    assert "本期发布结果公示 1 件" in text
    assert reader.metadata is not None and reader.metadata.title == "黄湖镇统战工作报表"


def test_the_report_of_a_place_outside_one_s_scope_does_not_exist(client, town_staff_huanghu, tree):
    client.force_login(town_staff_huanghu)
    assert client.get(reverse("stats:report_pdf"), {"region": tree.linan.pk}).status_code == 404


def test_what_an_officer_typed_is_printed_as_text_not_read_as_markup(client, district_admin_yuhang, issue_in_state):
    issue = issue_in_state("publicized", title="路灯<b>不亮</b> & 水渠")
    PublicNotice.objects.filter(issue=issue).update(title="路灯<b>不亮</b> & 水渠")
    text = _text(_pdf(client, district_admin_yuhang))
    assert "路灯<b>不亮</b> & 水渠" in text


def test_members_and_handlers_get_no_report(client, handler_huanghu):
    client.force_login(handler_huanghu)
    assert client.get(reverse("stats:report_pdf")).status_code == 403
