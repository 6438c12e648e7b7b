"""Public pages are kept whole for anonymous visitors and shown afresh as soon as what they show changes.

A villager who scans a QR code gets the page without a query; after a notice is published, an activity
published or cancelled, or a member joins, the next villager sees it. Signed-in people, visitors with a
session and POSTs are never served a kept page; English and Chinese are kept apart; each visitor gets their
own CSRF token; with Redis stopped every page is still rendered, and a change made meanwhile shows once it is
back.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import time_machine
from django.test import Client
from django.utils import timezone

from activities import services as activity_services
from activities.models import Audience
from consultations import services as issue_services
from members import services as member_services
from members.models import MembershipRole, Person, Stratum
from portal.page_cache import _seconds_to_keep

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def _resolved_count(html: str) -> int:
    match = re.search(r'data-testid="resolved-count">(\d+)<', html)
    assert match, "no resolved counter on the page"
    return int(match.group(1))


@pytest.fixture
def public_activity(activity_factory):
    return activity_factory(audience=Audience.PUBLIC, title="竹编体验课")


@pytest.fixture
def public_pages(qingshan_tongxinhui, public_activity, published_issue) -> list[str]:
    notice = published_issue(title="村口路灯不亮").notices.get()
    return [
        "/",
        "/notices/",
        f"/notices/{notice.pk}/",
        "/notices/?org=qingshan",
        "/orgs/",
        "/orgs/qingshan/",
        "/activities/",
        f"/activities/{public_activity.pk}/",
    ]


def _vary(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Vary", "").split(",") if part.strip()}


def test_the_second_villager_on_each_public_page_is_served_without_a_query(
    public_pages, django_assert_num_queries, django_assert_max_num_queries
):
    for path in public_pages:
        first = Client().get(path)
        with django_assert_num_queries(0):
            second = Client().get(path)
        assert _without_tokens(_html(second)) == _without_tokens(_html(first)), path
        # The same headers as the page rendered for the first villager; a page with a form gives each villager
        # a CSRF cookie of their own, a page without one gives none.
        for header in ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options"):
            assert second.headers.get(header) == first.headers.get(header), (path, header)
        assert _vary(second) == _vary(first), path
        if "csrftoken" in first.cookies:
            assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value, path
        else:
            assert "csrftoken" not in second.cookies, path


def test_a_query_the_page_does_not_read_is_rendered_and_not_kept(qingshan_tongxinhui, django_assert_max_num_queries):
    Client().get("/orgs/?utm_source=poster")
    with django_assert_max_num_queries(20) as queries:
        _html(Client().get("/orgs/?utm_source=poster"))
    assert len(queries) > 0


def test_a_published_notice_shows_at_once_on_the_board_the_organization_page_and_home(
    issue_in_state, village_staff_qingshan, committed
):
    issue = issue_in_state("handled", title="竹林小路塌了一段")
    before = {path: _html(Client().get(path)) for path in ("/", "/notices/", "/orgs/qingshan/")}
    assert "竹林小路塌了一段" not in before["/notices/"]

    with committed():
        issue_services.issue_publish(
            issue=issue, actor=village_staff_qingshan, title="竹林小路已修好", body="村里已请人修好竹林小路。"
        )

    assert "竹林小路已修好" in _html(Client().get("/notices/"))
    for path in ("/", "/orgs/qingshan/"):
        assert _resolved_count(_html(Client().get(path))) == _resolved_count(before[path]) + 1, path


def test_an_activity_shows_in_the_list_once_published_and_as_cancelled_once_cancelled(
    activity_factory, village_staff_qingshan, committed
):
    with committed():
        activity = activity_factory(audience=Audience.PUBLIC, title="青山夜话", publish=False)
    assert "青山夜话" not in _html(Client().get("/activities/"))
    assert "青山夜话" not in _html(Client().get("/"))

    with committed():
        activity_services.activity_publish(activity=activity, actor=village_staff_qingshan)
    assert "青山夜话" in _html(Client().get("/activities/"))
    assert "青山夜话" in _html(Client().get("/"))
    assert "本次活动已取消" not in _html(Client().get(f"/activities/{activity.pk}/"))

    with committed():
        activity_services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警")
    assert "青山夜话" not in _html(Client().get("/activities/"))
    assert "本次活动已取消" in _html(Client().get(f"/activities/{activity.pk}/"))


def test_a_guest_sign_up_shows_in_the_places_left_of_the_next_visitor(public_activity, committed):
    page = f"/activities/{public_activity.pk}/"
    assert "剩余 20 个" in _html(Client().get(page))
    with committed():
        activity_services.registration_create(activity=public_activity, name="李阿婆", phone="13712345678")
    assert "剩余 19 个" in _html(Client().get(page))


def test_a_member_who_joins_is_counted_on_the_organization_page_at_once(
    qingshan_tongxinhui, village_staff_qingshan, committed
):
    def member_count() -> int:
        html = _html(Client().get("/orgs/qingshan/"))
        match = re.search(r'<span class="stat-number">(\d+)</span>', html)
        assert match
        return int(match.group(1))

    before = member_count()
    with committed():
        person = Person.objects.create(
            name="陈设计师", phone="13788889999", region=qingshan_tongxinhui.region, stratum=Stratum.FREELANCER
        )
        member_services.membership_add(
            person=person,
            organization=qingshan_tongxinhui,
            role=MembershipRole.MEMBER,
            joined_on=timezone.localdate(),
            actor=village_staff_qingshan,
        )
    assert member_count() == before + 1


def test_signed_in_staff_are_never_served_the_villagers_page(
    public_pages, village_staff_qingshan, django_assert_max_num_queries
):
    staff = Client()
    staff.force_login(village_staff_qingshan)
    for path in public_pages:
        _html(Client().get(path))  # kept for villagers
        html = _html(staff.get(path))
        assert 'data-testid="identity"' in html, path
        assert "退出" in html, path
        assert 'data-testid="identity"' not in _html(Client().get(path)), path


def test_a_guest_who_signed_up_sees_their_own_sign_up_not_the_kept_page(public_activity):
    page = f"/activities/{public_activity.pk}/"
    assert "查看或取消我的报名" not in _html(Client().get(page))
    guest = Client()
    answer = guest.post(f"{page}signup/", {"name": "李阿婆", "phone": "13712345678"}, REMOTE_ADDR="10.1.2.3")
    assert answer.status_code == 302
    assert "查看或取消我的报名" in _html(guest.get(page))
    assert "查看或取消我的报名" not in _html(Client().get(page))


def test_english_and_chinese_pages_are_kept_apart(public_pages):
    for path in public_pages:
        chinese = _html(Client().get(path))
        english = _html(Client(headers={"accept-language": "en"}).get(path))
        assert '<html lang="zh-hans">' in chinese and "近期活动" in chinese, path
        assert '<html lang="en">' in english and "Upcoming activities" in english, path
        again = _html(Client(headers={"accept-language": "en"}).get(path))
        assert '<html lang="en">' in again and "近期活动" not in again, path
        assert '<html lang="zh-hans">' in _html(Client().get(path)), path


def test_each_villager_gets_their_own_csrf_token_and_both_can_sign_up_and_switch_language(public_activity):
    page = f"/activities/{public_activity.pk}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html, second_html = _html(first.get(page)), _html(second.get(page))
    first_token, second_token = TOKEN.findall(first_html)[0], TOKEN.findall(second_html)[0]
    assert first_token != second_token
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value

    for client, token, phone, ip in (
        (second, second_token, "13700000002", "10.0.0.2"),
        (first, first_token, "13700000001", "10.0.0.1"),
    ):
        answer = client.post(
            f"{page}signup/", {"name": "村民", "phone": phone, "csrfmiddlewaretoken": token}, REMOTE_ADDR=ip
        )
        assert answer.status_code == 302, answer.status_code
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": second_token})
    assert switched.status_code == 302


def test_the_language_switch_of_a_kept_page_returns_to_the_page_the_villager_is_on(public_pages):
    for path in ("/notices/?org=qingshan", "/orgs/"):
        Client().get(path)
        assert f'href="/i18n/choose/en/?next={quote(path, safe="/")}"' in _html(Client().get(path))


@pytest.fixture
def redis_keeping_its_data(real_redis):
    """The test's Redis, whose data outlives a restart (as a Redis with persistence, or one cut off by the
    network, keeps what it had): a dump is written before each stop, and removed after the test."""
    dump = Path(real_redis.command[real_redis.command.index("--dir") + 1]) / "dump.rdb"
    stop = real_redis.stop

    def stop_keeping_data() -> None:
        redis.Redis(port=real_redis.port).save()
        stop()

    real_redis.stop = stop_keeping_data
    yield real_redis
    real_redis.start()
    dump.unlink(missing_ok=True)


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_pages_render_and_a_change_made_meanwhile_shows_once_it_is_back(
    qingshan_tongxinhui, activity_factory, village_staff_qingshan, redis_keeping_its_data, sms_outbox
):
    activity = activity_factory(audience=Audience.PUBLIC, title="竹编体验课")
    pages = ["/", "/orgs/", "/orgs/qingshan/", "/activities/", f"/activities/{activity.pk}/", "/notices/"]
    for path in pages:
        _html(Client().get(path))
    assert "竹编体验课" in _html(Client().get("/activities/"))

    redis_keeping_its_data.stop()
    try:
        for path in pages:
            _html(Client().get(path))
            _html(Client().get(path))
        activity_services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警")
        assert "竹编体验课" not in _html(Client().get("/activities/"))
    finally:
        redis_keeping_its_data.start()

    # Back with the pages it kept before the outage: none of them may hide the cancellation.
    assert "竹编体验课" not in _html(Client().get("/activities/"))
    assert "本次活动已取消" in _html(Client().get(f"/activities/{activity.pk}/"))


def test_a_page_kept_before_midnight_in_beijing_is_rendered_afresh_after_it(
    public_pages, django_assert_max_num_queries
):
    today = timezone.localdate()
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(23, 59, 50), SHANGHAI), tick=False):
        _html(Client().get("/activities/"))
        assert _seconds_to_keep(timezone.now()) == 10
    tomorrow = today + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(tomorrow, datetime.time(0, 0, 5), SHANGHAI), tick=False):
        with django_assert_max_num_queries(20) as queries:
            _html(Client().get("/activities/"))
        assert len(queries) > 0


def test_a_recognition_added_in_the_admin_shows_on_the_organization_page_at_once(
    qingshan_tongxinhui, district_admin_yuhang, committed
):
    assert "浙江省新的社会阶层人士统战工作实践创新基地" not in _html(Client().get("/orgs/qingshan/"))
    admin = Client()
    admin.force_login(district_admin_yuhang)
    with committed():
        added = admin.post(
            "/admin/orgs/recognition/add/",
            {
                "organization": qingshan_tongxinhui.pk,
                "level": "provincial",
                "title": "浙江省新的社会阶层人士统战工作实践创新基地",
                "year": 2024,
            },
        )
    assert added.status_code == 302, added.content.decode()[:2000]
    assert "浙江省新的社会阶层人士统战工作实践创新基地" in _html(Client().get("/orgs/qingshan/"))
