"""Who sees and who runs which activities on the staff pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import ActivityForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def qingshan_talk(activity_factory):
    return activity_factory(title="青山talk：竹编与设计")


@pytest.fixture
def tianmu_pairing(activity_factory, tianmu_alliance, village_staff_wanghu):
    return activity_factory(title="天目结对：电梯企业开放日", host=tianmu_alliance, actor=village_staff_wanghu)


@pytest.fixture
def exchange_visit(activity_factory, wangweishan_tongxinhui):
    return activity_factory(
        title="青山—王位山同心荟互访", form=ActivityForm.EXCHANGE_VISIT, co_hosts=[wangweishan_tongxinhui]
    )


def test_village_staff_see_only_their_organizations_activities(
    staff_client, village_staff_qingshan, qingshan_talk, tianmu_pairing
):
    page = staff_client(village_staff_qingshan).get(reverse("staff_activities:list")).content.decode()
    assert "青山talk：竹编与设计" in page
    assert "天目结对" not in page


def test_village_staff_cannot_open_another_villages_activity(staff_client, village_staff_qingshan, tianmu_pairing):
    client = staff_client(village_staff_qingshan)
    assert client.get(reverse("staff_activities:detail", args=[tianmu_pairing.pk])).status_code == 404
    assert client.get(reverse("staff_activities:checkin_screen", args=[tianmu_pairing.pk])).status_code == 404
    assert client.post(reverse("staff_activities:publish", args=[tianmu_pairing.pk])).status_code == 404


def test_district_admin_sees_every_activity_of_the_district_only(
    staff_client, district_admin_yuhang, qingshan_talk, tianmu_pairing
):
    page = staff_client(district_admin_yuhang).get(reverse("staff_activities:list")).content.decode()
    assert "青山talk：竹编与设计" in page
    assert "天目结对" not in page  # 临安区 is another district


def test_co_host_staff_see_the_visit_but_cannot_edit_or_run_it(staff_client, village_staff_wangweishan, exchange_visit):
    client = staff_client(village_staff_wangweishan)
    assert "青山—王位山同心荟互访" in client.get(reverse("staff_activities:list")).content.decode()
    detail = client.get(reverse("staff_activities:detail", args=[exchange_visit.pk]))
    assert detail.status_code == 200
    assert "不能修改" in detail.content.decode()
    assert client.get(reverse("staff_activities:edit", args=[exchange_visit.pk])).status_code == 404
    cancel = client.post(reverse("staff_activities:cancel", args=[exchange_visit.pk]), {"reason": "下雨"})
    assert cancel.status_code == 404
    exchange_visit.refresh_from_db()
    assert exchange_visit.status == "published"


@pytest.mark.parametrize("persona", ["handler_huanghu", "member_craftsman"])
def test_handlers_and_members_are_refused_the_staff_pages(request, staff_client, persona, qingshan_talk):
    client = staff_client(request.getfixturevalue(persona))
    for url in (
        reverse("staff_activities:list"),
        reverse("staff_activities:month"),
        reverse("staff_activities:figures"),
        reverse("staff_activities:create"),
        reverse("staff_activities:detail", args=[qingshan_talk.pk]),
        reverse("staff_activities:checkin_screen", args=[qingshan_talk.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("staff_activities:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
