"""manage.py bench_province builds a small province on the test PostgreSQL that the portal works on."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Registration
from consultations.counters import counters_check, resolved_issue_count
from consultations.models import Assignment, AssignmentState, Issue, Meeting, PublicNotice, Transition
from consultations.states import RESOLVED_STATES, STAFF_QUEUE_STATES, IssueState
from members.models import Membership
from orgs.models import Organization, Region, RegionLevel
from portal.accounts.models import User
from portal.accounts.roles import Role

pytestmark = pytest.mark.django_db

TINY = 0.001
SMALLEST = 0.0002
# The history ends at a fixed moment, so that the province is the same whatever hour the suite runs at.
# (A moment taken from the clock made the mix of states depend on the hour and weekday of the run: at some hours
# no issue of the tiny province waited in 已形成共识.)
AT = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def build(tmp_path: Path, *, seed: int = 1, replace: bool = False, scale: float = TINY) -> dict:
    output = tmp_path / f"province-{seed}-{replace}.json"
    call_command("bench_province", scale=scale, seed=seed, at=AT, replace=replace, output=output, verbosity=0)
    return json.loads(output.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def _province(django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One province for the module, in a transaction rolled back after it, as setUpTestData does: each test's
    own transaction nests in it, so what a test writes is undone as usual."""
    with django_db_blocker.unblock():
        loaded = transaction.atomic()
        loaded.__enter__()
        data = build(tmp_path_factory.mktemp("province"))
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        loaded.__exit__(None, None, None)


@pytest.fixture
def province(_province: dict) -> dict:
    return _province


