"""What anyone sees at /activities/ and /activities/<id>/, on a phone, without signing in."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, ActivityPhoto, Audience

pytestmark = pytest.mark.django_db


def test_the_listing_shows_upcoming_published_activities_soonest_first(client, activity_factory):
    later = activity_factory(title="青山talk：水源地保护", starts_in=datetime.timedelta(days=9))
    sooner = activity_factory(title="竹编体验课", starts_in=datetime.timedelta(days=2))
    activity_factory(title="还在筹备的草稿", publish=False)

    page = client.get(reverse("activities:list")).content.decode()

    assert page.index(sooner.title) < page.index(later.title)
    assert "还在筹备的草稿" not in page


@pytest.mark.any_hour
def test_the_listing_leaves_out_cancelled_and_past_activities(client, activity_factory, village_staff_qingshan):
    cancelled = activity_factory(title="因雨取消的徒步")
    services.activity_cancel(activity=cancelled, actor=village_staff_qingshan, reason="暴雨")
    past = activity_factory(title="上个月的分享会")
    Activity.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30) + datetime.timedelta(hours=2),
        signup_deadline=timezone.now() - datetime.timedelta(days=31),
    )

    page = client.get(reverse("activities:list")).content.decode()

    assert "因雨取消的徒步" not in page
    assert "上个月的分享会" not in page


def test_the_listing_filters_by_organization_including_co_hosted_visits(
    client, activity_factory, wangweishan_tongxinhui, village_staff_qingshan
):
    activity_factory(title="青山自己的活动")
    activity_factory(title="青山与王位山互访", co_hosts=[wangweishan_tongxinhui])

    page = client.get(reverse("activities:list"), {"org": "wangweishan"}).content.decode()

    assert "青山与王位山互访" in page
    assert "青山自己的活动" not in page
    assert "王位山同心荟的近期活动" in page


def test_an_unknown_organization_in_the_filter_lists_nothing_and_says_so(client, activity_factory):
    activity_factory(title="青山自己的活动")

    page = client.get(reverse("activities:list"), {"org": "no-such-org"}).content.decode()

    assert "没有找到这个组织" in page
    assert "青山自己的活动" not in page


def test_the_listing_tells_when_an_activity_is_full(client, activity_factory, sign_up_people):
    full = activity_factory(title="满员的讲座", capacity=2, audience=Audience.PUBLIC)
    sign_up_people(full, 2)
    activity_factory(title="还有空位的讲座", capacity=30)

    page = client.get(reverse("activities:list")).content.decode()

    assert "已满，可候补" in page
    assert "剩余 30 个名额" in page


@pytest.mark.parametrize("count", [3, 40])
def test_the_listing_runs_the_same_few_queries_however_many_activities(
    client, activity_factory, sign_up_people, wangweishan_tongxinhui, django_assert_max_num_queries, count
):
    for number in range(count):
        activity = activity_factory(audience=Audience.PUBLIC, co_hosts=[wangweishan_tongxinhui], capacity=3)
        if number % 5 == 0:
            sign_up_people(activity, 2, first_phone=f"137{number:06d}00")

    with django_assert_max_num_queries(5):
        response = client.get(reverse("activities:list"), {"org": "qingshan"})
    assert response.status_code == 200


def test_the_detail_page_shows_what_a_villager_needs_to_decide(client, activity_factory, wangweishan_tongxinhui):
    activity = activity_factory(
        title="同心荟互访：竹编与茶",
        co_hosts=[wangweishan_tongxinhui],
        place="青山村同心驿站二楼",
        capacity=25,
        description="两村会员互相学习。",
    )

    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()

    for text in (
        "同心荟互访：竹编与茶",
        "青山同心荟",
        "王位山同心荟",
        "文化传承",
        "分享会",
        "青山村同心驿站二楼",
        "共 25 人，剩余 25 个",
        "报名截止",
        "仅限会员",
        "两村会员互相学习。",
    ):
        assert text in page
    assert 'href="/orgs/qingshan/"' in page
    assert 'href="/orgs/wangweishan/"' in page
    assert reverse("activities:ics", args=[activity.pk]) in page


def test_the_detail_page_of_a_full_activity_offers_the_waiting_list(client, activity_factory, sign_up_people):
    activity = activity_factory(capacity=1, audience=Audience.PUBLIC)
    sign_up_people(activity, 1)

    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()

    assert "已满，可候补" in page
    assert "加入候补" in page


def test_a_draft_is_not_found(client, activity_factory):
    draft = activity_factory(publish=False)

    for name in ("detail", "ics", "checkin"):
        assert client.get(reverse(f"activities:{name}", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("activities:signup", args=[draft.pk]), {"name": "王大伯", "phone": "13912345678"}
        ).status_code
        == 404
    )


def test_an_activity_of_an_inactive_organization_is_not_found(client, activity_factory, qingshan_tongxinhui):
    activity = activity_factory()
    qingshan_tongxinhui.is_active = False
    qingshan_tongxinhui.save(update_fields=["is_active"])

    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404


def test_a_cancelled_activity_shows_the_reason_and_takes_no_sign_ups(client, activity_factory, village_staff_qingshan):
    activity = activity_factory(audience=Audience.PUBLIC)
    services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警，改期举行")

    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()

    assert "本次活动已取消" in page
    assert "台风预警，改期举行" in page
    assert "立即报名" not in page


def test_after_the_activity_the_page_shows_the_summary_and_photos(client, activity_factory, village_staff_qingshan):
    activity = activity_factory(starts_in=datetime.timedelta(minutes=30))
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    activity.refresh_from_db()
    services.activity_complete(activity=activity, actor=village_staff_qingshan, summary="28 位会员参加，编了竹篮。")
    ActivityPhoto.objects.create(activity=activity, image="activities/photos/2025/05/bamboo.jpg", caption="竹篮成品")

    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()

    assert "活动小结" in page
    assert "28 位会员参加，编了竹篮。" in page
    assert "竹篮成品" in page
    assert "/media/activities/photos/2025/05/bamboo.jpg" in page
    assert "立即报名" not in page


@pytest.mark.any_hour
def test_after_the_deadline_the_page_says_sign_up_is_closed(client, activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)
    Activity.objects.filter(pk=activity.pk).update(signup_deadline=timezone.now() - datetime.timedelta(minutes=1))

    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()

    assert "报名已截止" in page
    assert "立即报名" not in page
