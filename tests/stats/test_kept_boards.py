"""The dashboard's figures are kept a few minutes per place and period, for every officer who opens them."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_a_second_officer_opening_the_same_town_reads_the_kept_figures(
    client, settings, tree, district_admin_yuhang, town_staff_huanghu, qingshan_tongxinhui, enrol
):
    settings.STATS_DASHBOARD_SECONDS = 600
    cache.clear()
    enrol(qingshan_tongxinhui)
    url = reverse("stats:dashboard")
    client.force_login(district_admin_yuhang)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url, {"region": tree.huanghu.pk}).status_code == 200
    client.force_login(town_staff_huanghu)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url, {"region": tree.huanghu.pk})
    assert page.status_code == 200
    assert 'data-testid="focus-name">黄湖镇' in page.content.decode()
    assert len(second.captured_queries) < len(first.captured_queries) - 20
    # Another period is another set of figures.
    with CaptureQueriesContext(connection) as third:
        client.get(url, {"region": tree.huanghu.pk, "period": "year"})
    assert len(third.captured_queries) > 20
