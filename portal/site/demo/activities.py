"""Monthly activities of seed 000: 青山talk, 考察学习, 展览参观, 同心荟互访, 乡村传统体验, in 文化传承, 生态环保 and
文创艺术; a few of 鹿城 and 天目 too.

Each activity goes through activities.services with the demo clock set to when it happened
(portal/site/demo/clock.py): created and published three weeks ahead, signed up for by members, checked in by the QR
code at the door (one by staff, for a member without a phone), completed with a summary. 青山同心荟 has one
for each of the last six months, two open for sign-up (a members-only 青山talk, and a public 乡村传统体验 that
is already full with a waiting list) and a draft. Natural key: (host, title); an activity already there is left
alone, so running seed_demo again writes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from activities import services
from activities.checkin_codes import current_checkin_token
from activities.models import Activity, ActivityCategory, ActivityForm, Audience
from members.models import Person
from orgs.models import Organization
from portal.accounts.models import User
from portal.site.demo.clock import DemoClock, local_moment
from portal.site.demo.names import NameGenerator

SEED = "tongxinhui-demo-2026:activities"
Cat, Form = ActivityCategory, ActivityForm
DAY = datetime.timedelta(days=1)

PAST, OPEN, DRAFT = "past", "open", "draft"


@dataclass(frozen=True)
class ActivitySpec:
    host: str
    staff: str
    title: str
    category: str
    form: str
    place: str
    description: str
    when: str  # PAST, OPEN or DRAFT
    months_ago: int = 0  # PAST: which of the last months
    days_ahead: int = 0  # OPEN, DRAFT: how many days from today
    capacity: int = 30
    audience: str = Audience.MEMBERS
    signups: int = 0  # how many sign up; above the capacity they wait
    summary: str = ""
    walk_ins: int = 0
    co_hosts: tuple[str, ...] = ()


Q = ("qingshan", "qingshan_secretary")
QINGSHAN = (
    ActivitySpec(
        *Q,
        "青山talk：从余杭纸伞到“飘系列”纸椅",
        Cat.CREATIVE_ARTS,
        Form.TALK,
        "同心驿站",
        "会员设计师分享以余杭纸伞传统工艺为灵感设计“飘系列—纸椅”、获得红点至尊奖的创作过程，"
        "聊聊传统手工艺如何走进当代设计。",
        PAST,
        months_ago=6,
        capacity=40,
        signups=26,
        summary="26位会员和12位村民到场。设计师带来纸椅原型和纸伞骨架，现场演示桐油上伞面，"
        "交流环节大家讨论了村里手艺人作品的定价和展示。",
        walk_ins=12,
    ),
    ActivitySpec(
        *Q,
        "考察学习：龙坞水库水源地与“善水基金”巡护",
        Cat.ECOLOGY,
        Form.STUDY_TOUR,
        "龙坞水库",
        "跟随“善水基金”巡护员走一遍水源地巡护线路，了解“受益者付费”机制和竹林生态管护。",
        PAST,
        months_ago=5,
        capacity=25,
        signups=22,
        summary="会员沿水库巡护线路徒步4公里，巡护员讲解了水质监测和竹林不打药的做法；"
        "大家捡拾垃圾两大袋，并为“善水基金”认捐。",
    ),
    ActivitySpec(
        *Q,
        "同心荟互访：工艺美术·同心荟手艺人走进青山村",
        Cat.HERITAGE,
        Form.EXCHANGE_VISIT,
        "青山村未来乡村联合工作坊",
        "温州鹿城“工艺美术·同心荟”的瓯塑、瓯绣手艺人来到青山村，与青山的竹编、竹刻艺人交流技艺，"
        "探讨两地手工艺人互相到对方的集市和展会设摊。",
        PAST,
        months_ago=4,
        capacity=40,
        signups=30,
        co_hosts=("lucheng-gongyi",),
        summary="两地手艺人现场切磋竹编和瓯绣，互赠作品；约定明年春天青山手艺人回访温州五马街道。",
    ),
    ActivitySpec(
        *Q,
        "展览参观：《水的一生》米兰设计周归来展",
        Cat.CREATIVE_ARTS,
        Form.EXHIBITION,
        "青山村文化礼堂",
        "参观登上米兰设计周、获“金麒麟奖”的本地手工艺人作品《水的一生》回村展，创作者现场导览。",
        PAST,
        months_ago=3,
        capacity=50,
        signups=34,
        walk_ins=20,
        summary="会员和村民近60人观展，创作者讲述用本地竹材表现水从水库到村庄的旅程。",
    ),
    ActivitySpec(
        *Q,
        "乡村传统体验：竹编竹刻手作日",
        Cat.HERITAGE,
        Form.TRADITIONAL_EXPERIENCE,
        "青山村竹编工坊",
        "老师傅手把手教竹编杯垫和竹刻书签，新村民和老村民一起动手。",
        PAST,
        months_ago=2,
        capacity=24,
        signups=24,
        summary="24位会员完成竹编杯垫和竹刻书签，6件作品被选入下月的青山手作集市。",
    ),
    ActivitySpec(
        *Q,
        "青山talk：“自然好邻居”计划——闲置空间怎么用",
        Cat.ECOLOGY,
        Form.TALK,
        "同心驿站",
        "“自然好邻居”计划的农户和新村民分享利用闲置空间增收的经验：收益的10%返还“善水基金”，保护龙坞水库水源地。",
        PAST,
        months_ago=1,
        capacity=40,
        signups=28,
        summary="三户农户分享了柴房改工作室、老屋改民宿的经验；大家对闲置空间改造的风貌要求提了建议，"
        "已整理为议题提交协商议事会。",
        walk_ins=8,
    ),
    ActivitySpec(
        *Q,
        "青山talk：新村民的乡村创业故事",
        Cat.CREATIVE_ARTS,
        Form.TALK,
        "同心驿站",
        "三位来青山村创业的新村民——漫画家、传统材料设计师和民宿主理人——讲讲他们为什么留在村里。"
        "仅限青山同心荟会员报名。",
        OPEN,
        days_ahead=9,
        capacity=40,
        signups=9,
    ),
    ActivitySpec(
        *Q,
        "乡村传统体验：跟老师傅做一把余杭纸伞",
        Cat.HERITAGE,
        Form.TRADITIONAL_EXPERIENCE,
        "青山村纸伞工坊",
        "从削伞骨、糊伞面到上桐油，跟着老师傅做一把属于自己的余杭纸伞。面向公众，名额12人，额满后可候补。",
        OPEN,
        days_ahead=16,
        capacity=12,
        audience=Audience.PUBLIC,
        signups=15,
    ),
    ActivitySpec(
        *Q,
        "考察学习：树桥头艺术村落与环青山徒步道",
        Cat.ECOLOGY,
        Form.STUDY_TOUR,
        "树桥头",
        "走一段环青山徒步道，参观青年智囊团参与规划的树桥头艺术村落。（草稿，路线待定）",
        DRAFT,
        days_ahead=35,
        capacity=30,
    ),
)

OTHERS = (
    ActivitySpec(
        "lucheng-gongyi",
        "lucheng_admin",
        "瓯塑技艺公开课",
        Cat.HERITAGE,
        Form.LECTURE,
        "瓯越手艺人工作室",
        "瓯塑传承人讲解瓯塑的历史和技法，现场示范堆塑。",
        PAST,
        months_ago=1,
        capacity=30,
        signups=18,
        summary="18位会员参加，传承人示范了瓯塑的调泥、堆塑和上色。",
    ),
    ActivitySpec(
        "lucheng-gongyi",
        "lucheng_admin",
        "细纹刻纸亲子体验",
        Cat.HERITAGE,
        Form.TRADITIONAL_EXPERIENCE,
        "瓯越手艺人工作室",
        "乐清细纹刻纸手艺人带孩子和家长一起刻一幅窗花。",
        OPEN,
        days_ahead=12,
        capacity=20,
        audience=Audience.PUBLIC,
        signups=11,
    ),
    ActivitySpec(
        "tianmu",
        "linan_admin",
        "共富菜园秋收结对活动",
        Cat.PROSPERITY,
        Form.PAIRING,
        "浙西天路·共富菜园",
        "联盟企业和望湖村村民一起采收蔬菜，对接“共富购”订单。",
        PAST,
        months_ago=2,
        capacity=40,
        signups=20,
        summary="联盟企业认购蔬菜3000余斤，现场签订明年的统一种植、统一收购协议。",
    ),
    ActivitySpec(
        "tianmu",
        "linan_admin",
        "“共富购”农产品直播培训",
        Cat.SKILLS,
        Form.TRAINING,
        "天目共富岗车间",
        "教结对村的村民用手机直播卖杨梅、山核桃和笋干。",
        OPEN,
        days_ahead=10,
        capacity=30,
        signups=7,
    ),
)

ACTIVITIES = QINGSHAN + OTHERS


def _second_saturday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(5 - first.weekday()) % 7 + 7)


def past_activity_day(today: datetime.date, months_ago: int) -> datetime.date:
    """The second Saturday of a month: months_ago=1 is the latest month whose second Saturday is two days gone."""
    year, month = today.year, today.month
    if _second_saturday(year, month) > today - 2 * DAY:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    index = year * 12 + month - 1 - (months_ago - 1)
    return _second_saturday(index // 12, index % 12 + 1)


class _ActivityWriter:
    def __init__(self, clock: DemoClock, member: User | None, rng: random.Random) -> None:
        self.clock = clock
        self.member = member
        self.rng = rng
        self.names = NameGenerator(rng)
        self.organizations = Organization.objects.in_bulk(
            {spec.host for spec in ACTIVITIES} | {slug for spec in ACTIVITIES for slug in spec.co_hosts},
            field_name="slug",
        )
        self.staff = User.objects.in_bulk({spec.staff for spec in ACTIVITIES}, field_name="username")

    def _roster(self, slugs: list[str]) -> list[Person]:
        return list(
            Person.objects.filter(memberships__organization__slug__in=slugs, memberships__left_on__isnull=True)
            .distinct()
            .order_by("pk")
        )

    def write(self, spec: ActivitySpec) -> Activity:
        today = self.clock.today
        day = past_activity_day(today, spec.months_ago) if spec.when == PAST else today + spec.days_ahead * DAY
        starts_at = local_moment(day, 14)
        ends_at = starts_at + datetime.timedelta(hours=2, minutes=30)
        created = min(day - 21 * DAY, today - 12 * DAY) if spec.when != DRAFT else today - 3 * DAY
        self.clock.set(local_moment(created, 10, self.rng.randrange(60)))
        staff = self.staff[spec.staff]
        activity = services.activity_create(
            host=self.organizations[spec.host],
            actor=staff,
            title=spec.title,
            category=spec.category,
            form=spec.form,
            starts_at=starts_at,
            ends_at=ends_at,
            place=spec.place,
            capacity=spec.capacity,
            signup_deadline=local_moment(day - DAY, 18),
            audience=spec.audience,
            description=spec.description,
            co_hosts=[self.organizations[slug] for slug in spec.co_hosts],
            now=self.clock.now(),
        )
        if spec.when == DRAFT:
            return activity
        self.clock.set(local_moment(created, 11))
        services.activity_publish(activity=activity, actor=staff, now=self.clock.now())
        registrations = self._sign_up(activity, spec, created, min(day, today))
        if spec.when == PAST:
            self._check_in(activity, registrations, staff)
            self.clock.set(ends_at + datetime.timedelta(hours=1))
            services.activity_complete(
                activity=activity, actor=staff, summary=spec.summary, walk_in_count=spec.walk_ins, now=self.clock.now()
            )
        return activity

    def _sign_up(self, activity: Activity, spec: ActivitySpec, opened: datetime.date, until: datetime.date) -> list:
        people: list[tuple[str, str, Person | None]] = []
        if spec.audience == Audience.MEMBERS or spec.when == PAST:
            roster = self._roster([spec.host, *spec.co_hosts])
            chosen = self.rng.sample(roster, min(len(roster), spec.signups))
            member_person = self.member.person if self.member and spec.host == "qingshan" else None
            if member_person is not None and member_person not in chosen and chosen:
                chosen[0] = member_person  # the demo member goes to the activities of 青山同心荟
            people = [(person.name, person.phone, person) for person in chosen]
        while spec.audience == Audience.PUBLIC and len(people) < spec.signups:
            name = self.names.name(self.names.gender())
            phone = f"1{self.rng.choice('5878')}{self.rng.choice('0123456789')}{self.rng.randrange(10**8):08d}"
            people.append((name, phone, None))
        span_minutes = max(60, int((until - opened).days * 24 * 60) - 24 * 60)
        offsets = sorted(self.rng.randrange(span_minutes) for _ in people)
        registrations = []
        for (name, phone, person), offset in zip(people, offsets, strict=True):
            self.clock.set(local_moment(opened, 12) + datetime.timedelta(minutes=offset))
            registrations.append(
                services.registration_create(
                    activity=activity, name=name, phone=phone, person=person, now=self.clock.now()
                )
            )
        return registrations

    def _check_in(self, activity: Activity, registrations: list, staff: User) -> None:
        """Most scan the code at the door; some do not come; one older member is ticked off by staff."""
        for position, registration in enumerate(registrations):
            if self.rng.random() < 0.15:
                continue
            moment = self.clock.set(activity.starts_at + datetime.timedelta(minutes=self.rng.randrange(-40, 25)))
            if position == 1 and activity.host.slug == "qingshan":
                services.checkin_manual(registration=registration, actor=staff, now=self.clock.now())
                continue
            services.checkin_by_code(
                activity=activity,
                token=current_checkin_token(activity, moment),
                name=registration.name,
                phone=registration.phone,
                person=registration.person,
                now=self.clock.now(),
            )


def load_activities(clock: DemoClock, member: User | None) -> int:
    """Writes the demo activities not there yet, by (host, title); returns how many."""
    existing = set(
        Activity.objects.filter(title__in=[spec.title for spec in ACTIVITIES]).values_list("host__slug", "title")
    )
    missing = [spec for spec in ACTIVITIES if (spec.host, spec.title) not in existing]
    if not missing:
        return 0
    writer = _ActivityWriter(clock, member, random.Random(SEED))  # noqa: S311 - reproducible demo data
    for spec in missing:
        writer.write(spec)
    return len(missing)
