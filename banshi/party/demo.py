"""Demo data of 双报到 in 新大塘社区: the party committees of 长沙市城市管理和综合执法局 and of the
state-owned 长沙水业集团 report to the community (one accepted in March, one after being returned
for its resource list), and in-service members living there register, confirm at the half-year,
and — where their accounts volunteer — serve their hours. Each step runs through the services at
its own moment of 2026, so histories carry their real dates. Run twice, it adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from banshi.accounts.models import User
from banshi.grid.models import MemberKind, PartyMember
from banshi.grid.services import party_member_create
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.services import orgunit_create
from banshi.party import services
from banshi.party.models import MemberRegistration, UnitRegistration
from banshi.projects.demo import story_clock
from banshi.volunteers.demo import VOLUNTEERS
from banshi.workflow.engine import SYSTEM

COMMUNITY = "430105016005"  # 开福区 秀峰街道 新大塘社区
WORKER = "19900000032"  # 宋满秀, 社区工作者 (receives the registrations)

# (unit code, its party committee, contact, mobile, resources offered, story)
UNITS = [
    (
        "4301F02",
        "长沙市城市管理和综合执法局机关党委",
        "周建华",
        "13907312201",
        "每月组织党员志愿者参与背街小巷环境整治；提供占道经营、违章搭建政策咨询；"
        "协调环卫作业车辆支持社区大扫除",
        "accepted",
    ),
    (
        "4301F03",
        "长沙水业集团党委",
        "彭志远",
        "13907312202",
        "老旧小区二次供水设施免费检修；每季度一次入户水表、管道安全检查；"
        "为独居老人提供上门维修服务",
        "returned_then_accepted",
    ),
]

# In-service members living in 新大塘社区: (name, mobile, skills, registered, confirmed or None).
MEMBERS = [
    ("谭建新", "13807311101", "法律咨询", datetime.date(2026, 1, 12), datetime.date(2026, 7, 3)),
    (
        "欧阳琳",
        "13807311102",
        "小学英语辅导",
        datetime.date(2026, 1, 20),
        datetime.date(2026, 7, 15),
    ),
    ("贺志勇", "13807311103", "水电维修", datetime.date(2026, 2, 9), None),  # overdue since August
    ("曾慧敏", "13807311104", "心理疏导", datetime.date(2026, 3, 2), datetime.date(2026, 8, 30)),
    ("蒋文斌", "13807311105", "摄影、宣传", datetime.date(2026, 6, 18), None),  # due in December
    ("龙小燕", "13807311106", "护理、测血压", datetime.date(2026, 9, 1), None),
]
# Volunteers of the volunteer demo who are in-service party members too (indexes into
# VOLUNTEERS): their confirmed hours count towards the yearly threshold.
VOLUNTEER_MEMBERS = [(1, "城管执法"), (3, "交通疏导"), (7, "电脑维修")]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _committee(code: str, name: str) -> OrgUnit | None:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        return None
    found = OrgUnit.objects.filter(parent=unit, name=name, level=Level.BRANCH).first()
    return found or orgunit_create(actor=None, parent=unit, level=Level.BRANCH, name=name)


def seed_party() -> str:
    community = OrgUnit.objects.filter(code=COMMUNITY).first()
    if community is None or UnitRegistration.objects.filter(community=community).exists():
        return "双报到：已有数据或缺少新大塘社区，跳过"
    worker = User.objects.filter(mobile=WORKER).first() or SYSTEM
    units = 0
    for index, (code, name, contact, mobile, resources, story) in enumerate(UNITS):
        committee = _committee(code, name)
        if committee is None:
            continue
        submitted = _at(datetime.date(2026, 3, 3 + 7 * index), 9)
        with story_clock(submitted):
            reg = services.unit_register(
                actor=SYSTEM,
                party_org=committee,
                community=community,
                contact_name=contact,
                contact_mobile=mobile,
                resources=resources,
            )
        if story == "returned_then_accepted":
            with story_clock(submitted + datetime.timedelta(days=1, hours=6)):
                reg = services.unit_registration_transition(
                    actor=worker,
                    registration=reg,
                    action="return",
                    data={"note": "请写明可提供服务的频次和对接人，便于纳入社区需求清单"},
                )
            with story_clock(submitted + datetime.timedelta(days=3)):
                reg = services.unit_registration_transition(
                    actor=SYSTEM, registration=reg, action="resubmit"
                )
        with story_clock(submitted + datetime.timedelta(days=5)):
            services.unit_registration_transition(
                actor=worker,
                registration=reg,
                action="accept",
                data={"note": "欢迎报到，已纳入社区共建单位名录"},
            )
        units += 1

    branch = (
        OrgUnit.objects.filter(parent=community, level=Level.BRANCH).order_by("path").first()
        or community
    )
    people: list[tuple[PartyMember, str, datetime.date, datetime.date | None]] = []
    for name, mobile, skills, registered, confirmed in MEMBERS:
        member = party_member_create(
            actor=None, org_unit=branch, name=name, kind=MemberKind.IN_SERVICE, mobile=mobile
        )
        people.append((member, skills, registered, confirmed))
    for offset, (index, skills) in enumerate(VOLUNTEER_MEMBERS):
        mobile, name = VOLUNTEERS[index]
        account = User.objects.filter(mobile=mobile).first()
        if account is None or PartyMember.objects.filter(user=account).exists():
            continue
        member = party_member_create(
            actor=None,
            org_unit=branch,
            name=name,
            kind=MemberKind.IN_SERVICE,
            mobile=mobile.replace("199", "138", 1),
            user=account,
        )
        people.append((member, skills, datetime.date(2026, 2, 16 + offset), None))
    for member, skills, registered, confirmed in people:
        with story_clock(_at(registered)):
            home = services.member_register(
                actor=worker, member=member, community=community, skills=skills
            )
        if confirmed is not None:
            with story_clock(_at(confirmed, 15)):
                services.member_confirm(actor=worker, registration=home)
    members = MemberRegistration.objects.filter(community=community).count()
    return f"双报到：单位报到{units}个，在职党员报到{members}名"
