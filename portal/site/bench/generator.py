"""The province: a seeded walk that writes every row of every table once, ids included, into the spools.

Everything comes from one random.Random(seed) and the reference moment `at`: the same seed, scale and moment
give the same rows. Each organization is generated whole (its people, meetings, issues and activities) and then
forgotten, so memory stays bounded by the largest organization, not by the province.

An issue's life is simulated step by step from its submission, with the delays people take; the first step
that would fall after `at` does not happen, so the state an issue is left in is the one its age implies: old
issues are archived, recent ones wait in every open state, and each state has the Transition rows that lead
to it (submit → accept → put on agenda → consensus → assign → answer → confirm → publish → close).
"""

from __future__ import annotations

import bisect
import datetime
import math
import zoneinfo
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from random import Random

import chinese_calendar
from django.db import models

from activities.models import Activity, ActivityLog, Audience, CheckinMethod, Registration, RegistrationStatus
from activities.states import ActivityAction, ActivityStatus
from consultations.models import (
    AgendaItem,
    AgendaOutcome,
    Assignment,
    AssignmentState,
    Feedback,
    Issue,
    IssueCategory,
    IssueChannel,
    Meeting,
    PublicNotice,
    Rating,
    Transition,
)
from consultations.stages import STAGE_ENDED_BY
from consultations.states import IssueAction, IssueState, MeetingState
from members.models import (
    CrossAppointment,
    Gender,
    Membership,
    MembershipRole,
    OfficeLevel,
    Person,
    PoliticalAffiliation,
    PublicOffice,
    PublicOfficeKind,
    Stratum,
)
from orgs.models import (
    Department,
    DepartmentLevel,
    Organization,
    OrganizationCategory,
    OrganizationKind,
    OrganizationLevel,
    Recognition,
    RecognitionLevel,
    Region,
    RegionLevel,
    Space,
)
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.site.bench import vocabulary as words
from portal.site.bench.spool import Spools
from portal.site.demo.names import FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, SURNAMES

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
S, A = IssueState, IssueAction
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
YEARS = 5
# Messages older than this are not generated: the outbox of a real installation is mostly recent rows.
OUTBOX_HORIZON = datetime.timedelta(days=365)


@dataclass(frozen=True)
class Sizes:
    """How many of each thing a scale asks for; 1.0 is the province of the design."""

    districts: int
    towns: int
    villages: int
    persons: int
    issues: int
    activities: int

    @classmethod
    def at_scale(cls, scale: float) -> Sizes:
        districts = max(2, round(100 * scale))
        towns = max(2 * districts, round(1300 * scale))
        villages = max(2 * towns, round(20_000 * scale))
        return cls(
            districts=districts,
            towns=towns,
            villages=villages,
            persons=max(8 * villages, round(300_000 * scale)),
            issues=max(20 * villages, round(1_000_000 * scale)),
            activities=max(5 * villages, round(500_000 * scale)),
        )


@dataclass
class Place:
    id: int
    name: str
    path: str
    parent: Place | None
    weight: float = 1.0
    departments: dict[str, int] = field(default_factory=dict)  # short name → department id
    handlers: dict[int, tuple[int, str]] = field(default_factory=dict)  # department id → (user id, label)
    staff: tuple[int, str] = (0, "")  # the staff account that acts for the place: (user id, label)


@dataclass
class Org:
    id: int
    slug: str
    name: str
    place: Place
    level: str
    founded_on: datetime.date
    weight: float


@dataclass
class Member:
    person_id: int
    name: str
    phone: str
    joined_on: datetime.date
    left_on: datetime.date | None
    user: tuple[int, str] | None = None


@dataclass
class PlannedMeeting:
    id: int
    at: datetime.datetime
    state: str
    created_at: datetime.datetime
    cancelled_at: datetime.datetime | None
    present: int
    positions: int = 0


@dataclass
class Step:
    action: str
    from_state: str
    to_state: str
    actor: tuple[int, str] | None
    comment: str
    at: datetime.datetime
    is_public: bool = True
    notice_id: int | None = None  # the notice a close after the notice period ends


