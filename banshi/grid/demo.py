"""Synthetic households for the communities the article names. Deterministic: the same seed gives
the same people, so seeding twice changes nothing.

Phone numbers come from the block the project reserves for demo data (settings
``BANSHI_DEMO_PHONE_PREFIX``); ID numbers carry valid check digits but impossible sequence numbers
(9xx), so they cannot collide with a real person's.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings

from banshi.grid.models import Household, HouseholdTag
from banshi.grid.services import household_create, resident_add
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.services import orgunit_create

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
# Given names people in Hunan carry (one or two characters), not characters drawn one by one.
GIVEN = [
    "建国",
    "建华",
    "建军",
    "志强",
    "志刚",
    "国平",
    "国庆",
    "卫东",
    "卫红",
    "德明",
    "德华",
    "立新",
    "海涛",
    "海燕",
    "红梅",
    "桂兰",
    "桂香",
    "秀英",
    "秀兰",
    "玉兰",
    "玉梅",
    "春生",
    "春花",
    "冬梅",
    "雪梅",
    "丽华",
    "丽娟",
    "晓红",
    "晓峰",
    "小平",
    "湘君",
    "湘平",
    "岳峰",
    "满秀",
    "长青",
    "文斌",
    "俊杰",
    "雨婷",
    "子涵",
    "思远",
    "佳怡",
    "浩然",
    "宇轩",
    "欣怡",
    "梓萱",
    "一鸣",
    "嘉怡",
    "雅琴",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "军",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "丹",
    "强",
    "洋",
    "婷",
    "斌",
    "辉",
    "鹏",
    "琳",
]
# Roads for addresses when the caller names none (the 开福区 and 芙蓉区 roads near 新大塘社区).
STREET_NAMES = ["秀峰路", "金霞路", "开福大道", "新河路", "湘江中路"]
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def synthetic_id_number(rng: random.Random, region: str, birth: datetime.date) -> str:
    body = f"{region[:6]}{birth:%Y%m%d}9{rng.randint(0, 99):02d}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


class PhoneSequence:
    def __init__(self, start: int):
        self.next = start

    def take(self) -> str:
        number = f"{settings.BANSHI_DEMO_PHONE_PREFIX}{self.next:04d}"
        self.next += 1
        return number


def _child(parent: OrgUnit, level: str, name: str) -> OrgUnit:
    existing = OrgUnit.objects.filter(parent=parent, level=level, name=name).first()
    return existing or orgunit_create(actor=None, parent=parent, level=level, name=name)


def seed_community(
    community: OrgUnit,
    *,
    grids: int,
    per_grid: int,
    seed: int,
    phones: PhoneSequence,
    roads: list[str] | None = None,
) -> tuple[OrgUnit, list[OrgUnit]]:
    """A party branch with ``grids`` micro-grids of ``per_grid`` households under a community;
    urban addresses use ``roads``, the community's own streets."""
    rng = random.Random(seed)
    roads = roads or STREET_NAMES
    branch = _child(community, Level.BRANCH, f"{community.name}党支部")
    grid_units = []
    for g in range(1, grids + 1):
        grid = _child(branch, Level.MICROGRID, f"第{g}党员微网格")
        grid_units.append(grid)
        for h in range(1, per_grid + 1):
            building, unit_no = divmod(h - 1, 6)
            label = f"{g}栋{unit_no // 2 + 1}单元{(unit_no % 2 + 1) * 100 + building + 1}室"
            road = roads[(seed + g) % len(roads)]
            if community.name.endswith("村"):
                label = f"{g}组{h:02d}号"
                address = f"{community.name}{label}"
            else:
                address = f"{road}{seed % 90 + 10}号{community.name}{label}"
            head_name = _name(rng)
            tags = []
            roll = rng.random()
            if roll < 0.08:
                tags.append(HouseholdTag.ELDERLY_ALONE)
            elif roll < 0.13:
                tags.append(HouseholdTag.DIBAO)
            elif roll < 0.16:
                tags.append(HouseholdTag.DISABLED)
            elif roll < 0.18:
                tags.append(HouseholdTag.LEFT_BEHIND_CHILD)
            if OrgUnit.objects.filter(parent=grid, level=Level.HOUSEHOLD, name=label).exists():
                # Already seeded: still consume the same random numbers so later rows match.
                for _ in range(3):
                    _name(rng)
                    rng.random()
                    phones.take()
                continue
            household = household_create(
                actor=None, grid=grid, label=label, address=address, tags=[str(t) for t in tags]
            )
            _add_people(household, head_name, rng, phones, community.code or "430100")
    return branch, grid_units


def _add_people(
    household: Household, head: str, rng: random.Random, phones: PhoneSequence, region: str
) -> None:
    birth = datetime.date(rng.randint(1945, 1995), rng.randint(1, 12), rng.randint(1, 28))
    resident_add(
        actor=None,
        household=household,
        name=head,
        relation="户主",
        mobile=phones.take(),
        id_number=synthetic_id_number(rng, region, birth),
        is_party_member=rng.random() < 0.2,
    )
    spouse = _name(rng)
    rng.random()
    resident_add(
        actor=None, household=household, name=spouse, relation="配偶", mobile=phones.take()
    )
    child = head[0] + rng.choice(GIVEN)
    rng.random()
    phones.take()
    resident_add(actor=None, household=household, name=child, relation="子女")


# --- members, links, visits and the 民情台账 (issue 10) -----------------------------------------

