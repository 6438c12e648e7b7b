"""What the bench measures with: `.data/bench/province.json`, written by `manage.py bench_province`.

Until a database holds a generated province, a stand-in is written from the demo data (`manage.py seed_demo`):
the same keys, the demo's accounts and sample rows. Both are read into a Province.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROLES = ("district_admin", "town_staff", "village_staff", "department_handler", "member")


@dataclass(frozen=True)
class Province:
    scale: float
    counts: dict[str, int]
    usernames: dict[str, str]  # role → username
    organization_slug: str
    notice_id: int
    activity_id: int
    meeting_id: int
    receipt_code: str
    phone_last4: str
    raw: dict[str, Any]


def _first(data: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in data and data[name] not in (None, ""):
            return data[name]
    raise KeyError(f"province.json has none of {names}")


def province_read(path: Path) -> Province:
    data = json.loads(path.read_text(encoding="utf-8"))
    logins = data.get("logins", {})
    samples = data.get("samples", data)
    usernames = {}
    for role in ROLES:
        login = logins.get(role)
        if login is None:
            raise KeyError(f"province.json names no login for {role}")
        usernames[role] = login["username"] if isinstance(login, dict) else str(login)
    receipt = samples.get("receipt") if isinstance(samples.get("receipt"), dict) else {}
    return Province(
        scale=float(data.get("scale", 0)),
        counts={str(name): int(number) for name, number in data.get("counts", data.get("rows", {})).items()},
        usernames=usernames,
        organization_slug=str(_first(samples, "organization_slug", "org_slug")),
        notice_id=int(_first(samples, "notice_id")),
        activity_id=int(_first(samples, "activity_id")),
        meeting_id=int(_first(samples, "meeting_id")),
        receipt_code=str(_first({**samples, **receipt}, "receipt_code", "code")),
        phone_last4=str(_first({**samples, **receipt}, "phone_last4", "receipt_phone_last4", "last4")),
        raw=data,
    )


def stand_in_write(path: Path) -> None:
    """A province.json for the demo data (needs Django set up on a database seeded by seed_demo)."""
    from django.utils import timezone

    from activities.models import ActivityStatus
    from activities.scoping import activities_public
    from consultations.models import Issue, Meeting
    from consultations.scoping import notices_public
    from members.models import Membership, Person
    from orgs.models import Organization
    from portal.accounts.models import User
    from portal.accounts.roles import Role

    organization = Organization.objects.get(slug="qingshan")
    member = User.objects.filter(role=Role.MEMBER).exclude(phone="").order_by("pk").first()
    assert member is not None, "the demo has a member with a phone"
    activity = (
        activities_public().filter(status=ActivityStatus.PUBLISHED, starts_at__gte=timezone.now()).order_by("pk")
    ).first() or activities_public().order_by("-starts_at").first()
    notice = notices_public().order_by("-pk").first()
    meeting = Meeting.objects.filter(organization=organization).order_by("-pk").first()
    issue = Issue.objects.filter(organization=organization).order_by("pk").first()
    assert activity and notice and meeting and issue, "the demo has an activity, a notice, a meeting and an issue"
    data = {
        "scale": 0,
        "seed": None,
        "stand_in": "seed_demo",
        "counts": {
            "organizations": Organization.objects.count(),
            "persons": Person.objects.count(),
            "memberships": Membership.objects.count(),
            "issues": Issue.objects.count(),
        },
        "logins": {
            "district_admin": {"username": "yuhang_admin"},
            "town_staff": {"username": "huanghu_staff"},
            "village_staff": {"username": "qingshan_secretary"},
            "department_handler": {"username": "huanghu_handler"},
            "member": {"username": member.username, "phone": member.phone},
        },
        "samples": {
            "organization_slug": organization.slug,
            "notice_id": notice.pk,
            "activity_id": activity.pk,
            "meeting_id": meeting.pk,
            "receipt_code": issue.receipt_code,
            "phone_last4": issue.submitter_phone[-4:],
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
