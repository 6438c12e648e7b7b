"""A villager's phone on 3G: each public page loads only what it uses, and a second page downloads no asset again."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from portal.static_files import VERSIONED_MAX_AGE_SECONDS, VersionedStaticFilesStorage, VersionedStaticMiddleware

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "issues:new", "issues:track", "notices:board", "orgs:public_list", "activities:list"]
HEAVY_SCRIPTS = ("bootstrap.bundle", "htmx")


def scripts_of(page: str) -> list[str]:
    return re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)


def stylesheets_of(page: str) -> list[str]:
    return re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', page)


def without_version(url: str) -> str:
    return url.split("?", 1)[0]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_public_page_loads_neither_bootstrap_js_nor_htmx(client, qingshan_tongxinhui, name):
    page = client.get(reverse(name)).content.decode()
    scripts = scripts_of(page)
    assert not [src for src in scripts if any(heavy in src for heavy in HEAVY_SCRIPTS)], scripts
    assert without_version(scripts[0]) == "/static/js/nav.js"


def test_the_issue_form_loads_its_own_scripts_and_the_stylesheets_only(client, qingshan_tongxinhui):
    page = client.get(reverse("issues:new")).content.decode()
    assert sorted(without_version(src) for src in scripts_of(page)) == [
        "/static/js/issue_form.js",
        "/static/js/issue_form_checks.js",
        "/static/js/nav.js",
    ]
    assert [without_version(href) for href in stylesheets_of(page)] == [
        "/static/bootstrap/css/bootstrap.min.css",
        "/static/css/portal.css",
        "/static/css/nojs.css",
    ]


def test_a_member_signed_in_on_the_phone_gets_the_light_pages_too(client, member_craftsman):
    client.force_login(member_craftsman)
    page = client.get(reverse("issues:new")).content.decode()
    assert not [src for src in scripts_of(page) if any(heavy in src for heavy in HEAVY_SCRIPTS)]


def test_the_secretary_s_pages_still_load_bootstrap_and_htmx(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    scripts = [without_version(src) for src in scripts_of(client.get(reverse("staff_issues:queue")).content.decode())]
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in scripts
    assert "/static/django_htmx/htmx-2.min.js" in scripts


def test_every_asset_of_a_page_is_kept_by_the_browser_for_a_year(client, qingshan_tongxinhui):
    page = client.get(reverse("issues:new")).content.decode()
    assets = scripts_of(page) + stylesheets_of(page)
    assert len(assets) == 6
    for url in assets:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == f"max-age={VERSIONED_MAX_AGE_SECONDS}, public, immutable", url


def test_a_file_asked_for_without_its_version_is_not_kept_for_a_year(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert str(VERSIONED_MAX_AGE_SECONDS) not in response.get("Cache-Control", "")


def test_an_edited_file_gets_a_new_address(tmp_path, settings):
    settings.STATICFILES_DIRS = [tmp_path]
    (tmp_path / "edited.css").write_text("body { color: red; }")
    before = VersionedStaticFilesStorage().url("edited.css")
    (tmp_path / "edited.css").write_text("body { color: blue; }")
    after = VersionedStaticFilesStorage().url("edited.css")
    assert without_version(before) == without_version(after) == "/static/edited.css"
    assert before != after


def test_in_production_the_hashed_files_of_collectstatic_are_immutable(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)
    url = staticfiles_storage.url("css/portal.css")
    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", url), url
    response = VersionedStaticMiddleware(lambda request: None)(RequestFactory().get(url))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
