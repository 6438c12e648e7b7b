"""`manage.py seed_demo`: the demo data of the seeds, loaded twice; the second run changes nothing."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from members.models import ContactAssignment, ContactLog, CrossAppointment, Person, PublicOffice, Stratum
from orgs.models import Organization, OrganizationCategory, OrganizationKind, RecognitionLevel
from orgs.selectors import organization_leaders, organization_member_count, organization_stratum_counts
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.site.demo.accounts import DEMO_PASSWORD
from portal.site.demo.people import QINGSHAN_ARTICLE_DATE, roster_plans

FOUNDING_DAY = datetime.date(2019, 2, 28)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    """Rows of every table the project owns, history tables included."""
    labels = ("orgs", "members", "accounts", "auth")
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


@pytest.fixture
def seeded(demo_seeded):
    """What the first run printed; the demo is loaded once for the module (tests/conftest.py, DemoSeed)."""
    return demo_seeded


def _stratum_count(organization, stratum, on=None) -> int:
    return {row.stratum: row.count for row in organization_stratum_counts(organization, on=on)}.get(stratum, 0)


def test_qingshan_has_59_members_today_of_whom_26_freelancers_and_3_foreign_observers(seeded):
    qingshan = Organization.objects.get(slug="qingshan")
    assert qingshan.founded_on == FOUNDING_DAY
    assert organization_member_count(qingshan) == 59
    assert _stratum_count(qingshan, Stratum.FREELANCER) == 26
    assert _stratum_count(qingshan, Stratum.FOREIGN_OBSERVER) == 3
    observers = Person.objects.filter(memberships__organization=qingshan, stratum=Stratum.FOREIGN_OBSERVER)
    assert all(person.nationality and person.nationality != "中国" for person in observers)


def test_qingshan_had_21_members_at_its_founding_of_whom_10_freelancers(seeded):
    qingshan = Organization.objects.get(slug="qingshan")
    assert organization_member_count(qingshan, on=FOUNDING_DAY) == 21
    assert _stratum_count(qingshan, Stratum.FREELANCER, on=FOUNDING_DAY) == 10
    assert organization_member_count(qingshan, on=FOUNDING_DAY - datetime.timedelta(days=1)) == 0


def test_qingshan_roster_has_a_history_of_members_who_left(seeded):
    qingshan = Organization.objects.get(slug="qingshan")
    assert organization_member_count(qingshan, on=QINGSHAN_ARTICLE_DATE) == 59
    assert qingshan.memberships.filter(left_on__isnull=False).count() >= 3
    assert qingshan.memberships.values("person").distinct().count() > 59


def test_qingshan_is_led_by_a_president_vice_presidents_and_a_secretary_general(seeded):
    roles = [leader.role_label for leader in organization_leaders(Organization.objects.get(slug="qingshan"))]
    assert roles[0] == "会长" and "副会长" in roles and roles[-1] == "秘书长"


def test_the_places_and_organizations_of_every_seed_are_there(seeded):
    qingshan = Organization.objects.get(slug="qingshan")
    assert [r.name for r in _trail(qingshan)] == ["余杭区", "黄湖镇", "青山村"]
    lucheng = Organization.objects.filter(
        region__path__startswith=_region_path("鹿城区"), kind=OrganizationKind.TONGXINHUI
    )
    assert {
        OrganizationCategory.INCUBATION,
        OrganizationCategory.ALLIANCE,
        OrganizationCategory.CULTURE,
        OrganizationCategory.SERVICE,
        OrganizationCategory.YOUTH,
    } <= set(lucheng.values_list("category", flat=True))
    levels = sorted(lucheng.filter(recognitions__isnull=False).values_list("recognitions__level", flat=True))
    assert levels == sorted([RecognitionLevel.NATIONAL, RecognitionLevel.PROVINCIAL, RecognitionLevel.PROVINCIAL])
    xinxin = Organization.objects.get(name="新新之家·同心荟")
    assert set(xinxin.spaces.values_list("name", flat=True)) == {
        "同心驿站",
        "同心会客厅",
        "同心家园",
        "城市书屋",
        "心理咨询室",
    }
    tianmu = Organization.objects.get(slug="tianmu")
    assert tianmu.kind == OrganizationKind.PROSPERITY_ALLIANCE
    assert "望湖村股份经济合作社" in set(tianmu.partners.values_list("name", flat=True))
    mili = Organization.objects.get(slug="mili-youle")
    assert mili.recognitions.filter(year=2023, level=RecognitionLevel.DISTRICT).exists()
    assert PublicOffice.objects.filter(person__memberships__organization__in=lucheng).exists()


def _region_path(name: str) -> str:
    from orgs.models import Region

    return Region.objects.get(name=name, parent=None).path


def _trail(organization):
    from orgs.selectors import region_trail

    return region_trail(organization.region)


def test_every_role_has_a_demo_login(seeded):
    for role in Role:
        assert User.objects.filter(role=role, is_active=True).exists(), role
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    for user in User.objects.filter(role__in=[Role.DISTRICT_ADMIN, Role.TOWN_STAFF]):
        assert user.is_staff
    member = User.objects.get(role=Role.MEMBER)
    assert member.person is not None and member.phone == member.person.phone
    assert member.person.memberships.filter(organization__slug="qingshan", left_on__isnull=True).exists()
    handler_department = User.objects.get(username="huanghu_handler").department
    assert handler_department is not None and handler_department.name == "黄湖镇农业农村办"
    assert User.objects.get(username="yuhang_admin").check_password(DEMO_PASSWORD)


def test_the_command_prints_a_login_table(seeded):
    output = seeded
    assert DEMO_PASSWORD in output
    for where in ("/accounts/login/", "/admin/", "/accounts/phone/"):
        assert where in output
    member = User.objects.get(role=Role.MEMBER)
    assert member.phone in output


def test_people_have_valid_unique_phones_and_real_looking_names(seeded):
    phones = list(Person.objects.values_list("phone", flat=True))
    assert len(phones) == len(set(phones)) > 200
    assert all(re.fullmatch(r"1[3-9]\d{9}", phone) for phone in phones)
    names = set(Person.objects.values_list("name", flat=True))
    assert not names & {"张三", "李四", "王五"}


def test_contact_records_and_cross_appointments_exist_for_representative_people(seeded):
    assert ContactAssignment.objects.filter(person__is_representative=True).exists()
    assert ContactLog.objects.count() >= 5
    assert (
        CrossAppointment.objects.filter(
            title__contains="委员", person__memberships__organization__slug="qingshan"
        ).count()
        >= 2
    )


def test_running_it_twice_changes_nothing(seeded):
    before = _row_counts()
    output = _seed()
    assert _row_counts() == before
    assert "没有新建" in output


def test_the_plan_is_the_same_on_every_run():
    assert roster_plans() == roster_plans()


def test_the_seeded_qingshan_page_shows_counts_but_no_phone(client, seeded):
    response = client.get(reverse("orgs:public_detail", kwargs={"slug": "qingshan"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["member_count"] == 59
    for phone in Person.objects.filter(memberships__organization__slug="qingshan").values_list("phone", flat=True):
        assert phone not in html
