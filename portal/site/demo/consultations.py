"""The consultation loop of seed 000, lived through: 议题征集 → 村民协商 → 共识提交 → 部门处理 → 结果公示.

Every issue goes round the loop through consultations.services, one step at a time, with the demo clock set to
the moment the step happened (portal/site/demo/clock.py): monthly 基层民主协商议事会 for the last year and a half
with attendance, minutes, consensus and vote tallies; assignments to the departments of 黄湖镇 and 余杭区 with
deadlines counted in Chinese working days; notices that ran for seven days; ratings. Around today the issues
stop at every state of the loop, so each page of the portal has something to show.

Dates hang on the day the demo is first loaded (the monthly meetings fall twelve days before today's date of
the month), drawn with a fixed random seed. Natural keys: (organization, issue title) and (organization,
meeting title). An organization whose demo issues are already there is left alone as a whole, so running
seed_demo again, even months later, writes nothing and never adds a meeting with a new month in its title.

The resolved counter counts only what went all the way round here: seed 000 says 42 solved by 2022; the demo
makes no claim to those and shows the issues it actually walked through.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from consultations import services
from consultations.models import AgendaItem, Issue, IssueCategory, IssueChannel, Meeting, Rating
from consultations.receipts import RECEIPT_CODE_LENGTH
from consultations.states import IssueState
from members.models import Person
from orgs.models import Department, Organization
from portal.accounts.models import User
from portal.site.demo.clock import DemoClock, local_moment
from portal.site.demo.names import NameGenerator
from portal.workdays import is_workday

SEED = "tongxinhui-demo-2026:consultations"
S, C = IssueState, IssueCategory
DAY = datetime.timedelta(days=1)
# The monthly meetings of the past that the demo writes (the last six are what the brief of the demo asks for;
# the older ones carry the issues that were resolved before).
PAST_MEETINGS = 18
UPCOMING = 1  # meeting index of the next 议事会; past meetings are -1 (the latest) … -PAST_MEETINGS


@dataclass(frozen=True)
class IssueSpec:
    title: str
    category: str
    place: str
    description: str
    ending: str
    # Meetings the issue was deliberated at, by index; all but the last ended without consensus.
    meetings: tuple[int, ...] = ()
    consensus: str = ""
    department: str = ""  # handler username of the department; empty: resolved within the village
    result: str = ""
    working_days: int = 15
    note: str = ""  # why not accepted, or why the first deliberation ended without consensus
    merge_into: str = ""
    channel: str = IssueChannel.ONLINE
    by_member: bool = False
    rating: str = ""
    rating_comment: str = ""
    days_ago: int = 0  # for issues that never reached a meeting: submitted this many days before today


@dataclass(frozen=True)
class OrganizationLoop:
    slug: str
    staff: str  # the login that triages, runs the meetings and publishes
    member_login: bool  # the demo member's issues are this organization's
    meeting_prefix: str
    meeting_place: str
    issues: tuple[IssueSpec, ...]


def _closed(title, category, place, description, consensus, result, department="", meeting=-2, rating=""):
    return IssueSpec(
        title=title,
        category=category,
        place=place,
        description=description,
        ending=S.CLOSED,
        meetings=(meeting,),
        consensus=consensus,
        department=department,
        result=result,
        rating=rating,
    )


# Issues 青山同心荟 carried all the way round the loop in the months before; one or two per meeting.
QINGSHAN_RESOLVED: tuple[IssueSpec, ...] = (
    _closed(
        "村口公交站候车亭破损漏雨",
        C.INFRASTRUCTURE,
        "青山村村口公交站",
        "候车亭顶棚破了两处，下雨天老人和学生只能站在雨里等车，站牌上的线路也看不清了。",
        "请区住建局协调公交公司更换候车亭，村里负责日常保洁。",
        "已协调公交公司更换新候车亭，增设座椅和线路信息牌，村保洁员每日清扫。",
        "yuhang_zhujian",
    ),
    _closed(
        "龙坞水库上游竹林农药化肥使用需规范",
        C.ECOLOGY,
        "龙坞水库上游竹林",
        "水库是下游几万人的水源，上游竹林还有农户打除草剂、撒化肥，下雨后流进库里。",
        "推广竹林不打药、不施化肥，减少的收益由“善水基金”补贴，农业部门给予技术指导。",
        "区农业农村局组织技术培训2场，32户竹农签订生态管护协议，由“善水基金”按亩补贴。",
        "yuhang_nongye",
    ),
    _closed(
        "老人食堂希望增加送餐上门",
        C.PUBLIC_SERVICE,
        "青山村居家养老服务照料中心",
        "几位独居高龄老人腿脚不便，走不到食堂吃饭，希望能送餐上门。",
        "由村老人食堂试行送餐上门，同心荟会员志愿者轮流协助。",
        "已为9位80岁以上独居老人提供午餐送餐，同心荟志愿者按周排班。",
    ),
    _closed(
        "大草地公园缺少垃圾桶和公厕指引",
        C.ENVIRONMENT,
        "大草地公园",
        "周末游客多，草地上垃圾没处扔，也找不到厕所，常有人往竹林里钻。",
        "增设分类垃圾桶6组和公厕指引牌，由同心荟设计师统一设计风格。",
        "已增设分类垃圾桶6组、公厕指引牌4块，指引牌由会员设计师义务设计。",
    ),
    _closed(
        "环青山徒步道部分路段湿滑",
        C.INFRASTRUCTURE,
        "环青山徒步道东段",
        "东段石板路长了青苔，雨后很滑，上个月有游客摔伤。",
        "对湿滑路段做防滑处理并设置警示牌。",
        "黄湖镇农业农村办已对1.2公里湿滑路段做防滑刻槽，设置警示牌8块。",
        "huanghu_handler",
    ),
    _closed(
        "村民手工艺品缺少固定售卖点",
        C.INDUSTRY,
        "未来乡村邻里中心",
        "竹编、竹刻做出来只能在朋友圈卖，游客来了也不知道去哪里买。",
        "每月第一个周末在邻里中心办手作集市，由同心荟组织摊位。",
        "“青山手作集市”已办起来，每月第一个周末开市，首场23个摊位。",
    ),
    _closed(
        "竹编技艺培训班名额不够",
        C.CULTURE,
        "青山村文化礼堂",
        "去年的竹编培训班报名的人很多，名额只有15个，不少村民没报上。",
        "培训班扩为两期，由同心荟手工艺者授课，学成后按作品评级给予鼓励。",
        "两期竹编培训班共培训38人，其中12人作品评为合格可上架集市销售。",
    ),
    _closed(
        "夜间大货车穿村车速过快",
        C.GOVERNANCE,
        "青山村主干道",
        "晚上拉竹子和建材的大货车开得很快，路边就是农户家门口，很危险。",
        "请镇综合执法队设置限速标志和减速带，并在夜间抽查。",
        "已设置限速30公里标志4处、减速带3条，执法队开展夜间巡查6次。",
        "huanghu_zhifa",
    ),
    _closed(
        "溪道汛期后垃圾堆积",
        C.ENVIRONMENT,
        "青山村南溪",
        "梅雨过后溪道里挂着很多塑料袋和树枝，气味也不好。",
        "镇里组织一次集中清理，此后纳入日常河道保洁。",
        "已集中清理溪道2.3公里，纳入镇河道保洁日常考核。",
        "huanghu_handler",
    ),
    _closed(
        "“自然好邻居”民宿消防设施配置",
        C.PUBLIC_SERVICE,
        "“自然好邻居”农户民宿",
        "利用闲置空间做民宿的农户多了，很多家没有灭火器和应急照明。",
        "由镇综合执法队上门检查指导，村里统一采购灭火器。",
        "执法队检查民宿31家，统一配发灭火器和应急灯，整改隐患17处。",
        "huanghu_zhifa",
    ),
    _closed(
        "新村民子女入学政策咨询难",
        C.PUBLIC_SERVICE,
        "青山村",
        "来村里创业的新村民不清楚孩子能不能在镇上读书、要准备哪些材料。",
        "村里邀请镇教办开一场政策说明会，整理一份入学指南。",
        "已召开入学政策说明会，《新村民子女入学指南》放在邻里中心和线上公开。",
    ),
    _closed(
        "村里没有统一的快递收发点",
        C.PUBLIC_SERVICE,
        "未来乡村邻里中心",
        "快递员把件放在小卖部门口，常有丢件，老人取件也不方便。",
        "在邻里中心设快递驿站，由村集体统一管理。",
        "邻里中心快递驿站已开放，每天8点到20点可取件，老人可预约送件上门。",
    ),
    _closed(
        "榫卯工坊作业噪音影响午休",
        C.GOVERNANCE,
        "树桥头",
        "工坊中午也在开电锯，旁边几户老人午休受影响。",
        "经双方协商约定中午12点到14点、晚上8点以后不作业。",
        "工坊已调整作业时间并加装隔音板，邻里双方签订约定书。",
    ),
    _closed(
        "龙坞水库周边有人野泳垂钓",
        C.ECOLOGY,
        "龙坞水库",
        "夏天常有外来游客在水库游泳、钓鱼，既危险又影响水源。",
        "请镇综合执法队加强巡查，在路口设置劝导牌和监控。",
        "已设置劝导牌6块、监控2处，执法队和“善水基金”巡护员联合巡查。",
        "huanghu_zhifa",
    ),
    _closed(
        "“未来乡村”人才落户办理流程不清",
        C.GOVERNANCE,
        "青山村",
        "新村民想把户口落到村集体户，不知道找哪个部门、要什么条件。",
        "请区农业农村局会同公安分局明确村集体户口落户流程并公开。",
        "已公布“未来乡村”人才落户办事指南，设置村集体户口，首批7人落户。",
        "yuhang_nongye",
    ),
    _closed(
        "村道两侧绿化带缺少养护",
        C.ENVIRONMENT,
        "青山村主干道",
        "绿化带杂草长得比花还高，有几段已经枯死。",
        "请镇农业农村办纳入养护合同，同心荟会员认养两段做示范。",
        "绿化带已纳入镇养护合同，补种苗木1200株，会员认养示范段两段。",
        "huanghu_handler",
    ),
    _closed(
        "游客乱停车堵塞消防通道",
        C.INFRASTRUCTURE,
        "青山村文化礼堂门口",
        "节假日游客把车停在礼堂门口和消防通道上，村里的车都出不去。",
        "施划禁停标线，节假日由执法队和志愿者劝导。",
        "已施划禁停标线和消防通道标识，节假日安排执法队员和志愿者劝导。",
        "huanghu_zhifa",
    ),
    _closed(
        "雨季山体落石隐患",
        C.INFRASTRUCTURE,
        "树桥头至大坞段山路",
        "雨后山路边有碎石滚下来，路边护栏也缺了一段。",
        "请区住建局评估并加装防护网和护栏。",
        "区住建局完成地质隐患评估，加装防护网180米、护栏60米。",
        "yuhang_zhujian",
    ),
    _closed(
        "垃圾分类督导员人手不够",
        C.ENVIRONMENT,
        "青山村各垃圾投放点",
        "早晚投放高峰只有两名督导员，投错的情况很多。",
        "同心荟会员和新村民志愿者轮值督导，村里做好培训。",
        "组建40人的垃圾分类志愿督导队，轮值排班，投放准确率明显提高。",
    ),
    _closed(
        "文化礼堂开放时间太短",
        C.CULTURE,
        "青山村文化礼堂",
        "礼堂只在白天上班时间开门，村民晚上想去看书、排练都进不去。",
        "礼堂晚间开放到21点，由村民志愿者值守。",
        "文化礼堂已延长开放至每晚21点，志愿者值守表在礼堂门口公布。",
    ),
    _closed(
        "邻里中心台阶缺少无障碍坡道",
        C.PUBLIC_SERVICE,
        "未来乡村邻里中心",
        "坐轮椅的老人进不了邻里中心，推婴儿车也很吃力。",
        "请区住建局加建无障碍坡道和扶手。",
        "已加建无障碍坡道和扶手，入口改为平开门。",
        "yuhang_zhujian",
    ),
    _closed(
        "山坞里手机信号弱",
        C.INFRASTRUCTURE,
        "大坞、小坞自然村",
        "两个山坞里打电话要跑到路口，民宿客人也经常投诉没信号。",
        "村委协调通信运营商增设基站。",
        "运营商已在大坞新建基站一座，两处山坞信号覆盖良好。",
    ),
    _closed(
        "茶园竹林之间的防火通道需清理",
        C.ECOLOGY,
        "青山村后山",
        "防火通道长满杂竹，万一起火消防车进不去。",
        "请镇农业农村办组织清理，冬春季节定期巡查。",
        "已清理防火通道3.5公里，纳入冬春森林防火巡查。",
        "huanghu_handler",
    ),
    _closed(
        "农户自产笋干缺乏包装和品牌",
        C.INDUSTRY,
        "青山村",
        "笋干品质好，但用塑料袋装着卖，价格上不去。",
        "同心荟设计师为农户免费设计统一包装和“青山”品牌标识。",
        "统一包装已设计完成，首批20户农户使用，笋干售价平均提高三成。",
    ),
    _closed(
        "村史馆老物件征集",
        C.CULTURE,
        "青山村村史馆",
        "村里的老农具、老照片越来越少，希望建村史馆前先征集起来。",
        "发起老物件征集，由同心荟会员负责整理和布展设计。",
        "共征集老物件146件、老照片300余张，村史馆已开馆。",
    ),
    _closed(
        "闲置农房出租缺少统一指导",
        C.INDUSTRY,
        "青山村",
        "“自然好邻居”计划带来不少租房需求，农户不知道怎么定价、签合同。",
        "由村里出合同范本和指导价区间，“自然好邻居”计划统一对接租户。",
        "合同范本和指导价区间已公布，已有50户农户利用闲置空间增收。",
    ),
    _closed(
        "村道边电线乱拉乱挂",
        C.INFRASTRUCTURE,
        "青山村主干道",
        "路边电线杆上的网线、电线缠成一团，有的垂得很低。",
        "请区住建局协调电力和通信单位统一整治“空中蜘蛛网”。",
        "已整治线缆2.1公里，拆除废弃线缆，低垂线缆全部抬高。",
        "yuhang_zhujian",
    ),
    _closed(
        "老年人不会用智能手机",
        C.PUBLIC_SERVICE,
        "未来乡村邻里中心",
        "看病挂号、交医保都要用手机，很多老人不会。",
        "同心荟青年会员每周开一次“手机课堂”。",
        "“手机课堂”已开办16期，服务老人200余人次。",
    ),
)


# Spread over the older meetings, oldest first, one or two an evening; the latest meetings carry the issues
# still under way.
def _spread_over_meetings(specs: tuple[IssueSpec, ...]) -> tuple[IssueSpec, ...]:
    oldest = PAST_MEETINGS - 2  # meetings -2 … -PAST_MEETINGS
    last = len(specs) - 1
    return tuple(
        dataclasses.replace(spec, meetings=(-(2 + (last - position) * oldest // last),))
        for position, spec in enumerate(specs)
    )


QINGSHAN_RESOLVED = _spread_over_meetings(QINGSHAN_RESOLVED)

QINGSHAN_CURRENT = (
    IssueSpec(
        "游客引导标识不清，自驾车常开进农户院子",
        C.CULTURE,
        "青山村入口至大草地公园",
        "周末自驾游客跟着导航开进农户院子掉头，指示牌太少，而且都被竹子挡住了。希望在路口设清楚的游客引导标识。",
        S.SUBMITTED,
        days_ago=7,
    ),
    IssueSpec(
        "邻里中心希望开辟手工艺展示空间",
        C.CULTURE,
        "未来乡村邻里中心",
        "村里做竹编、竹刻、纸伞的手艺人越来越多，作品没有地方常年展示。邻里中心二楼有一间空房，"
        "希望做成手工艺展示空间，游客来了也有地方看。",
        S.SUBMITTED,
        by_member=True,
    ),
    IssueSpec(
        "村东头老年活动室屋顶漏雨",
        C.PUBLIC_SERVICE,
        "村东头老年活动室",
        "老年活动室屋顶瓦片松了，下雨就漏，打牌下棋的桌子都湿了。（村民填写纸质意见条，由秘书处代录）",
        S.ACCEPTED,
        channel=IssueChannel.PAPER,
        days_ago=4,
    ),
    IssueSpec(
        "“自然好邻居”闲置空间改造缺少设计指导",
        C.INDUSTRY,
        "青山村",
        "想把自家闲置的柴房改成工作室租给新村民，但不知道怎么改才符合村里的风貌要求。希望美学总监"
        "和同心荟设计师能给些指导。",
        S.ACCEPTED,
        days_ago=9,
    ),
    IssueSpec(
        "村中主干道路灯夜间不亮",
        C.INFRASTRUCTURE,
        "青山村主干道（文化礼堂至树桥头）",
        "文化礼堂到树桥头这一段有7盏路灯坏了一个多月，晚上散步和放学的孩子都要摸黑走。",
        S.DELIBERATING,
        meetings=(UPCOMING,),
    ),
    IssueSpec(
        "周末游客停车难",
        C.INFRASTRUCTURE,
        "大草地公园周边",
        "周末游客的车停满了村道两边，村民自己的车进不了家门。希望规划一块集中停车场。",
        S.DELIBERATING,
        meetings=(-2, UPCOMING),
        note="停车场选址涉及农户承包地，意见分歧较大；先由同心荟青年智囊团做停车需求调查，下次再议。",
    ),
    IssueSpec(
        "垃圾分类投放点设置不合理",
        C.ENVIRONMENT,
        "青山村二组、三组",
        "二组的投放点离住户太远，老人不愿意走，垃圾就堆在路边；三组的投放点又紧挨着民宿窗户。",
        S.AGREED,
        meetings=(-1,),
        consensus="二组增设一处投放点，三组投放点移至村道拐角，由村里施工、同心荟设计师设计外观。",
    ),
    IssueSpec(
        "民宿夜间噪音扰民",
        C.GOVERNANCE,
        "青山村三组",
        "有两家民宿客人夜里在院子里唱歌、放音乐到凌晨，周边村民休息受影响。",
        S.ASSIGNED,
        meetings=(-1,),
        department="huanghu_zhifa",
        working_days=15,
        consensus="制定民宿经营公约，夜间22点后禁止户外喧哗；请镇综合执法队对反复扰民的民宿约谈整改。",
    ),
    IssueSpec(
        "竹林道路破损，运竹车辆通行困难",
        C.INFRASTRUCTURE,
        "大坞竹林生产便道",
        "生产便道被运竹车压出很多坑，下雨后全是泥，三轮车经常陷住，竹农下山很不方便。",
        S.ASSIGNED,
        meetings=(-3,),
        department="huanghu_handler",
        working_days=10,
        consensus="请镇农业农村办将竹林生产便道纳入今年农村道路修缮计划，先对最差的800米应急修补。",
    ),
    IssueSpec(
        "村道排水沟堵塞，雨天路面积水",
        C.INFRASTRUCTURE,
        "青山村二组村道",
        "二组村道两侧的排水沟被落叶和泥沙堵住，一下雨路面就积水，电动车经过溅得行人一身泥。",
        # Answered by the department; the village has yet to walk the road and confirm it.
        S.ANSWERED,
        meetings=(-2,),
        department="huanghu_handler",
        working_days=10,
        consensus="请镇农业农村办组织清淤，村里发动党员志愿者配合清理落叶，此后每季度巡查一次。",
        result="已完成二组村道排水沟清淤约600米，更换破损盖板12块。",
    ),
    IssueSpec(
        "龙坞水库水源保护区缺少警示标识",
        C.ECOLOGY,
        "龙坞水库水源保护区",
        "保护区边界只有一块旧牌子，游客不知道这里是水源地，常有人下水、野炊。",
        S.HANDLED,
        meetings=(-2,),
        department="yuhang_nongye",
        consensus="请区农业农村局在保护区边界设置界桩和警示牌，“善水基金”巡护员配合宣传。",
        result="已在水源保护区边界设置界桩24根、警示牌10块，并在入口设置保护区说明牌。",
    ),
    IssueSpec(
        "电动自行车充电难，飞线充电有隐患",
        C.PUBLIC_SERVICE,
        "青山村一组、二组",
        "村里电动车越来越多，不少人从楼上拉电线下来充电，很危险。",
        S.PUBLICIZED,
        meetings=(-1,),
        consensus="在邻里中心和二组各建一处集中充电棚，由村集体投资，按次收取低价电费。",
        result="两处集中充电棚已建成投用，共40个充电口，按次收费，同时开展飞线充电劝导。",
    ),
    IssueSpec(
        "竹编工坊门前排水沟堵塞",
        C.ENVIRONMENT,
        "青山村竹编工坊门前",
        "工坊门前的排水沟被泥沙和竹屑堵死，下大雨水就漫进工坊，竹料都泡坏了。",
        S.CLOSED,
        meetings=(-4,),
        by_member=True,
        department="huanghu_handler",
        consensus="请镇农业农村办疏通排水沟并加盖板，工坊做好竹屑收集。",
        result="已疏通排水沟260米，加装盖板，雨季前再巡查一次。",
        rating=Rating.SATISFIED,
        rating_comment="沟通得很及时，下雨再也不进水了。",
    ),
    IssueSpec(
        "要求村里调解与邻居的宅基地边界纠纷",
        C.GOVERNANCE,
        "青山村四组",
        "邻居建房占了我家宅基地半米，希望议事会出面处理。",
        S.REJECTED,
        days_ago=20,
        note="这是个人之间的民事纠纷，不属于协商议事会的议题范围。已告知您可向村人民调解委员会申请调解，"
        "调解员联系电话在村务公开栏公布。",
    ),
    IssueSpec(
        "晚上青山路段太黑，走路不安全",
        C.INFRASTRUCTURE,
        "青山村主干道",
        "文化礼堂往树桥头走，晚上一片黑，路灯都不亮。",
        S.MERGED,
        days_ago=1,
        merge_into="村中主干道路灯夜间不亮",
    ),
)

QIDU = (
    _closed(
        "非遗工坊直播缺少稳定公共网络",
        C.INDUSTRY,
        "七都岛非遗工坊",
        "工坊一开直播就卡，游客多的时候更连不上，影响带货。",
        "请街道社会事务办协调运营商为工坊集中区域铺设公共网络。",
        "已为七都岛非遗工坊集中区域开通公共无线网络，直播专线带宽提升至千兆。",
        "qidu_shiwu",
        meeting=-3,
        rating=Rating.SATISFIED,
    ),
    IssueSpec(
        "“慢七都”旅游线路缺少公共厕所",
        C.PUBLIC_SERVICE,
        "七都岛环岛绿道",
        "环岛绿道十几公里只有一座公厕，游客和骑行的人都不方便。",
        S.ASSIGNED,
        meetings=(-1,),
        department="qidu_shiwu",
        consensus="请街道在绿道沿线增设两座公厕，由商盟会员商家开放店内洗手间作为补充。",
    ),
    IssueSpec(
        "夜市摊位占用消防通道",
        C.GOVERNANCE,
        "七都岛夜市",
        "周末夜市摊位摆到消防通道上，车进不去。",
        S.SUBMITTED,
        days_ago=2,
    ),
)

WANGHU = (
    _closed(
        "共富菜园灌溉水渠年久失修",
        C.INDUSTRY,
        "浙西天路·共富菜园",
        "菜园的老水渠漏水严重，旱季浇不上水，蔬菜减产。",
        "请龙岗镇农业农村办把水渠修缮列入小型农田水利项目，联盟企业出资补足差额。",
        "水渠修缮已完工，新建防渗渠道1.6公里，菜园实现自流灌溉。",
        "longgang_nongye",
        meeting=-2,
        rating=Rating.SATISFIED,
    ),
    IssueSpec(
        "共富岗车间希望增设夜班",
        C.INDUSTRY,
        "天目共富岗车间",
        "白天要干农活，希望车间晚上也能开，多挣一份钱。",
        S.ACCEPTED,
        days_ago=5,
    ),
)

LOOPS = (
    OrganizationLoop(
        "qingshan",
        "qingshan_secretary",
        True,
        "青山村",
        "同心驿站（青山村未来乡村邻里中心）",
        QINGSHAN_RESOLVED + QINGSHAN_CURRENT,
    ),
    OrganizationLoop("qidu-shangmeng", "qidu_staff", False, "七都商盟·同心荟", "慢七都非遗工坊会议室", QIDU),
    OrganizationLoop("wanghu-coop", "wanghu_secretary", False, "望湖村", "望湖村文化礼堂", WANGHU),
)


# ---- when ------------------------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def _workday_on_or_before(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day -= DAY
    return day


def _workday_on_or_after(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += DAY
    return day


def meeting_days(today: datetime.date) -> dict[int, datetime.date]:
    """One 议事会 a month, twelve days before today's date of the month, on a working day; index 1 is next."""
    base = today - 12 * DAY
    days = {-k: _workday_on_or_before(_add_months(base, 1 - k)) for k in range(1, PAST_MEETINGS + 1)}
    days[UPCOMING] = _workday_on_or_after(_add_months(base, 1))
    return days


