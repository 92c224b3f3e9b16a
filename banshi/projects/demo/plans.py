"""What the demo ledger holds: the article's 2021 projects, the places the other projects are named
after, which unit does which kind of work, and the people named as 责任人.

Names are real Changsha places (schools, hospitals, estates, rivers, markets, roads and towns of
the district they are in), each used once, so no project needs a counter to tell it apart. Every
project is led by a unit whose job covers its field (``UNIT_FIELDS``): the 教育局 builds school
places, the 卫健委 hospital beds, the 住建局 renovates estates and adds elevators, and so on; a
district, street or park government may lead anything in its own area.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from banshi.projects.choices import Field

F = Field

# The city departments and what they answer for (their 三定 remit, as far as the ledger's fields
# go). Territorial units (district, street, community) and parks are not listed: they may lead any
# field inside their own area.
UNIT_FIELDS: dict[str, frozenset[str]] = {
    "4301F02": frozenset(
        {F.TOILETS, F.MARKET_STALLS, F.ENVIRONMENT, F.ROADS}
    ),  # 城管局: 市容、公厕、摊点、市政
    "4301F03": frozenset({F.UTILITIES}),  # 长沙水业集团
    "4301F0301": frozenset({F.UTILITIES}),  # 长沙供水有限公司
    "4301F04": frozenset({F.OLD_ESTATES, F.ELEVATORS, F.OTHER}),  # 住建局: 老旧小区、加装电梯、房屋
    "4301F05": frozenset({F.ROADS, F.PARKING}),  # 交通运输局: 公交、道路、公共停车场
    "4301F06": frozenset({F.SCHOOL_PLACES, F.OTHER}),  # 教育局
    "4301F07": frozenset({F.HOSPITAL_BEDS}),  # 卫健委
    "4301F08": frozenset({F.ENVIRONMENT}),  # 生态环境局: 水、气、噪声
    "4301F09": frozenset({F.MARKET_STALLS}),  # 市场监管局: 农贸市场、食品安全
    "4301F10": frozenset({F.PARKING, F.ROADS}),  # 交警支队: 停车、交通秩序
    "4301F11": frozenset({F.GOVERNANCE}),  # 物业行业党委: 小区党建
}
# Who leads a field's city-level projects.
FIELD_DEPARTMENT: dict[str, str] = {
    F.SCHOOL_PLACES: "4301F06",
    F.HOSPITAL_BEDS: "4301F07",
    F.PARKING: "4301F05",
    F.TOILETS: "4301F02",
    F.ELEVATORS: "4301F04",
    F.MARKET_STALLS: "4301F09",
    F.OLD_ESTATES: "4301F04",
    F.ROADS: "4301F05",
    F.UTILITIES: "4301F03",
    F.ENVIRONMENT: "4301F08",
    F.GOVERNANCE: "4301F11",
}

# A city-level entry whose name says which department's job it is, when that is not the field's.
DEPARTMENT_BY_KEYWORD: list[tuple[str, str]] = [
    ("便民摊点", "4301F02"),  # 城管局 sets out street stalls; the 市场监管局 runs markets
    ("路内", "4301F10"),
    ("停车挖潜", "4301F10"),
    ("港湾式公交站", "4301F05"),
    ("公交专用道", "4301F05"),
]
# Fields a district's own project may hand to the city department (with the district as 配合单位),
# and the one a district never leads: water supply belongs to the 水业集团.
SHARED_FIELDS = frozenset(
    {F.SCHOOL_PLACES, F.PARKING, F.TOILETS, F.ELEVATORS, F.MARKET_STALLS, F.OLD_ESTATES}
)
DEPARTMENT_ONLY = frozenset({F.UTILITIES})

# Leaders (demo cast mobiles) holding the 领导 role in an area; elsewhere the city's leader leads.
CITY_LEADER = "19900000014"
AREA_LEADERS = {
    "430102": "19900000104",
    "430103": "19900000106",
    "430105": "19900000024",
    "430111": "19900000108",
    "4301P01": "19900000102",
}

# 责任人: the official named in the ledger for a lead unit's projects (two per unit, alternating).
RESPONSIBLE: dict[str, list[tuple[str, str]]] = {
    "4301F02": [("刘建平", "市城管局副局长"), ("陈卫红", "市城管局市政设施处处长")],
    "4301F03": [("黄志刚", "长沙水业集团副总经理"), ("曹振宇", "长沙供水有限公司总经理")],
    "4301F04": [("陈立群", "市住建局副局长"), ("彭晓峰", "市住建局城市更新处处长")],
    "4301F05": [("王湘军", "市交通运输局副局长"), ("贺明亮", "市交通运输局公交处处长")],
    "4301F06": [("李文华", "市教育局副局长"), ("廖小燕", "市教育局发展规划处处长")],
    "4301F07": [("张卫民", "市卫健委副主任"), ("罗晓婷", "市卫健委医政医管处处长")],
    "4301F08": [("彭建湘", "市生态环境局副局长"), ("魏国栋", "市生态环境局水生态环境处处长")],
    "4301F09": [("罗海军", "市市场监管局副局长"), ("汤丽萍", "市市场监管局食品流通处处长")],
    "4301F10": [("谭志勇", "市交警支队副支队长"), ("欧阳斌", "市交警支队秩序处处长")],
    "4301F11": [("唐美华", "市物业行业党委副书记"), ("钟建伟", "市物业行业党委组织科科长")],
    "430102": [("周文斌", "芙蓉区副区长"), ("邹志明", "芙蓉区住建局局长")],
    "430103": [("龙建华", "天心区副区长"), ("袁天明", "天心区城管局局长")],
    "430104": [("谭立新", "岳麓区副区长"), ("肖雅琴", "岳麓区住建局局长")],
    "430105": [("杨志军", "开福区副区长"), ("徐立新", "开福区城管局局长")],
    "430111": [("曾德华", "雨花区副区长"), ("易红兵", "雨花区住建局局长")],
    "430112": [("刘国庆", "望城区副区长"), ("胡敏", "望城区农业农村局局长")],
    "430121": [("廖建军", "长沙县副县长"), ("吴静", "长沙县住建局局长")],
    "430181": [("罗明华", "浏阳市副市长"), ("黎志刚", "集里街道办事处主任")],
    "430182": [("周建湘", "宁乡市副市长"), ("姜海涛", "宁乡市住建局局长")],
    "4301P01": [("胡志刚", "湘江新区管委会副主任"), ("周湘江", "湘江新区建设局局长")],
}

# Per field: the default target wording and unit, the milestone plan (name, share of the time,
# weight), what the 销号 evidence shows, and what the verifying inspection found.
Steps = list[tuple[str, float, int]]


@dataclass(frozen=True)
class Style:
    verb: str
    unit: str
    milestones: Steps
    evidence: str
    findings: str


STYLES: dict[str, Style] = {
    F.SCHOOL_PLACES: Style(
        "新增学位",
        "个",
        [("规划设计与招标", 0.25, 20), ("主体施工", 0.75, 50), ("竣工验收、开学投用", 1.0, 30)],
        "竣工验收备案表及新校舍投用照片",
        "教学楼已投入使用，{quantity}个学位已纳入招生计划，随机询问家长均表示满意",
    ),
    F.HOSPITAL_BEDS: Style(
        "新增床位",
        "张",
        [("病区改造设计", 0.2, 20), ("病区装修与设备安装", 0.75, 55), ("验收并开放床位", 1.0, 25)],
        "新增病区验收意见及床位开放照片",
        "新增病区已开放收治，{quantity}张床位已在医院信息系统登记",
    ),
    F.PARKING: Style(
        "新增停车泊位",
        "个",
        [("选址与方案", 0.25, 20), ("施工与智能化系统", 0.8, 55), ("验收并开放使用", 1.0, 25)],
        "停车场竣工验收记录及泊位照片",
        "{quantity}个泊位已施划并接入全市智慧停车平台，周边违停明显减少",
    ),
    F.TOILETS: Style(
        "新建改建公厕",
        "座",
        [("选址与设计", 0.2, 15), ("土建与设备安装", 0.8, 60), ("验收开放", 1.0, 25)],
        "公厕竣工验收照片及保洁管理制度",
        "抽查公厕保洁到位、设施完好，开放时间已公示",
    ),
    F.ELEVATORS: Style(
        "加装电梯",
        "台",
        [
            ("业主意见征询与方案公示", 0.3, 25),
            ("设备采购与井道施工", 0.8, 50),
            ("特种设备检验与投用", 1.0, 25),
        ],
        "电梯监督检验报告及投用照片",
        "{quantity}台电梯已取得使用登记证，走访住户反映上下楼方便了",
    ),
    F.MARKET_STALLS: Style(
        "规范提质摊位",
        "个",
        [("摸底与改造方案", 0.25, 20), ("市场改造与摊位规范", 0.8, 55), ("验收开市", 1.0, 25)],
        "市场改造验收记录及摊位照片",
        "市场分区经营、明码标价，快检室正常运行，摊主和市民反映良好",
    ),
    F.OLD_ESTATES: Style(
        "改造老旧小区",
        "个",
        [
            ("居民意见征集与方案设计", 0.25, 20),
            ("雨污分流、管网与立面改造", 0.8, 55),
            ("竣工验收", 1.0, 25),
        ],
        "小区改造竣工验收记录及改造前后对比照片",
        "雨污分流、屋面防水和停车位改造均已完成，居民满意度测评通过",
    ),
    F.ROADS: Style(
        "建成道路",
        "公里",
        [("征拆与管线迁改", 0.3, 25), ("路基路面施工", 0.8, 50), ("交工验收通车", 1.0, 25)],
        "交工验收证书及通车照片",
        "道路已通车，标志标线、路灯和人行道同步完成",
    ),
    F.UTILITIES: Style(
        "改善供水",
        "户",
        [("管网排查与设计", 0.2, 20), ("管网更换与加压设施建设", 0.8, 55), ("通水验收", 1.0, 25)],
        "管道试压通水记录及入户水压检测照片",
        "抽测高层住户水压达标，居民反映用水正常",
    ),
    F.ENVIRONMENT: Style(
        "治理河道",
        "公里",
        [
            ("污染源排查与方案", 0.25, 20),
            ("截污清淤与生态修复", 0.8, 55),
            ("监测达标验收", 1.0, 25),
        ],
        "第三方监测报告及治理后照片",
        "水体无黑臭，沿岸排口已截污，监测指标达标",
    ),
    F.DISASTER: Style(
        "治理隐患点",
        "处",
        [("勘查与设计", 0.25, 20), ("工程治理", 0.8, 55), ("竣工验收", 1.0, 25)],
        "治理工程竣工验收报告及现场照片",
        "治理工程经汛期检验稳定，监测预警设施运行正常",
    ),
    F.GOVERNANCE: Style(
        "建成服务阵地",
        "个",
        [("场地与制度建设", 0.3, 30), ("队伍与平台整合", 0.8, 45), ("运行验收", 1.0, 25)],
        "运行台账、制度文件及场所照片",
        "服务中心按时开放，网格员在岗，群众诉求登记台账完整",
    ),
    F.OTHER: Style(
        "完成",
        "项",
        [("方案制定", 0.25, 25), ("组织实施", 0.8, 50), ("总结验收", 1.0, 25)],
        "工作总结及活动照片",
        "工作按方案完成，相关台账完整",
    ),
}


# What a field's projects do, in the words a ledger uses for 具体措施.
MEASURES: dict[str, str] = {
    F.SCHOOL_PLACES: "按“交钥匙”方式建设，同步配齐教学设备，秋季开学前投入使用",
    F.HOSPITAL_BEDS: "腾挪行政用房、改造病区，同步配备医护人员和设备",
    F.PARKING: "盘活闲置用地和地下空间，新增泊位接入全市智慧停车平台",
    F.TOILETS: "按公厕建设标准新建改建，落实专人保洁和延时开放",
    F.ELEVATORS: "一梯一策征求业主意见，财政奖补，特种设备检验合格后投用",
    F.MARKET_STALLS: "分区经营、统一摊位，配建农残快检室，落实市场开办方主体责任",
    F.OLD_ESTATES: "先民生后提升，雨污分流、管网改造、屋面防水与停车、适老化改造同步实施",
    F.ROADS: "征拆、管线迁改与主体施工倒排工期，同步建设人行道、路灯和绿化",
    F.UTILITIES: "更换老旧管网、建设二次加压设施，施工期间安排临时供水",
    F.ENVIRONMENT: "控源截污、内源清淤、生态补水，一河一策，建立长效管护",
    F.DISASTER: "专业勘查设计，汛前完成主体工程，落实群测群防",
    F.GOVERNANCE: "整合阵地资源，党员联户、网格员包片，诉求登记、分派、反馈闭环",
}


@dataclass
class Plan:
    """One demo project and the state its history should leave it in."""

    number: str
    name: str
    org: str  # org unit code: where it is (scope)
    lead: str  # lead unit code
    leader: str  # leader mobile
    field: str
    target: str
    quantity: Any
    unit: str
    measures: str
    start: datetime.date
    days: int
    state: str  # collected, screened, approved, assigned, green, blue, yellow, red, stale,
    # deferred, claimed, verified, closed, published, cancelled
    co: list[str] = dataclasses.field(default_factory=list)
    person: tuple[str, str] = ("", "")  # 责任人 and title
    source: str = "citizen_order"
    handling: str = "deadline"
    funds: Any = 0
    milestones: Steps = dataclasses.field(default_factory=list)
    lists: list[str] = dataclasses.field(default_factory=list)
    evidence: str = ""
    findings: str = ""
    # Supervision inside the story: (days after start, topic, place, [(decision, unit, person)]).
    meeting: tuple[int, str, str, list[tuple[str, str, str]]] | None = None


def style(field: str) -> Style:
    return STYLES.get(field, STYLES[F.OTHER])


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


# --- 2021: the article's projects -----------------------------------------------------------


def article_plans() -> list[Plan]:
    """The practical matters the article names, all 销号 within 2021 as it reports."""
    return [
        Plan(
            "CS2021-001",
            "绕城高速梅溪湖隧道全封闭隔音屏障建设",
            "4301P01",
            "4301P01",
            "19900000102",
            F.ENVIRONMENT,
            "建成梅溪湖隧道全封闭隔音屏障，使用钢结构754吨、亚克力隔音板1978块，同步解决通风、照明、排水问题",
            1978,
            "块",
            "湘江新区牵头，市交警支队配合；分段封闭、夜间吊装，每周向周边小区公示进度",
            d(2021, 6, 21),
            78,
            "published",
            co=["4301F10"],
            person=("胡志刚", "湘江新区管委会副主任"),
            source="hotline_cluster",
            handling="immediate",
            funds=4680,
            lists=["city_committee", "city"],
            milestones=[
                ("钢结构加工（754吨）", 0.35, 30),
                ("立柱与隔音板安装（1978块）", 0.85, 50),
                ("通风照明排水完善与验收", 1.0, 20),
            ],
            evidence="隔音屏障竣工验收报告及第三方噪声监测报告（夜间由68分贝降至53分贝）",
            findings="隧道全封闭隔音屏障已完工，夜间实测噪声53分贝，中海梅溪湖一号业主代表认可",
        ),
        Plan(
            "CS2021-002",
            "长沙火车站西广场卫生间、雨棚及东广场候车大厅提质改造",
            "430102",
            "4301F02",
            CITY_LEADER,
            F.TOILETS,
            "改造西广场卫生间2座、新建出站雨棚1处、提质东广场候车大厅",
            2,
            "座",
            "市城管局牵头设计施工，芙蓉区负责施工期间站前秩序和保洁",
            d(2021, 4, 12),
            90,
            "published",
            co=["430102"],
            person=("刘建平", "市城管局副局长"),
            handling="immediate",
            funds=1380,
            lists=["province_committee", "city_committee", "city"],
            evidence="西广场卫生间、雨棚竣工验收照片及保洁考核制度",
            findings="西广场卫生间24小时开放、保洁到位，雨棚覆盖出站通道",
        ),
        Plan(
            "CS2021-003",
            "湘雅医院周边停车难行路难综合治理",
            "430105",
            "430105",
            "19900000024",
            F.PARKING,
            "湘雅医院周边新增停车泊位600个，打通湘雅路微循环",
            600,
            "个",
            "挖潜机关单位共享车位、错时停车、设置停车诱导屏，湘雅路单向微循环",
            d(2021, 5, 10),
            150,
            "published",
            co=["4301F10", "430105S01"],
            person=("杨志军", "开福区副区长"),
            source="leader_research",
            funds=2600,
            lists=["city_committee", "city"],
            evidence="新增泊位验收记录、停车诱导屏运行照片",
            findings="600个泊位已投用，湘雅路高峰排队车辆明显减少",
            meeting=(
                40,
                "湘雅医院周边停车难现场办公会",
                "湘雅医院行政楼会议室",
                [
                    ("出台周边机关单位错时共享停车办法", "430105", "杨志军"),
                    ("设置停车诱导屏8块并接入智慧停车平台", "4301F10", "欧阳斌"),
                ],
            ),
        ),
        Plan(
            "CS2021-004",
            "青山祠片区提质及十五中地下停车场建设",
            "430103",
            "430103",
            "19900000106",
            F.PARKING,
            "建设长沙市十五中操场地下停车场，省儿童医院周边新增车位298个，改善青山祠片区2512户居住环境",
            298,
            "个",
            "利用十五中操场地下空间建设，施工期间保障学校教学；片区雨污分流、立面整治同步实施",
            d(2021, 3, 8),
            157,
            "published",
            co=["4301F06"],
            person=("龙建华", "天心区副区长"),
            source="leader_research",
            funds=9800,
            lists=["province_committee", "city_committee", "city"],
            milestones=[
                ("基坑开挖与支护", 0.3, 30),
                ("主体结构施工", 0.75, 40),
                ("设备安装与验收", 0.97, 30),
            ],
            evidence="地下停车场竣工验收备案及泊位照片",
            findings="298个泊位已开放，省儿童医院就医车辆可就近停放",
        ),
        Plan(
            "CS2021-005",
            "大塘社区自来水改造（城乡供水一体化）",
            "430105016",
            "4301F03",
            "19900000024",
            F.UTILITIES,
            "解决大塘社区居民用水供需矛盾，1个月内完成管网改造和二次加压",
            326,
            "户",
            "区委书记、水业集团党组书记、街道工委书记、供水公司党组织书记、社区书记“五位书记”合力共办",
            d(2021, 4, 26),
            24,
            "published",
            co=["430105016", "4301F0301"],
            person=("曹振宇", "长沙供水有限公司总经理"),
            source="wish",
            handling="immediate",
            funds=186,
            lists=["district"],
            milestones=[
                ("管网排查与方案", 0.2, 20),
                ("更换DN100老旧铸铁管860米", 0.75, 50),
                ("二次加压泵站通水", 1.0, 30),
            ],
            evidence="管道试压通水记录及六楼住户水压检测照片（0.28兆帕）",
            findings="高峰期末端水压0.28兆帕，六楼住户用水正常，居民笑逐颜开",
            meeting=(
                3,
                "大塘社区供水问题现场办公会（“五位书记”共办）",
                "秀峰街道新大塘社区党群服务中心",
                [
                    ("10日内完成新大塘片区老旧铸铁管更换", "4301F03", "黄志刚"),
                    ("新建二次加压泵站并调整片区管网出口压力", "4301F0301", "曹振宇"),
                    ("做好施工期间居民临时供水和解释工作", "430105016", "梁建华"),
                ],
            ),
        ),
        Plan(
            "CS2021-006",
            "跳马涧集市道路、停车与绿化提质",
            "430111101",
            "430111",
            "19900000108",
            F.ROADS,
            "改造跳马涧集市道路1.2公里，配套停车场和绿化",
            1.2,
            "公里",
            "拓宽路面、改造排水，集市摊位规范入场，新建停车场一处",
            d(2021, 4, 6),
            120,
            "closed",
            person=("曾德华", "雨花区副区长"),
            source="leader_research",
            funds=1560,
            lists=["city"],
            evidence="交工验收证书及集市道路照片",
            findings="集市道路、停车场和绿化全部完成，赶集日交通秩序良好",
        ),
        Plan(
            "CS2021-007",
            "石燕湖村山体滑坡与山洪治理",
            "430111101203",
            "430111",
            "19900000108",
            F.DISASTER,
            "治理石燕湖村滑坡隐患点3处并建设防洪堤",
            3,
            "处",
            "削坡减载、挡土墙、截排水沟与防洪堤，汛期安排专人巡查",
            d(2021, 3, 15),
            150,
            "closed",
            person=("曾德华", "雨花区副区长"),
            source="visit",
            funds=730,
            lists=["city"],
        ),
        Plan(
            "CS2021-008",
            "团然村产业致富路建设",
            "430111101219",
            "430111",
            "19900000108",
            F.ROADS,
            "修通团然村产业路4.5公里",
            4.5,
            "公里",
            "分段硬化并设置错车道，连接村里的苗木和蔬菜基地",
            d(2021, 5, 6),
            140,
            "closed",
            person=("易红兵", "雨花区住建局局长"),
            source="visit",
            funds=510,
            lists=["city"],
        ),
        Plan(
            "CS2021-009",
            "集里街道“党员微网格+五个到户”社会治理综合服务中心",
            "430181002",
            "430181002",
            CITY_LEADER,
            F.GOVERNANCE,
            "建成街道社会治理综合服务中心，五级联动覆盖4.6万户居民",
            1,
            "个",
            "整合综治、城管、12345平台与网格员队伍，党员联户、五个到户",
            d(2021, 3, 1),
            120,
            "published",
            person=("黎志刚", "集里街道办事处主任"),
            source="leader_research",
            funds=260,
            lists=["city"],
        ),
        Plan(
            "CS2021-010",
            "精装修商品房公摊面积计价问题整治",
            "4301",
            "4301F04",
            CITY_LEADER,
            F.OTHER,
            "出台精装修商品房公摊面积计价规范并开展专项检查",
            1,
            "项",
            "明确精装修部分按套内面积计价，对在售楼盘开展专项检查并向社会公示",
            d(2021, 5, 17),
            120,
            "closed",
            person=("陈立群", "市住建局副局长"),
            source="hotline_cluster",
            funds=0,
            lists=["city_committee", "city"],
        ),
        Plan(
            "CS2021-011",
            "中心城区港湾式公交站打造",
            "4301",
            "4301F05",
            CITY_LEADER,
            F.ROADS,
            "改造港湾式公交站60个",
            60,
            "个",
            "结合道路提质，将直线式公交站改为港湾式，减少公交进站占道",
            d(2021, 4, 19),
            200,
            "closed",
            person=("王湘军", "市交通运输局副局长"),
            funds=3200,
            lists=["city_committee", "city"],
        ),
        Plan(
            "CS2021-012",
            "乡村少年宫送课、送教、送服务",
            "4301",
            "4301F06",
            CITY_LEADER,
            F.OTHER,
            "为乡村少年宫送课送教1200场",
            1200,
            "场",
            "组织城区学校教师、文体志愿者按课表下乡，覆盖各区县（市）乡村少年宫",
            d(2021, 3, 1),
            270,
            "closed",
            person=("李文华", "市教育局副局长"),
            funds=300,
            lists=["city_committee", "city"],
        ),
        Plan(
            "CS2021-013",
            "湖南烈士公园等重点区域无障碍设施改造",
            "430105",
            "4301F04",
            CITY_LEADER,
            F.OTHER,
            "完成湖南烈士公园等重点区域无障碍设施改造",
            12,
            "处",
            "坡道、盲道、无障碍卫生间和标识系统改造，残联组织残疾人体验验收",
            d(2021, 4, 1),
            180,
            "published",
            co=["430105"],
            person=("陈立群", "市住建局副局长"),
            source="leader_research",
            funds=1150,
            lists=["province_committee", "city_committee", "city"],
        ),
        Plan(
            "CS2021-014",
            "公共停车场残疾人专用停车位建设",
            "4301",
            "4301F10",
            CITY_LEADER,
            F.PARKING,
            "在公共停车场建成残疾人专用停车位2888个",
            2888,
            "个",
            "按不少于总泊位2%的标准施划并设置标识，纳入停车场年检",
            d(2021, 3, 22),
            240,
            "closed",
            person=("谭志勇", "市交警支队副支队长"),
            funds=420,
            lists=["city_committee", "city"],
        ),
    ]


# --- The places the other projects are named after ------------------------------------------------

# (field, org code, name, quantity[, unit, target verb]) — org "4301" means a city-level project led by the
# field's department; a district code means the district leads (or the department does, with the
# district as 配合单位, every other time).
Entry = tuple[Any, ...]

POOL: list[Entry] = [
    # 学位
    (F.SCHOOL_PLACES, "430104", "梅溪湖第二小学新建工程", 2160),
    (F.SCHOOL_PLACES, "430104", "洋湖实验中学扩建工程", 1350),
    (F.SCHOOL_PLACES, "430104", "含浦学士小学新建工程", 1620),
    (F.SCHOOL_PLACES, "430102", "东湖新区小学新建工程", 1620),
    (F.SCHOOL_PLACES, "430102", "马坡岭小学改扩建工程", 810),
    (F.SCHOOL_PLACES, "430103", "暮云第三小学新建工程", 2160),
    (F.SCHOOL_PLACES, "430103", "南托中学扩建工程", 1200),
    (F.SCHOOL_PLACES, "430105", "洪山新城小学新建工程", 1620),
    (F.SCHOOL_PLACES, "430105", "捞刀河中学扩建工程", 900),
    (F.SCHOOL_PLACES, "430111", "同升湖实验学校新建工程", 2700),
    (F.SCHOOL_PLACES, "430111", "洞井中学改扩建工程", 1200),
    (F.SCHOOL_PLACES, "430112", "月亮岛第二小学新建工程", 1620),
    (F.SCHOOL_PLACES, "430121", "泉塘第二小学新建工程", 2160),
    (F.SCHOOL_PLACES, "430181", "集里第二小学新建工程", 1350),
    (F.SCHOOL_PLACES, "430182", "白马桥实验小学新建工程", 1620),
    (F.SCHOOL_PLACES, "430121", "湘龙中学扩建工程", 1350),
    (F.SCHOOL_PLACES, "430104", "观沙岭第二小学新建工程", 1620),
    # 床位
    (F.HOSPITAL_BEDS, "4301", "长沙市第一医院北院病区扩容", 300),
    (F.HOSPITAL_BEDS, "4301", "长沙市第三医院住院综合楼启用", 400),
    (F.HOSPITAL_BEDS, "4301", "长沙市第四医院滨水新城院区开放床位", 500),
    (F.HOSPITAL_BEDS, "4301", "长沙市中心医院病区改造", 200),
    (F.HOSPITAL_BEDS, "4301", "长沙市妇幼保健院新院区开放床位", 300),
    (F.HOSPITAL_BEDS, "4301", "长沙市中医医院（长沙市第八医院）病区扩容", 150),
    (F.HOSPITAL_BEDS, "430112", "望城区人民医院住院楼扩建", 200),
    (F.HOSPITAL_BEDS, "430121", "长沙县第一人民医院病区扩容", 160),
    (F.HOSPITAL_BEDS, "430181", "浏阳市人民医院住院楼扩建", 260),
    (F.HOSPITAL_BEDS, "430182", "宁乡市人民医院病区扩容", 180),
    (F.HOSPITAL_BEDS, "430104", "洋湖街道社区卫生服务中心护理床位建设", 60),
    (F.HOSPITAL_BEDS, "430111", "同升街道社区卫生服务中心护理床位建设", 50),
    (F.HOSPITAL_BEDS, "430105", "洪山街道社区卫生服务中心护理床位建设", 50),
    (F.HOSPITAL_BEDS, "430103", "暮云街道社区卫生服务中心护理床位建设", 60),
    (F.HOSPITAL_BEDS, "430121", "黄花镇卫生院病房改造", 80),
    (F.HOSPITAL_BEDS, "430181", "关口街道社区卫生服务中心护理床位建设", 40),
    # 车位
    (F.PARKING, "430103", "贺龙体育中心地下公共停车场提质", 620),
    (F.PARKING, "430103", "天心阁周边公共停车场建设", 260),
    (F.PARKING, "430102", "湖南省人民医院周边停车挖潜", 480),
    (F.PARKING, "430102", "五一广场地下停车场智慧化改造", 900),
    (F.PARKING, "430105", "湘江世纪城片区公共停车场建设", 560),
    (F.PARKING, "430105", "潮宗街历史街区周边停车挖潜", 240),
    (F.PARKING, "430104", "岳麓山东门公共停车场建设", 420),
    (F.PARKING, "430104", "湖南大学北校区周边停车挖潜", 300),
    (F.PARKING, "430111", "高桥大市场公共停车场建设", 1200),
    (F.PARKING, "430112", "月亮岛公园公共停车场建设", 680),
    (F.PARKING, "430121", "星沙步行街立体停车库建设", 520),
    (F.PARKING, "430181", "浏阳河风光带公共停车场建设", 350),
    (F.PARKING, "430182", "玉潭公园公共停车场建设", 280),
    (F.PARKING, "4301", "长沙火车站东广场停车场提质", 800),
    (F.PARKING, "4301", "中心城区路内智慧停车泊位施划", 1500),
    (F.PARKING, "430111", "德思勤广场周边路内泊位施划", 320),
    # 厕位
    (F.TOILETS, "4301", "湖南烈士公园公厕提质改造", 8),
    (F.TOILETS, "4301", "五一大道沿线公厕提质改造", 12),
    (F.TOILETS, "4301", "解放西路沿线公厕提质改造", 9),
    (F.TOILETS, "430105", "月湖公园公厕新建", 6),
    (F.TOILETS, "430111", "圭塘河生态公园公厕新建", 7),
    (F.TOILETS, "4301P01", "洋湖湿地公园公厕提质", 6),
    (F.TOILETS, "4301P01", "梅溪湖公园公厕提质", 8),
    (F.TOILETS, "430104", "西湖文化园公厕提质", 5),
    (F.TOILETS, "430103", "湘府文化公园公厕新建", 6),
    (F.TOILETS, "430121", "松雅湖公园公厕新建", 10),
    (F.TOILETS, "430121", "黄花镇农村户厕改造", 1800, "户", "改造农村户厕"),
    (F.TOILETS, "430111", "跳马镇农村户厕改造", 1200, "户", "改造农村户厕"),
    (F.TOILETS, "430112", "靖港镇农村户厕改造", 1500, "户", "改造农村户厕"),
    (F.TOILETS, "430182", "花明楼镇农村户厕改造", 1600, "户", "改造农村户厕"),
    (F.TOILETS, "430104", "莲花镇农村户厕改造", 1100, "户", "改造农村户厕"),
    (F.TOILETS, "430181", "官渡镇农村户厕改造", 1400, "户", "改造农村户厕"),
    (F.TOILETS, "430121", "开慧镇农村户厕改造", 1300, "户", "改造农村户厕"),
    # 梯位
    (F.ELEVATORS, "430102", "文艺新村既有住宅加装电梯", 24),
    (F.ELEVATORS, "430102", "朝阳新村既有住宅加装电梯", 30),
    (F.ELEVATORS, "430102", "燕山街小区既有住宅加装电梯", 18),
    (F.ELEVATORS, "430103", "金盆岭小区既有住宅加装电梯", 36),
    (F.ELEVATORS, "430103", "桂花坪小区既有住宅加装电梯", 28),
    (F.ELEVATORS, "430104", "望月湖小区既有住宅加装电梯", 45),
    (F.ELEVATORS, "430104", "桃子湖小区既有住宅加装电梯", 20),
    (F.ELEVATORS, "430104", "咸嘉新村既有住宅加装电梯", 32),
    (F.ELEVATORS, "430105", "伍家岭小区既有住宅加装电梯", 26),
    (F.ELEVATORS, "430105", "东风小区既有住宅加装电梯", 22),
    (F.ELEVATORS, "430105", "望麓园小区既有住宅加装电梯", 16),
    (F.ELEVATORS, "430111", "侯家塘小区既有住宅加装电梯", 34),
    (F.ELEVATORS, "430111", "砂子塘小区既有住宅加装电梯", 27),
    (F.ELEVATORS, "430111", "东塘小区既有住宅加装电梯", 40),
    (F.ELEVATORS, "430121", "泉塘小区既有住宅加装电梯", 15),
    (F.ELEVATORS, "430182", "白马桥小区既有住宅加装电梯", 12),
    # 摊位
    (F.MARKET_STALLS, "4301", "马王堆农贸市场提质改造", 320),
    (F.MARKET_STALLS, "4301", "南湖路农贸市场提质改造", 260),
    (F.MARKET_STALLS, "430111", "东塘农贸市场提质改造", 240),
    (F.MARKET_STALLS, "430111", "雨花亭农贸市场提质改造", 180),
    (F.MARKET_STALLS, "430103", "桂花坪农贸市场提质改造", 160),
    (F.MARKET_STALLS, "430104", "银盆岭农贸市场提质改造", 210),
    (F.MARKET_STALLS, "430104", "望月湖农贸市场提质改造", 150),
    (F.MARKET_STALLS, "430105", "伍家岭农贸市场提质改造", 190),
    (F.MARKET_STALLS, "430105", "四方坪农贸市场提质改造", 170),
    (F.MARKET_STALLS, "430102", "荷花园农贸市场提质改造", 140),
    (F.MARKET_STALLS, "430121", "星沙农贸市场提质改造", 300),
    (F.MARKET_STALLS, "430182", "玉潭农贸市场提质改造", 220),
    (F.MARKET_STALLS, "430181", "淮川农贸市场提质改造", 200),
    (F.MARKET_STALLS, "430103", "南门口夜市便民摊点规范设置", 120, "个", "规范设置便民摊点"),
    (F.MARKET_STALLS, "430103", "太平街便民摊点规范设置", 80, "个", "规范设置便民摊点"),
    (F.MARKET_STALLS, "430112", "高塘岭农贸市场提质改造", 130),
    # 老旧小区改造（以片区计）
    (F.OLD_ESTATES, "430102", "文艺路片区老旧小区改造", 9),
    (F.OLD_ESTATES, "430102", "韭菜园片区老旧小区改造", 7),
    (F.OLD_ESTATES, "430102", "定王台片区老旧小区改造", 6),
    (F.OLD_ESTATES, "430103", "坡子街片区老旧小区改造", 8),
    (F.OLD_ESTATES, "430103", "城南路片区老旧小区改造", 11),
    (F.OLD_ESTATES, "430103", "裕南街片区老旧小区改造", 9),
    (F.OLD_ESTATES, "430104", "岳麓街道片区老旧小区改造", 12),
    (F.OLD_ESTATES, "430104", "银盆岭片区老旧小区改造", 10),
    (F.OLD_ESTATES, "430105", "望麓园片区老旧小区改造", 8),
    (F.OLD_ESTATES, "430105", "通泰街片区老旧小区改造", 7),
    (F.OLD_ESTATES, "430105", "清水塘片区老旧小区改造", 6),
    (F.OLD_ESTATES, "430111", "左家塘片区老旧小区改造", 13),
    (F.OLD_ESTATES, "430111", "井湾子片区老旧小区改造", 9),
    (F.OLD_ESTATES, "430112", "高塘岭片区老旧小区改造", 6),
    (F.OLD_ESTATES, "430121", "星沙片区老旧小区改造", 8),
    (F.OLD_ESTATES, "430181", "淮川片区老旧小区改造", 10),
    (F.OLD_ESTATES, "430182", "玉潭片区老旧小区改造", 9),
    # 道路
    (F.ROADS, "430105", "洪山路东延线打通工程", 2.4),
    (F.ROADS, "430105", "福城路北延线打通工程", 1.6),
    (F.ROADS, "430111", "香樟路东延线打通工程", 3.1),
    (F.ROADS, "430111", "赤岗冲路打通工程", 0.9),
    (F.ROADS, "430104", "桐梓坡路西延线打通工程", 2.8),
    (F.ROADS, "430104", "含浦大道北段提质工程", 3.5, "公里", "完成道路提质"),
    (F.ROADS, "430103", "新姚路南段打通工程", 1.8),
    (F.ROADS, "430103", "芙蓉南路辅道打通工程", 2.2),
    (F.ROADS, "430102", "远大三路打通工程", 1.2),
    (F.ROADS, "430112", "金星北路北延线打通工程", 4.2),
    (F.ROADS, "430121", "开元东路东延线打通工程", 3.6),
    (F.ROADS, "430182", "白马大道东延线打通工程", 2.9),
    (F.ROADS, "430181", "关口大道打通工程", 3.3),
    (F.ROADS, "4301", "芙蓉中路港湾式公交站改造", 18, "个", "改造港湾式公交站"),
    (F.ROADS, "4301", "韶山北路港湾式公交站改造", 14, "个", "改造港湾式公交站"),
    (F.ROADS, "4301", "人民中路港湾式公交站改造", 12, "个", "改造港湾式公交站"),
    (F.ROADS, "4301", "五一大道公交专用道优化", 6.8, "公里", "优化公交专用道"),
    # 供水
    (F.UTILITIES, "430102", "韭菜园片区二次供水设施改造", 2600),
    (F.UTILITIES, "430102", "火星片区二次供水设施改造", 3100),
    (F.UTILITIES, "430111", "东塘片区二次供水设施改造", 2800),
    (F.UTILITIES, "430111", "侯家塘片区二次供水设施改造", 1900),
    (F.UTILITIES, "430103", "金盆岭片区二次供水设施改造", 2200),
    (F.UTILITIES, "430103", "桂花坪片区二次供水设施改造", 1700),
    (F.UTILITIES, "430104", "望月湖片区供水管网改造", 3400),
    (F.UTILITIES, "430104", "银盆岭片区供水管网改造", 2500),
    (F.UTILITIES, "430105", "伍家岭片区供水管网改造", 2100),
    (F.UTILITIES, "430105", "洪山片区供水管网改造", 1600),
    (F.UTILITIES, "430111", "高桥片区供水管网改造", 2300),
    (F.UTILITIES, "430111", "砂子塘片区供水管网改造", 1800),
    (F.UTILITIES, "430105", "月湖片区供水管网改造", 1500),
    (F.UTILITIES, "430102", "荷花园片区供水管网改造", 2000),
    (F.UTILITIES, "430102", "朝阳片区供水管网改造", 1400),
    # 水环境、噪声与油烟
    (F.ENVIRONMENT, "430111", "圭塘河水环境综合治理", 8.5),
    (F.ENVIRONMENT, "430104", "龙王港水环境综合治理", 6.2),
    (F.ENVIRONMENT, "430104", "靳江河水环境综合治理", 7.4),
    (F.ENVIRONMENT, "430104", "后湖水环境综合治理", 2.1, "平方公里", "治理湖体水环境"),
    (F.ENVIRONMENT, "430111", "沙河水环境综合治理", 5.3),
    (F.ENVIRONMENT, "430105", "捞刀河开福段水环境治理", 9.6),
    (F.ENVIRONMENT, "430105", "月湖水质提升", 1.8, "平方公里", "提升湖体水质"),
    (F.ENVIRONMENT, "430105", "年嘉湖水环境综合治理", 1.5, "平方公里", "治理湖体水环境"),
    (F.ENVIRONMENT, "430102", "浏阳河芙蓉段水环境综合治理", 6.0),
    (F.ENVIRONMENT, "4301", "坡子街餐饮油烟集中治理", 126, "户", "完成餐饮油烟净化改造"),
    (F.ENVIRONMENT, "4301", "东塘步行街餐饮油烟集中治理", 88, "户", "完成餐饮油烟净化改造"),
    (F.ENVIRONMENT, "4301", "星沙步行街餐饮油烟集中治理", 104, "户", "完成餐饮油烟净化改造"),
    (F.ENVIRONMENT, "4301", "三一大道沿线交通噪声治理", 5.5, "公里", "建设声屏障及低噪路面"),
    (F.ENVIRONMENT, "4301", "万家丽高架沿线交通噪声治理", 7.2, "公里", "建设声屏障及低噪路面"),
    (F.ENVIRONMENT, "430121", "松雅湖水环境综合治理", 3.4, "平方公里", "治理湖体水环境"),
    # 防灾
    (F.DISASTER, "430111", "跳马镇地质灾害隐患点治理", 6),
    (F.DISASTER, "430104", "莲花镇山塘除险加固", 9, "口", "除险加固山塘"),
    (F.DISASTER, "430104", "雨敞坪镇地质灾害隐患点治理", 5),
    (F.DISASTER, "430112", "铜官街道山洪沟治理", 4, "条", "治理山洪沟"),
    (F.DISASTER, "430112", "乔口镇防洪堤加固", 3.2, "公里", "加固防洪堤"),
    (F.DISASTER, "430121", "黄花镇山塘除险加固", 11, "口", "除险加固山塘"),
    (F.DISASTER, "430121", "福临镇地质灾害隐患点治理", 4),
    (F.DISASTER, "430182", "花明楼镇地质灾害隐患点治理", 7),
    (F.DISASTER, "430182", "沩山乡山洪沟治理", 5, "条", "治理山洪沟"),
    (F.DISASTER, "430181", "张坊镇地质灾害隐患点治理", 6),
    (F.DISASTER, "430181", "社港镇山塘除险加固", 8, "口", "除险加固山塘"),
    (F.DISASTER, "430105", "洪山片区排渍泵站提质", 2, "座", "提质排渍泵站"),
    (F.DISASTER, "4301P01", "梅溪湖片区排涝泵站建设", 2, "座", "建成排涝泵站"),
    (F.DISASTER, "430103", "大托铺片区排渍泵站提质", 2, "座", "提质排渍泵站"),
    # 基层治理
    (F.GOVERNANCE, "430102", "五里牌街道党群服务中心提质", 1),
    (F.GOVERNANCE, "430105", "湘雅路街道党群服务中心提质", 1),
    (F.GOVERNANCE, "430103", "坡子街街道党群服务中心提质", 1),
    (F.GOVERNANCE, "4301P01", "梅溪湖街道邻里中心建设", 6, "个", "建成小区邻里中心"),
    (F.GOVERNANCE, "430111", "侯家塘街道邻里中心建设", 5, "个", "建成小区邻里中心"),
    (F.GOVERNANCE, "430112", "高塘岭街道网格化服务管理中心建设", 1),
    (F.GOVERNANCE, "430121", "星沙街道网格化服务管理中心建设", 1),
    (F.GOVERNANCE, "430181", "淮川街道网格化服务管理中心建设", 1),
    (F.GOVERNANCE, "430182", "玉潭街道网格化服务管理中心建设", 1),
    (F.GOVERNANCE, "4301", "物业小区党支部组建", 300, "个", "新建小区党支部"),
    (F.GOVERNANCE, "4301", "小区“邻里中心”打造", 200, "个", "建成小区邻里中心"),
    (F.GOVERNANCE, "430104", "望岳街道邻里中心建设", 4, "个", "建成小区邻里中心"),
    (F.GOVERNANCE, "430102", "东岸街道邻里中心建设", 4, "个", "建成小区邻里中心"),
    (F.GOVERNANCE, "430105", "青竹湖街道网格化服务管理中心建设", 1),
]