# Dated in the story's year: the grid's work through 2026, up to the end of November.
STORY_START = datetime.date(2026, 1, 5)
STORY_END = datetime.date(2026, 11, 28)
# Who a grid-member demo account is on the roster (their mobile → the community's code).
ROSTER_ACCOUNTS = {"19900000033": "430105016005", "19900000042": "430111101203"}
# What visits find, and what some of it becomes: (finding, 民情台账 item or "", closed with).
FINDINGS = [
    ("身体状况良好，家中无困难", "", ""),
    ("老人独自在家，叮嘱注意用电用气安全", "", ""),
    ("反映楼道声控灯损坏，晚上上下楼不便", "联系物业维修楼道声控灯", "物业已更换灯具"),
    ("咨询城乡居民医保缴费时间", "", ""),
    ("子女在外务工，希望社区多关注老人", "每月电话联系一次其子女", "已建立联系，每月通报情况"),
    ("反映小区门口人行道地砖松动", "报街道城管维修人行道地砖", "已修复"),
    ("低保年审材料不清楚怎么准备", "协助准备低保年审材料", "材料已报街道民政办"),
    ("家中孩子暑假无人看护", "推荐参加社区暑期托管班", "已报名暑期托管班"),
    ("希望加装楼道扶手", "向街道申报老旧小区改造扶手项目", "已列入老旧小区改造计划"),
    ("询问就业技能培训报名方式", "", ""),
]
POLICY_NOTES = [
    "宣讲城乡居民医保缴费政策",
    "讲解高龄津贴申领",
    "宣传防范电信诈骗",
    "讲解电动车充电安全",
]
JOB_NOTES = ["推送社区就业岗位信息", "推荐参加家政服务技能培训"]
SERVICE_NOTES = ["上门代办居住证续签", "组织志愿者上门理发", "协助预约上门体检"]


def _story_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
    )
    return min(timezone.make_aware(moment), timezone.now())


def seed_grid_work(community: OrgUnit, *, seed: int, phones: PhoneSequence) -> int:
    """Party members on the community branch's roster (a 直管 secretary, one 中心户 per micro-grid,
    a few 在职 members), links for most households (a handful left unlinked, as in life), a
    year of visits at each household's rhythm with findings, 民情台账 items closed one by one,
    and 五个到户 lines. Skipped when the branch already has members, so seeding twice changes
    nothing."""
    from banshi.accounts.models import User
    from banshi.grid.models import FiveEntry, PartyMember
    from banshi.grid.services import (
        five_record,
        ledger_transition,
        link_create,
        party_member_create,
        visit_record,
    )
    from banshi.workflow.engine import SYSTEM

    branch = OrgUnit.objects.filter(parent=community, level=Level.BRANCH).first()
    if (
        branch is None
        or PartyMember.objects.unscoped().filter(org_unit__path__startswith=branch.path).exists()
    ):
        return 0
    rng = random.Random(1000 + seed)
    account = next(
        (
            User.objects.filter(mobile=m).first()
            for m, code in ROSTER_ACCOUNTS.items()
            if code == community.code
        ),
        None,
    )
    # The branch secretary: on the roster, linking through the grids' members.
    party_member_create(
        actor=None, org_unit=branch, name=_name(rng), kind="direct", mobile=phones.take()
    )
    grids = list(OrgUnit.objects.filter(parent=branch, level=Level.MICROGRID).order_by("path"))
    visits = 0
    for index, grid in enumerate(grids):
        lead = party_member_create(
            actor=None,
            org_unit=grid,
            name=account.name if account is not None and index == 0 else _name(rng),
            kind="direct",
            mobile=phones.take(),
            user=account if index == 0 else None,
        )
        helper = party_member_create(
            actor=None, org_unit=grid, name=_name(rng), kind="in_service", mobile=phones.take()
        )
        households = list(
            Household.objects.unscoped()
            .filter(grid=grid, archived_at=None)
            .order_by("org_unit__path")
        )
        for number, household in enumerate(households):
            if rng.random() < 0.08:  # not yet linked: what the coverage page is for
                continue
            member = lead if number % 2 == 0 else helper
            start = STORY_START + datetime.timedelta(days=rng.randint(0, 60))
            link_create(
                actor=None,
                member=member,
                household=household,
                role="center" if number == 0 else "lianhu",
                start=start,
            )
            step = 30 if household.vulnerable else 150
            day = start + datetime.timedelta(days=rng.randint(5, step))
            while day <= STORY_END:
                finding, item, closed = FINDINGS[rng.randrange(len(FINDINGS))]
                visit = visit_record(
                    actor=None,
                    household=household,
                    visited_at=_story_moment(rng, day),
                    findings=finding,
                    member=member,
                    ledger=[item] if item else None,
                )
                visits += 1
                # Most items are closed within weeks; the recent ones and a few hard ones stay open.
                recent = day >= STORY_END - datetime.timedelta(days=20)
                if item and closed and not recent and rng.random() < 0.85:
                    for entry in visit.ledger_items.all():
                        ledger_transition(
                            actor=SYSTEM,
                            item=entry,
                            action="close",
                            data={"result": closed},
                            now=_story_moment(
                                rng, day + datetime.timedelta(days=rng.randint(3, 15))
                            ),
                        )
                day += datetime.timedelta(days=step + rng.randint(-5, 10))
            if rng.random() < 0.5:
                kind, notes = rng.choice(
                    [
                        ("policy", POLICY_NOTES),
                        ("jobs", JOB_NOTES),
                        ("services", SERVICE_NOTES),
                        ("contact", ["电话问候近况"]),
                    ]
                )
                on = STORY_START + datetime.timedelta(days=rng.randint(20, 320))
                if (
                    not FiveEntry.objects.unscoped()
                    .filter(household=household, kind=kind, on=on)
                    .exists()
                ):
                    five_record(
                        actor=None, household=household, kind=kind, on=on, note=rng.choice(notes)
                    )
    return visits
