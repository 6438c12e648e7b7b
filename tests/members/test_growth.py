import datetime

import pytest
from django.urls import reverse

from members.models import Membership
from members.selectors import organization_member_counts_on, organization_member_series
from orgs.models import Organization

FOUNDED = datetime.date(2019, 2, 28)
TODAY = datetime.date(2025, 6, 30)


def grow_qingshan_like_the_seeds(organization, enrol):
    """21 members at founding; 59 today, after some joined each year and a few left."""
    for _ in range(21):
        enrol(organization, joined_on=FOUNDED)
    for year, joined in ((2020, 10), (2021, 12), (2022, 10), (2023, 6)):
        for _ in range(joined):
            enrol(organization, joined_on=datetime.date(year, 6, 1))
    for _ in range(4):
        enrol(organization, joined_on=datetime.date(2020, 3, 1), left_on=datetime.date(2024, 3, 1))


def test_qingshan_had_21_members_at_founding_and_59_today(qingshan_tongxinhui, enrol):
    grow_qingshan_like_the_seeds(qingshan_tongxinhui, enrol)
    organizations = Organization.objects.filter(pk=qingshan_tongxinhui.pk)
    assert organization_member_counts_on(organizations=organizations, on_date=FOUNDED) == {qingshan_tongxinhui.pk: 21}
    assert organization_member_counts_on(organizations=organizations, on_date=TODAY) == {qingshan_tongxinhui.pk: 59}
    [growth] = organization_member_series(organizations=organizations, today=TODAY)
    assert [(point.on, point.members) for point in growth.points] == [
        (FOUNDED, 21),
        (datetime.date(2020, 1, 1), 21),
        (datetime.date(2021, 1, 1), 35),
        (datetime.date(2022, 1, 1), 47),
        (datetime.date(2023, 1, 1), 57),
        (datetime.date(2024, 1, 1), 63),
        (datetime.date(2025, 1, 1), 59),
        (TODAY, 59),
    ]


def test_someone_counts_from_the_day_they_join_and_not_on_the_day_they_leave(qingshan_tongxinhui, enrol):
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2023, 3, 1), left_on=datetime.date(2023, 9, 1))
    organizations = Organization.objects.filter(pk=qingshan_tongxinhui.pk)

    def on(day):
        return organization_member_counts_on(organizations=organizations, on_date=day)[qingshan_tongxinhui.pk]

    assert [
        on(datetime.date(2023, 2, 28)),
        on(datetime.date(2023, 3, 1)),
        on(datetime.date(2023, 8, 31)),
        on(datetime.date(2023, 9, 1)),
    ] == [0, 1, 1, 0]


def test_a_role_change_counts_the_person_once(qingshan_tongxinhui, enrol, village_staff_qingshan):
    from members.services import membership_change_role

    person = enrol(qingshan_tongxinhui, joined_on=datetime.date(2020, 1, 1))
    membership_change_role(
        membership=person.memberships.get(),
        role="president",
        changed_on=datetime.date(2022, 1, 1),
        actor=village_staff_qingshan,
    )
    organizations = Organization.objects.filter(pk=qingshan_tongxinhui.pk)
    for day in (datetime.date(2021, 12, 31), datetime.date(2022, 1, 1), datetime.date(2022, 1, 2)):
        assert organization_member_counts_on(organizations=organizations, on_date=day)[qingshan_tongxinhui.pk] == 1


def test_an_organization_without_a_founding_date_starts_with_its_first_members(tianmu_alliance, enrol):
    Organization.objects.filter(pk=tianmu_alliance.pk).update(founded_on=None)
    enrol(tianmu_alliance, joined_on=datetime.date(2023, 5, 1))
    [growth] = organization_member_series(organizations=Organization.objects.filter(pk=tianmu_alliance.pk), today=TODAY)
    assert [(point.on.year, point.members) for point in growth.points] == [(2024, 1), (2025, 1), (2025, 1)]


def test_the_series_of_many_organizations_takes_two_queries(
    tree, qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance, enrol, django_assert_num_queries
):
    for organization in (qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance):
        for _ in range(3):
            enrol(organization, joined_on=datetime.date(2023, 1, 1))
    with django_assert_num_queries(2):
        series = organization_member_series(organizations=Organization.objects.all(), today=TODAY)
    assert {growth.organization.slug: growth.latest for growth in series} == {
        "qingshan": 3,
        "wangweishan": 3,
        "tianmu-wanghu": 3,
    }


@pytest.mark.any_hour
def test_the_growth_page_shows_counts_on_the_chosen_date_for_organizations_in_scope(
    client, village_staff_qingshan, qingshan_tongxinhui, tianmu_alliance, enrol, django_assert_max_num_queries
):
    grow_qingshan_like_the_seeds(qingshan_tongxinhui, enrol)
    enrol(tianmu_alliance)
    client.force_login(village_staff_qingshan)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:growth"), {"on": "2019-02-28"})
    page = response.content.decode()
    assert response.status_code == 200
    assert [(growth.organization.name, count) for growth, count in response.context["rows"]] == [("青山同心荟", 21)]
    assert "天目共富联盟" not in page
    assert "2019-02-28" in page


@pytest.mark.any_hour
def test_the_growth_page_ignores_an_unreadable_date(client, village_staff_qingshan, qingshan_tongxinhui, enrol):
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2020, 1, 1))
    Membership.objects.update(left_on=None)
    client.force_login(village_staff_qingshan)
    response = client.get(reverse("members:growth"), {"on": "yesterday"})
    assert response.status_code == 200
    assert response.context["rows"][0][1] == 1
