"""The Changsha demo data set. Each later module adds its own step to ``seed_all``."""

from __future__ import annotations

from dataclasses import dataclass

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, role_revoke, user_create
from banshi.grid.demo import PhoneSequence, seed_community, seed_grid_work
from banshi.orgtree.importer import import_units
from banshi.orgtree.models import OrgUnit
from banshi.workorders.demo import GRANTS_SINCE

DEMO_PASSWORD = "Banshi@2026"
# Enough requests for every queue, light, chart and ranking to look real, few enough that the
# first `make run` seeds them in well under two minutes on a 2-core machine.
DEMO_REQUESTS = 2000


@dataclass(frozen=True)
class DemoAccount:
    mobile: str
    name: str
    title: str
    unit_code: str  # where the account belongs and the role is granted
    role: Role | None  # None: superuser


# The cast, at city, district and street level (listed in the README with the password above).
# 开福区 / 秀峰街道 is the main scene; 雨花区 and 浏阳市 are siblings for scope checks.
CAST: list[DemoAccount] = [
    DemoAccount("19900000001", "系统管理员", "平台运维", "4301", None),
    DemoAccount("19900000010", "周建国", "市委组织部 组织管理员", "4301", Role.ORG_ADMIN),
    DemoAccount("19900000011", "李晓红", "12345热线 话务员", "4301", Role.OPERATOR),
    DemoAccount("19900000012", "王海燕", "12345热线 派单员", "4301", Role.DISPATCHER),
    DemoAccount("19900000013", "陈志强", "市委督查室 督查员", "4301", Role.SUPERVISOR),
    DemoAccount("19900000014", "刘卫东", "市领导", "4301", Role.LEADER),
    DemoAccount("19900000015", "杨丽", "市数据分析员", "4301", Role.ANALYST),
    DemoAccount("19900000016", "赵刚", "市城管局 联络员", "4301F02", Role.HANDLER),
    DemoAccount("19900000017", "孙玉兰", "长沙水业集团 联络员", "4301F03", Role.HANDLER),
    DemoAccount("19900000020", "黄德明", "开福区委组织部 组织管理员", "430105", Role.ORG_ADMIN),
    DemoAccount("19900000021", "吴春生", "开福区 派单员", "430105", Role.DISPATCHER),
    DemoAccount("19900000022", "徐立新", "开福区 承办人", "430105", Role.HANDLER),
    DemoAccount("19900000023", "谢桂香", "开福区 督查员", "430105", Role.SUPERVISOR),
    DemoAccount("19900000024", "谢伟", "开福区 联点领导", "430105", Role.LEADER),
    DemoAccount("19900000025", "马小平", "开福区 分析员", "430105", Role.ANALYST),
    DemoAccount("19900000030", "罗湘君", "秀峰街道 组织管理员", "430105016", Role.ORG_ADMIN),
    DemoAccount("19900000031", "梁建华", "秀峰街道 承办人", "430105016", Role.HANDLER),
    DemoAccount(
        "19900000032", "宋满秀", "新大塘社区 社区工作者", "430105016005", Role.COMMUNITY_WORKER
    ),
    DemoAccount("19900000033", "郑长青", "新大塘社区 网格员", "430105016005", Role.GRID_MEMBER),
    DemoAccount("19900000034", "唐岳峰", "秀峰街道 督查员", "430105016", Role.SUPERVISOR),
    DemoAccount("19900000035", "冯雪梅", "秀峰街道 话务员", "430105016", Role.OPERATOR),
    DemoAccount("19900000040", "邓素月", "雨花区委组织部 组织管理员", "430111", Role.ORG_ADMIN),
    DemoAccount("19900000041", "彭湘平", "跳马镇 组织管理员", "430111101", Role.ORG_ADMIN),
    DemoAccount("19900000042", "曾德明", "石燕湖村 网格员", "430111101203", Role.GRID_MEMBER),
    DemoAccount("19900000050", "萧海燕", "集里街道 组织管理员", "430181002", Role.ORG_ADMIN),
    DemoAccount("19900000051", "蒋建国", "集里街道 网格员", "430181002", Role.GRID_MEMBER),
    # 开福区's other street with demo requests (北辰三角洲, 湘江世纪城): a sibling of 秀峰街道 for scope.
    DemoAccount("19900000060", "何秀英", "新河街道 组织管理员", "430105009", Role.ORG_ADMIN),
]

