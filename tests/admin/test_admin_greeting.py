"""The admin greets a district officer by her name, as the rest of the portal names her."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _greeting(client) -> str:
    html = client.get(reverse("admin:index")).content.decode()
    found = re.search(r'data-testid="admin-greeting">([^<]*)<', html)
    assert found, "the admin index greets nobody"
    return found.group(1)


def test_the_officer_of_yuhang_is_greeted_by_her_display_name_not_her_username(client, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    assert _greeting(client) == "余杭统战部 陈主任"


def test_an_officer_without_a_display_name_is_greeted_by_her_full_name(client, district_admin_yuhang):
    district_admin_yuhang.display_name = ""
    district_admin_yuhang.first_name, district_admin_yuhang.last_name = "敏", "陈"
    district_admin_yuhang.save(update_fields=["display_name", "first_name", "last_name"])
    client.force_login(district_admin_yuhang)

    assert _greeting(client) == district_admin_yuhang.get_full_name()
    assert "yuhang_admin" not in client.get(reverse("admin:index")).content.decode().split("user-tools", 1)[1][:400]


def test_the_greeting_is_written_as_the_name_is_and_not_uppercased(client, district_admin_yuhang):
    """Django's admin CSS uppercases #user-tools; the portal's admin.css undoes it for the name."""
    client.force_login(district_admin_yuhang)
    html = client.get(reverse("admin:index")).content.decode()

    assert "/static/css/admin.css" in html
    found = finders.find("css/admin.css")
    assert isinstance(found, str)
    stylesheet = Path(found).read_text(encoding="utf-8")
    rule = re.search(r"#user-tools \.admin-greeting \{([^}]*)\}", stylesheet)
    assert rule and "text-transform: none" in rule.group(1)