def fingerprint() -> str:
    """Every row a user would see, from the tables the generator writes (the passwords are new every run)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table, order in (
            ("orgs_region", "id"),
            ("orgs_organization", "id"),
            ("members_person", "id"),
            ("members_membership", "id"),
            ("consultations_issue", "id"),
            ("consultations_transition", "id"),
            ("consultations_meeting", "id"),
            ("consultations_agendaitem", "id"),
            ("consultations_assignment", "id"),
            ("consultations_publicnotice", "id"),
            ("activities_registration", "id"),
            ("notifications_outboxmessage", "id"),
        ):
            cursor.execute(f"SELECT * FROM {table} ORDER BY {order}")  # noqa: S608 - names from the list above
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
        cursor.execute(
            "SELECT username, role, region_id, department_id, person_id, phone FROM accounts_user ORDER BY id"
        )
        digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_province_and_another_seed_another(tmp_path):
    # First in the module: it loads provinces of its own on the empty database, before the module's is loaded.
    build(tmp_path, scale=SMALLEST)
    first = fingerprint()
    build(tmp_path, scale=SMALLEST, replace=True)
    assert fingerprint() == first
    build(tmp_path, scale=SMALLEST, seed=2, replace=True)
    assert fingerprint() != first


def test_a_province_has_its_tree_organizations_people_and_accounts_and_is_not_loaded_twice(tmp_path, province):
    districts = Region.objects.filter(level=RegionLevel.DISTRICT)
    assert districts.count() >= 2 and all(district.parent_id is None for district in districts)
    for region in Region.objects.select_related("parent"):
        # The encoding of orgs.services: the parent's path and the region's own id.
        assert region.path == f"{region.parent.path if region.parent else '/'}{region.pk}/"
    villages = Region.objects.filter(level__in=[RegionLevel.VILLAGE, RegionLevel.COMMUNITY])
    assert Organization.objects.filter(region__in=villages).count() == villages.count()
    assert Membership.objects.filter(left_on__isnull=False).exists()
    assert Membership.objects.current().count() > Membership.objects.ended().count()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.DEPARTMENT_HANDLER, Role.MEMBER}
    assert province["counts"]["consultations_issue"] == Issue.objects.count() == 1000
    assert province["rows_per_second"] > 0
    with pytest.raises(CommandError, match="--replace"):
        build(tmp_path)


def test_the_measured_accounts_sign_in_with_the_passwords_of_the_file(client, province):
    for role, login in province["logins"].items():
        form = {"username": login["username"], "password": login["password"]}
        response = client.post(reverse("accounts:login"), form, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302, role
        user = User.objects.get(pk=client.session["_auth_user_id"])
        assert (user.username, user.role) == (login["username"], role)
        client.logout()
    member = User.objects.get(username=province["logins"]["member"]["username"])
    assert member.phone == province["logins"]["member"]["phone"] and member.submitted_issues.exists()
    samples = province["samples"]
    village = Region.objects.get(pk=samples["region_chain"]["village_id"])
    assert village.ancestor_ids == [
        samples["region_chain"]["district_id"],
        samples["region_chain"]["town_id"],
        village.pk,
    ]
    issue = Issue.objects.get(receipt_code=samples["receipt_code"])
    assert issue.submitter_phone.endswith(samples["phone_last4"])
    assert Activity.objects.get(pk=samples["activity_id"]).starts_at > AT


def test_it_refuses_sqlite_with_a_clear_message(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.local"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    env["PORTAL_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_province", "--scale", "0.0005"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr and "sqlite" in result.stderr


def test_most_issues_are_resolved_some_wait_in_every_open_state_and_the_records_agree(province):
    states = Counter(Issue.objects.values_list("state", flat=True))
    assert sum(states[state] for state in RESOLVED_STATES) > 0.6 * sum(states.values())
    assert all(states[state] > 0 for state in STAFF_QUEUE_STATES), states
    assert states[IssueState.REJECTED] > 0 and states[IssueState.MERGED] > 0
    live = Assignment.objects.filter(state__in=[AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED])
    assert live.filter(deadline__lt=timezone.localdate()).exists(), "some assignments are overdue now"
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    # Nothing has happened yet after the moment the history ends.
    assert not Transition.objects.filter(created_at__gt=AT).exists()
    assert not Issue.objects.filter(created_at__gt=AT).exists()

    # Every trail leads from the submission to the state of its issue.
    trails = defaultdict(list)
    for transition in Transition.objects.order_by("created_at", "id"):
        trails[transition.issue_id].append(transition)
    for issue in Issue.objects.all():
        trail = trails[issue.pk]
        assert (trail[0].action, trail[0].from_state, trail[0].to_state) == ("submit", "", IssueState.SUBMITTED)
        for before, after in itertools.pairwise(trail):
            assert after.from_state == before.to_state, (issue.pk, before.action, after.action)
        assert trail[-1].to_state == issue.state
        changed = [each for each in trail if each.from_state != each.to_state]
        assert issue.state_changed_at == changed[-1].created_at
        if issue.state == IssueState.MERGED:
            assert issue.merged_into is not None and issue.merged_into.organization_id == issue.organization_id
    assert len(set(Issue.objects.values_list("receipt_code", flat=True))) == Issue.objects.count()
    assert all(len(code) == 8 and code[0] != "0" for code in Issue.objects.values_list("receipt_code", flat=True))

    # 已解决议题: the counters kept for the pages agree with a recount.
    assert counters_check() == []
    organization = Organization.objects.get(slug=province["samples"]["organization_slug"])
    published = Issue.objects.filter(organization=organization, state__in=RESOLVED_STATES, resolved_at__isnull=False)
    assert resolved_issue_count(organization=organization) == published.count() > 0


def test_the_pages_work_on_it_with_a_bounded_number_of_queries(client, province, django_assert_max_num_queries):
    samples = province["samples"]
    with django_assert_max_num_queries(20):
        assert client.get(reverse("home")).status_code == 200
    notice = PublicNotice.objects.get(pk=samples["notice_id"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("notices:detail", kwargs={"pk": notice.pk}))
    assert response.status_code == 200 and notice.title in response.content.decode()
    client.force_login(User.objects.get(username=province["logins"]["district_admin"]["username"]))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("staff_issues:queue")).status_code == 200
    meeting = Meeting.objects.get(pk=samples["meeting_id"])
    assert meeting.agenda.exists()
