"""The Django admin shows and edits exactly what the scoping functions allow, for each role.

Matrix: district admin of 余杭区, town staff of 黄湖镇 and a superuser, each facing an object inside and
one outside their scope, through the admin's own URLs: is it listed, can its page be opened, changed.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from members.models import ContactKind, ContactLog
from orgs.models import Department, DepartmentLevel, Region
from portal.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")


@pytest.fixture
def places(
    tree,
    qingshan_tongxinhui,
    tianmu_alliance,
    huanghu_water_office,
    craftsman_in_qingshan,
    designer_in_wanghu,
    village_staff_qingshan,
    village_staff_wanghu,
    district_admin_yuhang,
):
    """One object of each kind inside 黄湖镇 (in the district's and the town's scope), one in 临安区."""
    linan_office = Department.objects.create(name="临安区农业农村局", level=DepartmentLevel.DISTRICT, region=tree.linan)
    log_inside = ContactLog.objects.create(
        person=craftsman_in_qingshan,
        kind=ContactKind.VISIT,
        occurred_on=datetime.date(2024, 5, 1),
        contacted_by="陈主任",
        notes="谈竹编工作室用房",
        author=district_admin_yuhang,
    )
    log_outside = ContactLog.objects.create(
        person=designer_in_wanghu,
        kind=ContactKind.PHONE,
        occurred_on=datetime.date(2024, 5, 2),
        contacted_by="周强",
        notes="电梯企业结对",
        author=village_staff_wanghu,
    )
    return {
        "region": (tree.qingshan, tree.wanghu),
        "organization": (qingshan_tongxinhui, tianmu_alliance),
        "department": (huanghu_water_office, linan_office),
        "person": (craftsman_in_qingshan, designer_in_wanghu),
        "membership": (craftsman_in_qingshan.memberships.get(), designer_in_wanghu.memberships.get()),
        "contactlog": (log_inside, log_outside),
        "user": (village_staff_qingshan, village_staff_wanghu),
    }


APP_OF = {
    "region": "orgs",
    "organization": "orgs",
    "department": "orgs",
    "person": "members",
    "membership": "members",
    "contactlog": "members",
    "user": "accounts",
}

# (role, model) -> what the role may do with the object inside its scope: (list, view, change).
# Outside its scope a staff role may do nothing; a superuser may do everything everywhere.
INSIDE = {
    ("district_admin", "region"): (True, True, True),
    ("district_admin", "organization"): (True, True, True),
    ("district_admin", "department"): (True, True, True),
    ("district_admin", "person"): (True, True, True),
    ("district_admin", "membership"): (True, True, True),
    ("district_admin", "contactlog"): (True, True, True),
    ("district_admin", "user"): (True, True, True),
    # Town staff keep people and organizations, but the tree, departments and accounts belong to the district.
    ("town_staff", "region"): (True, True, False),
    ("town_staff", "organization"): (True, True, True),
    ("town_staff", "department"): (True, True, False),
    ("town_staff", "person"): (True, True, True),
    ("town_staff", "membership"): (True, True, True),
    # A contact log is testimony: only its author (here the district admin) corrects it.
    ("town_staff", "contactlog"): (True, True, False),
    ("town_staff", "user"): (False, False, False),
}
MODELS = sorted(APP_OF)


def _urls(model: str, obj) -> tuple[str, str]:
    app = APP_OF[model]
    return (reverse(f"admin:{app}_{model}_changelist"), reverse(f"admin:{app}_{model}_change", args=[obj.pk]))


def _what_the_admin_allows(client, user, model: str, obj) -> tuple[bool, bool, bool]:
    client.force_login(user)
    changelist_url, change_url = _urls(model, obj)
    changelist = client.get(changelist_url)
    listed = changelist.status_code == 200 and obj.pk in {row.pk for row in changelist.context["cl"].result_list}
    page = client.get(change_url)
    viewable = page.status_code == 200
    changeable = viewable and bool(page.context["has_change_permission"])
    return listed, viewable, changeable


def _actor(request, role: str):
    return request.getfixturevalue(
        {
            "district_admin": "district_admin_yuhang",
            "town_staff": "town_staff_huanghu",
            "superuser": "superuser",
        }[role]
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ["district_admin", "town_staff"])
def test_staff_work_on_objects_inside_their_scope_as_their_role_allows(request, client, places, role, model):
    user = _actor(request, role)
    inside, _outside = places[model]
    assert _what_the_admin_allows(client, user, model, inside) == INSIDE[(role, model)]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ["district_admin", "town_staff"])
def test_staff_can_neither_list_nor_open_nor_change_objects_outside_their_scope(request, client, places, role, model):
    user = _actor(request, role)
    _inside, outside = places[model]
    assert _what_the_admin_allows(client, user, model, outside) == (False, False, False)


@pytest.mark.parametrize("model", MODELS)
def test_superuser_lists_opens_and_changes_everything(client, places, superuser, model):
    for obj in places[model]:
        assert _what_the_admin_allows(client, superuser, model, obj) == (True, True, True)


@pytest.mark.parametrize("model", ["organization", "person", "membership", "contactlog", "region"])
def test_guessing_an_id_outside_ones_scope_says_it_does_not_exist(client, places, town_staff_huanghu, model):
    client.force_login(town_staff_huanghu)
    _inside, outside = places[model]
    _changelist, change_url = _urls(model, outside)
    response = client.get(change_url)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("不存在" in message for message in messages), messages


@pytest.mark.parametrize("model", ["organization", "person", "membership"])
def test_history_of_an_object_outside_ones_scope_is_not_found(client, places, district_admin_yuhang, model):
    client.force_login(district_admin_yuhang)
    inside, outside = places[model]
    app = APP_OF[model]
    assert client.get(reverse(f"admin:{app}_{model}_history", args=[inside.pk])).status_code == 200
    assert client.get(reverse(f"admin:{app}_{model}_history", args=[outside.pk])).status_code == 404


def test_posting_a_change_to_an_object_outside_scope_changes_nothing(client, places, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    _inside, outside = places["region"]
    response = client.post(
        reverse("admin:orgs_region_change", args=[outside.pk]),
        {"name": "改名村", "level": "village", "parent": outside.parent_id},
    )
    assert response.status_code == 302
    assert Region.objects.get(pk=outside.pk).name == "望湖村"


def test_town_staff_cannot_rename_a_village_of_their_town(client, places, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    inside, _outside = places["region"]
    response = client.post(
        reverse("admin:orgs_region_change", args=[inside.pk]),
        {"name": "改名村", "level": "village", "parent": inside.parent_id},
    )
    assert response.status_code == 403
    assert Region.objects.get(pk=inside.pk).name == "青山村"


@pytest.mark.parametrize("model", ["person", "membership", "contactlog"])
def test_people_memberships_and_contact_logs_are_not_deleted_by_staff(client, places, district_admin_yuhang, model):
    client.force_login(district_admin_yuhang)
    inside, _outside = places[model]
    app = APP_OF[model]
    response = client.post(reverse(f"admin:{app}_{model}_delete", args=[inside.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert type(inside).objects.filter(pk=inside.pk).exists()


def test_superuser_may_delete_a_contact_log(client, places, superuser):
    client.force_login(superuser)
    inside, _outside = places["contactlog"]
    client.post(reverse("admin:members_contactlog_delete", args=[inside.pk]), {"post": "yes"})
    assert not ContactLog.objects.filter(pk=inside.pk).exists()


def test_town_staff_pick_only_organizations_of_their_town(client, places, town_staff_huanghu, wangweishan_tongxinhui):
    client.force_login(town_staff_huanghu)
    form = client.get(reverse("admin:members_membership_add")).context["adminform"].form
    names = set(form.fields["organization"].queryset.values_list("name", flat=True))
    assert names == {"青山同心荟", "王位山同心荟"}


def test_town_staff_place_organizations_only_in_regions_of_their_town(client, places, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    form = client.get(reverse("admin:orgs_organization_add")).context["adminform"].form
    assert set(form.fields["region"].queryset.values_list("name", flat=True)) == {
        "黄湖镇",
        "青山村",
        "王位山村",
    }


def test_admin_site_is_titled_in_chinese(client, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "同心荟管理后台" in response.content.decode()


def test_town_staff_do_not_see_the_user_admin_on_the_index(client, places, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    content = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:members_person_changelist") in content
    assert reverse("admin:accounts_user_changelist") not in content


def test_village_staff_get_nothing_from_the_admin_even_when_marked_staff(client, places, village_staff_qingshan):
    village_staff_qingshan.is_staff = True
    village_staff_qingshan.save(update_fields=["is_staff"])
    client.force_login(village_staff_qingshan)
    assert reverse("admin:members_person_changelist") not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:members_person_changelist")).status_code == 403
