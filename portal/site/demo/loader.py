"""Writes the demo data, idempotently: every row is looked up by its natural key and created only if missing.

Natural keys: region name under its parent, organization slug, (organization, title, year) for
recognitions, (organization, name) for spaces, (region, name) for departments, username for logins,
phone for people, (person, organization, joined_on) for memberships. Rows that exist are left alone, so
a second run writes nothing, and edits made in the portal since the first run survive.

Rosters go in with bulk_create_with_history, so the history tables are filled as if saved one by one.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Max, Model
from django.utils import translation
from simple_history.utils import bulk_create_with_history

from activities.models import Activity, Registration
from consultations.models import Issue, Meeting
from members.models import (
    ContactAssignment,
    ContactLog,
    CrossAppointment,
    Membership,
    Person,
    PublicOffice,
)
from orgs.models import Department, Organization, Recognition, Region, Space
from orgs.services import region_get_or_create
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.channels import deliver_inbox
from portal.notifications.kinds import Channel
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.site.demo import accounts, people
from portal.site.demo.activities import load_activities
from portal.site.demo.clock import DemoClock, demo_clock
from portal.site.demo.consultations import load_consultations
from portal.site.demo.organizations import ORGANIZATIONS
from portal.site.demo.regions import walk

RegionPath = tuple[str, ...]
PersonRef = tuple[str, int]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    where: str
    featured: bool


@dataclass
class SeedResult:
    created: Counter = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)

    def add_login(self, role: str, username: str, where: str, *, featured: bool = False) -> None:
        featured = featured or username in accounts.FEATURED_USERNAMES
        self.logins.append(DemoLogin(role=str(role), username=username, where=where, featured=featured))

    def count(self, model: type[Model] | str, number: int = 1) -> None:
        if number:
            label = model if isinstance(model, str) else str(model._meta.verbose_name_plural)
            self.created[label] += number


class _Passwords:
    """Hashing is slow on purpose; the demo hashes its one password once, and only if it creates a login."""

    def __init__(self) -> None:
        self._encoded = ""

    def encoded(self) -> str:
        if not self._encoded:
            self._encoded = make_password(accounts.DEMO_PASSWORD)
        return self._encoded


@transaction.atomic
def seed_demo() -> SeedResult:
    result = SeedResult()
    # Labels stored in demo rows are the Chinese msgids, whatever language the shell runs in.
    with translation.override(None):
        regions = _load_regions(result)
        organizations = _load_organizations(regions, result)
        departments = _load_departments(regions, result)
        passwords = _Passwords()
        users = _load_staff_logins(regions, departments, passwords, result)
        persons = _load_rosters(organizations, regions, result)
        _load_member_login(persons, passwords, result)
        _load_person_records(persons, regions, users, result)
        _load_living_portal(persons, result)
    return result


def _load_regions(result: SeedResult) -> dict[RegionPath, Region]:
    existing = Region.objects.count()
    regions: dict[RegionPath, Region] = {}
    for path, level in walk():
        regions[path] = region_get_or_create(name=path[-1], level=level, parent=regions.get(path[:-1]))
    result.count(Region, Region.objects.count() - existing)
    return regions


def _load_organizations(regions: dict[RegionPath, Region], result: SeedResult) -> dict[str, Organization]:
    organizations = Organization.objects.in_bulk([spec.slug for spec in ORGANIZATIONS], field_name="slug")
    for spec in ORGANIZATIONS:
        if spec.slug not in organizations:
            organizations[spec.slug] = Organization.objects.create(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                category=spec.category,
                region=regions[spec.region],
                level=spec.level,
                founded_on=spec.founded_on,
                description=spec.description,
            )
            result.count(Organization)

    org_ids = [org.pk for org in organizations.values()]
    known_recognitions = set(
        Recognition.objects.filter(organization_id__in=org_ids).values_list("organization_id", "title", "year")
    )
    new_recognitions = [
        Recognition(organization=organizations[spec.slug], level=r.level, title=r.title, year=r.year)
        for spec in ORGANIZATIONS
        for r in spec.recognitions
        if (organizations[spec.slug].pk, r.title, r.year) not in known_recognitions
    ]
    Recognition.objects.bulk_create(new_recognitions)
    result.count(Recognition, len(new_recognitions))

    known_spaces = set(Space.objects.filter(organization_id__in=org_ids).values_list("organization_id", "name"))
    new_spaces = [
        Space(organization=organizations[spec.slug], name=s.name, description=s.description, address=s.address)
        for spec in ORGANIZATIONS
        for s in spec.spaces
        if (organizations[spec.slug].pk, s.name) not in known_spaces
    ]
    Space.objects.bulk_create(new_spaces)
    result.count(Space, len(new_spaces))

    through = Organization.partners.through
    known_pairs = set(
        through.objects.filter(from_organization_id__in=org_ids).values_list(
            "from_organization_id", "to_organization_id"
        )
    )
    for spec in ORGANIZATIONS:
        organization = organizations[spec.slug]
        missing = [
            organizations[slug]
            for slug in spec.partners
            if (organization.pk, organizations[slug].pk) not in known_pairs
        ]
        if missing:
            organization.partners.add(*missing)
            result.count("结对关系", len(missing))
    return organizations


def _load_departments(regions: dict[RegionPath, Region], result: SeedResult) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for spec in accounts.DEPARTMENTS:
        department = Department.objects.filter(region=regions[spec.region], name=spec.name).first()
        if department is None:
            department = Department.objects.create(region=regions[spec.region], name=spec.name, level=spec.level)
            result.count(Department)
        departments[spec.handler_username] = department
    return departments


def _new_user(*, username: str, role: str, display_name: str, passwords: _Passwords, **scope) -> User:
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        password=passwords.encoded(),
        is_staff=role in (Role.DISTRICT_ADMIN, Role.TOWN_STAFF),
        **scope,
    )
    user.save()
    return user


def _load_staff_logins(
    regions: dict[RegionPath, Region],
    departments: dict[str, Department],
    passwords: _Passwords,
    result: SeedResult,
) -> dict[str, User]:
    wanted = [spec.username for spec in accounts.STAFF_LOGINS]
    wanted += [spec.handler_username for spec in accounts.DEPARTMENTS]
    wanted.append(accounts.SUPERUSER_USERNAME)
    users = User.objects.in_bulk(wanted, field_name="username")

    if accounts.SUPERUSER_USERNAME not in users:
        # A superuser sees everything whatever its role; the role only keeps it from passing for a member.
        users[accounts.SUPERUSER_USERNAME] = User.objects.create(
            username=accounts.SUPERUSER_USERNAME,
            display_name=accounts.SUPERUSER_DISPLAY_NAME,
            password=passwords.encoded(),
            role=Role.DISTRICT_ADMIN,
            region=regions[accounts.SUPERUSER_REGION],
            is_staff=True,
            is_superuser=True,
        )
        result.count(User)
    result.add_login("超级管理员", accounts.SUPERUSER_USERNAME, "/admin/")

    for spec in accounts.STAFF_LOGINS:
        if spec.username not in users:
            users[spec.username] = _new_user(
                username=spec.username,
                role=spec.role,
                display_name=spec.display_name,
                passwords=passwords,
                region=regions[spec.region],
            )
            result.count(User)
        where = "/accounts/login/ 或 /admin/" if spec.role != Role.VILLAGE_STAFF else "/accounts/login/"
        result.add_login(f"{Role(spec.role).label} · {spec.region[-1]}", spec.username, where)

    for department in accounts.DEPARTMENTS:
        if department.handler_username not in users:
            users[department.handler_username] = _new_user(
                username=department.handler_username,
                role=Role.DEPARTMENT_HANDLER,
                display_name=department.handler_name,
                passwords=passwords,
                department=departments[department.handler_username],
            )
            result.count(User)
        result.add_login(
            f"{Role.DEPARTMENT_HANDLER.label} · {department.name}", department.handler_username, "/accounts/login/"
        )
    return users


def _load_rosters(
    organizations: dict[str, Organization], regions: dict[RegionPath, Region], result: SeedResult
) -> dict[PersonRef, Person]:
    plans = people.roster_plans()
    phones = [planned.phone for plan in plans for planned in plan.people]
    by_phone = {person.phone: person for person in Person.objects.filter(phone__in=phones)}
    new_persons = [
        Person(
            phone=planned.phone,
            name=planned.name,
            gender=planned.gender,
            region=regions[planned.region],
            stratum=planned.stratum,
            occupation=planned.occupation,
            industry=planned.industry,
            skills=planned.skills,
            political_affiliation=planned.political_affiliation,
            is_representative=planned.is_representative,
            nationality=planned.nationality,
        )
        for plan in plans
        for planned in plan.people
        if planned.phone not in by_phone
    ]
    for person in bulk_create_with_history(new_persons, Person):
        by_phone[person.phone] = person
    result.count(Person, len(new_persons))

    persons: dict[PersonRef, Person] = {}
    for plan in plans:
        for position, planned in enumerate(plan.people):
            persons[(plan.slug, position)] = by_phone[planned.phone]

    person_ids = [person.pk for person in by_phone.values()]
    known = set(
        Membership.objects.filter(person_id__in=person_ids).values_list("person_id", "organization_id", "joined_on")
    )
    new_memberships = []
    for plan in plans:
        organization = organizations[plan.slug]
        for position, planned in enumerate(plan.people):
            person = persons[(plan.slug, position)]
            for span in planned.spans:
                if (person.pk, organization.pk, span.joined_on) in known:
                    continue
                new_memberships.append(
                    Membership(
                        person=person,
                        organization=organization,
                        role=planned.role,
                        joined_on=span.joined_on,
                        left_on=span.left_on,
                        leave_reason=span.leave_reason,
                    )
                )
    bulk_create_with_history(new_memberships, Membership)
    result.count(Membership, len(new_memberships))
    return persons


def _load_member_login(persons: dict[PersonRef, Person], passwords: _Passwords, result: SeedResult) -> None:
    person = persons[people.DEMO_MEMBER]
    username = f"m{person.phone}"
    if not User.objects.filter(username=username).exists():
        _new_user(
            username=username,
            role=Role.MEMBER,
            display_name=person.name,
            passwords=passwords,
            person=person,
            phone=person.phone,
        )
        result.count(User)
    result.add_login(
        f"{Role.MEMBER.label} · {person.name}",
        username,
        f"/accounts/phone/ 手机号 {person.phone}",
        featured=True,
    )


def _load_person_records(
    persons: dict[PersonRef, Person],
    regions: dict[RegionPath, Region],
    users: dict[str, User],
    result: SeedResult,
) -> None:
    for spec in people.CROSS_APPOINTMENTS:
        _, created = CrossAppointment.objects.get_or_create(
            person=persons[spec.person],
            title=spec.title,
            body=spec.body,
            defaults={"region": regions[spec.region], "started_on": spec.started_on},
        )
        result.count(CrossAppointment, int(created))

    for office in people.PUBLIC_OFFICES:
        _, created = PublicOffice.objects.get_or_create(
            person=persons[office.person],
            kind=office.kind,
            level=office.level,
            defaults={"term": office.term, "started_on": office.started_on},
        )
        result.count(PublicOffice, int(created))

    for assignment in people.CONTACT_ASSIGNMENTS:
        _, created = ContactAssignment.objects.get_or_create(
            person=persons[assignment.person],
            official=users[assignment.official],
            started_on=assignment.started_on,
            defaults={"official_title": assignment.official_title},
        )
        result.count(ContactAssignment, int(created))

    for log in people.CONTACT_LOGS:
        author = users[log.author]
        _, created = ContactLog.objects.get_or_create(
            person=persons[log.person],
            kind=log.kind,
            occurred_on=log.occurred_on,
            author=author,
            defaults={"contacted_by": author.display_name, "notes": log.notes},
        )
        result.count(ContactLog, int(created))


def _load_living_portal(persons: dict[PersonRef, Person], result: SeedResult) -> None:
    """Issues round the consultation loop and monthly activities, written through the services on the demo
    clock (portal/site/demo/clock.py); then the messages those services queued are settled as already sent."""
    member = User.objects.filter(person=persons[people.DEMO_MEMBER], role=Role.MEMBER).first()
    models = (Issue, Meeting, Activity, Registration)
    before = {model: model.objects.count() for model in models}
    last_message = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
    clock = demo_clock()
    load_consultations(clock, member)
    load_activities(clock, member)
    _settle_demo_messages(clock, last_message)
    for model in models:
        result.count(model, model.objects.count() - before[model])


def _settle_demo_messages(clock: DemoClock, last_message: int) -> None:
    """The demo's messages belong to its past: `make run` must not text hundreds of made-up phones at start.
    Inbox copies are delivered now, dated when they were queued, so that inboxes show the history; every
    message is then marked sent. Only what is older than a week counts as read."""
    queued = OutboxMessage.objects.filter(pk__gt=last_message)
    for message in queued.filter(channel=Channel.INBOX, state=OutboxState.PENDING).order_by("pk"):
        deliver_inbox(message, now=message.created_at)
    queued.update(state=OutboxState.SENT, sent_at=F("created_at"), attempts=1)
    week_ago = clock.real_now - datetime.timedelta(days=7)
    InboxMessage.objects.filter(source__pk__gt=last_message, created_at__lt=week_ago).update(read_at=F("created_at"))
