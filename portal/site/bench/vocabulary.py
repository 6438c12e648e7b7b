"""Words of a Zhejiang-like province, from the seeds: place names from common characters, the departments that
handle villagers' issues, what villagers raise and what 同心荟 members do together."""

from __future__ import annotations

import random
from collections.abc import Mapping

from activities.models import ActivityCategory, ActivityForm
from consultations.models import IssueCategory
from members.models import Stratum

# Place names are two characters from these, the way 青山、王位山、龙岗、望湖 are built.
PLACE_FIRST = "青黄龙望白杨新安德桐富临淳建松云丽永瑞乐文泰平江常开仙天东西南北上下金银石马凤鹤梅竹兰桂溪湖塘山"
PLACE_SECOND = "山湖溪岭坞塘坑桥田源口湾头里庄港浦岙洋垟坪岩林园沙滩洲墩埠门村岗圩"
DISTRICT_SUFFIXES = ("区", "区", "区", "县", "市")
TOWN_SUFFIXES = ("镇", "镇", "镇", "街道", "乡")
VILLAGE_SUFFIXES = ("村", "村", "村", "村", "社区")

DISTRICT_DEPARTMENTS = ("住建局", "农业农村局", "交通运输局", "生态环境分局", "文化和旅游局", "民政局", "水利局")
TOWN_DEPARTMENTS = ("农业农村办", "综合执法队", "社会事务办", "村镇建设办", "平安办")
DEPARTMENT_FOR_CATEGORY = {
    IssueCategory.INFRASTRUCTURE: ("住建局", "交通运输局", "村镇建设办"),
    IssueCategory.ENVIRONMENT: ("生态环境分局", "综合执法队"),
    IssueCategory.ECOLOGY: ("生态环境分局", "水利局", "农业农村办"),
    IssueCategory.INDUSTRY: ("农业农村局", "农业农村办"),
    IssueCategory.CULTURE: ("文化和旅游局", "社会事务办"),
    IssueCategory.PUBLIC_SERVICE: ("民政局", "社会事务办"),
    IssueCategory.GOVERNANCE: ("平安办", "社会事务办"),
    IssueCategory.OTHER: ("社会事务办",),
}

# What villagers raise, by category: (title, description); {place} is a spot in the village.
ISSUES: dict[str, tuple[tuple[str, str], ...]] = {
    IssueCategory.INFRASTRUCTURE: (
        ("{place}路灯不亮", "{place}一带的路灯坏了一个多月，晚上老人孩子出门不安全，希望尽快修好。"),
        ("{place}道路坑洼", "{place}的水泥路面破损，下雨天积水，电瓶车经过容易滑倒。"),
        ("{place}缺少停车位", "节假日游客多，车辆停到村民家门口，希望规划停车场。"),
        ("{place}桥栏杆松动", "{place}小桥的栏杆松动，孩子上学每天经过，存在安全隐患。"),
    ),
    IssueCategory.ENVIRONMENT: (
        ("{place}垃圾清运不及时", "{place}的垃圾桶经常满溢，夏天气味很大，希望增加清运次数。"),
        ("{place}河道漂浮物", "{place}河道里有塑料瓶和杂草，影响水质和村容。"),
        ("{place}公厕需要改造", "{place}的公共厕所年久失修，希望改造并安排保洁。"),
    ),
    IssueCategory.ECOLOGY: (
        ("水源地保护", "{place}上游有人垂钓、丢弃垃圾，希望加强水源地巡查。"),
        ("{place}山林防火", "秋冬季节{place}附近有人烧田埂，担心引发山火。"),
    ),
    IssueCategory.INDUSTRY: (
        ("农产品销路", "今年竹笋和茶叶丰收，但销路不畅，希望同心荟帮忙对接电商和民宿。"),
        ("{place}闲置农房利用", "{place}有几处闲置农房，希望引入设计师改造成工作室，带动村民增收。"),
        ("民宿经营培训", "村里新开了几家民宿，经营者希望有消防、卫生和线上运营的培训。"),
    ),
    IssueCategory.CULTURE: (
        ("传统手工艺传承", "村里会做纸伞、竹编的老人越来越少，希望组织年轻人学习。"),
        ("{place}文化礼堂活动", "{place}文化礼堂平时关着，希望多安排读书会和演出。"),
    ),
    IssueCategory.PUBLIC_SERVICE: (
        ("老年食堂", "村里独居老人多，希望办一个老年食堂，解决吃饭问题。"),
        ("{place}公交班次太少", "去镇上的公交一天只有三班，老人看病不方便。"),
        ("儿童暑期托管", "暑假孩子没人照看，希望在{place}办暑期托管班。"),
    ),
    IssueCategory.GOVERNANCE: (
        ("{place}噪音扰民", "{place}附近晚上有人跳广场舞到很晚，影响休息。"),
        ("移风易俗", "婚丧喜事大操大办，希望村规民约作出约定。"),
    ),
    IssueCategory.OTHER: (("{place}的建议", "关于{place}的一些想法，希望在议事会上讨论。"),),
}
ISSUE_CATEGORY_WEIGHTS: dict[str, int] = {
    IssueCategory.INFRASTRUCTURE: 28,
    IssueCategory.ENVIRONMENT: 20,
    IssueCategory.ECOLOGY: 8,
    IssueCategory.INDUSTRY: 14,
    IssueCategory.CULTURE: 8,
    IssueCategory.PUBLIC_SERVICE: 12,
    IssueCategory.GOVERNANCE: 7,
    IssueCategory.OTHER: 3,
}
SPOTS = ("村口", "村委会旁", "老街", "文化礼堂前", "水库边", "竹林下", "小学门口", "停车场", "祠堂边", "桥头")
CONSENSUS = (
    "由村委会牵头、同心荟会员参与，一个月内完成整改。",
    "提请职能部门支持，村里做好配合和监督。",
    "由同心荟会员志愿认领，村集体出资解决。",
)
NO_CONSENSUS = ("意见分歧较大，下次议事会再议。", "需要进一步调查情况后再协商。")
ANSWERS = (
    "已安排专人现场查看并完成整改，欢迎村民监督。",
    "已纳入年度计划并完成施工，验收合格。",
    "已协调相关单位落实，后续将定期巡查。",
)
RETURN_REASONS = ("该事项不属于本部门职责，请转交相关部门。", "方案需要村里进一步明确后再交办。")
REJECT_REASONS = ("属于个人家庭纠纷，建议通过人民调解解决。", "已在办理中，不重复受理。")
LEAVE_REASONS = ("工作调动离开本村", "个人原因申请退出", "外出创业")

