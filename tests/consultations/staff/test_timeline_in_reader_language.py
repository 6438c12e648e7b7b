"""The 办理记录 of an issue handled in Chinese, read by a secretary who switched the portal to English.

What the portal wrote (the agenda line, the assignment, the tally, the notice period, 系统) reads in the reader's
language; what people typed (the consensus, the meeting's title) stays as they typed it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from consultations.models import Issue, IssueChannel
from consultations.timeline_text import comment_text
from tests.consultations.staff.conftest import detail_url

pytestmark = pytest.mark.django_db

CONSENSUS = "由村里统一更换路灯，费用从公益金列支。"


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def closed_issue(issue_factory, drive_issue) -> Issue:
    """The lamp issue of 青山村 taken along the whole road by people working in Chinese."""
    with translation.override("zh-hans"):
        return drive_issue(issue_factory(title="村口路灯不亮"), "closed")


def _timeline(page: str) -> str:
    return page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]


def test_a_secretary_reading_in_english_reads_the_steps_the_portal_wrote_in_english(secretary, closed_issue):
    secretary.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    timeline = _timeline(secretary.get(detail_url(closed_issue)).content.decode())

    assert "Added to 月度协商议事会 (" in timeline
    assert f"{CONSENSUS}(For 21, against 2, abstaining 1)" in timeline
    assert "Assigned to " in timeline and "working days)" in timeline
    assert "Notice period: 7 days" in timeline
    assert "Notice period ended, archived automatically" in timeline
    assert "System" in timeline
    for chinese in ("列入", "办理，期限", "赞成", "公示 7 天", "公示期满", "系统"):
        assert chinese not in timeline


def test_a_secretary_reading_in_chinese_reads_the_same_steps_as_they_were_written(secretary, closed_issue):
    timeline = _timeline(secretary.get(detail_url(closed_issue)).content.decode())

    assert "列入月度协商议事会（" in timeline
    assert f"{CONSENSUS}（赞成 21，反对 2，弃权 1）" in timeline
    assert "公示期满，自动归档" in timeline
    assert "系统" in timeline
    assert "Notice period" not in timeline


def test_a_step_written_by_someone_working_in_english_reads_in_chinese_for_a_chinese_reader():
    with translation.override("en"):
        written = translation.gettext("由 %(staff)s 代为录入（%(channel)s）") % {
            "staff": "何雨晴",
            "channel": IssueChannel.PHONE.label,
        }

    with translation.override("zh-hans"):
        assert comment_text(written) == f"由 何雨晴 代为录入（{IssueChannel.PHONE.label}）"


def test_what_a_person_typed_is_left_as_typed():
    with translation.override("en"):
        assert comment_text("属于个人纠纷，不在议事范围内。") == "属于个人纠纷，不在议事范围内。"