# Communities the article names, with synthetic micro-grids: (code, grids, households per grid,
# the roads their addresses are on).
GRID_COMMUNITIES = [
    ("430105016005", 3, 12, ["秀峰路", "金霞路", "开福大道"]),  # 秀峰街道 新大塘社区
    ("430111101203", 2, 10, []),  # 跳马镇 石燕湖村 (addresses by 组)
    ("430111101219", 2, 10, []),  # 跳马镇 团然村
]
JILI_STREET = "430181002"  # 浏阳市 集里街道: its first two communities get grids
JILI_ROADS = ["金沙北路", "集里大道", "沿河路"]


def seed_accounts() -> int:
    created = 0
    for account in CAST:
        unit = OrgUnit.objects.get(code=account.unit_code)
        user = User.objects.filter(mobile=account.mobile).first()
        if user is None:
            if account.role is None:
                user = User.objects.create_superuser(
                    mobile=account.mobile,
                    password=DEMO_PASSWORD,
                    name=account.name,
                    title=account.title,
                    org_unit=unit,
                )
            else:
                user = user_create(
                    actor=None,
                    mobile=account.mobile,
                    name=account.name,
                    org_unit=unit,
                    password=DEMO_PASSWORD,
                    title=account.title,
                )
            created += 1
        if account.role is None:
            continue
        grants = RoleAssignment.objects.active().filter(user=user, role=account.role)
        # The cast is the truth: a grant an earlier version of the demo put elsewhere is revoked.
        for stale in grants.exclude(org_unit=unit):
            role_revoke(actor=None, assignment=stale)
        if not grants.filter(org_unit=unit).exists():
            role_grant(
                actor=None, user=user, role=account.role, org_unit=unit, valid_from=GRANTS_SINCE
            )
    return created


def seed_grids() -> int:
    phones = PhoneSequence(1000)
    communities = [(OrgUnit.objects.get(code=c), g, n, r) for c, g, n, r in GRID_COMMUNITIES]
    jili = OrgUnit.objects.get(code=JILI_STREET)
    communities += [(c, 2, 10, JILI_ROADS) for c in jili.children.order_by("code")[:2]]
    for index, (community, grids, per_grid, roads) in enumerate(communities):
        # Each community gets its own block of numbers so re-seeding one never shifts another.
        phones.next = 1000 + index * 1000
        seed_community(
            community,
            grids=grids,
            per_grid=per_grid,
            seed=index + 1,
            phones=phones,
            roads=roads or None,
        )
    return OrgUnit.objects.filter(level="household").count()


def seed_grid_members() -> int:
    """Members, links, visits and the 民情台账 for every community ``seed_grids`` filled."""
    communities = [OrgUnit.objects.get(code=c) for c, _, _, _ in GRID_COMMUNITIES]
    communities += list(OrgUnit.objects.get(code=JILI_STREET).children.order_by("code")[:2])
    phones = PhoneSequence(8000)
    visits = 0
    for index, community in enumerate(communities):
        phones.next = 8000 + index * 100
        visits += seed_grid_work(community, seed=index + 1, phones=phones)
    return visits


def seed_all() -> list[str]:
    from banshi.indicators.demo import seed_indicators
    from banshi.open311.demo import seed_open311
    from banshi.party.demo import seed_party
    from banshi.projects.demo import seed_projects
    from banshi.volunteers.demo import seed_volunteers
    from banshi.workorders.demo import seed_workorders

    result = import_units()
    accounts = seed_accounts()
    households = seed_grids()
    visits = seed_grid_members()
    return [
        f"区划新建{result.created}个、未变{result.unchanged}个",
        f"新建账号{accounts}个（共{len(CAST)}个演示账号）",
        f"住户{households}户",
        f"网格走访{visits}次（党员、联户与民情台账）",
        seed_workorders(DEMO_REQUESTS),
        seed_projects(),
        seed_open311(),
        seed_volunteers(),
        seed_party(),
        seed_indicators(),
    ]
