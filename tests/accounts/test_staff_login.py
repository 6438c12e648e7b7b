"""Staff sign in with a username and a password; repeated failures lock that username on that network."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User

PASSWORD = "correct-horse-42"
LOGIN = "/accounts/login/"


def _post_login(client: Client, username: str, password: str, *, ip: str = "10.0.0.1", next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def _logged_in_username(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


@pytest.mark.parametrize(
    ("persona", "work_page"),
    [
        ("village_staff_qingshan", "/staff/issues/"),  # 议题工作台
        ("town_staff_huanghu", "/admin/"),
        ("district_admin_yuhang", "/admin/"),  # the statistics dashboard, once it exists
        ("handler_huanghu", "/department/"),  # 部门待办
        ("member_craftsman", "/issues/mine/"),  # 我的议题
    ],
)
def test_each_role_lands_on_its_work_after_login_never_on_the_home_page(client, request, persona, work_page):
    user = request.getfixturevalue(persona)
    response = _post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == work_page
    assert _logged_in_username(client) == user.username
    assert client.get(work_page).status_code == 200


def test_town_staff_outside_the_admin_land_on_the_issue_workbench(client, town_staff_huanghu):
    town_staff_huanghu.is_staff = False
    town_staff_huanghu.save(update_fields=["is_staff"])
    response = _post_login(client, town_staff_huanghu.username, PASSWORD)
    assert response["Location"] == reverse("staff_issues:queue")


def test_district_admin_sees_the_admin_link_once_logged_in(client, district_admin_yuhang):
    _post_login(client, district_admin_yuhang.username, PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in page
    assert "余杭统战部 陈主任" in page


def test_village_staff_see_no_admin_link(client, village_staff_qingshan):
    _post_login(client, village_staff_qingshan.username, PASSWORD)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["village_staff_qingshan", "handler_huanghu", "district_admin_yuhang"])
def test_login_follows_next_within_the_site(client, request, persona):
    user = request.getfixturevalue(persona)
    response = _post_login(client, user.username, PASSWORD, next_url="/orgs/qingshan/")
    assert response["Location"] == "/orgs/qingshan/"


def test_login_ignores_next_pointing_to_another_site(client, village_staff_qingshan):
    response = _post_login(client, village_staff_qingshan.username, PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == reverse("staff_issues:queue")


def test_login_page_keeps_next_in_the_form(client, db):
    page = client.get(LOGIN + "?next=/orgs/qingshan/").content.decode()
    assert 'name="next" value="/orgs/qingshan/"' in page


def test_wrong_password_shows_a_chinese_error_and_keeps_the_username(client, village_staff_qingshan):
    response = _post_login(client, village_staff_qingshan.username, "wrong-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in page
    assert 'value="qingshan_secretary"' in page
    assert _logged_in_username(client) is None


def test_signed_in_staff_visiting_the_login_page_go_to_their_start_page(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    response = client.get(LOGIN + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_issues:queue")


def test_five_wrong_passwords_lock_that_username_on_that_network(client, village_staff_qingshan):
    responses = [_post_login(client, "qingshan_secretary", f"wrong-{n}", ip="10.0.0.1") for n in range(5)]
    assert [r.status_code for r in responses[:4]] == [200, 200, 200, 200]

    locked = _post_login(client, "qingshan_secretary", PASSWORD, ip="10.0.0.1")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败次数过多" in page
    assert "30 分钟" in page
    assert _logged_in_username(client) is None


def test_lockout_spares_the_same_username_from_another_network(client, village_staff_qingshan):
    for n in range(5):
        _post_login(client, "qingshan_secretary", f"wrong-{n}", ip="10.0.0.1")
    response = _post_login(Client(), "qingshan_secretary", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_issues:queue")


def test_lockout_spares_colleagues_on_the_same_network(client, village_staff_qingshan, town_staff_huanghu):
    # A whole village often shares one public address: one person's typos must not lock the others out.
    for n in range(5):
        _post_login(client, "qingshan_secretary", f"wrong-{n}", ip="10.0.0.1")
    colleague = Client()
    response = _post_login(colleague, "huanghu_staff", PASSWORD, ip="10.0.0.1")
    assert response.status_code == 302
    assert _logged_in_username(colleague) == "huanghu_staff"


def test_logout_is_a_post(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    assert client.get("/accounts/logout/").status_code == 405
    assert _logged_in_username(client) == "qingshan_secretary"
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert _logged_in_username(client) is None


def test_header_offers_both_ways_to_log_in(client, db):
    page = client.get(reverse("home")).content.decode()
    assert reverse("accounts:login") in page
    assert reverse("accounts:phone_login") in page
