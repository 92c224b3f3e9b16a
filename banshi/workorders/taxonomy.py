"""The default request taxonomy, in the three levels 12345 hotlines use. Admins edit it afterwards
(categories are rows); this is only what a new installation starts with. ``open311`` marks the
leaves the demo publishes as Open311 services."""

from __future__ import annotations

from typing import Any

TAXONOMY: list[tuple[str, list[tuple[str, list[str]]]]] = [
    (
        "城市管理",
        [
            ("市容环境", ["占道经营", "乱堆乱放", "乱贴乱画", "户外广告", "门前三包"]),
            ("环境卫生", ["垃圾清运不及时", "公厕管理", "道路清扫保洁", "垃圾分类"]),
            ("市政设施", ["道路破损", "井盖缺失破损", "路灯不亮", "排水管道堵塞", "人行道破损"]),
            ("园林绿化", ["树木倒伏修剪", "绿地毁损", "公园管理"]),
            ("违法建设", ["违章搭建", "房屋违规装修"]),
        ],
    ),
    (
        "生态环境",
        [
            ("噪声污染", ["交通噪声", "建筑施工噪声", "社会生活噪声", "工业噪声"]),
            ("大气污染", ["油烟污染", "扬尘污染", "露天焚烧", "异味"]),
            ("水污染", ["河道污染", "污水直排"]),
        ],
    ),
    (
        "城乡建设",
        [
            ("住房保障", ["公租房申请", "老旧小区改造", "危旧房屋"]),
            ("物业管理", ["物业服务质量", "电梯故障", "加装电梯", "物业收费", "公共维修资金"]),
            ("房地产市场", ["精装房质量", "公摊面积计价", "逾期交房", "不动产登记"]),
        ],
    ),
    (
        "水电气",
        [
            ("供水", ["停水", "水压不足", "水质问题", "供水管网漏水", "水费"]),
            ("供电", ["停电", "电压不稳", "电力设施安全"]),
            ("燃气", ["燃气泄漏", "燃气安装", "燃气费用"]),
        ],
    ),
    (
        "交通运输",
        [
            ("道路交通", ["交通拥堵", "交通信号灯", "交通标志标线", "停车难"]),
            ("公共交通", ["公交线路", "公交站点", "地铁服务", "出租车网约车"]),
            ("停车管理", ["停车场收费", "占用消防通道", "残疾人停车位"]),
        ],
    ),
    (
        "教育",
        [
            ("入学入园", ["学位不足", "入学政策", "幼儿园收费"]),
            ("校园管理", ["校园安全", "课后服务", "校外培训"]),
        ],
    ),
    (
        "卫生健康",
        [
            ("医疗服务", ["就医难", "医院周边环境", "医疗纠纷"]),
            ("公共卫生", ["疫苗接种", "病媒生物防制"]),
        ],
    ),
    (
        "社会保障",
        [
            ("社会保险", ["医保报销", "养老保险", "社保缴费"]),
            ("社会救助", ["低保申请", "特困供养", "临时救助"]),
            ("养老服务", ["居家养老", "养老机构", "老年助餐"]),
        ],
    ),
    (
        "劳动就业",
        [
            ("劳动关系", ["拖欠工资", "劳动合同", "工伤认定"]),
            ("就业服务", ["就业补贴", "职业培训"]),
        ],
    ),
    (
        "市场监管",
        [
            ("消费维权", ["商品质量", "预付卡消费", "价格欺诈"]),
            ("食品安全", ["餐饮卫生", "过期食品", "无证经营"]),
        ],
    ),
    (
        "公共安全",
        [
            ("消防安全", ["消防隐患", "电动车违规充电"]),
            ("自然灾害", ["山体滑坡", "山洪内涝", "地质灾害隐患"]),
        ],
    ),
    (
        "农业农村",
        [
            ("农村建设", ["农村道路", "农村饮水", "美丽宜居村庄"]),
            ("农业生产", ["农资质量", "农业补贴"]),
        ],
    ),
    (
        "政务服务",
        [
            ("办事服务", ["办事效率", "跨省通办", "证照办理"]),
            ("政策咨询", ["人才政策", "惠企政策", "户籍政策"]),
        ],
    ),
]

# Leaves published as Open311 services in a new installation, with their notices.
OPEN311_SERVICES: dict[str, str] = {
    "道路破损": "请尽量提供照片和准确位置，一般问题15个工作日内办结。",
    "井盖缺失破损": "井盖缺失存在安全隐患，请注意避让，紧急情况请拨打12345。",
    "路灯不亮": "请注明路灯所在道路及附近门牌号。",
    "垃圾清运不及时": "",
    "占道经营": "",
    "交通噪声": "请注明噪声时段。",
    "建筑施工噪声": "夜间（22时至次日6时）施工噪声请注明具体时间。",
    "停水": "",
    "电梯故障": "如有人员被困请立即拨打96333或110。",
    "停车难": "",
}


def categories() -> list[dict[str, Any]]:
    """The taxonomy as rows: code, name, level, parent code, Open311 flag and notice."""
    rows = []
    for i, (top, middles) in enumerate(TAXONOMY, start=1):
        top_code = f"{i:02d}"
        rows.append({"code": top_code, "name": top, "level": 1, "parent": None})
        for j, (middle, leaves) in enumerate(middles, start=1):
            mid_code = f"{top_code}{j:02d}"
            rows.append({"code": mid_code, "name": middle, "level": 2, "parent": top_code})
            for k, leaf in enumerate(leaves, start=1):
                rows.append(
                    {
                        "code": f"{mid_code}{k:02d}",
                        "name": leaf,
                        "level": 3,
                        "parent": mid_code,
                        "open311": leaf in OPEN311_SERVICES,
                        "notice": OPEN311_SERVICES.get(leaf, ""),
                    }
                )
    return rows


def load_taxonomy(category_model: Any) -> int:
    """Create the default taxonomy rows that are missing; returns how many were created. Takes
    the model class so the data migration can pass its historical model."""
    by_code: dict[str, Any] = {}
    created = 0
    for sort, row in enumerate(categories()):
        obj, made = category_model.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "sort": sort,
                "parent": by_code.get(row["parent"]),
                "open311_published": row.get("open311", False),
                "open311_notice": row.get("notice", ""),
            },
        )
        by_code[row["code"]] = obj
        created += made
    return created


def load_time_limits(rule_model: Any) -> int:
    """Create the default time-limit rules that are missing (DOMAIN.md's defaults)."""
    from banshi.workorders.clock import DEFAULT_RULES

    created = 0
    for (kind, urgency), (sign, contact, close) in DEFAULT_RULES.items():
        _, made = rule_model.objects.get_or_create(
            kind=kind,
            urgency=urgency,
            org_level="",
            defaults={
                "sign_amount": sign[0],
                "sign_unit": sign[1],
                "contact_amount": contact[0],
                "contact_unit": contact[1],
                "close_amount": close[0],
                "close_unit": close[1],
            },
        )
        created += made
    return created
