"""A receipt code is the submitter's key to their own issue page: no public page prints it, neither the board,
nor the notice, nor the notice as printed."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_no_public_page_shows_the_receipt_code(client, published_issue):
    issue = published_issue()
    notice = issue.notices.get()
    detail = reverse("notices:detail", kwargs={"pk": notice.pk})
    board = reverse("notices:board")

    for url in (
        board,
        f"{board}?org=qingshan",
        f"{board}?region={issue.region.parent_id}",
        detail,
        "/",
        "/orgs/qingshan/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert issue.receipt_code not in content, url
        assert f"{issue.receipt_code[:4]} {issue.receipt_code[4:]}" not in content, url
    assert notice.title in client.get(detail).content.decode()
