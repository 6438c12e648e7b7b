"""A villager without the QR code picks the organization: each one with its town and village, in a bounded list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.forms_public import ORGANIZATION_CHOICES_SHOWN
from orgs.models import Organization, OrganizationKind, OrganizationLevel, RegionLevel
from orgs.services import region_create

pytestmark = pytest.mark.django_db


def choices_on(response) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in response.context["form"].fields["organization"].widget.choices]


def villages_with_organizations(town, count: int, *, prefix: str = "村") -> list[Organization]:
    organizations = []
    for number in range(count):
        village = region_create(name=f"{prefix}{number:04d}村", level=RegionLevel.VILLAGE, parent=town)
        organizations.append(
            Organization.objects.create(
                name=f"{prefix}{number:04d}同心荟",
                slug=f"o{ord(prefix[0])}-{number:04d}",
                kind=OrganizationKind.TONGXINHUI,
                region=village,
                level=OrganizationLevel.VILLAGE,
            )
        )
    return organizations


def test_each_organization_is_named_with_its_town_and_village(client, qingshan_tongxinhui, tianmu_alliance):
    choices = dict(choices_on(client.get(reverse("issues:new"))))
    assert choices["qingshan"] == "青山同心荟（黄湖镇 青山村）"
    assert choices["tianmu-wanghu"] == "天目共富联盟（望湖村）（龙岗镇 望湖村）"
    assert "青山同心荟（黄湖镇 青山村）" in client.get(reverse("issues:new")).content.decode()


def test_the_qr_code_form_names_the_town_and_village_of_its_organization(client, qingshan_tongxinhui):
    page = client.get(reverse("issues:new") + "?org=qingshan").content.decode()
    assert 'data-testid="fixed-organization-place">黄湖镇 青山村<' in page


def test_the_form_costs_the_same_queries_for_three_organizations_or_forty(
    client, tree, qingshan_tongxinhui, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    villages_with_organizations(tree.huanghu, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("issues:new"))
    villages_with_organizations(tree.huanghu, 37, prefix="新")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("issues:new"))
    assert len(choices_on(response)) == 1 + 40
    assert len(few.captured_queries) <= 6


def test_thousands_of_organizations_list_a_bounded_number_and_offer_a_search(client, tree, qingshan_tongxinhui):
    villages_with_organizations(tree.huanghu, ORGANIZATION_CHOICES_SHOWN + 5)
    response = client.get(reverse("issues:new"))
    assert len(choices_on(response)) == 1 + ORGANIZATION_CHOICES_SHOWN
    page = response.content.decode()
    assert 'data-testid="organization-search"' in page

    found = client.get(reverse("issues:new"), {"org_q": "青山"})
    assert choices_on(found)[1:] == [("qingshan", "青山同心荟（黄湖镇 青山村）")]
    by_town = client.get(reverse("issues:new"), {"org_q": "黄湖镇"})
    assert len(choices_on(by_town)) == 1 + ORGANIZATION_CHOICES_SHOWN

    nothing = client.get(reverse("issues:new"), {"org_q": "不存在的村"})
    assert 'data-testid="organization-search-empty"' in nothing.content.decode()


def test_an_organization_beyond_the_list_can_still_be_chosen_and_stays_chosen(
    client, tree, qingshan_tongxinhui, issue_form_data
):
    # Latin letters sort before Chinese in any collation: the list is full before it reaches 青山同心荟.
    villages_with_organizations(tree.huanghu, ORGANIZATION_CHOICES_SHOWN + 5, prefix="A")
    assert "qingshan" not in dict(choices_on(client.get(reverse("issues:new"))))
    response = client.post(reverse("issues:new"), issue_form_data(organization="qingshan", title=""))
    assert response.status_code == 200
    assert "qingshan" in dict(choices_on(response))
    assert '<option value="qingshan" selected>' in response.content.decode()