class Permutation:
    """A bijection of [0, size) that scatters consecutive numbers: unique codes and phones without a set."""

    def __init__(self, rng: Random, size: int) -> None:
        self.size = size
        multiplier = rng.randrange(size // 3, size)
        while math.gcd(multiplier, size) != 1:
            multiplier += 1
        self.multiplier, self.offset = multiplier, rng.randrange(size)

    def __call__(self, number: int) -> int:
        return (number * self.multiplier + self.offset) % self.size


class Workdays:
    """Chinese working days (调休 included where the calendar knows the year), for deadlines without queries."""

    def __init__(self, start: datetime.date, end: datetime.date) -> None:
        self.days: list[datetime.date] = []
        day = start
        while day <= end:
            try:
                workday = bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                workday = day.weekday() < 5
            if workday:
                self.days.append(day)
            day += DAY

    def add(self, start: datetime.date, count: int) -> datetime.date:
        index = bisect.bisect_right(self.days, start) + count - 1
        if index < len(self.days):
            return self.days[index]
        return start + datetime.timedelta(days=count * 7 // 5 + 1)


class ProvinceGenerator:
    def __init__(self, *, scale: float, seed: int, at: datetime.datetime, spools: Spools) -> None:
        # Reproducible data, not secrets: the same seed must give the same province.
        self.rng = Random(seed)  # noqa: S311
        self.sizes = Sizes.at_scale(scale)
        self.now = at.astimezone(SHANGHAI)
        self.today = self.now.date()
        self.start = self.today.replace(year=self.today.year - YEARS)
        self.spools = spools
        self._ids: Counter[type[models.Model]] = Counter()
        self.receipt_codes = Permutation(self.rng, 90_000_000)
        self.phone_numbers = Permutation(self.rng, 100_000_000)
        self._villagers = 0
        self.workdays = Workdays(self.start - 30 * DAY, self.today + 400 * DAY)
        self.districts: list[Place] = []
        self.towns: list[Place] = []
        self.villages: list[Place] = []
        # Members of the town's own organization, drawn from the villages' rosters as they are generated.
        self._town_recruits: dict[int, list[Member]] = defaultdict(list)
        self.alliances: dict[int, int] = {}  # district id → its 共富联盟
        self._track_url = "/issues/track/{code}/"
        # Labels read once, in the language active when the generator is made (Chinese).
        self.action_labels = {action.value: str(action.label) for action in IssueAction}

    # ---- ids, names, numbers ---------------------------------------------------------------------------------

    def next_id(self, model: type[models.Model]) -> int:
        self._ids[model] += 1
        return self._ids[model]

    def moment(self, day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)

    def person_name(self, gender: str) -> str:
        given = MALE_GIVEN_NAMES if gender == Gender.MALE else FEMALE_GIVEN_NAMES
        return self.rng.choice(SURNAMES) + self.rng.choice(given)

    def phone(self, number: int) -> str:
        """The number-th mobile number; persons count from 0 and villagers from far above, so they never meet."""
        prefixes = words.MOBILE_PREFIXES
        prefix = prefixes[number % len(prefixes)]
        return f"{prefix}{self.phone_numbers(number // len(prefixes)):08d}"

    def villager(self) -> tuple[str, str]:
        self._villagers += 1
        return self.person_name(self.rng.choice((Gender.MALE, Gender.FEMALE))), self.phone(
            2_000_000_000 + self._villagers
        )

    def later(self, moment: datetime.datetime, low_hours: float, high_hours: float) -> datetime.datetime:
        """A moment some hours after another, moved into office hours (8:00–18:00) as staff keep them."""
        when = moment + datetime.timedelta(hours=self.rng.uniform(low_hours, high_hours))
        if not 8 <= when.hour < 18:
            when = when.replace(hour=self.rng.randint(8, 17), minute=self.rng.randrange(60)) + (
                DAY if when.hour >= 18 else datetime.timedelta()
            )
        return when

    # ---- the whole province ------------------------------------------------------------------------------------

    def generate(self) -> None:
        self.spools.declare(
            Region,
            Department,
            Person,
            User,
            Organization,
            Organization.partners.through,
            Space,
            Recognition,
            Membership,
            PublicOffice,
            CrossAppointment,
            Meeting,
            Meeting.attendees.through,
            Issue,
            Transition,
            AgendaItem,
            Assignment,
            PublicNotice,
            Feedback,
            Activity,
            Activity.co_hosts.through,
            Registration,
            ActivityLog,
            OutboxMessage,
            InboxMessage,
        )
        self._regions()
        self._departments()
        organizations = list(self._organizations())
        total_weight = sum(org.weight for org in organizations)
        for org in organizations:
            share = org.weight / total_weight
            members = self._roster(org, round(self.sizes.persons * share))
            OrganizationGenerator(self, org, members).generate(
                issues=round(self.sizes.issues * share), activities=round(self.sizes.activities * share)
            )

    def _regions(self) -> None:
        rng, sizes = self.rng, self.sizes
        taken: set[str] = set()
        for _ in range(sizes.districts):
            self.districts.append(self._region(words.place_name(rng, words.DISTRICT_SUFFIXES, taken), None, "district"))
        # Every district has a town and every town a village; the rest fall unevenly, as in a real province.
        parents_of_towns = self.districts + [rng.choice(self.districts) for _ in range(sizes.towns - sizes.districts)]
        town_names: dict[int, set[str]] = defaultdict(set)
        for district in sorted(parents_of_towns, key=lambda place: place.id):
            name = words.place_name(rng, words.TOWN_SUFFIXES, town_names[district.id])
            self.towns.append(self._region(name, district, RegionLevel.TOWN))
        town_weights = [rng.lognormvariate(0, 0.5) for _ in self.towns]
        parents_of_villages = self.towns + rng.choices(self.towns, weights=town_weights, k=sizes.villages - sizes.towns)
        village_names: dict[int, set[str]] = defaultdict(set)
        for town in sorted(parents_of_villages, key=lambda place: place.id):
            name = words.place_name(rng, words.VILLAGE_SUFFIXES, village_names[town.id])
            level = RegionLevel.COMMUNITY if name.endswith("社区") else RegionLevel.VILLAGE
            village = self._region(name, town, level)
            village.weight = rng.lognormvariate(0, 0.6)
            self.villages.append(village)

    def _region(self, name: str, parent: Place | None, level: str) -> Place:
        pk = self.next_id(Region)
        # The encoding of orgs.services._write_region: the ids from the root, each followed by a slash.
        path = f"{parent.path if parent else '/'}{pk}/"
        self.spools[Region].add(id=pk, name=name, level=level, parent_id=parent.id if parent else None, path=path)
        return Place(id=pk, name=name, path=path, parent=parent)

    def _user(
        self,
        *,
        username: str,
        role: str,
        display_name: str,
        joined: datetime.datetime,
        region: Place | None = None,
        department_id: int | None = None,
        person_id: int | None = None,
        phone: str = "",
    ) -> tuple[int, str]:
        pk = self.next_id(User)
        self.spools[User].add(
            id=pk,
            # Unusable until the command gives the measured accounts a password of the run.
            password=f"!{self.rng.getrandbits(128):032x}",
            username=username,
            is_staff=role in (Role.DISTRICT_ADMIN, Role.TOWN_STAFF),
            date_joined=joined,
            role=role,
            region_id=region.id if region else None,
            department_id=department_id,
            person_id=person_id,
            phone=phone,
            display_name=display_name[:50],
        )
        return pk, display_name[:50]

    def _departments(self) -> None:
        joined = self.moment(self.start - 60 * DAY)
        for place, names, level in (
            *((district, words.DISTRICT_DEPARTMENTS, DepartmentLevel.DISTRICT) for district in self.districts),
            *((town, words.TOWN_DEPARTMENTS, DepartmentLevel.TOWN) for town in self.towns),
        ):
            for short in names:
                pk = self.next_id(Department)
                self.spools[Department].add(id=pk, name=f"{place.name}{short}", level=level, region_id=place.id)
                place.departments[short] = pk
                label = f"{place.name}{short} 经办人 {self.person_name(self.rng.choice((Gender.MALE, Gender.FEMALE)))}"
                place.handlers[pk] = self._user(
                    username=f"dept{pk}_handler",
                    role=Role.DEPARTMENT_HANDLER,
                    display_name=label,
                    joined=joined,
                    department_id=pk,
                )
        for district in self.districts:
            name = self.person_name(self.rng.choice((Gender.MALE, Gender.FEMALE)))
            district.staff = self._user(
                username=f"d{district.id}_admin",
                role=Role.DISTRICT_ADMIN,
                display_name=f"{district.name}委统战部 {name}",
                joined=joined,
                region=district,
            )
        for town in self.towns:
            name = self.person_name(self.rng.choice((Gender.MALE, Gender.FEMALE)))
            town.staff = self._user(
                username=f"t{town.id}_staff",
                role=Role.TOWN_STAFF,
                display_name=f"{town.name}统战委员 {name}",
                joined=joined,
                region=town,
            )

    def _organizations(self) -> Iterator[Org]:
        rng = self.rng
        founded_floor = self.start - 3 * 365 * DAY
        orgs: list[Org] = []
        for village in self.villages:
            founded = founded_floor + DAY * rng.randrange((self.today - founded_floor).days - 60)
            stem = village.name.removesuffix("村").removesuffix("社区")
            name = self.person_name(Gender.FEMALE)
            village.staff = self._user(
                username=f"v{village.id}_staff",
                role=Role.VILLAGE_STAFF,
                display_name=f"{stem}同心荟秘书处 {name}",
                joined=self.moment(founded),
                region=village,
            )
            orgs.append(
                self._organization(
                    f"{stem}同心荟",
                    f"v{village.id}",
                    OrganizationKind.TONGXINHUI,
                    rng.choice(OrganizationCategory.values[:5]),
                    village,
                    OrganizationLevel.VILLAGE,
                    founded,
                    village.weight,
                )
            )
        for town in self.towns:
            founded = founded_floor + DAY * rng.randrange(365 * 2)
            orgs.append(
                self._organization(
                    f"{town.name}新阶层实践创新基地",
                    f"t{town.id}",
                    OrganizationKind.PRACTICE_BASE,
                    OrganizationCategory.INCUBATION,
                    town,
                    OrganizationLevel.TOWN,
                    founded,
                    0.3,
                )
            )
        for district in self.districts:
            founded = founded_floor + DAY * rng.randrange(365 * 3)
            alliance = self._organization(
                f"{district.name}共富联盟",
                f"d{district.id}",
                OrganizationKind.PROSPERITY_ALLIANCE,
                OrganizationCategory.CROSS_REGION_ALLIANCE,
                district,
                OrganizationLevel.DISTRICT,
                founded,
                0.2,
            )
            orgs.append(alliance)
            self.alliances[district.id] = alliance.id
            paired = [
                org
                for org in orgs
                if org.level == OrganizationLevel.VILLAGE and org.place.path.startswith(district.path)
            ]
            for partner in rng.sample(paired, min(len(paired), 13)):
                through = Organization.partners.through
                for one, other in ((alliance, partner), (partner, alliance)):
                    self.spools[through].add(
                        id=self.next_id(through), from_organization_id=one.id, to_organization_id=other.id
                    )
        # Villages first: the towns' organizations recruit from the village rosters generated before them.
        yield from orgs

    def _organization(
        self,
        name: str,
        slug: str,
        kind: str,
        category: str,
        place: Place,
        level: str,
        founded: datetime.date,
        weight: float,
    ) -> Org:
        pk = self.next_id(Organization)
        self.spools[Organization].add(
            id=pk,
            name=name,
            slug=slug,
            kind=kind,
            category=category,
            region_id=place.id,
            level=level,
            founded_on=founded,
            description=f"{name}成立于{founded.year}年，团结新的社会阶层人士参与乡村建设和基层协商。",
            created_at=self.moment(founded),
        )
        self.spools[Space].add(
            id=self.next_id(Space), organization_id=pk, name=f"{place.name}同心驿站", address=f"{place.name}文化礼堂"
        )
        if self.rng.random() < 0.05:
            year = self.rng.randint(max(founded.year, self.start.year), self.today.year)
            self.spools[Recognition].add(
                id=self.next_id(Recognition),
                organization_id=pk,
                level=self.rng.choice((RecognitionLevel.CITY, RecognitionLevel.PROVINCIAL)),
                title="新的社会阶层人士统战工作实践创新基地",
                year=year,
            )
        return Org(id=pk, slug=slug, name=name, place=place, level=level, founded_on=founded, weight=weight)

    # ---- people ------------------------------------------------------------------------------------------------

    def _roster(self, org: Org, size: int) -> list[Member]:
        """The organization's people and memberships: founders on the founding day, others since, some left,
        a few changed role (the old row ends the day the new one starts)."""
        rng = self.rng
        members: list[Member] = []
        span = max(1, (self.today - org.founded_on).days)
        region = org.place
        if org.level == OrganizationLevel.TOWN:
            recruits = self._town_recruits.pop(region.id, [])
            for recruit in recruits:
                joined = max(recruit.joined_on, org.founded_on) + DAY * rng.randrange(60)
                joined = min(joined, self.today)
                members.append(Member(recruit.person_id, recruit.name, recruit.phone, joined, None, recruit.user))
                self._membership(recruit.person_id, org.id, MembershipRole.MEMBER, joined, None)
        for index in range(max(3, size)):
            joined = org.founded_on if index < max(3, size * 2 // 5) else org.founded_on + DAY * rng.randrange(span)
            member = self._person(region, joined)
            left = None
            if index >= 4 and rng.random() < 0.12 and (self.today - joined).days > 40:
                left = joined + DAY * rng.randrange(30, (self.today - joined).days)
            member.left_on = left
            role = (
                MembershipRole.PRESIDENT
                if index == 0
                else MembershipRole.VICE_PRESIDENT
                if index in (1, 2)
                else MembershipRole.SECRETARY_GENERAL
                if index == 3
                else MembershipRole.OBSERVER
                if rng.random() < 0.03
                else MembershipRole.MEMBER
            )
            if (
                role == MembershipRole.MEMBER
                and left is None
                and rng.random() < 0.04
                and (self.today - joined).days > 400
            ):
                changed = joined + DAY * rng.randrange(200, (self.today - joined).days)
                self._membership(member.person_id, org.id, MembershipRole.OBSERVER, joined, changed, "职务调整")
                self._membership(member.person_id, org.id, MembershipRole.MEMBER, changed, None)
            else:
                reason = rng.choice(words.LEAVE_REASONS) if left else ""
                self._membership(member.person_id, org.id, role, joined, left, reason)
            members.append(member)
            if member.phone and left is None and rng.random() < 0.25:
                member.user = self._user(
                    username=f"m{member.phone}",
                    role=Role.MEMBER,
                    display_name=member.name,
                    joined=self.moment(joined, 20),
                    person_id=member.person_id,
                    phone=member.phone,
                )
            if org.level == OrganizationLevel.VILLAGE and left is None and rng.random() < 0.05 and region.parent:
                self._town_recruits[region.parent.id].append(member)
        return members

    def _membership(
        self,
        person_id: int,
        org_id: int,
        role: str,
        joined: datetime.date,
        left: datetime.date | None,
        reason: str = "",
    ) -> None:
        self.spools[Membership].add(
            id=self.next_id(Membership),
            person_id=person_id,
            organization_id=org_id,
            role=role,
            joined_on=joined,
            left_on=left,
            leave_reason=reason,
        )

    def _person(self, region: Place, joined: datetime.date) -> Member:
        rng = self.rng
        pk = self.next_id(Person)
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        name = self.person_name(gender)
        phone = self.phone(pk) if rng.random() < 0.9 else ""
        stratum = words.weighted(rng, words.STRATUM_WEIGHTS)
        representative = rng.random() < 0.08
        registered = self.moment(joined, 10)
        self.spools[Person].add(
            id=pk,
            name=name,
            gender=gender,
            phone=phone,
            region_id=region.id,
            stratum=stratum,
            occupation=rng.choice(words.OCCUPATIONS[stratum]),
            industry=rng.choice(words.INDUSTRIES),
            skills="、".join(rng.sample(words.SKILLS, 2)),
            political_affiliation=rng.choice(PoliticalAffiliation.values),
            is_representative=representative,
            nationality="" if stratum != Stratum.FOREIGN_OBSERVER else "意大利",
            created_at=registered,
            updated_at=registered,
        )
        if representative and rng.random() < 0.5:
            self.spools[PublicOffice].add(
                id=self.next_id(PublicOffice),
                person_id=pk,
                kind=rng.choice(PublicOfficeKind.values),
                level=rng.choice((OfficeLevel.DISTRICT, OfficeLevel.TOWN, OfficeLevel.CITY)),
                term="第十七届",
                started_on=datetime.date(self.today.year - 3, 1, 1),
                ended_on=None,
            )
        if rng.random() < 0.03:
            self.spools[CrossAppointment].add(
                id=self.next_id(CrossAppointment),
                person_id=pk,
                title="村两委委员",
                body=f"{region.name}村民委员会",
                region_id=region.id,
                started_on=joined,
                ended_on=None,
            )
        return Member(pk, name, phone, joined, None)


class OrganizationGenerator:
    """One organization's 议事会 by month, the issues of its villagers and its activities."""

    def __init__(self, province: ProvinceGenerator, org: Org, members: list[Member]) -> None:
        self.p = province
        self.rng = province.rng
        self.spools = province.spools
        self.org = org
        self.members = members
        self.staff = org.place.staff
        self.meetings: list[PlannedMeeting] = []
        self._meeting_times: list[datetime.datetime] = []
        # The last issues with their states over time, for a duplicate to be merged into one of them.
        self._recent: deque[tuple[int, list[Step]]] = deque(maxlen=8)
        self.town = org.place if org.level == OrganizationLevel.TOWN else org.place.parent
        self.district = self.town.parent if self.town and self.town.parent else org.place

    def generate(self, *, issues: int, activities: int) -> None:
        self._plan_meetings()
        for created in sorted(self._issue_times(issues)):
            self._issue(created)
        for meeting in self.meetings:
            self._write_meeting(meeting)
        for _ in range(activities):
            self._activity()

    # ---- 议事会 -------------------------------------------------------------------------------------------------

    def _plan_meetings(self) -> None:
        rng, p = self.rng, self.p
        first = max(self.org.founded_on, p.start)
        day_of_month, hour = rng.randint(5, 25), rng.choice((14, 19))
        year, month = first.year, first.month
        horizon = p.today + 35 * DAY
        while True:
            day = datetime.date(year, month, day_of_month)
            if day > horizon:
                break
            at = p.moment(day, hour)
            if at > p.now:
                state, cancelled = MeetingState.SCHEDULED, None
            elif rng.random() < 0.05:
                state, cancelled = MeetingState.CANCELLED, at - DAY * rng.randint(1, 3)
            else:
                state, cancelled = MeetingState.HELD, None
            present = rng.randint(12, 40) if state == MeetingState.HELD else 0
            meeting = PlannedMeeting(p.next_id(Meeting), at, state, at - 14 * DAY, cancelled, present)
            if day >= first:
                self.meetings.append(meeting)
                self._meeting_times.append(at)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def _write_meeting(self, meeting: PlannedMeeting) -> None:
        rng = self.rng
        attendees: list[int] = []
        if meeting.state == MeetingState.HELD:
            day = meeting.at.date()
            on_roster = [
                m.person_id for m in self.members if m.joined_on <= day and (m.left_on is None or m.left_on > day)
            ]
            attendees = rng.sample(on_roster, min(len(on_roster), rng.randint(3, 8)))
        villagers = meeting.present - len(attendees) if meeting.state == MeetingState.HELD else 0
        month = f"{meeting.at.year}年{meeting.at.month}月"
        self.spools[Meeting].add(
            id=meeting.id,
            organization_id=self.org.id,
            title=f"{self.org.name}{month}议事会",
            scheduled_at=meeting.at,
            place=f"{self.org.place.name}文化礼堂",
            state=meeting.state,
            villagers_count=max(0, villagers - 3),
            department_reps_count=2 if meeting.state == MeetingState.HELD else 0,
            ufwd_reps_count=1 if meeting.state == MeetingState.HELD else 0,
            minutes=f"{month}议事会，逐项协商议程。" if meeting.state == MeetingState.HELD else "",
            cancel_reason="台风预警，会议取消。" if meeting.cancelled_at else "",
            cancelled_at=meeting.cancelled_at,
            cancelled_by_id=self.staff[0] if meeting.cancelled_at else None,
            created_by_id=self.staff[0],
            created_at=meeting.created_at,
        )
        through = Meeting.attendees.through
        for person_id in attendees:
            self.spools[through].add(id=self.p.next_id(through), meeting_id=meeting.id, person_id=person_id)

    def _next_meeting(self, after: datetime.datetime) -> PlannedMeeting | None:
        index = bisect.bisect_right(self._meeting_times, after + DAY)
        return self.meetings[index] if index < len(self.meetings) else None

    # ---- issues ----------------------------------------------------------------------------------------------

    def _issue_times(self, count: int) -> Iterator[datetime.datetime]:
        """More issues each year, as the portal is taken up: the density grows linearly over the five years."""
        p, rng = self.p, self.rng
        first = max(self.org.founded_on, p.start)
        span = (p.now - p.moment(first, 0)).total_seconds()
        for _ in range(count):
            yield p.moment(first, 0) + datetime.timedelta(seconds=span * math.sqrt(rng.random()))

    def _issue(self, created: datetime.datetime) -> None:
        p, rng = self.p, self.rng
        pk = p.next_id(Issue)
        category = words.weighted(rng, words.ISSUE_CATEGORY_WEIGHTS)
        title, description = rng.choice(words.ISSUES[category])
        spot = rng.choice(words.SPOTS)
        title, description = title.format(place=spot)[:60], description.format(place=spot)
        channel = IssueChannel.ONLINE if rng.random() < 0.6 else rng.choice(IssueChannel.values[1:])
        members = [m for m in self.members if m.phone and m.left_on is None]
        submitter_user = None
        if members and rng.random() < 0.35:
            member = rng.choice(members)
            name, phone = member.name, member.phone
            submitter_user = member.user if channel == IssueChannel.ONLINE else None
        else:
            name, phone = p.villager()
        entered_by = self.staff if channel != IssueChannel.ONLINE else None
        life = IssueLife(self, pk, created, submitter_label=name)
        life.run(entered_by=entered_by, channel=channel, submitter=submitter_user, category=category, title=title)
        code = str(10_000_000 + p.receipt_codes(pk))
        self.spools[Issue].add(
            id=pk,
            receipt_code=code,
            organization_id=self.org.id,
            region_id=self.org.place.id,
            title=title,
            description=description,
            category=category,
            place=spot,
            submitter_user_id=submitter_user[0] if submitter_user else None,
            submitter_name=name,
            submitter_phone=phone,
            phone_visible_to_department=rng.random() < 0.4,
            channel=channel,
            submitter_ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if channel == IssueChannel.ONLINE
            else None,
            entered_by_id=entered_by[0] if entered_by else None,
            state=life.state,
            state_changed_at=life.state_changed_at,
            merged_into_id=life.merged_into,
            rejection_reason=life.rejection_reason,
            consensus_text=life.consensus_text,
            resolution_text=life.resolution_text,
            resolved_at=life.resolved_at,
            created_at=created,
        )
        url = p._track_url.format(code=code)
        # The steps are in time order: the latest start seen is the one a stage's end carries (consultations/stages.py).
        started: dict[str, datetime.datetime] = {}
        for step in life.steps:
            stage = STAGE_ENDED_BY.get(step.action)
            stage_started_at = (
                max((started[start] for start in stage.starts if start in started), default=None) if stage else None
            )
            started[step.action] = step.at
            transition = p.next_id(Transition)
            self.spools[Transition].add(
                id=transition,
                issue_id=pk,
                action=step.action,
                from_state=step.from_state,
                to_state=step.to_state,
                actor_id=step.actor[0] if step.actor and step.actor[0] else None,
                actor_label=step.actor[1] if step.actor else "系统",
                comment=step.comment,
                is_public=step.is_public,
                created_at=step.at,
                stage_started_at=stage_started_at,
            )
            if step.is_public and step.action != A.CLOSE_AFTER_NOTICE and p.now - step.at < OUTBOX_HORIZON:
                self._tell_submitter(
                    f"issue:{pk}:transition:{transition}",
                    submitter_user,
                    phone,
                    f"议题进展：{title}"[:120],
                    f"您反映的“{title}”：{p.action_labels[step.action]}。回执码 {code}。",
                    url,
                    step.at,
                )
            if step.action == A.CLOSE_AFTER_NOTICE and p.now - step.at < OUTBOX_HORIZON:
                self._tell_submitter(
                    f"issue:{pk}:rate:{step.notice_id}",
                    submitter_user,
                    phone,
                    f"请评价办理结果：{title}"[:120],
                    f"您反映的“{title}”公示期满，请评价办理结果。回执码 {code}。",
                    url,
                    step.at,
                    kind=Kind.ISSUE_RATE_REQUEST,
                )
        self._recent.append((pk, life.steps))
        life.write_rows(pk, title)

    def state_of(self, steps: list[Step], at: datetime.datetime) -> str | None:
        state = None
        for step in steps:
            if step.at > at:
                break
            state = step.to_state
        return state

    def merge_target(self, at: datetime.datetime) -> tuple[int, str] | None:
        """An earlier issue of the organization still open at `at`, for a duplicate to follow."""
        for pk, steps in reversed(self._recent):
            state = self.state_of(steps, at)
            if state is not None and state not in (S.CLOSED, S.REJECTED, S.MERGED):
                return pk, state
        return None

    def _tell_submitter(
        self,
        key: str,
        user: tuple[int, str] | None,
        phone: str,
        subject: str,
        body: str,
        url: str,
        at: datetime.datetime,
        *,
        kind: str = Kind.ISSUE_PROGRESS,
    ) -> None:
        label = f"user:{user[0]}" if user else f"phone:{phone}"
        channels = (Channel.INBOX, Channel.SMS) if user else (Channel.SMS,)
        for channel in channels:
            self.p_outbox(
                key=f"{key}:{label}:{channel}",
                kind=kind,
                channel=channel,
                user=user,
                phone=phone if channel == Channel.SMS else "",
                subject=subject,
                body=body,
                url=url,
                at=at,
            )

    def p_outbox(
        self,
        *,
        key: str,
        kind: str,
        channel: str,
        user: tuple[int, str] | None,
        phone: str,
        subject: str,
        body: str,
        url: str,
        at: datetime.datetime,
    ) -> None:
        """One outbox row, sent a few seconds after it was queued unless it is only minutes old; one in a
        hundred failed for good. A sent inbox message has its copy in the user's inbox."""
        p, rng = self.p, self.rng
        pk = p.next_id(OutboxMessage)
        fresh = p.now - at < datetime.timedelta(minutes=10)
        failed = not fresh and rng.random() < 0.01
        state = OutboxState.PENDING if fresh else OutboxState.FAILED if failed else OutboxState.SENT
        sent_at = None if state != OutboxState.SENT else at + datetime.timedelta(seconds=rng.randint(2, 90))
        self.spools[OutboxMessage].add(
            id=pk,
            idempotency_key=key[:200],
            kind=kind,
            channel=channel,
            user_id=user[0] if user else None,
            phone=phone,
            region_path=self.org.place.path,
            subject=subject,
            body=body,
            url=url,
            state=state,
            attempts=0 if fresh else 5 if failed else 1,
            next_attempt_at=at,
            sent_at=sent_at,
            provider_id=f"bench-{pk}" if sent_at and channel == Channel.SMS else "",
            last_error="短信网关返回：号码已停机" if failed else "",
            created_at=at,
        )
        if sent_at is not None and channel == Channel.INBOX and user is not None:
            self.spools[InboxMessage].add(
                id=p.next_id(InboxMessage),
                user_id=user[0],
                kind=kind,
                title=subject,
                body=body,
                url=url,
                created_at=sent_at,
                read_at=sent_at + HOUR * rng.randint(1, 48) if rng.random() < 0.7 else None,
                source_id=pk,
            )

    # ---- activities --------------------------------------------------------------------------------------------

    def _activity(self) -> None:
        p, rng = self.p, self.rng
        pk = p.next_id(Activity)
        first = max(self.org.founded_on, p.start)
        span_days = (p.today - first).days + 30
        # One in twenty-five lies in the coming month: the calendar has something to sign up for.
        if rng.random() < 0.04:
            day = p.today + DAY * rng.randint(2, 30)
        else:
            day = first + DAY * rng.randrange(max(1, span_days - 30))
        starts = p.moment(day, rng.choice((9, 14, 19)), rng.choice((0, 30)))
        ends = starts + HOUR * rng.randint(2, 4)
        deadline = starts - DAY
        created = starts - DAY * rng.randint(10, 20)
        published_at = created + HOUR * rng.randint(1, 48)
        if starts > p.now:
            status = ActivityStatus.DRAFT if rng.random() < 0.15 or published_at > p.now else ActivityStatus.PUBLISHED
        elif rng.random() < 0.05:
            status = ActivityStatus.CANCELLED
        elif ends + HOUR > p.now or (p.now - starts < 14 * DAY and rng.random() < 0.3):
            status = ActivityStatus.PUBLISHED  # the summary is not written yet
        else:
            status = ActivityStatus.COMPLETED
        category = rng.choice(list(words.ACTIVITY_TITLES))
        title = f"{self.org.place.name}{rng.choice(words.ACTIVITY_TITLES[category])}"[:80]
        capacity = rng.randint(10, 40)
        audience = Audience.PUBLIC if rng.random() < 0.35 else Audience.MEMBERS
        self.spools[Activity].add(
            id=pk,
            host_id=self.org.id,
            title=title,
            category=category,
            form=rng.choice(words.ACTIVITY_FORMS),
            description=f"{self.org.name}每月会员活动：{title}。",
            starts_at=starts,
            ends_at=ends,
            place=f"{self.org.place.name}同心驿站",
            capacity=capacity,
            signup_deadline=deadline,
            audience=audience,
            cover="",
            status=status,
            cancel_reason="天气原因，活动取消。" if status == ActivityStatus.CANCELLED else "",
            summary=f"{title}顺利举办，会员和村民踊跃参加。" if status == ActivityStatus.COMPLETED else "",
            walk_in_count=rng.randint(0, 8) if status == ActivityStatus.COMPLETED else 0,
            checkin_secret=f"{rng.getrandbits(256):064x}",
            created_by_id=self.staff[0],
            created_at=created,
        )
        log = self._activity_log(pk)
        log(ActivityAction.CREATE, created)
        if status == ActivityStatus.DRAFT:
            return
        log(ActivityAction.PUBLISH, published_at)
        if status != ActivityStatus.CANCELLED:
            self._registrations(pk, capacity, audience, published_at, min(deadline, p.now), status, starts, log)
        if status == ActivityStatus.CANCELLED:
            log(ActivityAction.CANCEL, starts - DAY * 2, "天气原因，活动取消。")
        elif status == ActivityStatus.COMPLETED:
            log(ActivityAction.COMPLETE, ends + HOUR)
        alliance = p.alliances.get(self.district.id)
        if alliance is not None and alliance != self.org.id and rng.random() < 0.1:
            through = Activity.co_hosts.through
            self.spools[through].add(id=p.next_id(through), activity_id=pk, organization_id=alliance)

    def _activity_log(self, activity_id: int):
        def write(action: str, at: datetime.datetime, comment: str = "", registration: int | None = None) -> None:
            self.spools[ActivityLog].add(
                id=self.p.next_id(ActivityLog),
                activity_id=activity_id,
                registration_id=registration,
                action=action,
                actor_id=None if registration else self.staff[0],
                comment=comment,
                created_at=at,
            )

        return write

    def _registrations(
        self,
        activity_id: int,
        capacity: int,
        audience: str,
        opens: datetime.datetime,
        closes: datetime.datetime,
        status: str,
        starts: datetime.datetime,
        log,
    ) -> None:
        p, rng = self.p, self.rng
        if closes <= opens:
            return
        wanted = rng.randint(capacity // 3, capacity + capacity // 5)
        members = [m for m in self.members if m.phone and m.left_on is None and m.joined_on <= opens.date()]
        people: list[tuple[int | None, str, str]] = [
            (m.person_id, m.name, m.phone) for m in rng.sample(members, min(len(members), wanted))
        ]
        if audience == Audience.PUBLIC:
            people += [(None, *p.villager()) for _ in range(wanted - len(people))]
        span = (closes - opens).total_seconds()
        moments = sorted(opens + datetime.timedelta(seconds=rng.random() * span) for _ in people)
        confirmed = 0
        for (person_id, name, phone), at in zip(people, moments, strict=True):
            pk = p.next_id(Registration)
            cancelled = rng.random() < 0.06
            state = (
                RegistrationStatus.CANCELLED
                if cancelled
                else RegistrationStatus.CONFIRMED
                if confirmed < capacity
                else RegistrationStatus.WAITLISTED
            )
            confirmed += state == RegistrationStatus.CONFIRMED
            waitlisted = state == RegistrationStatus.WAITLISTED or (cancelled and confirmed >= capacity)
            cancelled_at = min(at + HOUR * rng.randint(1, 24), p.now) if cancelled else None
            checked = (
                starts + datetime.timedelta(minutes=rng.randint(-20, 30))
                if status == ActivityStatus.COMPLETED and state == RegistrationStatus.CONFIRMED and rng.random() < 0.75
                else None
            )
            self.spools[Registration].add(
                id=pk,
                activity_id=activity_id,
                person_id=person_id,
                name=name,
                phone=phone,
                status=state,
                created_at=at,
                cancelled_at=cancelled_at,
                checked_in_at=checked,
                checkin_method=(CheckinMethod.QR if rng.random() < 0.8 else CheckinMethod.MANUAL) if checked else "",
            )
            # The services' record of a sign-up names the list it went to; a cancellation has its own.
            log(
                ActivityAction.REGISTER,
                at,
                RegistrationStatus.WAITLISTED if waitlisted else RegistrationStatus.CONFIRMED,
                pk,
            )
            if cancelled_at is not None:
                log(ActivityAction.CANCEL_REGISTRATION, cancelled_at, registration=pk)
            if checked is not None:
                log(ActivityAction.CHECK_IN, checked, registration=pk)


class IssueLife:
    """The steps one issue takes until `now`: the state machine of consultations.states walked with the delays
    people take, each step kept only if it happened by now."""

    def __init__(
        self, org: OrganizationGenerator, pk: int, created: datetime.datetime, *, submitter_label: str
    ) -> None:
        self.o = org
        self.p = org.p
        self.rng = org.rng
        self.pk = pk
        self.created = created
        self.submitter_label = submitter_label
        self.steps: list[Step] = []
        self.state = ""  # before its submission: the first step leads from nothing to 已提交
        self.state_changed_at = created
        self.merged_into: int | None = None
        self.rejection_reason = ""
        self.consensus_text = ""
        self.resolution_text = ""
        self.resolved_at: datetime.datetime | None = None
        self.notice_id: int | None = None
        self.agenda: list[dict[str, object]] = []
        self.assignments: list[dict[str, object]] = []
        self.notices: list[dict[str, object]] = []
        self.feedback: list[dict[str, object]] = []
        self.extra_transitions: list[tuple[int, Step]] = []

    def _step(
        self,
        action: str,
        at: datetime.datetime,
        actor: tuple[int, str] | None,
        comment: str = "",
        *,
        is_public: bool = True,
        to: str | None = None,
    ) -> bool:
        """Takes the step if its moment has come; False when it lies in the future (the issue stops here)."""
        if at > self.p.now:
            return False
        from_state = self.state
        if to is not None and to != from_state:
            self.state, self.state_changed_at = to, at
        self.steps.append(Step(action, from_state, self.state, actor, comment, at, is_public))
        return True

    def run(
        self,
        *,
        entered_by: tuple[int, str] | None,
        channel: str,
        submitter: tuple[int, str] | None,
        category: str,
        title: str,
    ) -> None:
        rng, o = self.rng, self.o
        staff = o.staff
        comment = f"由 {entered_by[1]} 代为录入（{IssueChannel(channel).label}）" if entered_by else ""
        self._step(
            A.SUBMIT, self.created, entered_by or submitter or (0, self.submitter_label), comment, to=S.SUBMITTED
        )
        at = self.p.later(self.created, 2, 72)
        roll = rng.random()
        if roll < 0.05:
            reason = rng.choice(words.REJECT_REASONS)
            if self._step(A.REJECT, at, staff, reason, to=S.REJECTED):
                self.rejection_reason = reason
            return
        if roll < 0.065:
            target = o.merge_target(at)
            if target is not None and self._step(
                A.MERGE, at, staff, "与另一议题反映的是同一事项，合并办理。", to=S.MERGED
            ):
                self.merged_into = target[0]
                # The target keeps its state; its trail says another villager raised the same matter.
                self.extra_transitions.append(
                    (
                        target[0],
                        Step(
                            A.MERGE, target[1], target[1], staff, "另一位村民反映的同一事项已合并到本议题一并办理。", at
                        ),
                    )
                )
                return
        if not self._step(A.ACCEPT, at, staff, to=S.ACCEPTED):
            return
        self._deliberate(at, category=category, title=title, reopened=False)

    def _deliberate(self, since: datetime.datetime, *, category: str, title: str, reopened: bool) -> None:
        """From 待协商: onto the next meeting's agenda, until a consensus (or the end of deliberation)."""
        rng, o = self.rng, self.o
        staff = o.staff
        for _attempt in range(6):
            meeting = o._next_meeting(since)
            if meeting is None:
                return
            put = max(self.p.later(since, 2, 48), self.p.later(meeting.created_at, 1, 24))
            if meeting.cancelled_at is not None and put >= meeting.cancelled_at:
                since = meeting.at
                continue
            if put >= meeting.at:
                since = meeting.at
                continue
            when = f"{meeting.at.date().isoformat()}"
            if not self._step(
                A.PUT_ON_AGENDA,
                put,
                staff,
                f"列入{o.org.name}{meeting.at.year}年{meeting.at.month}月议事会（{when}）",
                to=S.DELIBERATING,
            ):
                return
            meeting.positions += 1
            item: dict[str, object] = {"meeting_id": meeting.id, "position": meeting.positions}
            self.agenda.append(item)
            if meeting.state == MeetingState.SCHEDULED:
                item["outcome"] = AgendaOutcome.PENDING
                return
            if meeting.state == MeetingState.CANCELLED:
                assert meeting.cancelled_at is not None
                item["outcome"] = AgendaOutcome.MEETING_CANCELLED
                self._step(A.MEETING_CANCEL, meeting.cancelled_at, staff, "议事会取消，议题退回待协商。", to=S.ACCEPTED)
                since = meeting.cancelled_at
                continue
            recorded = meeting.at + HOUR * 2
            if recorded > self.p.now:
                item["outcome"] = AgendaOutcome.PENDING
                return
            item["recorded_at"] = recorded
            roll = rng.random()
            if roll < 0.85:
                votes_for = rng.randint(meeting.present * 6 // 10, meeting.present * 9 // 10)
                against = rng.randint(0, (meeting.present - votes_for) // 2)
                abstain = rng.randint(0, meeting.present - votes_for - against)
                text = rng.choice(words.CONSENSUS)
                item.update(
                    outcome=AgendaOutcome.CONSENSUS,
                    consensus_text=text,
                    votes_for=votes_for,
                    votes_against=against,
                    votes_abstain=abstain,
                )
                self._step(
                    A.RECORD_CONSENSUS,
                    recorded,
                    staff,
                    f"{text}（赞成 {votes_for} 票，反对 {against} 票，弃权 {abstain} 票）",
                    to=S.AGREED,
                )
                self.consensus_text = text
                self._handle(recorded, category=category, title=title, reopened=reopened)
                return
            note = rng.choice(words.NO_CONSENSUS)
            item.update(outcome=AgendaOutcome.NO_CONSENSUS, note=note)
            if roll < 0.95:
                self._step(A.NO_CONSENSUS_REQUEUE, recorded, staff, note, to=S.ACCEPTED)
                since = recorded
                continue
            self._step(A.NO_CONSENSUS_CLOSE, recorded, staff, note, to=S.CLOSED)
            return

    def _handle(self, agreed: datetime.datetime, *, category: str, title: str, reopened: bool) -> None:
        """From 已达成共识: solved in the village, or handed to a department and answered, then published."""
        rng, o, p = self.rng, self.o, self.p
        staff = o.staff
        at = p.later(agreed, 12, 240)
        if rng.random() < 0.3:
            text = "村里组织会员和村民自行解决，已完成。"
            if not self._step(A.RESOLVE_IN_VILLAGE, at, staff, text, to=S.HANDLED):
                return
            self.resolution_text = text
            self._publish(at, title=title, reopened=reopened)
            return
        for attempt in range(2):
            department, handler = self._department(category, fallback_to_district=attempt > 0)
            days = rng.choice((10, 15, 15, 20))
            deadline = p.workdays.add(at.date(), days)
            if not self._step(
                A.ASSIGN,
                at,
                staff,
                f"交{department[1]}办理，期限 {deadline.isoformat()}（{days} 个工作日）",
                to=S.ASSIGNED,
            ):
                return
            assignment: dict[str, object] = {
                "department_id": department[0],
                "working_days": days,
                "deadline": deadline,
                "assigned_at": at,
                "state": AssignmentState.OPEN,
            }
            self.assignments.append(assignment)
            if p.now - at < OUTBOX_HORIZON:
                o.p_outbox(
                    key=f"assignment:{self.pk}:{len(self.assignments)}:new:user:{handler[0]}:{Channel.INBOX}",
                    kind=Kind.ASSIGNMENT_NEW,
                    channel=Channel.INBOX,
                    user=handler,
                    phone="",
                    subject=f"新的交办：{title}"[:120],
                    body=f"{o.org.name}交办“{title}”，期限 {deadline.isoformat()}。",
                    url="/department/",
                    at=at,
                )
            acknowledged = p.later(at, 1, 72)
            if not self._step(A.ACKNOWLEDGE, acknowledged, handler, f"{department[1]}已签收"):
                return
            assignment.update(
                state=AssignmentState.ACKNOWLEDGED, acknowledged_at=acknowledged, handled_by_id=handler[0]
            )
            if attempt == 0 and rng.random() < 0.05:
                returned = p.later(acknowledged, 24, 120)
                reason = rng.choice(words.RETURN_REASONS)
                if not self._step(A.RETURN, returned, handler, reason, to=S.AGREED):
                    return
                assignment.update(state=AssignmentState.RETURNED, return_reason=reason, returned_at=returned)
                at = p.later(returned, 24, 96)
                continue
            # Most answer within the deadline; one in six runs late, and those open now are overdue.
            allowed = (p.moment(deadline, 18) - acknowledged).total_seconds() / 3600
            late = rng.random() < 0.17
            answered = p.later(acknowledged, allowed * (1.1 if late else 0.2), allowed * (2.0 if late else 0.95))
            if rng.random() < 0.2:
                interim = p.later(acknowledged, 24, max(25, allowed / 2))
                promised = deadline + DAY * rng.randint(0, 20)
                text = f"正在办理，预计 {promised.isoformat()} 前完成。"
                if not self._step(A.INTERIM_REPLY, interim, handler, text):
                    return
                assignment.update(interim_reply=text, promised_on=promised, interim_replied_at=interim)
                answered = max(answered, p.later(interim, 24, 240))
            answer = rng.choice(words.ANSWERS)
            if not self._step(A.ANSWER, answered, handler, answer, to=S.ANSWERED):
                return
            assignment.update(state=AssignmentState.ANSWERED, answer_text=answer, answered_at=answered)
            self.resolution_text = answer
            confirmed = p.later(answered, 24, 168)
            if not self._step(A.CONFIRM_DONE, confirmed, staff, "经核实，部门答复的事项已办理完成。", to=S.HANDLED):
                return
            self._publish(confirmed, title=title, reopened=reopened)
            return

    def _department(self, category: str, *, fallback_to_district: bool) -> tuple[tuple[int, str], tuple[int, str]]:
        o = self.o
        for place in (o.district,) if fallback_to_district else (o.town, o.district):
            if place is None:
                continue
            for short in words.DEPARTMENT_FOR_CATEGORY[IssueCategory(category)]:
                pk = place.departments.get(short)
                if pk is not None:
                    return (pk, f"{place.name}{short}"), place.handlers[pk]
        place = o.district
        short, pk = next(iter(place.departments.items()))
        return (pk, f"{place.name}{short}"), place.handlers[pk]

    def _publish(self, handled: datetime.datetime, *, title: str, reopened: bool) -> None:
        rng, o, p = self.rng, self.o, self.p
        staff = o.staff
        published = p.later(handled, 12, 240)
        if not self._step(A.PUBLISH, published, staff, "公示 7 天", to=S.PUBLICIZED):
            return
        self.resolved_at = published
        notice_id = p.next_id(PublicNotice)
        self.notice_id = notice_id
        ends = published + 7 * DAY
        self.notices.append(
            {"id": notice_id, "title": title[:100], "published_at": published, "ends_at": ends, "by": staff[0]}
        )
        if not self._step(A.CLOSE_AFTER_NOTICE, ends, None, "公示期满，自动归档", to=S.CLOSED):
            return
        self.steps[-1].notice_id = notice_id
        if rng.random() >= 0.6:
            return
        rated = p.later(ends, 2, 240)
        rating = rng.choices(Rating.values, weights=(80, 15, 5))[0]
        comment = "" if rating != Rating.UNSATISFIED else "问题没有彻底解决。"
        if not self._step(
            A.RATE, rated, (0, self.submitter_label), f"{Rating(rating).label} {comment}".strip(), is_public=False
        ):
            return
        self.feedback.append({"notice_id": notice_id, "rating": rating, "comment": comment, "created_at": rated})
        if rating == Rating.UNSATISFIED and not reopened and rng.random() < 0.4:
            reopen = p.later(rated, 24, 120)
            if self._step(A.REOPEN, reopen, staff, "反映人不满意，重新受理。", to=S.ACCEPTED):
                # The result is withdrawn: the issue leaves the board until a new result is published.
                self.resolved_at = None
                self._deliberate(reopen, category="other", title=title, reopened=True)

    def write_rows(self, issue_id: int, title: str) -> None:
        spools, p = self.o.spools, self.p
        for target, step in self.extra_transitions:
            spools[Transition].add(
                id=p.next_id(Transition),
                issue_id=target,
                action=step.action,
                from_state=step.from_state,
                to_state=step.to_state,
                actor_id=step.actor[0] if step.actor else None,
                actor_label=step.actor[1] if step.actor else "系统",
                comment=step.comment,
                is_public=True,
                created_at=step.at,
            )
        for item in self.agenda:
            spools[AgendaItem].add(id=p.next_id(AgendaItem), issue_id=issue_id, **item)
        for assignment in self.assignments:
            spools[Assignment].add(
                id=p.next_id(Assignment), issue_id=issue_id, assigned_by_id=self.o.staff[0], **assignment
            )
        for notice in self.notices:
            spools[PublicNotice].add(
                id=notice["id"],
                issue_id=issue_id,
                organization_id=self.o.org.id,
                region_id=self.o.org.place.id,
                title=notice["title"],
                body=self.resolution_text or "已办理完成。",
                period_days=7,
                published_at=notice["published_at"],
                ends_at=notice["ends_at"],
                published_by_id=notice["by"],
            )
        for feedback in self.feedback:
            spools[Feedback].add(id=p.next_id(Feedback), issue_id=issue_id, **feedback)
