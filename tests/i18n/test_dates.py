"""Dates as each reader writes them: 2026年12月11日 星期五 in Chinese, Fri, Dec. 11, 2026 in English; never a
Chinese date with an English weekday ("2026年12月11日 Fri")."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import translation

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Friday afternoon talk in the 青山村 culture hall, and a two-day study trip.
TALK = SimpleNamespace(
    starts_at=datetime.datetime(2026, 12, 11, 14, 0, tzinfo=SHANGHAI),
    ends_at=datetime.datetime(2026, 12, 11, 16, 30, tzinfo=SHANGHAI),
)
TRIP = SimpleNamespace(
    starts_at=datetime.datetime(2026, 12, 11, 8, 0, tzinfo=SHANGHAI),
    ends_at=datetime.datetime(2026, 12, 12, 18, 0, tzinfo=SHANGHAI),
)


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    with translation.override(translation.get_language()):
        yield


def _when(activity: SimpleNamespace, language: str) -> str:
    with translation.override(language):
        return render_to_string("activities/public/_when.html", {"activity": activity}).strip()


def test_a_chinese_reader_reads_the_day_its_weekday_and_the_time_in_chinese():
    assert ">2026年12月11日 星期五 14:00</time>–16:30" in _when(TALK, "zh-hans")


def test_an_english_reader_reads_the_day_its_weekday_and_the_time_in_english():
    when = _when(TALK, "en")

    assert ">Fri, Dec. 11, 2026, 14:00</time>–16:30" in when
    assert "年" not in when and "月" not in when


def test_an_activity_over_two_days_ends_on_a_day_written_in_the_readers_language():
    assert _when(TRIP, "zh-hans").endswith(" – 12月12日 18:00")
    assert _when(TRIP, "en").endswith(" – Dec. 12, 18:00")


def test_a_message_names_the_deadline_in_the_readers_language():
    context = {
        "department": "黄湖镇农业农村办",
        "issue_title": "村口路灯不亮",
        "deadline": datetime.date(2026, 12, 16),
        "days_left": 2,
    }
    with translation.override("zh-hans"):
        chinese = render_to_string("notifications/email/assignment_due_soon_body.txt", context)
    with translation.override("en"):
        english = render_to_string("notifications/email/assignment_due_soon_body.txt", context)

    assert "2026年12月16日" in chinese
    assert "Dec. 16, 2026" in english and "2026年" not in english
