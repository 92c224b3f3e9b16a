"""Scripted demo requests: the cases the 我为群众办实事 article tells and a handful placed relative
to ``now`` so that every queue and every light has something in it however small the demo is.

The article's cases happened in 2021 and are dated then, beside the 实事项目 they raised (梅溪湖隧道
noise, 长沙火车站西广场 sanitation, 大塘社区 water supply); the follow-ups (梅溪湖隧道 改装车 at night,
湘雅医院 parking again) are recent.

A step is (hours after the request was received, who, action, data). Who is a role of the demo
cast ("operator", "dispatcher", "handler" — the lead unit's handler, "co:CODE" — the handler of
co-unit CODE acting on its part, "citizen", "system" …). In
data, ``"@unit:CODE"`` becomes that unit's id and ``"@order:NAME"`` the number of the story
called NAME; ``"due_hours"`` becomes a 督办 deadline that many hours after the step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from banshi.core.calendar import TZ

Step = tuple[float, str, str, dict[str, Any]]


@dataclass(frozen=True)
class Story:
    name: str
    age_hours: float  # how long before ``now`` it was received (when ``received`` is not given)
    unit: str  # org unit code where it is (street or community)
    leaf: str
    kind: str
    title: str
    content: str
    address: str
    caller: tuple[str, str]
    channel: str = "phone"
    urgency: str = "normal"
    tags: tuple[str, ...] = ()
    point: tuple[float, float] | None = None  # (lat, lon), WGS84
    steps: list[Step] = field(default_factory=list)
    received: datetime.datetime | None = None  # a fixed moment, for the article's 2021 cases


D = 24.0
MEIXI = datetime.datetime(
    2021, 6, 7, 21, 40, tzinfo=TZ
)  # the first 梅溪湖隧道 noise call  # hours in a day, for readable offsets

MEIXI_STEPS: list[Step] = [
    (
        1.0,
        "dispatcher",
        "dispatch",
        {
            "lead_unit": "@unit:4301P01",
            "co_units": ["@unit:430104", "@unit:4301F10"],
            "note": "梅溪湖隧道出口噪声，由湘江新区牵头，岳麓区、交警支队协办",
        },
    ),
    (3.0, "handler", "sign", {}),
    (4.0, "co:4301F10", "co_sign", {}),
    (6.0, "co:430104", "co_sign", {}),
    (20.0, "handler", "contact", {"note": "已电话联系诉求人，并于夜间到隧道出口实测噪声。"}),
    (
        2 * D,
        "co:4301F10",
        "co_reply",
        {
            "opinion": "交警支队同意梅溪湖隧道夜间22时至次日6时限速40公里、禁止渣土车通行，已制作标志牌。"
        },
    ),
    (
        4 * D,
        "co:430104",
        "co_reply",
        {
            "opinion": "岳麓区已对隧道出口两侧小区夜间噪声连续监测一周，超标约15分贝，支持加装声屏障。"
        },
    ),
    (5 * D, "supervisor", "urge", {"note": "梅溪湖隧道噪声群众反复来电，请加快办理。"}),
    (
        8 * D,
        "handler",
        "request_extension",
        {"days": 10, "reason": "声屏障需完成设计、招标和夜间施工，申请延期10个工作日。"},
    ),
    (8.3 * D, "dispatcher", "approve_extension", {"note": "同意延期，请每周报告进度。"}),
    (
        10 * D,
        "supervisor",
        "supervise",
        {"note": "列为热点问题督办，请湘江新区按期完成声屏障建设。", "due_hours": 20 * D},
    ),
    (
        26 * D,
        "handler",
        "reply",
        {
            "result": "湘江新区已将梅溪湖隧道噪声治理列为市级重点民生实事，牵头建设隧道全封闭隔音屏障（钢结构754吨、亚克力隔音板1978块），计划9月上旬完工；完工前，夜间22时至次日6时隧道限速40公里并禁止渣土车通行，交警支队每晚在隧道两端设卡检查改装车辆。",
            "solved": True,
        },
    ),
    (26.4 * D, "dispatcher", "audit_pass", {"note": "措施具体，同意回访。"}),
    (
        27.5 * D,
        "citizen",
        "rate",
        {
            "resolution": "solved",
            "satisfaction": "satisfied",
            "comment": "限速和夜查以后晚上安静多了，期待隔音屏早日建好。",
        },
    ),
]


def _meixi_repeat(n: int, day: float, caller: tuple[str, str], estate: str) -> Story:
    return Story(
        name=f"meixi-repeat-{n}",
        age_hours=0,
        received=MEIXI + datetime.timedelta(days=day),
        unit="430104010",
        leaf="交通噪声",
        kind="complaint",
        title="梅溪湖隧道出口夜间噪声扰民（重复来电）",
        content=f"住在{estate}，梅溪湖隧道出口车辆夜间加速轰鸣，凌晨还有渣土车通过，已经反映过多次，希望尽快加装隔音设施。",
        address=f"长沙市岳麓区梅溪湖街道{estate}（梅溪湖隧道出口）",
        caller=caller,
        tags=("梅溪湖隧道", "重复诉求"),
        steps=[(0.2, "operator", "merge", {"parent": "@order:meixi-tunnel"})],
    )


STORIES: list[Story] = [
    # --- the article's cases --------------------------------------------------------------
    Story(
        name="meixi-tunnel",
        age_hours=0,
        received=MEIXI,
        unit="430104010",
        leaf="交通噪声",
        kind="complaint",
        title="梅溪湖隧道出口夜间交通噪声扰民",
        content="家住中海梅溪湖一号，紧邻梅溪湖隧道出口。隧道通车后车流量大，夜间渣土车、改装车加速出洞轰鸣，凌晨一两点仍然很吵，老人孩子长期睡不好。希望加装隔音屏、限速并管控夜间大车。",
        address="长沙市岳麓区梅溪湖街道中海梅溪湖一号（梅溪湖隧道出口）",
        caller=("刘静怡", "19900021001"),
        tags=("梅溪湖隧道", "热点"),
        point=(28.199921, 112.885412),
        steps=MEIXI_STEPS,
    ),
    _meixi_repeat(1, 2, ("陈志远", "19900031002"), "金茂梅溪湖"),
    _meixi_repeat(2, 4, ("黄晓梅", "19900041003"), "中海梅溪湖一号"),
    _meixi_repeat(3, 6, ("周立新", "19900051004"), "梅溪湖国际文化艺术中心旁住宅"),
    _meixi_repeat(4, 9, ("吴丽华", "19900061005"), "金茂梅溪湖"),
    Story(
        name="meixi-followup",
        age_hours=3 * D,
        unit="430104010",
        leaf="交通噪声",
        kind="complaint",
        title="梅溪湖隧道出口夜间仍有改装车炸街",
        content="梅溪湖隧道出口声屏障建好后好多了，但最近周末深夜又有改装车在隧道里炸街，希望交警加强夜查。",
        address="长沙市岳麓区梅溪湖街道枫林三路梅溪湖隧道出口",
        caller=("刘静怡", "19900021001"),
        channel="mobile",
        tags=("梅溪湖隧道", "热点"),
        steps=[
            (
                1.0,
                "dispatcher",
                "dispatch",
                {"lead_unit": "@unit:4301F10", "note": "梅溪湖隧道热点问题，交警支队牵头"},
            ),
            (2.0, "handler", "sign", {}),
            (6.0, "handler", "contact", {"note": "已联系诉求人，本周末起在隧道两端设卡夜查。"}),
            (
                30.0,
                "supervisor",
                "supervise",
                {"note": "梅溪湖隧道热点问题持续督办。", "due_hours": 7 * D},
            ),
        ],
    ),
    Story(
        name="station-square",
        age_hours=0,
        received=datetime.datetime(2021, 3, 29, 8, 50, tzinfo=TZ),
        unit="430102008002",
        leaf="垃圾清运不及时",
        kind="complaint",
        title="长沙火车站西广场垃圾堆积、地面脏污",
        content="长沙火车站西广场出站口附近垃圾桶满溢，地面有大量烟头、饮料瓶和油污，旅客很多，味道难闻，影响长沙的城市形象，希望加强保洁和垃圾清运。",
        address="长沙市芙蓉区五里牌街道火车站社区长沙火车站西广场",
        caller=("邓海波", "19900071006"),
        point=(28.195352, 113.008392),
        steps=[
            (
                0.5,
                "dispatcher",
                "dispatch",
                {
                    "lead_unit": "@unit:430102",
                    "co_units": ["@unit:4301F02"],
                    "note": "火车站西广场环境卫生，芙蓉区牵头、市城管局协办",
                },
            ),
            (1.5, "handler", "sign", {}),
            (2.0, "co:4301F02", "co_sign", {}),
            (4.0, "handler", "contact", {"note": "已电话联系诉求人，当日安排保洁突击清理。"}),
            (
                2 * D,
                "co:4301F02",
                "co_reply",
                {
                    "opinion": "市城管局已安排环卫作业单位驻点保洁，垃圾清运增至每日四次，城管队员每日巡查劝导。"
                },
            ),
            (
                3 * D,
                "handler",
                "reply",
                {
                    "result": "芙蓉区会同市城管局对火车站西广场实行24小时驻点保洁，出站口新增分类垃圾桶16组，垃圾清运由每日两次增至每日四次，并安排城管队员劝导乱扔垃圾行为。",
                    "solved": True,
                },
            ),
            (3.3 * D, "dispatcher", "audit_pass", {"note": "同意回访。"}),
            (
                4 * D,
                "operator",
                "callback",
                {
                    "resolution": "solved",
                    "satisfaction": "satisfied",
                    "comment": "西广场干净多了。",
                },
            ),
        ],
    ),
    Story(
        name="xiangya-parking",
        age_hours=6 * D,
        unit="430105005",
        leaf="停车难",
        kind="complaint",
        title="湘雅医院周边停车难，湘雅路拥堵",
        content="带老人到湘雅医院看病，医院停车场排队一个多小时，湘雅路两侧车辆乱停，救护车都难以通行。建议增设停车位、开放周边单位停车场并加强交通疏导。",
        address="长沙市开福区湘雅路街道湘雅路87号中南大学湘雅医院",
        caller=("谭国平", "19900081007"),
        channel="web",
        point=(28.214523, 112.984305),
        steps=[
            (
                1.5,
                "kf_dispatcher",
                "dispatch",
                {
                    "lead_unit": "@unit:430105",
                    "co_units": ["@unit:430105S01"],
                    "note": "湘雅医院周边停车，开福区牵头，湘雅医院协办",
                },
            ),
            (3.0, "handler", "sign", {}),
            (8.0, "co:430105S01", "co_sign", {}),  # signed; its opinion is still to come
            (
                20.0,
                "handler",
                "contact",
                {"note": "已联系诉求人，正会同湘雅医院、交警研究错时共享停车方案。"},
            ),
            (
                4 * D,
                "kf_supervisor",
                "urge",
                {"note": "湘雅医院周边停车问题群众关注度高，请加快办理。"},
            ),
        ],
    ),
    Story(
        name="datang-water",
        age_hours=0,
        received=datetime.datetime(2021, 4, 22, 19, 15, tzinfo=TZ),
        unit="430105016005",
        leaf="水压不足",
        kind="help",
        title="新大塘社区高峰期水压不足、时常停水",
        content="新大塘社区老住宅楼早晚用水高峰时水压很低，四楼以上经常没水，已经持续两个多月，居民意见很大，请水务部门彻底解决。",
        address="长沙市开福区秀峰街道新大塘社区",
        caller=("宋满秀", "19900091008"),
        channel="grid",
        steps=[
            (
                1.0,
                "dispatcher",
                "dispatch",
                {
                    "lead_unit": "@unit:4301F03",
                    "co_units": ["@unit:430105016"],
                    "note": "大塘社区供水，长沙水业集团牵头，秀峰街道协办",
                },
            ),
            (2.0, "handler", "sign", {}),
            (3.0, "co:430105016", "co_sign", {}),
            (5.0, "handler", "contact", {"note": "已联系社区网格员和居民代表，约定现场测压。"}),
            (
                3 * D,
                "co:430105016",
                "co_reply",
                {
                    "opinion": "秀峰街道已组织网格员逐户登记四楼以上缺水住户共46户，高峰期由社区协调送水。"
                },
            ),
            (
                6 * D,
                "handler",
                "reply",
                {
                    "result": "已对新大塘片区入户管道进行冲洗，并调大片区管网出口压力。",
                    "solved": True,
                },
            ),
            (6.5 * D, "dispatcher", "audit_pass", {}),
            (
                8 * D,
                "operator",
                "callback",
                {
                    "resolution": "partly",
                    "satisfaction": "dissatisfied",
                    "comment": "白天好一点，早晚高峰四楼以上还是没水。",
                },
            ),
            (
                8.5 * D,
                "dispatcher",
                "reopen",
                {"note": "回访不满意，高峰期水压问题未根本解决，重新办理。"},
            ),
            (
                24 * D,
                "handler",
                "reply",
                {
                    "result": "区委、长沙水业集团、秀峰街道、长沙供水公司和社区“五位书记”现场办公，已更换新大塘片区DN100老旧铸铁管约860米，新建二次加压泵站一座，高峰期末端水压由0.12兆帕提升至0.28兆帕，六楼用水正常。",
                    "solved": True,
                },
            ),
            (24.5 * D, "dispatcher", "audit_pass", {"note": "同意回访。"}),
            (
                26 * D,
                "citizen",
                "rate",
                {
                    "resolution": "solved",
                    "satisfaction": "satisfied",
                    "comment": "终于不用提桶接水了，谢谢！",
                },
            ),
        ],
    ),
    # --- one of each open state, placed against ``now`` ---------------------------------------
    Story(
        "show-new",
        0.4,
        "430105016005",
        "路灯不亮",
        "help",
        "建湘路路灯不亮",
        "新大塘社区建湘路一段路灯三天不亮，晚上很黑。",
        "开福区秀峰街道新大塘社区建湘路",
        ("曾凡丽", "19900021101"),
    ),
    Story(
        "show-queued",
        2.0,
        "430111005",
        "油烟污染",
        "complaint",
        "东塘餐馆油烟扰民",
        "东塘步行街一家烧烤店油烟直排，楼上住户无法开窗。",
        "雨花区东塘街道韶山北路东塘步行街",
        ("彭佳怡", "19900031102"),
        steps=[(0.1, "operator", "queue", {"note": "请派生态环境部门。"})],
    ),
    Story(
        "show-to-sign",
        1.2,
        "430103002",
        "井盖缺失破损",
        "help",
        "太平街井盖缺失",
        "太平街中段一个井盖缺失，游客很多，很危险。",
        "天心区坡子街街道太平街",
        ("罗小平", "19900041103"),
        urgency="urgent",
        steps=[
            (
                0.1,
                "dispatcher",
                "dispatch",
                {
                    "lead_unit": "@unit:4301F02",
                    "co_units": ["@unit:430103002"],
                    "note": "市城管局牵头补装井盖，坡子街街道协办现场警戒",
                },
            )
        ],
    ),
    Story(
        "show-yellow",
        6.5,
        "430111007",
        "供水管网漏水",
        "help",
        "高桥大市场路面冒水",
        "高桥大市场北门路面大量冒水，已经流了半天。",
        "雨花区高桥街道高桥大市场北门",
        ("熊海涛", "19900051104"),
        urgency="urgent",
        steps=[(0.2, "dispatcher", "dispatch", {"lead_unit": "@unit:4301F03"})],
    ),
    Story(
        "show-blue",
        21.0,
        "430104011",
        "电梯故障",
        "help",
        "麓谷小区电梯困人",
        "麓谷小镇7栋电梯困人后仍未修好，老人无法下楼。",
        "岳麓区麓谷街道麓谷小镇",
        ("孟思远", "19900061105"),
        urgency="critical",
        steps=[
            (0.2, "dispatcher", "dispatch", {"lead_unit": "@unit:4301F09"}),
            (0.5, "handler", "sign", {}),
            (1.0, "handler", "contact", {"note": "已联系维保单位到场。"}),
        ],
    ),
    Story(
        "show-red",
        40.0,
        "430112001",
        "停电",
        "help",
        "高塘岭小区大面积停电",
        "高塘岭小区整片停电，冰箱里的药品需要冷藏。",
        "望城区高塘岭街道高塘岭小区",
        ("易桂兰", "19900071106"),
        urgency="critical",
        steps=[
            (0.2, "dispatcher", "dispatch", {"lead_unit": "@unit:430102S01"}),
            (0.5, "handler", "sign", {}),
            (1.5, "handler", "contact", {"note": "已派抢修队。"}),
        ],
    ),
    Story(
        "show-green",
        30.0,
        "430121001",
        "物业服务质量",
        "complaint",
        "星沙万科城物业不作为",
        "万科城小区绿化无人养护，门禁坏了一个月没修。",
        "长沙县星沙街道开元东路万科城",
        ("钟雨婷", "19900081107"),
        steps=[
            (1.0, "dispatcher", "dispatch", {"lead_unit": "@unit:430121"}),
            (2.0, "handler", "sign", {}),
            (4.0, "handler", "contact", {"note": "已约物业经理现场查看。"}),
        ],
    ),
    Story(
        "show-replied",
        5 * D,
        "430181002",
        "路灯不亮",
        "help",
        "集里金沙北路路灯不亮",
        "金沙北路集里医院段路灯一周不亮。",
        "浏阳市集里街道金沙北路",
        ("龙德华", "19900091108"),
        steps=[
            (1.0, "dispatcher", "dispatch", {"lead_unit": "@unit:430181"}),
            (2.0, "handler", "sign", {}),
            (3.0, "handler", "contact", {"note": "已联系诉求人。"}),
            (
                5 * D - 3,
                "handler",
                "reply",
                {"result": "已更换损坏路灯8盏，现已正常亮灯。", "solved": True},
            ),
        ],
    ),
    Story(
        "show-callback",
        4 * D,
        "430182001",
        "道路破损",
        "complaint",
        "花明路路面坑洼",
        "宁乡花明路人民路口路面坑洼，雨天积水。",
        "宁乡市玉潭街道花明路",
        ("贺子涵", "19900021109"),
        steps=[
            (1.0, "dispatcher", "dispatch", {"lead_unit": "@unit:430182"}),
            (2.0, "handler", "sign", {}),
            (3.0, "handler", "contact", {"note": "已现场查看。"}),
            (2 * D, "handler", "reply", {"result": "已完成坑槽修补约20平方米。", "solved": True}),
            (3 * D, "dispatcher", "audit_pass", {}),
        ],
    ),
    Story(
        "show-return",
        5.0,
        "430102009",
        "扬尘污染",
        "complaint",
        "火星小区旁工地扬尘",
        "火星小区旁工地车辆未冲洗，远大路全是泥。",
        "芙蓉区火星街道远大路火星小区",
        ("唐浩然", "19900031110"),
        steps=[
            (0.5, "dispatcher", "dispatch", {"lead_unit": "@unit:430102"}),
            (
                3.0,
                "handler",
                "request_return",
                {"reason": "该工地为市重点工程，扬尘监管属市住建局职责，请改派。"},
            ),
        ],
    ),
    Story(
        "show-extension",
        6 * D,
        "430103007",
        "老旧小区改造",
        "suggestion",
        "新开铺小区申请改造",
        "新开铺小区外墙脱落、管网老化，希望纳入老旧小区改造。",
        "天心区新开铺街道新开铺小区",
        ("段欣怡", "19900041111"),
        steps=[
            (1.0, "dispatcher", "dispatch", {"lead_unit": "@unit:4301F04"}),
            (3.0, "handler", "sign", {}),
            (5.0, "handler", "contact", {"note": "已联系诉求人。"}),
            (
                5 * D,
                "handler",
                "request_extension",
                {"days": 10, "reason": "需组织居民意见征集和方案设计。"},
            ),
        ],
    ),
    Story(
        "show-appeal",
        20 * D,
        "430111012",
        "拖欠工资",
        "help",
        "工地拖欠工资",
        "在东山街道工地做了三个月，要求工地赔偿误工费五万元。",
        "雨花区东山街道",
        ("秦宇轩", "19900051112"),
        steps=[
            (1.0, "dispatcher", "dispatch", {"lead_unit": "@unit:430111"}),
            (2.0, "handler", "sign", {}),
            (4.0, "handler", "contact", {"note": "已联系诉求人。"}),
            (
                5 * D,
                "handler",
                "reply",
                {"result": "拖欠工资已结清；误工费诉求已引导通过劳动仲裁解决。", "solved": False},
            ),
            (5.5 * D, "dispatcher", "audit_pass", {}),
            (
                6 * D,
                "operator",
                "callback",
                {
                    "resolution": "unsolved",
                    "satisfaction": "dissatisfied",
                    "comment": "赔偿没有拿到。",
                },
            ),
            (
                8 * D,
                "handler",
                "appeal",
                {"reason": "诉求人要求的误工赔偿已引导仲裁解决，申请不计入考核。"},
            ),
        ],
    ),
    Story(
        "show-escalated",
        30 * D,
        "430105012",
        "违章搭建",
        "report",
        "四方坪小区违章搭建",
        "四方坪小区5栋顶楼住户搭建彩钢棚。",
        "开福区四方坪街道四方坪小区",
        ("马文斌", "19900061113"),
        steps=[
            (1.0, "kf_dispatcher", "dispatch", {"lead_unit": "@unit:430105012"}),
            (3.0, "handler", "sign", {}),
            (6.0, "handler", "contact", {"note": "已现场核查。"}),
            (
                4 * D,
                "kf_leader",
                "instruct",
                {"instruction": "违建问题要依法处置，防止反弹，请街道按期办结。"},
            ),
        ],
    ),
]
