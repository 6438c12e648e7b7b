"""The kept daily figures in the admin: the district admin of 余杭区 and the town staff of 黄湖镇 read those of
their places and no others, a superuser reads all, nobody adds, changes or deletes one, and an id outside
one's places does not exist."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from portal.accounts.models import User
from stats.models import DailyFigure

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 29)


@pytest.fixture
def figures(qingshan_tongxinhui, tianmu_alliance):
    """青山同心荟's members that day (in 黄湖镇, 余杭区) and 天目共富联盟's (in 临安区)."""
    inside = DailyFigure.objects.create(
        metric="members", day=DAY, organization=qingshan_tongxinhui, region=qingshan_tongxinhui.region, value=59
    )
    outside = DailyFigure.objects.create(
        metric="members", day=DAY, organization=tianmu_alliance, region=tianmu_alliance.region, value=13
    )
    return inside, outside


def _list(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:stats_dailyfigure_changelist"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["district_admin_yuhang", "town_staff_huanghu"])
def test_staff_read_the_figures_of_their_places_only(request, client, figures, persona):
    user = request.getfixturevalue(persona)
    inside, outside = figures
    listing = _list(client, user)
    assert "青山同心荟" in listing and "天目共富联盟" not in listing
    assert client.get(reverse("admin:stats_dailyfigure_change", args=[inside.pk])).status_code == 200
    # Outside one's places the id does not exist, on the page and in its history.
    assert client.get(reverse("admin:stats_dailyfigure_change", args=[outside.pk])).status_code == 302
    assert client.get(reverse("admin:stats_dailyfigure_history", args=[outside.pk])).status_code == 404


def test_a_superuser_reads_every_figure(client, figures):
    root = User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")
    listing = _list(client, root)
    assert "青山同心荟" in listing and "天目共富联盟" in listing


def test_nobody_adds_changes_or_deletes_a_kept_figure_in_the_admin(client, figures, district_admin_yuhang):
    inside, _outside = figures
    client.force_login(district_admin_yuhang)
    assert client.get(reverse("admin:stats_dailyfigure_add")).status_code == 403
    assert client.post(reverse("admin:stats_dailyfigure_change", args=[inside.pk]), {"value": "1"}).status_code == 403
    assert client.post(reverse("admin:stats_dailyfigure_delete", args=[inside.pk]), {"post": "yes"}).status_code == 403
    inside.refresh_from_db()
    assert inside.value == 59


def test_village_staff_get_nothing_of_it(client, figures, village_staff_qingshan):
    village_staff_qingshan.is_staff = True
    village_staff_qingshan.save(update_fields=["is_staff"])
    client.force_login(village_staff_qingshan)
    assert client.get(reverse("admin:stats_dailyfigure_changelist")).status_code in (302, 403)
