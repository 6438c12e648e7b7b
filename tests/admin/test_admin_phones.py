"""Phones in the Django admin (PIPL): whoever sees a phone masked on the staff pages sees it masked on every admin
page, and cannot recover it through the admin's filters, search, sorting or history.

The personas: 王敏, town staff of 黄湖镇, sees phones masked; 陈主任, district admin of 余杭区, sees them whole
(portal/phones.py). The people looked at all live in 青山村, inside both scopes.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse

from members.models import ContactAssignment, Person
from portal.admin_scoping import ScopedAdminMixin, default_phone_fields
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage
from portal.phones import mask_phone
from tests.admin.conftest import NEW_PHONE, OLD_PHONE, REGISTRANT_PHONE, SUBMITTER_PHONE

pytestmark = pytest.mark.django_db


def _person_pages(person: Person) -> dict[str, str]:
    oldest = person.history.order_by("history_date", "history_id").first()
    return {
        "person changelist": reverse("admin:members_person_changelist"),
        "person change form": reverse("admin:members_person_change", args=[person.pk]),
        "person history": reverse("admin:members_person_history", args=[person.pk]),
        "person old version": reverse("admin:members_person_simple_history", args=[person.pk, oldest.history_id]),
    }


# Each admin page that shows a phone, and the numbers it would show whole.
PAGES = [
    ("person changelist", (NEW_PHONE,)),
    ("person change form", (NEW_PHONE,)),
    ("person history", (OLD_PHONE, NEW_PHONE)),  # the diff of the change of number
    ("person old version", (OLD_PHONE,)),
    ("issue change form", (SUBMITTER_PHONE,)),
    ("registration changelist", (REGISTRANT_PHONE,)),
    ("registration change form", (REGISTRANT_PHONE,)),
]


@pytest.fixture
def pages(craftsman_with_new_phone, villager_issue, villager_sign_up) -> dict[str, str]:
    return {
        **_person_pages(craftsman_with_new_phone),
        "issue change form": reverse("admin:consultations_issue_change", args=[villager_issue.pk]),
        "registration changelist": reverse("admin:activities_registration_changelist"),
        "registration change form": reverse("admin:activities_registration_change", args=[villager_sign_up.pk]),
    }


@pytest.mark.parametrize(("page", "phones"), PAGES, ids=[page for page, _phones in PAGES])
def test_town_staff_see_only_masked_phones_on_every_admin_page(client, pages, town_staff_huanghu, page, phones):
    client.force_login(town_staff_huanghu)
    response = client.get(pages[page])
    assert response.status_code == 200
    html = response.content.decode()
    for phone in phones:
        assert phone not in html
        assert mask_phone(phone) in html


@pytest.mark.parametrize(("page", "phones"), PAGES, ids=[page for page, _phones in PAGES])
def test_district_admins_see_the_same_pages_with_phones_whole(client, pages, district_admin_yuhang, page, phones):
    client.force_login(district_admin_yuhang)
    html = client.get(pages[page]).content.decode()
    for phone in phones:
        assert phone in html


def _exported_phones(client) -> list[str]:
    response = client.post(
        reverse("admin:members_membership_export"),
        {"format": 0, "resource": 0, "rosterresource_name": "on", "rosterresource_phone": "on"},
    )
    assert response.status_code == 200
    header, *rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    return [row[header.index("手机号")] for row in rows]


def test_the_roster_export_masks_phones_for_town_staff_and_not_for_district_admins(
    client, craftsman_with_new_phone, town_staff_huanghu, district_admin_yuhang
):
    client.force_login(town_staff_huanghu)
    assert _exported_phones(client) == [mask_phone(NEW_PHONE)]
    client.force_login(district_admin_yuhang)
    assert _exported_phones(client) == [NEW_PHONE]


def test_the_masked_phone_is_not_a_field_of_the_form_either(client, craftsman_with_new_phone, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    response = client.get(reverse("admin:members_person_change", args=[craftsman_with_new_phone.pk]))
    assert "phone" not in response.context["adminform"].form.fields
    assert 'name="phone"' not in response.content.decode()


def test_a_town_official_assigned_to_a_person_sees_that_persons_phone_whole(
    client, craftsman_with_new_phone, town_staff_huanghu
):
    ContactAssignment.objects.create(
        person=craftsman_with_new_phone, official=town_staff_huanghu, started_on=datetime.date(2024, 1, 1)
    )
    client.force_login(town_staff_huanghu)
    urls = _person_pages(craftsman_with_new_phone)
    for page, phones in PAGES:
        if page in urls:
            html = client.get(urls[page]).content.decode()
            assert all(phone in html for phone in phones), page
    change = client.get(reverse("admin:members_person_change", args=[craftsman_with_new_phone.pk]))
    assert "phone" in change.context["adminform"].form.fields  # theirs to correct, as on the staff pages


def test_town_staff_may_still_give_a_phone_to_someone_registered_without_one(client, tree, town_staff_huanghu):
    person = Person.objects.create(name="李无号", region=tree.qingshan, stratum="freelancer")
    client.force_login(town_staff_huanghu)
    response = client.get(reverse("admin:members_person_change", args=[person.pk]))
    assert "phone" in response.context["adminform"].form.fields


def test_town_staff_cannot_post_an_old_version_back(client, craftsman_with_new_phone, town_staff_huanghu):
    """simple_history only hides its "revert" button; a POST to the old version's page would save it."""
    person = craftsman_with_new_phone
    oldest = person.history.order_by("history_date", "history_id").first()
    client.force_login(town_staff_huanghu)
    response = client.post(
        reverse("admin:members_person_simple_history", args=[person.pk, oldest.history_id]),
        {"name": "改过的名字", "gender": "", "region": person.region_id, "stratum": person.stratum},
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert (person.name, person.phone) == ("张竹青", NEW_PHONE)


# ---- no digit-by-digit recovery -----------------------------------------------------------------------------

PHONE_LOOKUPS = [
    ("admin:members_person_changelist", "phone__startswith", "138"),
    ("admin:members_person_changelist", "phone__istartswith", "138"),
    ("admin:members_person_changelist", "phone__contains", "0000"),
    ("admin:members_person_changelist", "phone__endswith", "5555"),
    ("admin:members_person_changelist", "phone__regex", "^1380"),
    ("admin:members_person_changelist", "phone__gt", "13800005554"),
    ("admin:members_person_changelist", "phone__lte", "13800005555"),
    ("admin:members_person_changelist", "phone__in", "13800005555,13800005556"),
    ("admin:members_person_changelist", "phone__range", "13800000000,13800009999"),
    ("admin:members_person_changelist", "phone", "13800005555"),
    ("admin:members_person_changelist", "phone__exact", "13800005555"),
    ("admin:members_person_changelist", "phone__isnull", "False"),
    ("admin:members_membership_changelist", "person__phone__startswith", "138"),
    ("admin:members_contactlog_changelist", "person__phone__startswith", "138"),
    ("admin:consultations_issue_changelist", "submitter_phone__startswith", "139"),
    ("admin:activities_registration_changelist", "phone__startswith", "137"),
    ("admin:activities_registration_changelist", "person__phone__startswith", "138"),
]


@pytest.mark.parametrize(("changelist", "lookup", "value"), PHONE_LOOKUPS)
def test_town_staff_cannot_filter_by_any_phone_lookup(
    client, craftsman_with_new_phone, villager_issue, villager_sign_up, town_staff_huanghu, changelist, lookup, value
):
    client.force_login(town_staff_huanghu)
    response = client.get(reverse(changelist), {lookup: value})
    assert response.status_code == 400


def test_a_refused_lookup_is_refused_in_the_export_too(client, craftsman_with_new_phone, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    response = client.post(
        reverse("admin:members_membership_export") + "?person__phone__startswith=138", {"format": 0, "resource": 0}
    )
    assert response.status_code == 400


def test_district_admins_filter_by_phone_as_before(client, craftsman_with_new_phone, district_admin_yuhang, enrol):
    enrol(craftsman_with_new_phone.memberships.get().organization, name="别人", phone="13900007777")
    client.force_login(district_admin_yuhang)
    response = client.get(reverse("admin:members_person_changelist"), {"phone__startswith": "138"})
    assert response.status_code == 200
    assert [person.name for person in response.context["cl"].result_list] == ["张竹青"]


@pytest.fixture
def three_people(qingshan_tongxinhui, enrol):
    """Their numbers in an order of their own: neither their names' nor their registration's."""
    return [
        enrol(qingshan_tongxinhui, name="甲", phone="13900000002"),
        enrol(qingshan_tongxinhui, name="乙", phone="13900000001"),
        enrol(qingshan_tongxinhui, name="丙", phone="13900000003"),
    ]


BY_PHONE = ["乙", "甲", "丙"]


def _names_sorted_by_the_phone_column(client, direction: str = "") -> list[str]:
    changelist = reverse("admin:members_person_changelist")
    columns = client.get(changelist).context["cl"].list_display
    phone_column = next(index for index, item in enumerate(columns) if getattr(item, "__name__", "") == "shown_phone")
    response = client.get(changelist, {"o": f"{direction}{phone_column}"})
    assert response.status_code == 200
    return [person.name for person in response.context["cl"].result_list]


def test_town_staff_cannot_sort_by_phone(client, three_people, town_staff_huanghu):
    # Sorting the masked numbers among a few known ones would narrow the hidden digits down.
    client.force_login(town_staff_huanghu)
    assert _names_sorted_by_the_phone_column(client) != BY_PHONE
    assert _names_sorted_by_the_phone_column(client, "-") != BY_PHONE[::-1]
    changelist = client.get(reverse("admin:members_person_changelist")).content.decode()
    assert "sortable column-shown_phone" not in changelist


def test_district_admins_sort_by_phone(client, three_people, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    assert _names_sorted_by_the_phone_column(client) == BY_PHONE
    assert _names_sorted_by_the_phone_column(client, "-") == BY_PHONE[::-1]


@pytest.mark.parametrize(
    ("changelist", "term"),
    [
        ("admin:members_person_changelist", NEW_PHONE),
        ("admin:members_membership_changelist", NEW_PHONE),
        ("admin:activities_registration_changelist", REGISTRANT_PHONE),
    ],
)
def test_town_staff_search_by_name_only(
    client, craftsman_with_new_phone, villager_sign_up, town_staff_huanghu, changelist, term
):
    client.force_login(town_staff_huanghu)
    response = client.get(reverse(changelist), {"q": term})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert "不能按" in response.content.decode()  # the search box says why


def test_town_staff_still_find_people_by_name(client, craftsman_with_new_phone, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    response = client.get(reverse("admin:members_person_changelist"), {"q": "竹青"})
    assert [person.name for person in response.context["cl"].result_list] == ["张竹青"]


def test_district_admins_find_a_person_by_the_whole_number(client, craftsman_with_new_phone, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    response = client.get(reverse("admin:members_person_changelist"), {"q": NEW_PHONE})
    assert [person.name for person in response.context["cl"].result_list] == ["张竹青"]
    assert "不能按" not in response.content.decode()


def _autocomplete(client, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "membership", "field_name": "person", "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_person_picker_does_not_answer_phone_numbers_for_town_staff(
    client, craftsman_with_new_phone, town_staff_huanghu
):
    client.force_login(town_staff_huanghu)
    assert _autocomplete(client, NEW_PHONE) == []
    assert _autocomplete(client, "竹青") == ["张竹青"]


def test_the_person_picker_answers_phone_numbers_for_district_admins(
    client, craftsman_with_new_phone, district_admin_yuhang
):
    client.force_login(district_admin_yuhang)
    assert _autocomplete(client, NEW_PHONE) == ["张竹青"]


def test_nobody_filters_the_outbox_by_number_as_it_shows_every_number_masked(client, tree, superuser):
    OutboxMessage.objects.create(
        idempotency_key="issue:1:accepted:phone:13912345678:sms",
        kind=Kind.ISSUE_PROGRESS,
        channel=Channel.SMS,
        phone=SUBMITTER_PHONE,
        region_path=tree.qingshan.path,
        subject="议题已受理",
        body="您反映的议题已受理。",
        next_attempt_at=datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC),
    )
    # Only superusers open the outbox (tests/admin/test_installation_internals.py); they too see numbers masked.
    client.force_login(superuser)
    changelist = reverse("admin:notifications_outboxmessage_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"phone__startswith": "139"}).status_code == 400


def test_every_admin_of_a_model_with_a_phone_field_is_one_that_masks_it():
    """A new admin that forgot ScopedAdminMixin would show its phones whole and answer lookups on them."""
    for model, model_admin in admin.site._registry.items():
        if default_phone_fields(model):
            assert isinstance(model_admin, ScopedAdminMixin), model