# ---- who --------------------------------------------------------------------------------------------------


class _Villagers:
    """Anonymous submitters: seeded names, and phones outside the 139 block the rosters use."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names = NameGenerator(rng)

    def next(self) -> tuple[str, str]:
        name = self._names.name(self._names.gender())
        phone = f"1{self._rng.choice('5878')}{self._rng.choice('0123456789')}{self._rng.randrange(10**8):08d}"
        return name, phone


def _seeded_receipt_codes(rng: random.Random) -> Callable[[], str]:
    """Receipt codes the same on every fresh load, so the demo's tracking links can be written down."""

    def new_code() -> str:
        return str(rng.randrange(10 ** (RECEIPT_CODE_LENGTH - 1), 10**RECEIPT_CODE_LENGTH))

    return new_code


# ---- the loop ---------------------------------------------------------------------------------------------


class _LoopWriter:
    def __init__(
        self,
        loop: OrganizationLoop,
        clock: DemoClock,
        member: User | None,
        rng: random.Random,
        receipt_codes: Callable[[], str],
    ) -> None:
        self.loop = loop
        self.receipt_codes = receipt_codes
        self.clock = clock
        self.rng = rng
        self.organization = Organization.objects.get(slug=loop.slug)
        self.staff = User.objects.get(username=loop.staff)
        self.member = member if loop.member_login else None
        self.villagers = _Villagers(rng)
        self.days = meeting_days(clock.today)
        self.issues: dict[str, Issue] = {}
        self.meetings: dict[int, Meeting] = {}
        self.roster = list(
            Person.objects.filter(memberships__organization=self.organization, memberships__left_on__isnull=True)
            .distinct()
            .order_by("pk")
        )
        handlers = {spec.department for spec in loop.issues if spec.department}
        self.departments = {
            user.username: (user, Department.objects.get(handlers=user))
            for user in User.objects.filter(username__in=handlers)
        }

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return self.clock.set(local_moment(day, hour, minute))

    # -- steps --

    def submit(self, spec: IssueSpec, day: datetime.date, hour: int) -> Issue:
        self.at(day, hour, self.rng.randrange(60))
        member = self.member if spec.by_member else None
        if member is not None:
            name, phone = member.display_name, member.phone
        else:
            name, phone = self.villagers.next()
        entered_by = self.staff if spec.channel != IssueChannel.ONLINE else None
        issue = services.issue_submit(
            organization=self.organization,
            title=spec.title,
            description=spec.description,
            category=spec.category,
            place=spec.place,
            submitter_name=name,
            submitter_phone=phone,
            phone_visible_to_department=self.rng.random() < 0.6,
            submitter_user=member,
            entered_by=entered_by,
            channel=spec.channel,
            receipt_codes=self.receipt_codes,
            now=self.clock.now(),
        )
        self.issues[spec.title] = issue
        return issue

    def accept(self, issue: Issue, day: datetime.date) -> Issue:
        self.at(_workday_on_or_after(day), 9, 30 + self.rng.randrange(25))
        return services.issue_accept(
            issue=issue, actor=self.staff, comment="已受理，将列入近期议事会议程。", now=self.clock.now()
        )

    def meeting(self, index: int) -> Meeting:
        if index not in self.meetings:
            day = self.days[index]
            title = f"{self.loop.meeting_prefix}{day.year}年{day.month}月基层民主协商议事会"
            self.at(min(day - 7 * DAY, self.clock.today - 2 * DAY), 9)
            self.meetings[index] = services.meeting_schedule(
                organization=self.organization,
                actor=self.staff,
                title=title,
                scheduled_at=local_moment(day, 14),
                place=self.loop.meeting_place,
                # The demo writes history: its meetings are records of meetings held.
                recording_past=True,
                now=self.clock.now(),
            )
        return self.meetings[index]

    def put_on_agenda(self, issue: Issue, index: int) -> AgendaItem:
        meeting = self.meeting(index)
        self.at(min(self.days[index] - 5 * DAY, self.clock.today - DAY), 10, self.rng.randrange(50))
        return services.meeting_add_issue(meeting=meeting, issue=issue, actor=self.staff, now=self.clock.now())

    def deliberate(
        self, item: AgendaItem, spec: IssueSpec, *, day: datetime.date, final: bool, voters: int, minute: int
    ) -> None:
        # A long agenda runs past the hour.
        self.at(day, 14 + (20 + minute) // 60, (20 + minute) % 60)
        if not final:
            services.agenda_record_no_consensus(item=item, actor=self.staff, note=spec.note, now=self.clock.now())
            return
        against, abstain = self.rng.randrange(3), self.rng.randrange(4)
        services.agenda_record_consensus(
            item=item,
            actor=self.staff,
            consensus_text=spec.consensus,
            votes_for=max(voters - against - abstain, against + 1),
            votes_against=against,
            votes_abstain=abstain,
            now=self.clock.now(),
        )

    def record_attendance(self, index: int, attendees: list[Person], villagers_count: int) -> None:
        meeting = self.meetings[index]
        self.at(self.days[index], 16, 30)
        items = list(meeting.agenda.select_related("issue").order_by("position"))
        lines = [
            f"{position}. {item.issue.title}:"
            + ("达成共识。" if item.outcome == "consensus" else "未达成共识，下次再议。")
            for position, item in enumerate(items, start=1)
        ]
        services.meeting_record_attendance(
            meeting=meeting,
            actor=self.staff,
            attendees=attendees,
            villagers_count=villagers_count,
            department_reps_count=self.rng.randrange(2, 5),
            ufwd_reps_count=self.rng.randrange(1, 3),
            minutes=(
                "会议由区委统战部牵头，黄湖镇政府、村委、同心荟会员和村民代表参加，逐项协商本月议题：\n"
                if self.loop.slug == "qingshan"
                else "会议由统战干部主持，会员和群众代表参加，逐项协商本月议题：\n"
            )
            + "\n".join(lines)
            + "\n达成共识的议题按分工提交职能部门或由村里落实，办理结果在公示栏和网上公示。",
            now=self.clock.now(),
        )

    def carry_out(self, issue: Issue, spec: IssueSpec, consensus_day: datetime.date) -> None:
        """After the consensus: handled in the village or by a department, published, archived, rated."""
        if spec.ending == S.AGREED:
            return
        today = self.clock.today
        if spec.department:
            handler, department = self.departments[spec.department]
            self.at(_workday_on_or_after(consensus_day + DAY), 9, 30)
            assignment = services.issue_assign(
                issue=issue,
                actor=self.staff,
                department=department,
                working_days=spec.working_days,
                instructions=spec.consensus,
                now=self.clock.now(),
            )
            self.at(_workday_on_or_after(consensus_day + 2 * DAY), 10, self.rng.randrange(60))
            services.assignment_acknowledge(assignment=assignment, actor=handler, now=self.clock.now())
            if spec.ending == S.ASSIGNED:
                # A hand-over weeks old has its interim reply (办理中) with a promised date, as handlers give.
                if consensus_day + 7 * DAY < today:
                    self.at(_workday_on_or_before(today - 2 * DAY), 16, self.rng.randrange(60))
                    services.assignment_interim_reply(
                        assignment=assignment,
                        actor=handler,
                        reply="已现场查看，列入近期计划，正在组织施工。",
                        promised_on=_workday_on_or_after(today + 10 * DAY),
                        now=self.clock.now(),
                    )
                return
            answer_day = consensus_day + self.rng.randrange(8, 15) * DAY
            if spec.ending == S.HANDLED:
                answer_day = today - 4 * DAY
            elif spec.ending == S.ANSWERED:
                answer_day = today - 2 * DAY
            self.at(_workday_on_or_before(answer_day), 15, self.rng.randrange(60))
            services.assignment_answer(assignment=assignment, actor=handler, answer=spec.result, now=self.clock.now())
            if spec.ending == S.ANSWERED:
                return
            # The village checks the work on the spot before the result counts: a promise is not a result.
            handled_day = answer_day + DAY
            self.at(handled_day, 10, self.rng.randrange(60))
            services.issue_confirm_done(issue=issue, actor=self.staff, now=self.clock.now())
        else:
            handled_day = consensus_day + self.rng.randrange(3, 10) * DAY
            if spec.ending == S.PUBLICIZED:
                handled_day = min(handled_day, today - 3 * DAY)
            self.at(handled_day, 11)
            services.issue_resolve_in_village(
                issue=issue, actor=self.staff, resolution=spec.result, now=self.clock.now()
            )
        if spec.ending == S.HANDLED:
            return
        publish_day = today - 2 * DAY if spec.ending == S.PUBLICIZED else handled_day + DAY
        self.at(_workday_on_or_after(publish_day), 9)
        services.issue_publish(
            issue=issue,
            actor=self.staff,
            title=spec.title,
            body=spec.result,
            now=self.clock.now(),
        )
        if spec.ending == S.PUBLICIZED:
            return
        closing = issue.notices.get().ends_at + datetime.timedelta(hours=2)
        self.clock.set(closing)
        services.issue_close_after_notice(issue=issue, now=self.clock.now())
        rating = spec.rating or self.rng.choice(
            (Rating.SATISFIED, Rating.SATISFIED, Rating.SATISFIED, Rating.BASICALLY_SATISFIED, "")
        )
        if rating:
            self.clock.set(closing + datetime.timedelta(hours=self.rng.randrange(3, 30)))
            services.feedback_submit(issue=issue, rating=rating, comment=spec.rating_comment, now=self.clock.now())

    # -- stories --

    def write(self) -> None:
        by_meeting: dict[int, list[IssueSpec]] = {}
        for spec in self.loop.issues:
            for index in spec.meetings:
                by_meeting.setdefault(index, []).append(spec)
        today = self.clock.today
        for index in sorted(by_meeting, key=lambda i: self.days[i]):
            day = self.days[index]
            items: list[tuple[AgendaItem, IssueSpec, bool]] = []
            for spec in by_meeting[index]:
                issue = self.issues.get(spec.title)
                if issue is None:
                    submitted = min(day, today) - self.rng.randrange(12, 26) * DAY
                    issue = self.submit(spec, submitted, self.rng.randrange(8, 21))
                    self.accept(issue, submitted + DAY)
                items.append((self.put_on_agenda(issue, index), spec, index == spec.meetings[-1]))
            if day >= today:
                continue  # the next meeting: its agenda is set, it has not met yet
            attendees = self.rng.sample(self.roster, min(len(self.roster), self.rng.randrange(10, 19)))
            villagers_count = self.rng.randrange(12, 31)
            for minute, (item, spec, final) in enumerate(items):
                self.deliberate(
                    item, spec, day=day, final=final, voters=len(attendees) + villagers_count, minute=minute * 12
                )
            self.record_attendance(index, attendees, villagers_count)
            for _item, spec, final in items:
                if final:
                    self.carry_out(self.issues[spec.title], spec, day)
        for spec in self.loop.issues:
            if not spec.meetings:
                self.write_unscheduled(spec, today - spec.days_ago * DAY)

    def write_unscheduled(self, spec: IssueSpec, day: datetime.date) -> None:
        """Issues that have not reached a meeting: waiting for triage, accepted, not accepted, merged."""
        hour = 8 + self.rng.randrange(12) if spec.days_ago else max(0, timezone.localtime(self.clock.real_now).hour - 3)
        issue = self.submit(spec, day, hour)
        if spec.ending == S.ACCEPTED:
            self.accept(issue, day + DAY)
        elif spec.ending == S.REJECTED:
            self.at(_workday_on_or_after(day + DAY), 10)
            services.issue_reject(issue=issue, actor=self.staff, reason=spec.note, now=self.clock.now())
        elif spec.ending == S.MERGED:
            # Merged the morning after, once its twin is on the agenda of the next meeting.
            self.at(day + DAY, 10, 15)
            services.issue_merge(issue=issue, into=self.issues[spec.merge_into], actor=self.staff, now=self.clock.now())


def load_consultations(clock: DemoClock, member: User | None) -> int:
    """Writes the loop of each organization that does not have its demo issues yet; returns how many issues."""
    written = 0
    codes = _seeded_receipt_codes(random.Random(f"{SEED}:receipts"))  # noqa: S311 - demo data, not secrets
    for loop in LOOPS:
        titles = [spec.title for spec in loop.issues]
        if Issue.objects.filter(organization__slug=loop.slug, title__in=titles).exists():
            continue
        rng = random.Random(f"{SEED}:{loop.slug}")  # noqa: S311 - reproducible demo data, not secrets
        writer = _LoopWriter(loop, clock, member, rng, codes)
        writer.write()
        written += len(writer.issues)
    return written
