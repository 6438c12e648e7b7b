"""A year's roster imports in a few queries per batch of rows (1,000 rows), whatever its length (issue 10).

王敏 (town staff of 黄湖镇) imports the roster of 青山同心荟 through the admin. The rows are read one by one and
written in batches (members.services.roster_rows_write); the rules of the import hold across batches: a bad row
anywhere saves nothing of the file, a re-import changes nothing, someone registered in one batch is the same
person in the next, and every person and span gets its history row by the importer.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.utils import timezone

from members import services
from members.models import Membership, MembershipRole, Person
from portal.page_cache import EVERYTHING, page_cache_touch
from tests.members.test_roster_excel import confirm, counts, upload

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def queries_counted() -> Iterator[list[int]]:
    # Counted as they run: the test database's query log keeps only the last 9,000.
    counted = [0]

    def counting(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        yield counted


PLACE = ["青山村", "青山同心荟"]


def villager(number: int, *, prefix: str = "197", joined_on: object = "2024-03-01", left_on: object = None):
    person = [f"村民{number}", "女" if number % 2 else "男", f"{prefix}{number:08d}", "新媒体从业人员", "个体经营"]
    return [*person, "农业", "", "群众", "否", *PLACE, "会员", joined_on, left_on]


def roster(rows: int, *, known: Person, skills: str = "竹编", prefix: str = "197") -> list[list[object]]:
    # The file's first row speaks of someone already on the roster, by phone: found and updated, not registered.
    craftsman = [known.name, "男", known.phone, "自由职业人员", "竹编手工艺者", "手工艺", skills, "群众", "是"]
    sheet: list[list[object]] = [[*craftsman, *PLACE, "会员", "2019-02-28", None]]
    sheet.extend(villager(number, prefix=prefix) for number in range(1, rows))
    return sheet


def previewed(client, rows: list[list[object]]) -> tuple[Any, int]:
    with queries_counted() as counted:
        preview = upload(client, rows)
    assert "confirm_form" in preview.context, preview.context["result"].invalid_rows[:3]
    return preview, counted[0]


def confirmed(client, preview) -> int:
    with queries_counted() as counted:
        response = confirm(client, preview)
    assert response.status_code == 302
    return counted[0]


def refusals(client, rows) -> dict[int, dict[str, list[str]]]:
    preview = upload(client, rows)
    assert "confirm_form" not in preview.context
    return {row.number: row.field_specific_errors for row in preview.context["result"].invalid_rows}


@pytest.fixture
def batches_of_50(monkeypatch):
    """Batches small enough that a file of a few hundred rows spans several."""
    monkeypatch.setattr(services, "ROSTER_BATCH_SIZE", 50)


def test_a_town_imports_150_or_600_rows_in_the_same_number_of_queries(
    client, craftsman_in_qingshan, town_staff_huanghu
):
    client.force_login(town_staff_huanghu)
    # The admin's log reads the membership's content type once per process, whichever import comes first.
    ContentType.objects.get_for_model(Membership)
    _, shorter_preview = previewed(client, roster(150, known=craftsman_in_qingshan))
    _, longer_preview = previewed(client, roster(600, known=craftsman_in_qingshan, prefix="196"))
    # A preview is a dry run: nothing of either file stays.
    assert Person.objects.count() == 1
    assert Membership.objects.count() == 1
    assert longer_preview == shorter_preview

    preview, _ = previewed(client, roster(150, known=craftsman_in_qingshan))
    shorter_confirm = confirmed(client, preview)
    preview, _ = previewed(client, roster(600, known=craftsman_in_qingshan, skills="竹雕", prefix="196"))
    longer_confirm = confirmed(client, preview)
    assert Person.objects.count() == 1 + 149 + 599
    assert Person.objects.get(pk=craftsman_in_qingshan.pk).skills == "竹雕"
    assert longer_confirm == shorter_confirm


def test_each_further_batch_costs_a_few_queries_whatever_its_rows(
    client, craftsman_in_qingshan, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    _, three_batches = previewed(client, roster(150, known=craftsman_in_qingshan))
    _, twelve_batches = previewed(client, roster(600, known=craftsman_in_qingshan))
    per_batch = (twelve_batches - three_batches) / 9
    assert 0 < per_batch <= 20, per_batch


@pytest.mark.any_hour
def test_a_bad_row_in_the_second_batch_saves_nothing_of_the_first(
    client, craftsman_in_qingshan, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    before = counts()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = roster(120, known=craftsman_in_qingshan)
    # Data row 80, the 30th of the second batch: Excel row 81 with the header.
    rows[79] = villager(79, joined_on=tomorrow)

    assert refusals(client, rows) == {81: {"入会日期": ["入会日期不能晚于今天。"]}}
    assert counts() == before
    assert Person.objects.get(pk=craftsman_in_qingshan.pk).skills == ""


def test_someone_registered_in_the_first_batch_is_the_same_person_in_the_second(
    client, craftsman_in_qingshan, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    wang = ["王木", "男", "13700006666", "自由职业人员", "木匠", "", "", "", "否", *PLACE, "会员"]
    rows = roster(70, known=craftsman_in_qingshan)
    rows[1] = [*wang, "2015-01-01", "2018-01-01"]
    rows.append([*wang, "2019-01-01", None])

    preview, _ = previewed(client, rows)
    confirmed(client, preview)

    wang_mu = Person.objects.get(phone="13700006666")
    spans = list(wang_mu.memberships.order_by("joined_on").values_list("joined_on", "left_on"))
    assert spans == [(datetime.date(2015, 1, 1), datetime.date(2018, 1, 1)), (datetime.date(2019, 1, 1), None)]


def test_a_span_overlapping_one_the_first_batch_registers_is_refused_in_the_second(
    client, craftsman_in_qingshan, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    before = counts()
    wang = ["王木", "男", "13700006666", "自由职业人员", "木匠", "", "", "", "否", *PLACE, "会员"]
    rows = roster(70, known=craftsman_in_qingshan)
    rows[1] = [*wang, "2015-01-01", "2021-01-01"]
    rows.append([*wang, "2016-01-01", "2017-01-01"])  # data row 71: Excel row 72

    errors = refusals(client, rows)
    assert set(errors) == {72}
    assert "与 2015-01-01 至 2021-01-01 的会籍重叠" in errors[72]["入会日期"][0]
    assert counts() == before


def test_a_file_of_several_batches_imported_again_changes_nothing(
    client, craftsman_in_qingshan, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    rows = roster(120, known=craftsman_in_qingshan)
    preview, _ = previewed(client, rows)
    confirmed(client, preview)
    after_first = counts()

    preview, _ = previewed(client, rows)
    assert preview.context["result"].totals["skip"] == 120
    confirmed(client, preview)
    assert counts() == after_first


def test_every_row_of_a_batched_import_is_in_the_history_and_the_admin_log_as_the_importers(
    client, craftsman_in_qingshan, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    rows = roster(120, known=craftsman_in_qingshan)
    rows[0][11] = "会长"  # 张竹青 becomes 会长 and gets his skills
    preview, _ = previewed(client, rows)
    confirmed(client, preview)

    villagers = Person.objects.exclude(pk=craftsman_in_qingshan.pk)
    assert villagers.count() == 119
    added = Person.history.filter(history_type="+", id__in=villagers.values("pk"))
    assert added.count() == 119
    assert set(added.values_list("history_user", "history_change_reason")) == {(town_staff_huanghu.pk, "登记人员")}
    joined = Membership.history.filter(history_type="+", person_id__in=villagers.values("pk"))
    assert joined.count() == 119
    assert set(joined.values_list("history_user", "history_change_reason")) == {(town_staff_huanghu.pk, "加入组织")}
    # What a record's history page shows: the stored values, the newest first.
    villager_42 = Person.objects.get(phone="19700000042")
    assert villager_42.history.get().name == "村民42"
    assert villager_42.memberships.get().history.get().joined_on == datetime.date(2024, 3, 1)

    craftsman = Person.objects.get(pk=craftsman_in_qingshan.pk)
    changed = craftsman.history.first()
    assert (changed.history_type, changed.history_change_reason, changed.skills) == ("~", "修改人员信息", "竹编")
    assert changed.history_user == town_staff_huanghu
    span = craftsman.memberships.get()
    assert span.role == MembershipRole.PRESIDENT
    corrected = span.history.first()
    assert (corrected.history_type, corrected.history_change_reason) == ("~", "按导入的名册更正")
    assert corrected.role == MembershipRole.PRESIDENT

    # The admin's own log of the import: one entry per row added or changed, by the importer.
    log = LogEntry.objects.filter(user=town_staff_huanghu, content_type__model="membership")
    assert log.count() == 120
    assert log.filter(object_id=str(span.pk)).exists()


def test_a_town_imports_only_into_its_own_organizations_in_every_batch(
    client, craftsman_in_qingshan, tianmu_alliance, town_staff_huanghu, batches_of_50
):
    client.force_login(town_staff_huanghu)
    before = counts()
    rows = roster(80, known=craftsman_in_qingshan)
    rows[60][10] = "天目共富联盟（望湖村）"  # data row 61: Excel row 62

    errors = refusals(client, rows)
    assert set(errors) == {62}
    assert "组织“天目共富联盟（望湖村）”不存在或不在您的管辖范围内" in errors[62]["组织"][0]
    assert counts() == before


def test_the_organization_page_counts_the_imported_members_at_once(
    client, craftsman_in_qingshan, town_staff_huanghu, settings, django_capture_on_commit_callbacks, batches_of_50
):
    settings.PAGE_CACHE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_touch(*EVERYTHING)  # pages kept by earlier tests showed their rows, not this test's

    def member_count() -> int:
        page = Client().get("/orgs/qingshan/").content.decode()
        match = re.search(r'<span class="stat-number">(\d+)</span>', page)
        assert match
        return int(match.group(1))

    before = member_count()
    client.force_login(town_staff_huanghu)
    preview, _ = previewed(client, roster(120, known=craftsman_in_qingshan))
    with django_capture_on_commit_callbacks(execute=True) as bumps:
        confirmed(client, preview)
    # One bump for the whole file, not one per row or batch.
    assert len([bump for bump in bumps if "members" in repr(getattr(bump, "names", bump))]) == 1
    assert member_count() == before + 119


def test_a_long_preview_lists_its_first_rows_and_says_the_others_are_imported_too(
    client, craftsman_in_qingshan, town_staff_huanghu
):
    client.force_login(town_staff_huanghu)
    preview, _ = previewed(client, roster(250, known=craftsman_in_qingshan))
    page = preview.content.decode()
    assert page.count('<tr class="new">') + page.count('<tr class="update">') == 200
    assert "预览只列出前 200 行，另外 50 行不再列出，确认导入时一并导入。" in page
    # Each listed row as import-export shows it: what a new row adds, what a known person keeps and what changes.
    assert '<ins style="background:#e6ffe6;">村民1</ins>' in page
    assert "<span>张竹青</span>" in page
    assert '<ins style="background:#e6ffe6;">竹编</ins>' in page
    assert preview.context["result"].totals["new"] == 249

    confirmed(client, preview)
    assert Person.objects.count() == 250
