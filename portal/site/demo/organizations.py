"""Organizations of the demo, their recognitions and spaces, from seeds 000–004.

Where a seed is silent (most founding dates in 鹿城, which 同心荟 holds which recognition), the demo picks
a plausible value and says so in a comment; the numbers quoted in descriptions are the seeds' own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from orgs.models import OrganizationCategory as Cat
from orgs.models import OrganizationKind as Kind
from orgs.models import OrganizationLevel as Level
from orgs.models import RecognitionLevel

NATIONAL_BASE = "全国新的社会阶层人士统战工作实践创新基地"
PROVINCIAL_BASE = "浙江省新的社会阶层人士统战工作实践创新基地"


@dataclass(frozen=True)
class RecognitionSpec:
    level: str
    title: str
    year: int


@dataclass(frozen=True)
class SpaceSpec:
    name: str
    description: str = ""
    address: str = ""


@dataclass(frozen=True)
class OrganizationSpec:
    slug: str
    name: str
    kind: str
    region: tuple[str, ...]
    level: str
    description: str
    category: str = ""
    founded_on: datetime.date | None = None
    recognitions: tuple[RecognitionSpec, ...] = ()
    spaces: tuple[SpaceSpec, ...] = ()
    partners: tuple[str, ...] = field(default=())


QINGSHAN = OrganizationSpec(
    slug="qingshan",
    name="青山同心荟",
    kind=Kind.TONGXINHUI,
    region=("余杭区", "黄湖镇", "青山村"),
    level=Level.VILLAGE,
    founded_on=datetime.date(2019, 2, 28),
    description=(
        "2019年2月28日在黄湖镇青山村成立，是杭州市第一个以村为单元，集结村内传统材料设计师、漫画家、手工艺者等"
        "自由职业人员，以及社会组织成员、民营企业管理者等各类新阶层人士融合共生的新阶层人士统战组织。"
        "初始会员21人，其中自由职业人员10人。\n\n"
        "从文化传承、生态环保、文创艺术三个门类着手，每月组织会员活动，形式包括“青山talk”分享、考察学习、"
        "展览参观、同心荟互访、乡村传统体验等。\n\n"
        "与黄湖镇政府、青山村村委持续开展月度基层民主协商议事会，打造“议题征集-村民协商-共识提交-部门处理-"
        "结果公示”的闭环协商议事流程。"
    ),
    recognitions=(
        # Seed 000: 2019年10月青山村被余杭区正式确定为“未来乡村实验区”.
        RecognitionSpec(RecognitionLevel.DISTRICT, "余杭区“未来乡村实验区”（青山村）", 2019),
    ),
    spaces=(
        SpaceSpec("同心驿站", "“青山talk”分享会和月度基层民主协商议事会的场地。", "青山村未来乡村邻里中心"),
        SpaceSpec("青山村未来乡村联合工作坊", "2019年12月成立，新老村民共同参与村子的建设。", "青山村"),
    ),
)

# Seed 001 names the categories and these 同心荟, not their founding dates: the dates below are the demo's.
LUCHENG = (
    OrganizationSpec(
        slug="lucheng-douyin",
        name="抖音之家·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.INCUBATION,
        region=("鹿城区", "双屿街道"),
        level=Level.DISTRICT,
        founded_on=datetime.date(2021, 6, 18),
        description=(
            "“孵化型”同心荟，突出“统战+电商”特色，侧重培育数字创客。依托全国首家鞋靴产业集聚的电商综合基地，"
            "一方面助力直播电商群体入驻，另一方面做好本行业人才创客的孵化工作。\n\n"
            "基地入驻团队超1000家，月均GMV超1亿元，累计GMV破25亿元；与10所本土高校开展校企合作，实训超2000人次。"
        ),
        # Seed 001: two provincial bases in 鹿城, without saying which; the demo gives one to this 同心荟.
        recognitions=(RecognitionSpec(RecognitionLevel.PROVINCIAL, PROVINCIAL_BASE, 2022),),
        spaces=(SpaceSpec("鞋靴产业电商综合基地", "直播间、选品中心和实训教室。"),),
    ),
    OrganizationSpec(
        slug="lucheng-xinxin",
        name="新新之家·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.ALLIANCE,
        region=("鹿城区", "南汇街道"),
        level=Level.DISTRICT,
        founded_on=datetime.date(2020, 10, 16),
        description=(
            "“联盟型”同心荟，建在城市科创园，匹配同心驿站、同心会客厅、同心家园、城市书屋、心理咨询室等5大功能场景，"
            "联动“三师”（律师、注册会计师和税务师）、金融等团队推动资源共享，为园区内新的社会阶层人士提供精准服务。\n\n"
            "累计助力打造研发中心32家，开展讲坛等活动惠及9000余人次。"
        ),
        # Seed 001: one national base in 鹿城; the demo gives it to 新新之家.
        recognitions=(RecognitionSpec(RecognitionLevel.NATIONAL, NATIONAL_BASE, 2022),),
        spaces=(
            SpaceSpec("同心驿站", "园区新的社会阶层人士歇脚、办事、交流的地方。", "城市科创园"),
            SpaceSpec("同心会客厅", "政企恳谈、“三师”咨询和讲坛。", "城市科创园"),
            SpaceSpec("同心家园", "会员联谊和亲子活动。", "城市科创园"),
            SpaceSpec("城市书屋", "24小时开放的阅读空间。", "城市科创园"),
            SpaceSpec("心理咨询室", "为创业者提供心理疏导。", "城市科创园"),
        ),
    ),
    OrganizationSpec(
        slug="qidu-shangmeng",
        name="七都商盟·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.ALLIANCE,
        region=("鹿城区", "七都街道"),
        level=Level.TOWN,
        founded_on=datetime.date(2021, 4, 23),
        description=(
            "一群新的社会阶层人士“你出场地、我出资源、共享流量”，培育“慢七都”商文旅IP，催生出非遗工坊等个性基地"
            "51家，策划引流视频120余条，入选全区实施产业融合提质工程的重点项目。"
        ),
        spaces=(SpaceSpec("慢七都非遗工坊", "会员共享的非遗体验和直播场地。", "七都岛"),),
    ),
    OrganizationSpec(
        slug="lucheng-gongyi",
        name="工艺美术·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.CULTURE,
        region=("鹿城区", "五马街道"),
        level=Level.DISTRICT,
        founded_on=datetime.date(2020, 12, 8),
        description=(
            "“文化型”瓯越文化特色同心荟，以“手艺人”为代表，凝聚了200余名民间手艺人，致力于温州工艺美术、"
            "非遗技艺的传承、发展；相关人员代表先后斩获百鹤杯金鼎奖、百花奖金奖等17个奖项。"
        ),
        recognitions=(RecognitionSpec(RecognitionLevel.PROVINCIAL, PROVINCIAL_BASE, 2023),),
        spaces=(SpaceSpec("瓯越手艺人工作室", "瓯塑、瓯绣、细纹刻纸等非遗技艺的展示和传习。"),),
    ),
    OrganizationSpec(
        slug="lucheng-xinlianxin",
        name="新联心之家·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.SERVICE,
        region=("鹿城区", "松台街道"),
        level=Level.DISTRICT,
        founded_on=datetime.date(2021, 9, 10),
        description=(
            "“服务型”同心荟，打造新的社会阶层人士创新创业服务中心，已应需为50余家企业送去价值100万元的“三师”礼包，"
            "接受咨询事项60余件，助企化解问题30余个。"
        ),
        spaces=(SpaceSpec("新的社会阶层人士创新创业服务中心", "律师、注册会计师、税务师坐班咨询。"),),
    ),
    OrganizationSpec(
        slug="lugang-xinyuehui",
        name="鹿港新悦汇·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.SERVICE,
        region=("鹿城区", "滨江街道"),
        level=Level.TOWN,
        founded_on=datetime.date(2022, 3, 18),
        description=(
            "嵌入企业、文化、健康、教育、联谊五大服务功能，为入驻楼宇的67家企业、2000余位新的社会阶层人士提供增值服务。"
        ),
    ),
    OrganizationSpec(
        slug="lucheng-ecafe",
        name="鹿城E咖·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.SERVICE,
        region=("鹿城区", "藤桥镇"),
        level=Level.TOWN,
        founded_on=datetime.date(2022, 5, 20),
        description=("启动“鹿力红人”计划，以“农业+互联网+市场”模式助力乡村振兴，帮助200余农户直播带货增收100多万元。"),
    ),
    OrganizationSpec(
        slug="shuangjingfang",
        name="双井坊·同心荟",
        kind=Kind.TONGXINHUI,
        category=Cat.YOUTH,
        region=("鹿城区", "松台街道"),
        level=Level.TOWN,
        founded_on=datetime.date(2022, 8, 12),
        description="“青创型”同心荟，为青年创客构建排忧解难、资源共享的统战家园。",
    ),
    OrganizationSpec(
        slug="danan-xinchuangying",
        name="大南里·新创营",
        kind=Kind.TONGXINHUI,
        category=Cat.YOUTH,
        region=("鹿城区", "大南街道"),
        level=Level.TOWN,
        founded_on=datetime.date(2022, 11, 4),
        description="“青创型”同心荟，为青年创客构建排忧解难、资源共享的统战家园。",
    ),
    OrganizationSpec(
        slug="lucheng-218",
        name="218婚博荟",
        kind=Kind.TONGXINHUI,
        category=Cat.YOUTH,
        region=("鹿城区", "南汇街道"),
        level=Level.TOWN,
        founded_on=datetime.date(2023, 3, 10),
        description="“青创型”同心荟，聚集婚庆产业的青年创客，资源共享、抱团发展。",
    ),
)

LINAN_VILLAGES = (
    ("wanghu-coop", "望湖村股份经济合作社", ("临安区", "龙岗镇", "望湖村")),
    ("xinxi-coop", "新溪村股份经济合作社", ("临安区", "龙岗镇", "新溪村")),
    ("baisha-coop", "白沙村股份经济合作社", ("临安区", "太湖源镇", "白沙村")),
    ("yangxi-coop", "杨溪村股份经济合作社", ("临安区", "清凉峰镇", "杨溪村")),
)

LINAN = (
    OrganizationSpec(
        slug="tianmu",
        name="天目共富联盟",
        kind=Kind.PROSPERITY_ALLIANCE,
        category=Cat.ENTERPRISE_VILLAGE,
        region=("临安区",),
        level=Level.DISTRICT,
        # Seed 003 gives no founding date; the demo picks one.
        founded_on=datetime.date(2022, 3, 1),
        description=(
            "临安区以省“万企兴万村”行动县域实验项目试点为抓手，企村结对共建“天目共富联盟”，采取“5+1+X”的组团结对模式："
            "5家工商联执委会成员企业+1个属地商会+若干协作单位和属地商会会员企业，形成13个“天目共富联盟”定向结对全区"
            "13个村集体，汇聚65家民企力量。\n\n"
            "联盟企业与龙岗镇望湖村盘活闲置农田，共建“浙西天路·共富菜园”，统一标准种植、统一收购；在村民家门口开设"
            "“天目共富岗”车间；发动“共富购”帮助结对村销售杨梅、山核桃、大米、药材等农副产品。截至目前共开展32次"
            "村企互动活动。"
        ),
        spaces=(SpaceSpec("天目共富岗车间", "开在村民家门口的就业车间。"),),
        partners=tuple(slug for slug, _name, _region in LINAN_VILLAGES),
    ),
    *(
        OrganizationSpec(
            slug=slug,
            name=name,
            kind=Kind.OTHER,
            region=region,
            level=Level.VILLAGE,
            description="“天目共富联盟”结对的村集体。",
        )
        for slug, name, region in LINAN_VILLAGES
        if slug != "wanghu-coop"
    ),
    OrganizationSpec(
        slug="wanghu-coop",
        name="望湖村股份经济合作社",
        kind=Kind.OTHER,
        region=("临安区", "龙岗镇", "望湖村"),
        level=Level.VILLAGE,
        description=(
            "地处临安西部山区，“天目共富联盟”结对的村集体。与联盟企业盘活闲置土地，共建“浙西天路·共富菜园”，"
            "蔬菜销售额达30余万元，带动周边8个村共同参与。"
        ),
        spaces=(SpaceSpec("浙西天路·共富菜园", "联盟企业认购的蔬菜专供基地。", "望湖村"),),
    ),
)

XISHAN = (
    OrganizationSpec(
        slug="mili-youle",
        name="弥里有乐·新阶层创新实践基地",
        kind=Kind.PRACTICE_BASE,
        region=("西山区", "金碧街道", "弥里有乐文创园区"),
        level=Level.VILLAGE,
        # Seed 004: 弥里有乐联合党支部 2023年7月揭牌; the day is the demo's.
        founded_on=datetime.date(2023, 7, 1),
        description=(
            "弥勒寺公园“弥里有乐”文创园区现有民营企业49家、社会组织3家、从业人员300余名，其中新媒体从业人员和"
            "自由职业者20名。2023年7月弥里有乐联合党支部揭牌成立，共享式打造“党建+统战+N”文化阵地。\n\n"
            "创立“有乐学院”，每月定期召开主理人大会，为园区“创客”提供技术支持、政策咨询等服务；组建"
            "“同心西山·新有所为”新阶服务团，打造“弥里有乐”志愿服务品牌。"
        ),
        recognitions=(RecognitionSpec(RecognitionLevel.DISTRICT, "西山区2023年度新的社会阶层创新实践基地", 2023),),
        spaces=(
            SpaceSpec("企业会客厅", "街道党工委、社区党委与企业商家面对面交流。"),
            SpaceSpec("党员活动室"),
            SpaceSpec("青年之家"),
            SpaceSpec("职工之家"),
            SpaceSpec("妇女之家"),
            SpaceSpec("共享阅读空间"),
            SpaceSpec("小剧场", "“普法小剧场”“剧汇西山”主题剧场。"),
        ),
    ),
)

NINGBO = (
    OrganizationSpec(
        slug="yinling-express",
        name="“鄞领速递”党建联盟",
        kind=Kind.PARTY_ALLIANCE,
        category=Cat.INDUSTRY_ALLIANCE,
        region=("鄞州区",),
        level=Level.DISTRICT,
        description=(
            "鄞州区探索“一元主管、多方共治”模式，整合“鄞领驿站”“小哥驿站”“公路驿站”等资源，打造各具特色的"
            "“甬爱e家”服务站点，为快递小哥、外卖小哥等新就业群体提供便民服务、文化活动等“10+X”综合性服务。"
        ),
        spaces=(
            SpaceSpec("甬爱e家（福明街道）", "“鄞领速递”党建联盟的基层网点。", "福明街道"),
            SpaceSpec("甬爱e家（首南街道党群服务中心）", "首个战略据点，3公里“服务圈”共享街区。", "首南街道"),
        ),
    ),
    OrganizationSpec(
        slug="kuangyan-south",
        name="匡堰镇南部片区党建联盟",
        kind=Kind.PARTY_ALLIANCE,
        category=Cat.INDUSTRY_ALLIANCE,
        region=("慈溪市", "匡堰镇"),
        level=Level.TOWN,
        description=(
            "翠屏山麓的倡隆村、乾炳村、岗墩村依托地缘相近、产业相似、人文相连的优势，共同出资组建忆山文旅有限公司，"
            "联手打造楝树下艺术村落，突出千年越窑青瓷和富硒杨梅文化“双IP”；片区联合党委坚持“四联三不变”。"
        ),
    ),
)

ORGANIZATIONS: tuple[OrganizationSpec, ...] = (QINGSHAN, *LUCHENG, *LINAN, *XISHAN, *NINGBO)
