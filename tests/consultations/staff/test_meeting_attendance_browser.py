"""In Chromium: the secretary ticks who came from sixty names, and prints the 签到表 on A4 in a Chinese font."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from consultations import services
from members.models import Membership, MembershipRole, Person, Stratum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
A4_POINTS = (595.92, 842.88)


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**DESKTOP)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


@pytest.fixture
def held_meeting(tree, qingshan_tongxinhui, village_staff_qingshan):
    surnames = "王李张陈刘杨赵黄周吴"
    for number in range(60):
        person = Person.objects.create(
            name=f"{surnames[number % 10]}{'秀建国英明华'[number // 10]}{number:02d}",
            phone=f"139{number:08d}",
            region=tree.qingshan,
            stratum=Stratum.FREELANCER,
        )
        Membership.objects.create(
            person=person,
            organization=qingshan_tongxinhui,
            role=MembershipRole.MEMBER,
            joined_on=datetime.date(2019, 2, 28),
        )
    return services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="青山同心荟12月月度协商议事会",
        place="青山村文化礼堂",
        scheduled_at=timezone.now() - datetime.timedelta(hours=2),
        recording_past=True,
    )


def test_the_secretary_finds_names_selects_all_and_sees_the_count(
    live_server, browser, village_staff_qingshan, held_meeting
):
    context = signed_in(browser, live_server, village_staff_qingshan)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/staff/issues/meetings/{held_meeting.pk}/")
        count = page.get_by_test_id("attendance-count")
        assert count.inner_text() == "已选 0 人，共 60 人"

        page.get_by_placeholder("按姓名查找").fill("王")
        assert page.locator("[data-attendee]:visible").count() == 6
        page.get_by_label("全选").check()
        assert count.inner_text() == "已选 6 人，共 60 人"

        page.get_by_placeholder("按姓名查找").fill("")
        assert page.locator("[data-attendee]:visible").count() == 60
        assert page.get_by_label("全选").evaluate("box => box.indeterminate")
        page.get_by_label("李秀01").check()
        assert count.inner_text() == "已选 7 人，共 60 人"

        page.get_by_label("列席村民人数").fill("20")
        page.get_by_role("button", name="保存出席情况").click()
        names = page.get_by_test_id("attendee-names").inner_text()
        assert len(names.split("、")) == 7 and "李秀01" in names and "王秀00" in names
    finally:
        context.close()


def test_the_sign_in_sheet_prints_on_a4_in_a_chinese_font(live_server, browser, village_staff_qingshan, held_meeting):
    context = signed_in(browser, live_server, village_staff_qingshan)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/staff/issues/meetings/{held_meeting.pk}/sign-in-sheet/")
        assert page.get_by_test_id("sign-in-member").count() == 60
        page.emulate_media(media="print")
        assert not page.get_by_role("button", name="打印").is_visible(), "the buttons stay off the paper"
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        context.close()
    boxes = {tuple(float(side) for side in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes and all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in boxes), boxes
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 2, "sixty names and the empty lines take more than one page"
    fonts = set(re.findall(rb"/BaseFont /([A-Za-z0-9+\-]+)", pdf))
    assert any(b"WenQuanYi" in font or b"CJK" in font or b"Hei" in font for font in fonts), fonts
