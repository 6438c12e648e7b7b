"""The queue's filter bar, drawn without crispy-forms' per-field templates, still says what was chosen."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings

from consultations.models import IssueCategory, IssueChannel
from tests.consultations.staff.conftest import queue_url

pytestmark = pytest.mark.django_db


class FilterBar(HTMLParser):
    """The labels, the chosen option of each select and the search box's value, as a browser would show them."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, str] = {}
        self.chosen: dict[str, str] = {}
        self.invalid: set[str] = set()
        self.search = ""
        self._label_for: str | None = None
        self._select: str | None = None
        self._option_selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "label":
            self._label_for = values.get("for")
        elif tag == "select":
            self._select = values.get("name")
            if "is-invalid" in (values.get("class") or "").split():
                self.invalid.add(self._select or "")
        elif tag == "option":
            self._option_selected = "selected" in values
        elif tag == "input" and values.get("name") == "q":
            self.search = values.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._label_for and data.strip():
            self.labels[self._label_for] = data.strip()
        if self._select and self._option_selected and data.strip():
            self.chosen[self._select] = data.strip()
            self._option_selected = False


def filter_bar_of(response) -> FilterBar:
    bar = FilterBar()
    bar.feed(response.content.decode())
    return bar


def test_the_filter_bar_keeps_what_the_secretary_chose(
    secretary, village_staff_qingshan, issue_factory, qingshan_tongxinhui
):
    issue_factory(
        title="垃圾清运太少",
        category=IssueCategory.ENVIRONMENT,
        channel=IssueChannel.PAPER,
        entered_by=village_staff_qingshan,
    )
    response = secretary.get(
        queue_url(
            q="垃圾",
            organization=str(qingshan_tongxinhui.pk),
            category=IssueCategory.ENVIRONMENT,
            channel=IssueChannel.PAPER,
        )
    )
    bar = filter_bar_of(response)
    assert bar.labels["id_organization"] == "组织"
    assert bar.labels["id_category"] == "类别"
    assert bar.labels["id_channel"] == "来源"
    assert bar.chosen == {
        "organization": qingshan_tongxinhui.name,
        "category": "环境卫生",
        "channel": "纸质意见条（代录）",
    }
    assert bar.search == "垃圾"
    assert "垃圾清运太少" in response.content.decode()


def test_an_unfiltered_queue_offers_every_choice_unset(secretary, issue_factory):
    issue_factory()
    bar = filter_bar_of(secretary.get(queue_url()))
    assert bar.chosen == {"organization": "全部组织", "category": "全部类别", "channel": "全部来源"}
    assert bar.invalid == set()


def test_a_source_that_does_not_exist_is_marked_on_its_select(secretary, issue_factory):
    issue_factory()
    response = secretary.get(queue_url(channel="fax"))
    bar = filter_bar_of(response)
    assert bar.invalid == {"channel"}
    assert 'aria-describedby="id_channel_error"' in response.content.decode()


def test_the_rows_name_category_source_and_state_in_the_readers_language(client, village_staff_qingshan, issue_factory):
    issue_factory(category=IssueCategory.INFRASTRUCTURE, channel=IssueChannel.ONLINE)
    client.force_login(village_staff_qingshan)
    chinese = client.get(queue_url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(queue_url()).content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    chinese_again = client.get(queue_url()).content.decode()
    assert "道路交通与基础设施" in chinese and "网上提交" in chinese
    assert "Roads, transport and infrastructure" in english and "Submitted online" in english
    assert "道路交通与基础设施" not in english
    assert "道路交通与基础设施" in chinese_again
