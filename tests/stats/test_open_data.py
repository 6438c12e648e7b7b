"""Open data: the public board of a place as CSV, described column by column, with nothing that is not public."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.consultations.conftest import SUBMITTER_NAME, SUBMITTER_PHONE


def test_anyone_downloads_the_published_results_of_a_place_without_the_submitters(
    client, issue_in_state, tree, tianmu_alliance
):
    issue = issue_in_state("publicized")
    response = client.get(reverse("open_data_notices_csv"), {"region": tree.huanghu.pk})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["发布日期", "公示截止", "组织", "所在区域", "公示标题", "公示内容"]
    assert [row[2:5] for row in rows[1:]] == [["青山同心荟", "青山村", "村口路灯已修复"]]
    assert SUBMITTER_NAME not in text and SUBMITTER_PHONE not in text and issue.receipt_code not in text

    elsewhere = client.get(reverse("open_data_notices_csv"), {"region": tree.linan.pk})
    assert len(list(csv.reader(io.StringIO(b"".join(elsewhere.streaming_content).decode())))) == 1
    assert client.get(reverse("open_data_notices_csv"), {"region": "²"}).status_code == 404


def test_the_columns_are_described_on_the_open_data_page(client, tree):
    page = client.get(reverse("open_data")).content.decode()
    assert 'data-testid="open-data-columns"' in page
    assert "结果公示的全文，与公示栏相同。" in page
