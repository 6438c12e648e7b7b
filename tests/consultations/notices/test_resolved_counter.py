"""已解决议题 N 件 counts the issues whose result is published — on notice or archived after it — and nothing else:
the same issues the notice board lists."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from consultations import services
from consultations.counters import resolved_issue_count, resolved_issue_counts
from consultations.models import Feedback, Rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop_outcomes(issue_in_state, village_staff_qingshan):
    """One issue of 青山同心荟 at each kind of end: resolved, still on notice, closed without a result,
    and resolved but reopened after an unsatisfied rating."""
    resolved = issue_in_state("closed", title="已解决")
    on_notice = issue_in_state("publicized", title="公示中")
    deliberating = issue_in_state("deliberating", title="未达成共识")
    services.agenda_record_no_consensus(
        item=deliberating.agenda_items.get(), actor=village_staff_qingshan, note="分歧较大", close=True
    )
    reopened = issue_in_state("closed", title="重新受理")
    services.feedback_submit(issue=reopened, rating=Rating.UNSATISFIED, comment="路灯又坏了")
    services.issue_reopen(issue=reopened, actor=village_staff_qingshan, reason="反映人不满意")
    return {"resolved": resolved, "on_notice": on_notice, "no_result": deliberating, "reopened": reopened}


def test_only_issues_whose_result_is_published_count(loop_outcomes, qingshan_tongxinhui):
    # The result on notice counts as the board lists it; no result, or a reopened one, does not.
    assert Feedback.objects.count() == 1
    assert resolved_issue_count() == 2
    assert resolved_issue_count(organization=qingshan_tongxinhui) == 2


def test_the_count_covers_everything_under_a_region(loop_outcomes, tree):
    assert resolved_issue_count(region=tree.yuhang) == 2
    assert resolved_issue_count(region=tree.huanghu) == 2
    assert resolved_issue_count(region=tree.qingshan) == 2
    assert resolved_issue_count(region=tree.wangweishan) == 0
    assert resolved_issue_count(region=tree.linan) == 0


def test_many_organizations_are_counted_in_one_query(
    loop_outcomes, qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance, django_assert_num_queries
):
    ids = [qingshan_tongxinhui.pk, wangweishan_tongxinhui.pk, tianmu_alliance.pk]
    with django_assert_num_queries(1):
        counts = resolved_issue_counts(ids)
    assert counts == {qingshan_tongxinhui.pk: 2, wangweishan_tongxinhui.pk: 0, tianmu_alliance.pk: 0}


def test_the_board_shows_the_counter_for_what_is_chosen(client, loop_outcomes, tree, tianmu_alliance):
    overall = client.get(reverse("notices:board"))
    assert overall.context["resolved_count"] == 2 == overall.context["page"].paginator.count
    assert 'data-testid="resolved-count">2<' in overall.content.decode()
    assert client.get(reverse("notices:board"), {"region": tree.linan.pk}).context["resolved_count"] == 0
    assert client.get(reverse("notices:board"), {"org": "qingshan"}).context["resolved_count"] == 2


def test_the_counter_snippet_reads_as_a_sentence():
    html = render_to_string(
        "consultations/_resolved_counter.html",
        {"resolved_count": 12, "resolved_scope_label": "青山同心荟", "resolved_notices_url": "/notices/?org=qingshan"},
    )
    assert "青山同心荟" in html
    assert "已解决议题" in html and ">12<" in html and "件" in html
    assert 'href="/notices/?org=qingshan"' in html