OCCUPATIONS: dict[str, tuple[str, ...]] = {
    Stratum.PRIVATE_ENTERPRISE: ("企业管理者", "技术总监", "工程师", "财务经理"),
    Stratum.INTERMEDIARY: ("律师", "会计师", "社工", "社会组织负责人"),
    Stratum.FREELANCER: ("设计师", "漫画家", "手工艺者", "摄影师", "民宿主"),
    Stratum.NEW_MEDIA: ("主播", "自媒体作者", "短视频创作者", "网店店主"),
    Stratum.FOREIGN_OBSERVER: ("外籍设计师", "外籍教师"),
    Stratum.OTHER: ("返乡青年", "教师", "医生"),
}
STRATUM_WEIGHTS: dict[str, int] = {
    Stratum.PRIVATE_ENTERPRISE: 30,
    Stratum.INTERMEDIARY: 15,
    Stratum.FREELANCER: 30,
    Stratum.NEW_MEDIA: 15,
    Stratum.FOREIGN_OBSERVER: 1,
    Stratum.OTHER: 9,
}
INDUSTRIES = ("文化创意", "乡村旅游", "现代农业", "电子商务", "教育培训", "法律服务", "建筑设计")
SKILLS = ("品牌设计", "直播带货", "法律咨询", "竹编", "纸伞制作", "摄影", "茶艺", "财务咨询")

ACTIVITY_TITLES: dict[str, tuple[str, ...]] = {
    ActivityCategory.HERITAGE: ("纸伞工艺体验", "竹编非遗课堂", "传统节日民俗体验"),
    ActivityCategory.ECOLOGY: ("自然好邻居巡护", "水源地净滩行动", "垃圾分类宣讲"),
    ActivityCategory.CREATIVE_ARTS: ("乡村美学分享会", "设计师工作室开放日", "乡村摄影展"),
    ActivityCategory.POLITICAL_GUIDANCE: ("同心学堂", "新阶层人士座谈会"),
    ActivityCategory.VOLUNTEERING: ("关爱独居老人", "义诊进村"),
    ActivityCategory.SKILLS: ("直播带货培训", "民宿运营培训"),
    ActivityCategory.FELLOWSHIP: ("同心荟互访", "新老会员联谊"),
    ActivityCategory.PROSPERITY: ("共富工坊对接会", "农产品展销"),
}
ACTIVITY_FORMS = (
    ActivityForm.TALK,
    ActivityForm.STUDY_TOUR,
    ActivityForm.EXHIBITION,
    ActivityForm.EXCHANGE_VISIT,
    ActivityForm.TRADITIONAL_EXPERIENCE,
    ActivityForm.LECTURE,
    ActivityForm.TRAINING,
    ActivityForm.VOLUNTEER_SERVICE,
)

# Mobile prefixes of the three carriers; a number is a prefix and eight digits.
MOBILE_PREFIXES = (
    "139",
    "138",
    "137",
    "136",
    "135",
    "134",
    "159",
    "158",
    "157",
    "152",
    "151",
    "150",
    "188",
    "187",
    "182",
    "183",
    "178",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "176",
    "133",
    "153",
    "180",
    "181",
    "189",
    "177",
    "199",
)


def place_name(rng: random.Random, suffixes: tuple[str, ...], taken: set[str]) -> str:
    """A two-character place name with its suffix, not yet used under the same parent."""
    for _attempt in range(200):
        stem = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        name = stem + rng.choice(suffixes)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("The place name parts are too few for this many places under one parent.")


def weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
