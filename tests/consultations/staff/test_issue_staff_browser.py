"""The secretary's pages in Chromium: the queue and a meeting at an office PC, the queue on a phone."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Assignment, Issue, IssueChannel
from consultations.states import IssueState
from portal.workdays import add_working_days

S = IssueState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
# Kept after the run for a person to look at; outside the repository so that nothing gets committed by accident.
SCREENSHOTS = Path(os.environ.get("STAFF_SCREENSHOTS", "/tmp/staff-issues-screenshots"))  # noqa: S108


def signed_in(browser, live_server, user, context_args):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**context_args)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


@pytest.fixture
def busy_village(issue_factory, issue_in_state, village_staff_qingshan, qingshan_tongxinhui, craftsman_in_qingshan):
    waiting = issue_factory(title="竹林步道塌方需要修补")
    long_ago = timezone.now() - datetime.timedelta(days=9)
    Issue.objects.filter(pk=waiting.pk).update(created_at=long_ago, state_changed_at=long_ago)
    issue_factory(title="垃圾清运次数太少", channel=IssueChannel.PAPER, entered_by=village_staff_qingshan)
    issue_factory(title="溪边护栏松动")
    late = issue_in_state(S.ASSIGNED, title="龙坞水库周边停车难")
    Assignment.objects.filter(issue=late).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    issue_in_state(S.AGREED, title="村口路灯不亮")
    accepted = [issue_in_state(S.ACCEPTED, title=title) for title in ("文化礼堂开放时间", "民宿噪音扰民")]
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title=f"青山同心荟{timezone.localdate().year}年{timezone.localdate().month}月月度协商议事会",
        scheduled_at=timezone.now() - datetime.timedelta(hours=1),
        recording_past=True,
        place="青山村文化礼堂",
        issues=accepted,
    )
    return meeting


def test_queue_and_meeting_pages_at_an_office_pc(
    browser, live_server, village_staff_qingshan, busy_village, issue_factory
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = signed_in(browser, live_server, village_staff_qingshan, DESKTOP).new_page()
    page.goto(f"{live_server.url}/staff/issues/")
    rows = page.get_by_test_id("queue-row")
    assert rows.first.get_attribute("data-overdue") == "1"
    assert "超期" in page.get_by_test_id("overdue-count").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "queue-desktop.png"), full_page=True)

    page.goto(f"{live_server.url}/staff/issues/meetings/{busy_village.pk}/")
    assert page.get_by_test_id("agenda-item").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "meeting-desktop.png"), full_page=True)

    page.goto(f"{live_server.url}/staff/issues/meetings/")
    page.screenshot(path=str(SCREENSHOTS / "meetings-desktop.png"), full_page=True)


def test_secretary_accepts_and_assigns_with_a_live_deadline_preview(
    browser, live_server, village_staff_qingshan, issue_factory, issue_in_state, huanghu_water_office
):
    fresh = issue_factory(title="晒谷场积水")
    agreed = issue_in_state(S.AGREED, title="村口路灯不亮")
    page = signed_in(browser, live_server, village_staff_qingshan, DESKTOP).new_page()
    page.goto(f"{live_server.url}/staff/issues/{fresh.pk}/")
    page.get_by_test_id("action-accept").locator("summary").click()
    page.get_by_test_id("action-accept").get_by_role("button", name="受理").click()
    page.wait_for_url(f"**/staff/issues/{fresh.pk}/")
    assert "已受理" in page.locator(".alert-success").inner_text()

    page.goto(f"{live_server.url}/staff/issues/{agreed.pk}/")
    assign = page.get_by_test_id("action-assign")
    assign.locator("summary").click()
    assign.get_by_label("承办部门").select_option(label=huanghu_water_office.name)
    assign.get_by_label("办理时限（工作日）").fill("5")
    expected = add_working_days(timezone.localdate(), 5).strftime("%Y-%m-%d")
    page.get_by_test_id("deadline-preview").filter(has_text=expected).wait_for()
    page.screenshot(path=str(SCREENSHOTS / "issue-assign-desktop.png"), full_page=True)
    assign.get_by_role("button", name="提交职能部门").click()
    page.wait_for_url(f"**/staff/issues/{agreed.pk}/")
    agreed.refresh_from_db()
    assert agreed.state == S.ASSIGNED


def test_queue_on_a_phone(browser, live_server, village_staff_qingshan, busy_village, phone_context_args):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = signed_in(browser, live_server, village_staff_qingshan, phone_context_args).new_page()
    page.goto(f"{live_server.url}/staff/issues/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(SCREENSHOTS / "queue-phone.png"), full_page=True)
