"""The portal speaks zh-hans by default and keeps a complete English catalogue."""

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# Everything makemessages reads; the virtualenv, data and tests stay behind.
LEFT_BEHIND = shutil.ignore_patterns(".venv", ".git", ".data", "staticfiles", "tests", "__pycache__", "node_modules")


def _po_entries(po_file: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; plural forms count as translated when msgstr[0] is."""
    entries = []
    for block in po_file.read_text(encoding="utf-8").split("\n\n"):
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr_part = block.split("msgstr", 1)[1] if "msgstr" in block else ""
        msgstr = "".join(re.findall(r'"(.*)"', msgstr_part.split("msgstr[1]")[0]))
        if msgid and not block.lstrip().startswith("#~"):
            entries.append((msgid, msgstr, "#, fuzzy" in block))
    return entries


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request in English leaves English active in this thread (LocaleMiddleware activates, nothing resets it):
    the tests that run after these in the same process must read the portal in zh-hans again."""
    with translation.override(translation.get_language()):
        yield


def test_every_string_of_the_portal_has_an_english_translation(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=LEFT_BEHIND)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-wrap"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    entries = _po_entries(project / "locale/en/LC_MESSAGES/django.po")
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert len(entries) > 100
    assert untranslated == [], f"{len(untranslated)} strings lack English: {untranslated[:15]}"


@pytest.mark.django_db
def test_a_visitor_can_switch_the_portal_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Staff sign-in" in page


def test_after_a_visitor_switched_to_english_the_next_test_reads_the_portal_in_chinese():
    """Runs after the switch above: the language it activated ended with it."""
    assert translation.get_language() == "zh-hans"
    assert translation.gettext("人员名册") == "人员名册"


@pytest.mark.django_db
def test_django_filter_speaks_chinese_under_zh_hans(client):
    with translation.override("zh-hans"):
        assert translation.gettext("Past 7 days") == "过去 7 日"


def test_the_header_s_language_link_switches_a_villager_to_english_and_back_to_the_page(client, qingshan_tongxinhui):
    page = client.get("/orgs/").content.decode()
    assert "csrfmiddlewaretoken" not in page  # no form on the page: no token minted for the visitor
    assert 'href="/i18n/choose/en/?next=/orgs/"' in page
    answer = client.get("/i18n/choose/en/?next=/orgs/")
    assert answer.status_code == 302 and answer["Location"] == "/orgs/"
    assert client.get("/orgs/")["Content-Language"] == "en"
    assert client.get(reverse("language_choose", args=["zh-hans"]) + "?next=/orgs/").status_code == 302
    assert client.get("/orgs/")["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_language_link_goes_nowhere_but_this_site_and_knows_only_the_portal_s_languages(client):
    away = client.get(reverse("language_choose", args=["en"]) + "?next=https://example.com/")
    assert away["Location"] == "/"
    assert client.get(reverse("language_choose", args=["fr"])).status_code == 404
    assert client.post(reverse("language_choose", args=["en"])).status_code == 405
