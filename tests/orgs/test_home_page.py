"""The home page's list of organizations: what a villager sees before choosing one."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, Person, Stratum

pytestmark = pytest.mark.django_db


def _enrol(organization, *, number, joined_on=datetime.date(2019, 2, 28), left_on=None):
    person = Person.objects.create(
        name=f"会员{number:03d}", phone=f"1370000{number:04d}", region=organization.region, stratum=Stratum.FREELANCER
    )
    Membership.objects.create(person=person, organization=organization, joined_on=joined_on, left_on=left_on)


def _home_count_of(client, organization) -> int:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    (shown,) = [org for org in response.context["organizations"] if org.pk == organization.pk]
    return shown.current_members


@pytest.mark.any_hour
def test_the_home_page_counts_an_organizations_members_as_its_own_page_does(client, qingshan_tongxinhui):
    for number in range(1, 4):
        _enrol(qingshan_tongxinhui, number=number)
    _enrol(qingshan_tongxinhui, number=4, left_on=datetime.date(2021, 6, 30))
    _enrol(qingshan_tongxinhui, number=5, joined_on=timezone.localdate() + datetime.timedelta(days=30))

    own_page = client.get(reverse("orgs:public_detail", kwargs={"slug": qingshan_tongxinhui.slug}))
    assert own_page.context["member_count"] == 3
    assert _home_count_of(client, qingshan_tongxinhui) == 3, "neither the one who left nor the one not yet in"
    assert "3 名会员" in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_no_members_for_an_organization_without_any(client, qingshan_tongxinhui):
    assert _home_count_of(client, qingshan_tongxinhui) == 0
