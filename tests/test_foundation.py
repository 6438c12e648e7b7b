import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from orgs.models import Region


def test_everything_under_a_town_is_one_prefix_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Region.objects.filter(path__startswith=tree.huanghu.path).values_list("name", flat=True))
    assert names == {"黄湖镇", "青山村", "王位山村"}


def test_healthz_reports_database_cache_and_broker(client, db):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_answers_503_when_the_broker_is_unreachable(client, db, settings):
    from portal.celery import app

    original = app.conf.broker_url
    app.conf["broker_url"] = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf["broker_url"] = original
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_migrations_are_complete():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_home_page_is_chinese_by_default(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
