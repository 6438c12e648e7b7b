"""A reader who switched the portal to English reads no Chinese but the data: names, places, titles people typed.

Every public and staff page is rendered for each role on the demo data with the set_language cookie at "en". The
Chinese that may remain is what the database holds (every text the demo loader or a person wrote); everything
else on the page (labels, placeholders, errors, dates, buttons) must be English.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from activities.models import Activity
from consultations.models import Assignment, Issue, Meeting, PublicNotice
from members.models import Person
from orgs.models import Organization
from portal.accounts.models import User

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# The language switcher names each language in itself, as every bilingual site does.
NATIVE_LANGUAGE_NAMES = {"简体中文"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm")


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes outside script and style, labels carried by attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        values = dict(attrs)
        self.chunks += [values[name] or "" for name in SHOWN_ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.chunks.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def _data_strings() -> list[str]:
    """Every text the database holds, longest first so that a name inside a title goes with the title."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            for value in row:
                if value and HAN.search(str(value)):
                    found.add(str(value))
                    # Rendered with |linebreaks, a text of several lines reaches the page one line at a time.
                    found.update(line.strip() for line in str(value).splitlines() if line.strip())
    return sorted(found, key=len, reverse=True)


def _chinese_outside_data(html: str, data: list[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    leftovers = []
    for chunk in parser.chunks:
        text = chunk
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        for value in NATIVE_LANGUAGE_NAMES:
            text = text.replace(value, " ")
        if HAN.search(text):
            leftovers.append(chunk)
    return leftovers


@pytest.fixture
def demo(demo_seeded) -> Iterator[list[str]]:
    """The demo, loaded once for the tests that read it (tests/conftest.py, DemoSeed), and its texts."""
    # A request in English leaves English active in this thread; the next tests read the portal in zh-hans.
    with translation.override(translation.get_language()):
        yield _data_strings()


def _reader(user: User | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _sweep(client: Client, urls: list[str], data: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        leftovers = _chinese_outside_data(response.content.decode(), data)
        if leftovers:
            found[url] = leftovers
    return found


def _listed(leftovers: dict[str, list[str]]) -> str:
    return "Chinese outside the data:\n" + "\n".join(
        f"{url}: {sorted(set(chunks))}" for url, chunks in leftovers.items()
    )


def test_a_visitor_reading_in_english_sees_chinese_only_in_the_data(demo):
    qingshan = Organization.objects.get(slug="qingshan")
    notice = PublicNotice.objects.order_by("pk").first()
    activity = Activity.objects.filter(status="published").order_by("pk").first()
    assert notice is not None and activity is not None
    urls = [
        "/",
        reverse("orgs:public_list"),
        reverse("orgs:public_detail", args=[qingshan.slug]),
        reverse("issues:new"),
        reverse("issues:new") + f"?org={qingshan.slug}",
        reverse("issues:track"),
        reverse("notices:board"),
        reverse("notices:detail", args=[notice.pk]),
        reverse("activities:list"),
        reverse("activities:detail", args=[activity.pk]),
        reverse("accounts:login"),
        reverse("accounts:phone_login"),
    ]

    leftovers = _sweep(_reader(), urls, demo)

    assert leftovers == {}, _listed(leftovers)


def test_the_issue_form_sent_empty_answers_in_english(demo):
    response = _reader().post(reverse("issues:new"), {})

    assert response.status_code == 200
    leftovers = _chinese_outside_data(response.content.decode(), demo)
    assert leftovers == [], _listed({"POST": leftovers})


def test_a_wrong_receipt_code_is_answered_in_english(demo):
    response = _reader().post(reverse("issues:track"), {"code": "ZZZZZZZZ", "phone_last4": "0000"})

    leftovers = _chinese_outside_data(response.content.decode(), demo)
    assert leftovers == [], _listed({"POST": leftovers})


def test_the_village_secretary_reading_in_english_sees_chinese_only_in_the_data(demo):
    secretary = User.objects.get(username="qingshan_secretary")
    issue = Issue.objects.filter(organization__slug="qingshan").order_by("-pk").first()
    meeting = Meeting.objects.filter(organization__slug="qingshan").order_by("-pk").first()
    person = Person.objects.filter(memberships__organization__slug="qingshan").order_by("pk").first()
    activity = Activity.objects.filter(host__slug="qingshan").order_by("-pk").first()
    assert issue and meeting and person and activity
    urls = [
        reverse("staff_issues:queue"),
        reverse("staff_issues:enter"),
        reverse("staff_issues:detail", args=[issue.pk]),
        reverse("staff_issues:meetings"),
        reverse("staff_issues:meeting_new"),
        reverse("staff_issues:meeting_detail", args=[meeting.pk]),
        reverse("members:roster"),
        reverse("members:growth"),
        reverse("members:person_detail", args=[person.pk]),
        reverse("members:person_create"),
        reverse("staff_activities:list"),
        reverse("staff_activities:month"),
        reverse("staff_activities:create"),
        reverse("staff_activities:figures"),
        reverse("staff_activities:detail", args=[activity.pk]),
        reverse("notifications:inbox"),
        reverse("notifications:preferences"),
    ]

    leftovers = _sweep(_reader(secretary), urls, demo)

    assert leftovers == {}, _listed(leftovers)


def test_the_department_handler_reading_in_english_sees_chinese_only_in_the_data(demo):
    handler = User.objects.get(username="huanghu_handler")
    assignment = Assignment.objects.filter(department__handlers=handler).order_by("-pk").first()
    assert assignment is not None
    urls = [reverse("department:queue"), reverse("department:assignment", args=[assignment.pk])]

    leftovers = _sweep(_reader(handler), urls, demo)

    assert leftovers == {}, _listed(leftovers)


def test_the_town_staff_reading_in_english_sees_chinese_only_in_the_data(demo):
    town_staff = User.objects.get(username="huanghu_staff")
    urls = [reverse("members:roster"), reverse("members:growth"), reverse("staff_issues:queue")]

    leftovers = _sweep(_reader(town_staff), urls, demo)

    assert leftovers == {}, _listed(leftovers)


def test_a_member_reading_in_english_sees_chinese_only_in_the_data(demo):
    member = User.objects.filter(role="member").order_by("pk").first()
    assert member is not None
    urls = [reverse("issues:mine"), reverse("activities:mine"), reverse("notifications:inbox")]

    leftovers = _sweep(_reader(member), urls, demo)

    assert leftovers == {}, _listed(leftovers)


def test_the_district_officer_reading_in_english_sees_chinese_only_in_the_data(demo):
    officer = User.objects.get(username="yuhang_admin")
    urls = [reverse("staff_issues:queue"), reverse("members:roster"), reverse("staff_activities:figures")]

    leftovers = _sweep(_reader(officer), urls, demo)

    assert leftovers == {}, _listed(leftovers)


def test_a_villager_following_an_issue_in_english_sees_chinese_only_in_the_data(demo):
    issue = Issue.objects.filter(notices__isnull=False).order_by("pk").first()
    assert issue is not None
    reader = _reader()
    response = reader.post(
        reverse("issues:track"), {"code": issue.receipt_code, "phone_last4": issue.submitter_phone[-4:]}, follow=True
    )
    assert response.redirect_chain, "the right code and digits open the issue's page"

    leftovers = _chinese_outside_data(response.content.decode(), demo)

    assert leftovers == [], _listed({response.redirect_chain[-1][0]: leftovers})
