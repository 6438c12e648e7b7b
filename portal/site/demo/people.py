"""Rosters of the demo: who belongs to which organization, since when, and in what role.

青山同心荟 follows seed 000 exactly: 21 members at its founding on 2019-02-28 (10 自由职业人员), and
59 today (26 自由职业人员, 3 外籍观察员), reached by the article's date (2022-07-18) and unchanged since.
Some founders left, one left and came back, and later members joined and a couple left too, so the
roster has a history and the growth page has something to show. Other organizations get smaller rosters
drawn from occupations that fit them. Everything is derived from seeded random generators: the same run
gives the same people, names and phones every time.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from members.models import ContactKind, Gender, OfficeLevel, PoliticalAffiliation, PublicOfficeKind
from members.models import MembershipRole as Role
from members.models import Stratum as S
from portal.site.demo.names import NameGenerator
from portal.site.demo.organizations import ORGANIZATIONS, OrganizationSpec

SEED = "tongxinhui-demo-2026"
# Nothing in the demo happens after this day, so counts "today" are the same on any later day.
REFERENCE_DATE = datetime.date(2025, 6, 30)
QINGSHAN_FOUNDED = datetime.date(2019, 2, 28)
QINGSHAN_ARTICLE_DATE = datetime.date(2022, 7, 18)


@dataclass(frozen=True)
class Span:
    joined_on: datetime.date
    left_on: datetime.date | None = None
    leave_reason: str = ""


@dataclass(frozen=True)
class Slot:
    """A place on a roster before a person is drawn for it."""

    stratum: str
    occupation: str
    industry: str = ""
    skills: str = ""
    role: str = Role.MEMBER
    spans: tuple[Span, ...] = ()
    name: str = ""
    gender: str = ""
    nationality: str = ""
    is_representative: bool = False


@dataclass(frozen=True)
class PlannedPerson:
    phone: str
    name: str
    gender: str
    stratum: str
    occupation: str
    industry: str
    skills: str
    political_affiliation: str
    is_representative: bool
    nationality: str
    region: tuple[str, ...]
    role: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class RosterPlan:
    slug: str
    people: tuple[PlannedPerson, ...]


def _slot(
    stratum: str,
    occupation: str,
    industry: str = "",
    skills: str = "",
    role: str = Role.MEMBER,
    spans: Iterable[Span] = (),
    **extra: Any,
) -> Slot:
    return Slot(stratum, occupation, industry, skills, role, tuple(spans), **extra)


def _founder(
    stratum: str,
    occupation: str,
    industry: str = "",
    skills: str = "",
    role: str = Role.MEMBER,
    *,
    left_on: datetime.date | None = None,
    reason: str = "",
    **extra: Any,
) -> Slot:
    return _slot(stratum, occupation, industry, skills, role, spans=(Span(QINGSHAN_FOUNDED, left_on, reason),), **extra)


D = datetime.date
QINGSHAN_FOUNDERS = (
    # The ten 自由职业人员 of the founding day.
    _founder(
        S.FREELANCER, "传统材料设计师", "设计", "竹、纸等传统材料的当代设计", Role.PRESIDENT, is_representative=True
    ),
    _founder(S.FREELANCER, "漫画家", "动漫", "乡村题材漫画", Role.VICE_PRESIDENT, is_representative=True),
    _founder(S.FREELANCER, "漫画家", "动漫", "绘本、插画"),
    _founder(S.FREELANCER, "竹编艺人", "传统手工艺", "竹编"),
    _founder(S.FREELANCER, "竹刻艺人", "传统手工艺", "竹刻"),
    _founder(S.FREELANCER, "手工艺者", "传统手工艺", "金属编织"),
    _founder(S.FREELANCER, "插画师", "设计", "自然插画"),
    _founder(S.FREELANCER, "摄影师", "摄影", "纪实摄影"),
    _founder(S.FREELANCER, "传统材料设计师", "设计", "纸伞材料再设计", left_on=D(2021, 6, 30), reason="迁居外地"),
    _founder(S.FREELANCER, "手工艺者", "传统手工艺", "余杭纸伞制作"),
    # The eleven other new-class people of the founding day.
    _founder(S.PRIVATE_ENTERPRISE, "民宿主理人", "民宿", "乡村民宿运营", Role.VICE_PRESIDENT, is_representative=True),
    _founder(
        S.INTERMEDIARY, "社会组织成员", "生态保护", "水源地保护公益项目", Role.SECRETARY_GENERAL, is_representative=True
    ),
    _founder(S.INTERMEDIARY, "社会组织成员", "社区营造", "社区营造"),
    _founder(S.INTERMEDIARY, "自然教育讲师", "自然教育", "自然教育课程"),
    _founder(S.PRIVATE_ENTERPRISE, "民营企业管理者", "文创", "文创企业经营"),
    _founder(S.PRIVATE_ENTERPRISE, "民宿主理人", "民宿"),
    _slot(
        S.PRIVATE_ENTERPRISE,
        "民营企业管理者",
        "竹制品",
        "竹制品加工",
        spans=(
            Span(QINGSHAN_FOUNDED, D(2020, 8, 31), "个人原因暂时退出"),
            Span(D(2021, 9, 15)),
        ),
    ),
    _founder(
        S.PRIVATE_ENTERPRISE, "民营企业管理者", "茶叶", "白茶种植", left_on=D(2021, 12, 31), reason="企业迁出青山村"
    ),
    _founder(S.NEW_MEDIA, "新媒体运营", "新媒体", "乡村短视频"),
    _founder(S.NEW_MEDIA, "自媒体创作者", "新媒体", "图文写作", left_on=D(2022, 3, 31), reason="工作变动"),
    _founder(S.PRIVATE_ENTERPRISE, "餐饮店主理人", "餐饮"),
)

QINGSHAN_LATER_FREELANCERS = (
    ("竹编艺人", "传统手工艺", "竹编"),
    ("竹编艺人", "传统手工艺", "竹编"),
    ("竹刻艺人", "传统手工艺", "竹刻"),
    ("榫卯木作匠人", "传统手工艺", "榫卯"),
    ("独立设计师", "设计", "乡村空间设计"),
    ("自然教育导师", "自然教育", "山野课程"),
    ("插画师", "设计", "绘本"),
    ("漫画家", "动漫", "条漫"),
    ("平面设计师", "设计", "品牌设计"),
    ("独立音乐人", "音乐", "民谣"),
    ("自由撰稿人", "文化", "乡村纪实写作"),
    ("建筑设计师", "设计", "乡村建筑更新"),
    ("纺织艺术家", "文创", "草木染"),
    ("摄影师", "摄影", "自然摄影"),
    ("手工艺者", "传统手工艺", "金属编织"),
    ("传统材料设计师", "设计", "竹材家具"),
    ("陶艺师", "传统手工艺", "柴烧"),
)
QINGSHAN_LATER_OTHERS = (
    (S.INTERMEDIARY, "社会组织成员", "公益", "公益项目管理"),
    (S.INTERMEDIARY, "社区基金会专员", "公益", "社区基金运营"),
    (S.INTERMEDIARY, "自然教育讲师", "自然教育", "研学活动"),
    (S.INTERMEDIARY, "乡村图书馆管理员", "文化", "阅读推广"),
    (S.INTERMEDIARY, "社会工作者", "社会服务", "老年服务"),
    (S.INTERMEDIARY, "志愿者协会干事", "社会服务", "志愿服务组织"),
    (S.PRIVATE_ENTERPRISE, "民宿主理人", "民宿", ""),
    (S.PRIVATE_ENTERPRISE, "民宿主理人", "民宿", ""),
    (S.PRIVATE_ENTERPRISE, "民宿主理人", "民宿", ""),
    (S.PRIVATE_ENTERPRISE, "民营企业管理者", "文旅", "文旅项目运营"),
    (S.PRIVATE_ENTERPRISE, "民营企业管理者", "农业", "生态农业"),
    (S.PRIVATE_ENTERPRISE, "咖啡馆主理人", "餐饮", ""),
    (S.PRIVATE_ENTERPRISE, "文旅公司运营经理", "文旅", "活动策划"),
    (S.PRIVATE_ENTERPRISE, "农创企业负责人", "农业", "农产品品牌"),
    (S.PRIVATE_ENTERPRISE, "设计工作室合伙人", "设计", ""),
    (S.NEW_MEDIA, "短视频博主", "新媒体", "乡村生活短视频"),
    (S.NEW_MEDIA, "直播电商主播", "新媒体", "农产品直播"),
    (S.NEW_MEDIA, "新媒体编辑", "新媒体", "公众号运营"),
    (S.NEW_MEDIA, "视频号运营", "新媒体", ""),
    (S.NEW_MEDIA, "摄像剪辑师", "新媒体", "纪录片剪辑"),
    (S.OTHER, "村集体公司职员", "村集体经济", "返乡大学生"),
)
QINGSHAN_OBSERVERS = (
    ("卢卡斯·韦伯", Gender.MALE, "德国", "建筑设计师", "建筑设计", D(2019, 10, 12)),
    ("索菲·贝尔纳", Gender.FEMALE, "法国", "纺织艺术家", "纺织", D(2020, 9, 5)),
    ("奥利弗·班尼特", Gender.MALE, "英国", "自然教育研究者", "自然教育", D(2021, 4, 18)),
)
QINGSHAN_LATER_LEAVERS = (
    _slot(S.FREELANCER, "陶艺师", "传统手工艺", "柴烧", spans=(Span(D(2019, 9, 6), D(2021, 3, 31), "回原籍创业"),)),
    _slot(S.NEW_MEDIA, "直播电商主播", "新媒体", "", spans=(Span(D(2020, 5, 12), D(2022, 1, 15), "工作变动"),)),
)


def _spread_dates(rng: random.Random, count: int, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = (end - start).days
    return sorted(start + datetime.timedelta(days=rng.randint(0, days)) for _ in range(count))


def qingshan_slots(rng: random.Random) -> tuple[Slot, ...]:
    later = [_slot(S.FREELANCER, *row) for row in QINGSHAN_LATER_FREELANCERS]
    later += [_slot(*row) for row in QINGSHAN_LATER_OTHERS]
    rng.shuffle(later)
    dates = _spread_dates(rng, len(later), D(2019, 3, 20), D(2022, 7, 10))
    later = [dataclasses.replace(slot, spans=(Span(joined_on),)) for slot, joined_on in zip(later, dates, strict=True)]
    observers = [
        _slot(
            S.FOREIGN_OBSERVER,
            occupation,
            industry,
            "",
            Role.OBSERVER,
            (Span(joined_on),),
            name=name,
            gender=gender,
            nationality=nationality,
        )
        for name, gender, nationality, occupation, industry, joined_on in QINGSHAN_OBSERVERS
    ]
    return (*QINGSHAN_FOUNDERS, *later, *observers, *QINGSHAN_LATER_LEAVERS)


@dataclass(frozen=True)
class RosterProfile:
    """How to draw a roster: its size, the occupations that fit, how many vice presidents and leavers."""

    size: int
    pool: tuple[tuple[str, str, str], ...]
    vice_presidents: int = 1
    leavers: int = 1


PROFILES: dict[str, RosterProfile] = {
    "lucheng-douyin": RosterProfile(
        16,
        (
            (S.NEW_MEDIA, "直播电商主播", "电商直播"),
            (S.NEW_MEDIA, "短视频运营", "电商直播"),
            (S.NEW_MEDIA, "直播间场控", "电商直播"),
            (S.PRIVATE_ENTERPRISE, "鞋企电商负责人", "鞋业"),
            (S.PRIVATE_ENTERPRISE, "MCN机构负责人", "电商直播"),
            (S.FREELANCER, "摄影剪辑师", "电商直播"),
        ),
        vice_presidents=2,
    ),
    "lucheng-xinxin": RosterProfile(
        18,
        (
            (S.INTERMEDIARY, "律师", "法律服务"),
            (S.INTERMEDIARY, "注册会计师", "财务服务"),
            (S.INTERMEDIARY, "税务师", "税务服务"),
            (S.INTERMEDIARY, "金融顾问", "金融"),
            (S.PRIVATE_ENTERPRISE, "科创企业研发总监", "科技研发"),
            (S.PRIVATE_ENTERPRISE, "民营企业管理者", "科技研发"),
            (S.FREELANCER, "心理咨询师", "健康服务"),
        ),
        vice_presidents=2,
    ),
    "qidu-shangmeng": RosterProfile(
        12,
        (
            (S.FREELANCER, "非遗工坊主理人", "非遗"),
            (S.PRIVATE_ENTERPRISE, "民宿主理人", "民宿"),
            (S.PRIVATE_ENTERPRISE, "餐饮店主理人", "餐饮"),
            (S.PRIVATE_ENTERPRISE, "文旅公司经理", "文旅"),
            (S.NEW_MEDIA, "短视频策划", "新媒体"),
        ),
    ),
    "lucheng-gongyi": RosterProfile(
        20,
        (
            (S.FREELANCER, "瓯塑艺人", "工艺美术"),
            (S.FREELANCER, "瓯绣艺人", "工艺美术"),
            (S.FREELANCER, "发绣艺人", "工艺美术"),
            (S.FREELANCER, "黄杨木雕艺人", "工艺美术"),
            (S.FREELANCER, "米塑艺人", "非遗"),
            (S.FREELANCER, "细纹刻纸艺人", "非遗"),
            (S.FREELANCER, "石雕艺人", "工艺美术"),
            (S.PRIVATE_ENTERPRISE, "工艺美术企业负责人", "工艺美术"),
        ),
        vice_presidents=2,
    ),
    "lucheng-xinlianxin": RosterProfile(
        12,
        (
            (S.INTERMEDIARY, "律师", "法律服务"),
            (S.INTERMEDIARY, "注册会计师", "财务服务"),
            (S.INTERMEDIARY, "税务师", "税务服务"),
            (S.INTERMEDIARY, "行业协会秘书长", "社会组织"),
            (S.PRIVATE_ENTERPRISE, "民营企业管理者", "制造业"),
        ),
    ),
    "lugang-xinyuehui": RosterProfile(
        12,
        (
            (S.PRIVATE_ENTERPRISE, "楼宇企业管理者", "商务服务"),
            (S.PRIVATE_ENTERPRISE, "外资企业技术主管", "商务服务"),
            (S.FREELANCER, "健康管理师", "健康服务"),
            (S.INTERMEDIARY, "培训机构负责人", "教育培训"),
            (S.INTERMEDIARY, "社会组织从业人员", "社会服务"),
        ),
    ),
    "lucheng-ecafe": RosterProfile(
        10,
        (
            (S.NEW_MEDIA, "农产品直播主播", "电商直播"),
            (S.NEW_MEDIA, "电商运营", "电商"),
            (S.PRIVATE_ENTERPRISE, "农业企业负责人", "农业"),
            (S.OTHER, "新农人", "农业"),
        ),
    ),
    "shuangjingfang": RosterProfile(
        8,
        (
            (S.PRIVATE_ENTERPRISE, "青年创业者", "文创"),
            (S.FREELANCER, "独立设计师", "设计"),
            (S.PRIVATE_ENTERPRISE, "咖啡店主理人", "餐饮"),
            (S.NEW_MEDIA, "新媒体编辑", "新媒体"),
        ),
        leavers=0,
    ),
    "danan-xinchuangying": RosterProfile(
        8,
        (
            (S.PRIVATE_ENTERPRISE, "青年创业者", "互联网"),
            (S.FREELANCER, "自由程序员", "互联网"),
            (S.NEW_MEDIA, "短视频博主", "新媒体"),
        ),
        leavers=0,
    ),
    "lucheng-218": RosterProfile(
        8,
        (
            (S.FREELANCER, "婚礼策划师", "婚庆"),
            (S.FREELANCER, "婚纱摄影师", "婚庆"),
            (S.FREELANCER, "婚礼主持人", "婚庆"),
            (S.PRIVATE_ENTERPRISE, "婚庆公司负责人", "婚庆"),
        ),
        leavers=0,
    ),
    "tianmu": RosterProfile(
        15,
        (
            (S.PRIVATE_ENTERPRISE, "民营企业管理者", "电梯制造"),
            (S.PRIVATE_ENTERPRISE, "民营企业管理者", "电子制造"),
            (S.PRIVATE_ENTERPRISE, "民营企业管理者", "山核桃加工"),
            (S.PRIVATE_ENTERPRISE, "农业企业负责人", "农业"),
            (S.INTERMEDIARY, "商会秘书长", "商会"),
            (S.INTERMEDIARY, "金融协作单位客户经理", "金融"),
        ),
        vice_presidents=2,
    ),
    "mili-youle": RosterProfile(
        20,
        (
            (S.NEW_MEDIA, "新媒体编辑", "新媒体"),
            (S.NEW_MEDIA, "短视频博主", "新媒体"),
            (S.FREELANCER, "文创设计师", "文创"),
            (S.FREELANCER, "独立插画师", "文创"),
            (S.FREELANCER, "掐丝珐琅手艺人", "非遗"),
            (S.FREELANCER, "葫芦雕绘手艺人", "非遗"),
            (S.PRIVATE_ENTERPRISE, "园区商户主理人", "文创"),
        ),
    ),
    "yinling-express": RosterProfile(
        8,
        (
            (S.PRIVATE_ENTERPRISE, "快递网点负责人", "快递物流"),
            (S.OTHER, "快递员", "快递物流"),
            (S.OTHER, "外卖骑手", "即时配送"),
        ),
        leavers=0,
    ),
}

# Two-digit block of the phone numbers of each roster: 139 + block + six-digit position.
PHONE_BLOCKS: dict[str, int] = {
    "qingshan": 1,
    "lucheng-douyin": 11,
    "lucheng-xinxin": 12,
    "qidu-shangmeng": 13,
    "lucheng-gongyi": 14,
    "lucheng-xinlianxin": 15,
    "lugang-xinyuehui": 16,
    "lucheng-ecafe": 17,
    "shuangjingfang": 18,
    "danan-xinchuangying": 19,
    "lucheng-218": 20,
    "tianmu": 31,
    "mili-youle": 41,
    "yinling-express": 51,
}

POLITICAL_WEIGHTS = (
    (PoliticalAffiliation.MASSES, 55),
    (PoliticalAffiliation.CPC, 20),
    (PoliticalAffiliation.NON_PARTY, 15),
    (PoliticalAffiliation.DEMOCRATIC_PARTY, 10),
)


def demo_phone(slug: str, position: int) -> str:
    """11 digits matching ^1[3-9]\\d{9}$, unique per roster position, e.g. 13901000004."""
    return f"139{PHONE_BLOCKS[slug]:02d}{position + 1:06d}"


def profile_slots(rng: random.Random, spec: OrganizationSpec, profile: RosterProfile) -> tuple[Slot, ...]:
    founded = spec.founded_on or datetime.date(2021, 1, 1)
    roles = [Role.PRESIDENT, *[Role.VICE_PRESIDENT] * profile.vice_presidents, Role.SECRETARY_GENERAL]
    roles += [Role.MEMBER] * (profile.size - len(roles))
    founders = max(len(roles) - roles.count(Role.MEMBER), profile.size // 2)
    first_later_day = founded + datetime.timedelta(days=30)
    later_dates = _spread_dates(rng, profile.size - founders, first_later_day, REFERENCE_DATE)
    joined = [founded] * founders + later_dates
    slots = []
    for position, (role, joined_on) in enumerate(zip(roles, joined, strict=True)):
        stratum, occupation, industry = rng.choice(profile.pool)
        left_on = None
        if profile.size - position <= profile.leavers:
            left_on = min(joined_on + datetime.timedelta(days=rng.randint(120, 480)), REFERENCE_DATE)
        spans = (Span(joined_on, left_on, "工作调动" if left_on else ""),)
        leads = role != Role.MEMBER
        slots.append(_slot(stratum, occupation, industry, "", role, spans, is_representative=leads))
    return tuple(slots)


def _plan(spec: OrganizationSpec, slots: tuple[Slot, ...], rng: random.Random) -> RosterPlan:
    names = NameGenerator(rng)
    for slot in slots:
        if slot.name:
            names.reserve(slot.name)
    people = []
    for position, slot in enumerate(slots):
        gender = slot.gender or names.gender()
        political: str = rng.choices(
            [affiliation for affiliation, _ in POLITICAL_WEIGHTS], [weight for _, weight in POLITICAL_WEIGHTS]
        )[0]
        if slot.stratum == S.FOREIGN_OBSERVER:
            political = ""
        people.append(
            PlannedPerson(
                phone=demo_phone(spec.slug, position),
                name=slot.name or names.name(gender),
                gender=gender,
                stratum=slot.stratum,
                occupation=slot.occupation,
                industry=slot.industry,
                skills=slot.skills,
                political_affiliation=political,
                is_representative=slot.is_representative,
                nationality=slot.nationality or ("" if slot.stratum == S.FOREIGN_OBSERVER else "中国"),
                region=spec.region,
                role=slot.role,
                spans=slot.spans,
            )
        )
    return RosterPlan(slug=spec.slug, people=tuple(people))


def roster_plans() -> tuple[RosterPlan, ...]:
    plans = []
    for spec in ORGANIZATIONS:
        rng = random.Random(f"{SEED}:{spec.slug}")  # noqa: S311 - reproducible demo data, not secrets
        if spec.slug == "qingshan":
            plans.append(_plan(spec, qingshan_slots(rng), rng))
        elif spec.slug in PROFILES:
            plans.append(_plan(spec, profile_slots(rng, spec, PROFILES[spec.slug]), rng))
    return tuple(plans)


# Records about particular people, by (organization slug, roster position).
PersonRef = tuple[str, int]
QINGSHAN_PRESIDENT: PersonRef = ("qingshan", 0)
QINGSHAN_VICE_FREELANCER: PersonRef = ("qingshan", 1)
QINGSHAN_VICE_HOMESTAY: PersonRef = ("qingshan", 10)
QINGSHAN_SECRETARY: PersonRef = ("qingshan", 11)
# The member who logs in on a phone in the demo: a founding 竹编艺人 of 青山同心荟.
DEMO_MEMBER: PersonRef = ("qingshan", 3)


@dataclass(frozen=True)
class CrossAppointmentSpec:
    person: PersonRef
    title: str
    body: str
    region: tuple[str, ...]
    started_on: datetime.date


CROSS_APPOINTMENTS = (
    # Seed 000: 副会长、自由职业人员兼任青山村委党委委员 (人员双向交叉兼职).
    CrossAppointmentSpec(
        QINGSHAN_VICE_FREELANCER, "村党委委员", "青山村党委", ("余杭区", "黄湖镇", "青山村"), D(2021, 1, 8)
    ),
    # Seed 000: 黄湖镇政府聘请“青山同心荟”班子成员担任美学总监和生态总监.
    CrossAppointmentSpec(QINGSHAN_PRESIDENT, "美学总监", "黄湖镇人民政府", ("余杭区", "黄湖镇"), D(2019, 10, 15)),
    CrossAppointmentSpec(QINGSHAN_SECRETARY, "生态总监", "黄湖镇人民政府", ("余杭区", "黄湖镇"), D(2019, 10, 15)),
    CrossAppointmentSpec(
        QINGSHAN_VICE_HOMESTAY, "村民委员会委员", "青山村村民委员会", ("余杭区", "黄湖镇", "青山村"), D(2021, 1, 8)
    ),
)


@dataclass(frozen=True)
class PublicOfficeSpec:
    person: PersonRef
    kind: str
    level: str
    term: str
    started_on: datetime.date


# Seed 001: 鹿城新的社会阶层人士中有各级人大代表、政协委员27人; a few of them lead the demo's 同心荟.
PUBLIC_OFFICES = (
    PublicOfficeSpec(
        ("lucheng-douyin", 0), PublicOfficeKind.NPC_DEPUTY, OfficeLevel.DISTRICT, "2021—2026", D(2021, 12, 20)
    ),
    PublicOfficeSpec(
        ("lucheng-xinxin", 0), PublicOfficeKind.CPPCC_MEMBER, OfficeLevel.CITY, "2022—2027", D(2022, 1, 10)
    ),
    PublicOfficeSpec(
        ("lucheng-gongyi", 0), PublicOfficeKind.CPPCC_MEMBER, OfficeLevel.DISTRICT, "2021—2026", D(2021, 12, 22)
    ),
    PublicOfficeSpec(
        ("qidu-shangmeng", 0), PublicOfficeKind.NPC_DEPUTY, OfficeLevel.DISTRICT, "2021—2026", D(2021, 12, 20)
    ),
    PublicOfficeSpec(
        ("lugang-xinyuehui", 1), PublicOfficeKind.CPPCC_MEMBER, OfficeLevel.DISTRICT, "2021—2026", D(2021, 12, 22)
    ),
    PublicOfficeSpec(
        ("lucheng-xinlianxin", 0), PublicOfficeKind.NPC_DEPUTY, OfficeLevel.TOWN, "2021—2026", D(2021, 11, 5)
    ),
)


@dataclass(frozen=True)
class ContactAssignmentSpec:
    official: str  # username
    official_title: str
    person: PersonRef
    started_on: datetime.date


# Seed 000: 区、镇、村三级联系走访制度; seed 001: 党政领导列名联系制度.
CONTACT_ASSIGNMENTS = (
    ContactAssignmentSpec("yuhang_admin", "区委统战部副部长", QINGSHAN_PRESIDENT, D(2019, 3, 15)),
    ContactAssignmentSpec("yuhang_admin", "区委统战部副部长", QINGSHAN_VICE_FREELANCER, D(2019, 3, 15)),
    ContactAssignmentSpec("huanghu_staff", "黄湖镇党委统战委员", QINGSHAN_VICE_HOMESTAY, D(2019, 3, 15)),
    ContactAssignmentSpec("huanghu_staff", "黄湖镇党委统战委员", QINGSHAN_SECRETARY, D(2019, 3, 15)),
    ContactAssignmentSpec("lucheng_admin", "区委统战部常务副部长", ("lucheng-xinxin", 0), D(2022, 2, 1)),
    ContactAssignmentSpec("lucheng_admin", "区委统战部常务副部长", ("lucheng-douyin", 0), D(2022, 2, 1)),
    ContactAssignmentSpec("linan_admin", "区委统战部副部长", ("tianmu", 0), D(2022, 3, 1)),
    ContactAssignmentSpec("xishan_admin", "区委统战部副部长", ("mili-youle", 0), D(2023, 11, 20)),
)


@dataclass(frozen=True)
class ContactLogSpec:
    person: PersonRef
    kind: str
    occurred_on: datetime.date
    author: str  # username
    notes: str


CONTACT_LOGS = (
    ContactLogSpec(
        QINGSHAN_PRESIDENT,
        ContactKind.VISIT,
        D(2022, 3, 16),
        "yuhang_admin",
        "走访工作室，了解“自然好邻居”计划进展和纸伞系列设计参展情况，建议总结经验在同心荟互访中分享。",
    ),
    ContactLogSpec(
        QINGSHAN_PRESIDENT,
        ContactKind.FORUM,
        D(2022, 5, 20),
        "yuhang_admin",
        "参加月度基层民主协商议事会前的座谈，听取对青山村产业准入机制的意见。",
    ),
    ContactLogSpec(
        QINGSHAN_VICE_FREELANCER,
        ContactKind.PHONE,
        D(2022, 6, 8),
        "yuhang_admin",
        "电话沟通“黄湖青山青年智囊团”参与环青山徒步道规划设计的安排。",
    ),
    ContactLogSpec(
        QINGSHAN_SECRETARY,
        ContactKind.ACTIVITY,
        D(2022, 4, 23),
        "huanghu_staff",
        "参加“青山talk”分享会，介绍龙坞水库水源地“善水基金”的运行情况。",
    ),
    ContactLogSpec(
        QINGSHAN_VICE_HOMESTAY,
        ContactKind.VISIT,
        D(2022, 6, 30),
        "qingshan_secretary",
        "上门了解民宿经营和闲置空间利用情况，记录对停车和垃圾分类的意见，拟列入下月议题征集。",
    ),
    ContactLogSpec(
        ("lucheng-xinxin", 0),
        ContactKind.VISIT,
        D(2024, 4, 12),
        "lucheng_admin",
        "走访城市科创园，了解研发中心建设和“三师”服务需求。",
    ),
    ContactLogSpec(
        ("lucheng-douyin", 0),
        ContactKind.CONDOLENCE,
        D(2024, 1, 30),
        "lucheng_admin",
        "春节前慰问，了解直播电商基地校企合作实训的安排。",
    ),
    ContactLogSpec(
        ("tianmu", 0),
        ContactKind.FORUM,
        D(2023, 9, 14),
        "linan_admin",
        "村企结对座谈，商议“浙西天路·共富菜园”蔬菜收购标准和销路。",
    ),
    ContactLogSpec(
        ("mili-youle", 0),
        ContactKind.ACTIVITY,
        D(2024, 3, 8),
        "xishan_admin",
        "参加“三八节”非遗手工体验活动，听取园区主理人对政策咨询服务的建议。",
    ),
)
