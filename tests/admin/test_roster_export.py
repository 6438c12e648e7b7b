"""The 余杭区 officer exports a roster from the admin (会籍 → 导出) to hand upward: the columns named as the import
names them, XLSX already chosen, a file named after the organization and Beijing's date, a sheet named 会员名册,
today's members unless she asks for former ones, and the organization she filtered the list by."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from members.resources import RosterResource

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:members_membership_export")
CHANGELIST = reverse("admin:members_membership_changelist")
IMPORT_COLUMNS = [field.column_name for field in RosterResource().get_export_fields()]


@pytest.fixture
def yuhang_rosters(qingshan_tongxinhui, wangweishan_tongxinhui, enrol):
    """Two current members of 青山同心荟, one who left it, and one member of 王位山同心荟."""
    enrol(qingshan_tongxinhui, name="张竹青", phone="13800001111")
    enrol(qingshan_tongxinhui, name="李竹韵", phone="13800002222")
    left = enrol(qingshan_tongxinhui, name="王已退", phone="13800003333")
    Membership.objects.filter(person=left).update(left_on=datetime.date(2025, 6, 30), leave_reason="外出务工")
    enrol(wangweishan_tongxinhui, name="赵山民", phone="13800004444")
    return qingshan_tongxinhui


def _export_page(client, query: str = ""):
    page = client.get(f"{EXPORT}{query}")
    assert page.status_code == 200
    return page


def _as_a_browser_sends_it(page) -> dict[str, object]:
    """What the export form posts when the officer just presses 提交: every field as it was preselected."""
    form = page.context["form"]
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is True:
            data[name] = "on"
        elif value not in (None, False, ""):
            data[name] = value
    return data


def _export(client, query: str = ""):
    response = client.post(f"{EXPORT}{query}", _as_a_browser_sends_it(_export_page(client, query)))
    assert response.status_code == 200, response.content[:400]
    return response


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _names(response) -> list[str]:
    header, *rows = list(_sheet(response).values)
    return sorted(row[header.index("姓名")] for row in rows)


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    encoded = re.search(r"filename\*=utf-8''(\S+)", disposition)
    assert encoded, disposition
    return unquote(encoded.group(1))


def test_the_export_page_names_each_column_as_the_import_does(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    form = _export_page(client).context["form"]

    labels = [field.label for field in form.fields.values() if getattr(field, "is_selectable_field", False)]
    assert labels == IMPORT_COLUMNS
    assert "Name" not in "".join(labels)


def test_xlsx_is_chosen_before_she_chooses_anything(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    page = _export_page(client)

    assert re.search(r'<option value="0" selected>xlsx</option>', page.content.decode(), re.IGNORECASE)
    assert "---" not in page.content.decode().split('name="format"', 1)[1].split("</select>", 1)[0]
    response = _export(client)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")


@pytest.mark.any_hour
def test_the_file_is_named_after_the_organization_and_beijings_date(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    response = _export(client, f"?organization__id__exact={yuhang_rosters.pk}")

    assert _filename(response) == f"青山同心荟-会员名册-{timezone.localdate().isoformat()}.xlsx"


@pytest.mark.any_hour
def test_a_roster_of_several_organizations_is_named_after_her_district(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    response = _export(client)

    assert _filename(response) == f"余杭区-会员名册-{timezone.localdate().isoformat()}.xlsx"
    assert _names(response) == sorted(["张竹青", "李竹韵", "赵山民"])


def test_the_sheet_is_named_in_chinese(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    assert _sheet(_export(client)).title == "会员名册"


def test_former_members_are_left_out_unless_she_asks_for_them(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    only_qingshan = f"organization__id__exact={yuhang_rosters.pk}"

    assert _names(_export(client, f"?{only_qingshan}")) == sorted(["张竹青", "李竹韵"])
    former = _export(client, f"?{only_qingshan}&status=former")
    assert _names(former) == ["王已退"]
    assert "已退出会员名册" in _filename(former)
    everyone = _export(client, f"?{only_qingshan}&status=all")
    assert _names(everyone) == sorted(["张竹青", "李竹韵", "王已退"])
    assert "会员名册（含已退出）" in _filename(everyone)


def test_the_list_offers_organization_and_status_filters_and_shows_todays_members_first(
    client, yuhang_rosters, district_admin_yuhang
):
    client.force_login(district_admin_yuhang)

    page = client.get(CHANGELIST)

    listed = sorted(str(membership.person) for membership in page.context["cl"].result_list)
    assert listed == sorted(["张竹青", "李竹韵", "赵山民"])
    html = page.content.decode()
    assert "会籍状态" in html and "已退出" in html
    assert f"organization__id__exact={yuhang_rosters.pk}" in html
    assert "?status=former" in html


def test_the_export_link_of_a_filtered_list_carries_its_filters(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    query = f"?organization__id__exact={yuhang_rosters.pk}&status=former"

    html = client.get(f"{CHANGELIST}{query}").content.decode()

    export_link = re.search(r'href="([^"]*/export/[^"]*)"', html)
    assert export_link
    assert f"organization__id__exact={yuhang_rosters.pk}" in export_link.group(1)
    assert "status=former" in export_link.group(1)


def test_the_members_she_ticks_on_the_list_are_the_ones_exported(client, yuhang_rosters, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    ticked = list(Membership.objects.filter(person__name__in=["张竹青", "赵山民"]).values_list("pk", flat=True))

    page = client.post(CHANGELIST, {"action": "export_admin_action", "_selected_action": ticked})

    assert page.status_code == 200
    data = {**_as_a_browser_sends_it(page), "export_items": [str(pk) for pk in ticked]}
    response = client.post(EXPORT, data)
    assert response.status_code == 200, response.content[:400]
    assert _names(response) == sorted(["张竹青", "赵山民"])


def test_a_ticked_member_outside_her_district_is_not_exported(
    client, yuhang_rosters, designer_in_wanghu, district_admin_yuhang
):
    client.force_login(district_admin_yuhang)
    mine = Membership.objects.get(person__name="张竹青").pk
    elsewhere = Membership.objects.get(person=designer_in_wanghu).pk
    page = _export_page(client)

    response = client.post(EXPORT, {**_as_a_browser_sends_it(page), "export_items": [str(mine), str(elsewhere)]})

    # The form comes back refusing the choice: no file at all, rather than a file missing a row.
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors
    assert "吴设计" not in response.content.decode()
