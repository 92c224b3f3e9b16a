"""Demo data for the ledger: the article's own projects with realistic histories, and the three
lists of 8 (省委常委会), 28 (市委常委会) and 176 (全市) items, synthetic where the article names no
project. Dates are relative to today so every warning colour shows; the 8 sit inside the 28 and the
28 inside the 176 (one project, several lists, no copies).

Runs after ``banshi.demo.seed.seed_all`` (the tree and the demo cast). Idempotent: a project whose
number exists is left alone, so seeding twice adds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, user_create
from banshi.orgtree.models import OrgUnit
from banshi.projects import services
from banshi.projects.cadence import monthly_job, quarterly_job, weekly_job
from banshi.projects.choices import ConfirmParty, Satisfaction, Status
from banshi.projects.models import LeaderLink, Meeting, Project, ProjectList
from banshi.projects.notifications import unit_handlers

DEMO_PASSWORD = "Banshi@2026"

# Extra accounts the ledger needs beyond the foundation's cast (mobiles 199000001xx).
EXTRA_ACCOUNTS = [
    ("19900000101", "周湘江", "湘江新区 承办人", "4301P01", Role.HANDLER),
    ("19900000102", "龙建新", "湘江新区 联点领导", "4301P01", Role.LEADER),
    ("19900000103", "邹志明", "芙蓉区 承办人", "430102", Role.HANDLER),
    ("19900000104", "文建平", "芙蓉区 领导", "430102", Role.LEADER),
    ("19900000105", "袁天明", "天心区 承办人", "430103", Role.HANDLER),
    ("19900000106", "钟国华", "天心区 领导", "430103", Role.LEADER),
    ("19900000107", "易红兵", "雨花区 承办人", "430111", Role.HANDLER),
    ("19900000108", "毛建军", "雨花区 领导", "430111", Role.LEADER),
    ("19900000109", "汤丽", "雨花区 督查员", "430111", Role.SUPERVISOR),
    ("19900000110", "黎志刚", "集里街道 承办人", "430181002", Role.HANDLER),
    ("19900000111", "孔德胜", "市住建局 联络员", "4301F04", Role.HANDLER),
    ("19900000112", "范晓琳", "市教育局 联络员", "4301F06", Role.HANDLER),
]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _user(mobile: str) -> User:
    return User.objects.get(mobile=mobile)


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def seed_accounts() -> int:
    created = 0
    for mobile, name, title, code, role in EXTRA_ACCOUNTS:
        unit = _unit(code)
        user = User.objects.filter(mobile=mobile).first()
        if user is None:
            user = user_create(
                actor=None,
                mobile=mobile,
                name=name,
                org_unit=unit,
                password=DEMO_PASSWORD,
                title=title,
            )
            created += 1
        if not RoleAssignment.objects.active().filter(user=user, role=role, org_unit=unit).exists():
            role_grant(actor=None, user=user, role=role, org_unit=unit)
    return created


def _list(name: str, level: str, year: int, code: str, batch: str = "") -> ProjectList:
    existing = ProjectList.objects.filter(name=name, year=year, batch=batch).first()
    return existing or services.list_create(
        actor=None, org_unit=_unit(code), name=name, level=level, year=year, batch=batch
    )


@dataclass
class Plan:
    """One demo project and the state its history should leave it in."""

    number: str
    name: str
    org: str  # org unit code (scope)
    lead: str  # lead unit code
    leader: str  # leader mobile
    field: str
    target: str
    quantity: Any
    unit: str
    measures: str
    start: int  # days from today (negative: in the past)
    days: int  # duration
    state: str  # collected, screened, approved, assigned, green, blue, yellow, red, stale,
    # deferred, claimed, verified, closed, published, cancelled
    co: list[str] = dataclasses.field(default_factory=list)
    person: str = ""
    source: str = "citizen_order"
    handling: str = "deadline"
    funds: Any = 0
    milestones: list[tuple[str, float, int]] = dataclasses.field(
        default_factory=lambda: [
            ("方案设计", 0.25, 20),
            ("施工推进", 0.7, 50),
            ("完工验收", 1.0, 30),
        ]
    )
    lists: list[str] = dataclasses.field(default_factory=list)


# The article's projects, each with the state that fits its story (article figures in targets).
ARTICLE: list[Plan] = [
    Plan(
        "CS2021-001",
        "梅溪湖隧道口声屏障建设",
        "4301P01",
        "4301P01",
        "19900000102",
        "environment",
        "建设梅溪湖隧道出口声屏障，78天完工，使用钢材754吨、亚克力板1978块",
        1978,
        "块",
        "连夜组织设计、钢结构加工与吊装，分段封闭施工，每周公示进度",
        -110,
        78,
        "published",
        person="周湘江",
        source="hotline_cluster",
        funds=1260,
        lists=["city_committee", "city"],
        milestones=[
            ("钢结构加工（754吨）", 0.35, 30),
            ("立柱与屏体安装（1978块）", 0.85, 50),
            ("验收", 1.0, 20),
        ],
    ),
    Plan(
        "CS2021-002",
        "长沙火车站西广场公厕与风雨连廊",
        "430102",
        "4301F02",
        "19900000014",
        "toilets",
        "新建西广场公厕2座、风雨连廊1处",
        2,
        "座",
        "市城管局牵头设计施工，芙蓉区负责周边秩序",
        -120,
        90,
        "closed",
        co=["430102"],
        person="赵刚",
        funds=680,
        lists=["province_committee", "city_committee", "city"],
    ),
    Plan(
        "CS2021-003",
        "湘雅医院周边停车难治理",
        "430105",
        "430105",
        "19900000024",
        "parking",
        "新增湘雅医院周边停车位",
        600,
        "个",
        "挖潜共享车位、错时停车、智能诱导",
        -60,
        120,
        "yellow",
        co=["4301F10"],
        person="徐立新",
        funds=900,
        lists=["city_committee", "city"],
    ),
    Plan(
        "CS2021-004",
        "青山祠片区及十五中地下停车场",
        "430103",
        "430103",
        "19900000106",
        "parking",
        "建设地下停车场，新增车位298个，惠及周边2512户及省儿童医院就医群众",
        298,
        "个",
        "利用十五中操场地下空间建设，施工期间保障学校教学",
        -150,
        157,
        "blue",
        co=["4301F06"],
        person="袁天明",
        funds=4200,
        lists=["province_committee", "city_committee", "city"],
        milestones=[("基坑开挖", 0.3, 30), ("主体结构", 0.75, 40), ("设备安装与验收", 0.97, 30)],
    ),
    Plan(
        "CS2021-005",
        "大塘社区自来水改造",
        "430105016",
        "4301F03",
        "19900000024",
        "utilities",
        "解决大塘社区居民自来水水压不足，1个月完成",
        326,
        "户",
        "更换老旧管网、加装二次供水设施",
        -35,
        30,
        "claimed",
        co=["430105016"],
        person="孙玉兰",
        source="wish",
        handling="immediate",
        funds=85,
        lists=["district"],
    ),
    Plan(
        "CS2021-006",
        "跳马涧农贸市场道路改造",
        "430111101",
        "430111",
        "19900000108",
        "roads",
        "改造跳马涧市场道路",
        1.2,
        "公里",
        "拓宽路面、改造排水、规范摊位",
        -70,
        100,
        "red",
        person="易红兵",
        funds=560,
        lists=["city"],
    ),
    Plan(
        "CS2021-007",
        "石燕湖村山体滑坡与防洪治理",
        "430111101203",
        "430111",
        "19900000108",
        "disaster",
        "治理滑坡隐患点并建设防洪堤",
        3,
        "处",
        "削坡减载、挡土墙、截排水沟与防洪堤",
        -40,
        150,
        "green",
        person="易红兵",
        funds=730,
        lists=["city"],
    ),
    Plan(
        "CS2021-008",
        "团然村通组道路硬化",
        "430111101219",
        "430111",
        "19900000108",
        "roads",
        "硬化团然村通组道路",
        4.5,
        "公里",
        "分段硬化并设置错车道",
        -50,
        120,
        "stale",
        person="易红兵",
        funds=310,
        lists=["city"],
    ),
    Plan(
        "CS2021-009",
        "集里街道网格化服务管理中心",
        "430181002",
        "430181002",
        "19900000014",
        "governance",
        "建成街道网格化服务管理中心",
        1,
        "个",
        "整合综治、城管、12345平台与网格员队伍",
        -5,
        90,
        "assigned",
        person="黎志刚",
        funds=150,
        lists=["city"],
    ),
]

SYNTH_FIELDS = [
    ("school_places", "新增学位", "个", 400, 3000),
    ("hospital_beds", "新增床位", "张", 50, 400),
    ("parking", "新增停车位", "个", 100, 1500),
    ("toilets", "新建改建公厕", "座", 5, 60),
    ("elevators", "老旧小区加装电梯", "台", 10, 120),
    ("market_stalls", "规范提质农贸市场摊位", "个", 50, 400),
    ("old_estates", "改造老旧小区", "个", 3, 40),
    ("roads", "打通断头路", "条", 1, 8),
    ("environment", "黑臭水体治理", "处", 1, 10),
]
SYNTH_UNITS = ["430102", "430103", "430105", "430111", "4301P01", "4301F04", "4301F06", "4301F02"]
SYNTH_LEADERS = {
    "430102": "19900000104",
    "430103": "19900000106",
    "430105": "19900000024",
    "430111": "19900000108",
    "4301P01": "19900000102",
}
SYNTH_STATES = (
    ["closed"] * 8
    + ["green"] * 3
    + ["blue", "yellow", "red", "stale", "verified", "approved", "deferred"]
)


def _synthetic(index: int, rng: random.Random, lists: list[str]) -> Plan:
    kind, verb, unit, low, high = SYNTH_FIELDS[index % len(SYNTH_FIELDS)]
    lead = SYNTH_UNITS[index % len(SYNTH_UNITS)]
    org = lead if lead in SYNTH_LEADERS else "4301"
    leader = SYNTH_LEADERS.get(lead, "19900000014")
    quantity = rng.randint(low, high)
    state = SYNTH_STATES[index % len(SYNTH_STATES)]
    start = -rng.randint(40, 200) if state != "approved" else rng.randint(0, 20)
    return Plan(
        f"CS2021-{100 + index:03d}",
        f"{_unit(lead).name}{verb}{quantity}{unit}（{index + 1}）",
        org,
        lead,
        leader,
        kind,
        f"{verb}{quantity}{unit}",
        quantity,
        unit,
        "按清单任务分解到节点，周梳理、月督办",
        start,
        rng.randint(120, 330)
        if state not in {"closed", "verified"}
        else -start - rng.randint(5, 30),
        state,
        funds=rng.randint(50, 3000),
        lists=lists,
    )


class Walker:
    """Takes a fresh project through the services to the state a plan asks for."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.supervisor = _user("19900000013")  # 市委督查室
        self.admin = _user("19900000010")  # 市委组织部

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def moment(self, offset: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.day(offset), datetime.time(10)))

    def create(self, plan: Plan, lists: dict[str, ProjectList]) -> Project:
        start = self.day(plan.start)
        deadline = start + datetime.timedelta(days=max(plan.days, 1))
        milestones = [
            services.MilestoneIn(name, start + datetime.timedelta(days=round(plan.days * frac)), w)
            for name, frac, w in plan.milestones
        ]
        project = services.project_create(
            actor=None,
            org_unit=_unit(plan.org),
            lead_unit=_unit(plan.lead),
            co_units=[_unit(c) for c in plan.co],
            lead_leader=_user(plan.leader),
            number=plan.number,
            data=services.ProjectData(
                name=plan.name,
                source=plan.source,
                field=plan.field,
                target=plan.target,
                target_quantity=plan.quantity,
                target_unit=plan.unit,
                handling_type=plan.handling,
                start_date=start,
                deadline=deadline,
                measures=plan.measures,
                responsible_person=plan.person or "项目责任人",
                responsible_title="承办单位负责人",
                funds_planned=plan.funds,
                milestones=milestones,
            ),
        )
        for key in plan.lists:
            services.list_place(actor=None, project=project, project_list=lists[key])
        return project

    def run(self, project: Project, plan: Plan) -> Project:
        t = services.project_transition
        state = plan.state
        if state == "collected":
            return project
        project = t(actor=None, project=project, action="screen", now=self.moment(plan.start - 20))
        if state == "screened":
            return project
        project = t(actor=None, project=project, action="approve", now=self.moment(plan.start - 10))
        if state == "approved":
            return project
        project = t(actor=None, project=project, action="assign", now=self.moment(plan.start - 5))
        if state == "assigned":
            return project
        if state == "cancelled":
            return t(actor=None, project=project, action="cancel", note="与其他项目合并实施")
        project = services.project_confirm(
            actor=None, project=project, party=ConfirmParty.LEADER, now=self.moment(plan.start - 3)
        )
        project = services.project_confirm(
            actor=None, project=project, party=ConfirmParty.UNIT, now=self.moment(plan.start - 2)
        )
        Project.objects.filter(pk=project.pk).update(started_on=self.day(plan.start))
        project.refresh_from_db()
        self.progress(project, state)
        project.refresh_from_db()
        if state == "deferred":
            return t(
                actor=None, project=project, action="defer", note="征地手续未完成，经批准暂缓实施"
            )
        if state == "red":
            self.notice(project, "节点逾期，请加快进度")
        end = min(project.deadline, self.today)
        when = lambda days: timezone.make_aware(  # noqa: E731
            datetime.datetime.combine(end - datetime.timedelta(days=days), datetime.time(10))
        )
        if state in {"claimed", "verified", "closed", "published"}:
            services.attachment_add(
                actor=None,
                project=project,
                kind="evidence",
                uploaded=SimpleUploadedFile("完工照片.png", PNG, content_type="image/png"),
                caption="完工现场",
            )
            project = t(
                actor=None,
                project=project,
                action="claim",
                note="已按目标完成，申请销号",
                now=when(2),
            )
        if state == "claimed":
            self.evaluate(project, satisfied=6, basic=1, not_=0)
            return project
        if state in {"verified", "closed", "published"}:
            services.inspection_record(
                actor=self.supervisor,
                project=project,
                inspected_at=when(1),
                place=project.name[:30],
                findings="现场查看完成情况，群众反映良好",
                purpose="verification",
                passed=True,
            )
            project = t(
                actor=None,
                project=project,
                action="verify",
                now=when(1) + datetime.timedelta(hours=1),
            )
        if state == "verified":
            self.evaluate(project, satisfied=8, basic=3, not_=1)
            return project
        if state in {"closed", "published"}:
            self.evaluate(project, satisfied=18, basic=3, not_=1)
            project = t(actor=None, project=project, action="close", now=when(0))
        if state == "published":
            project = services.project_publish(
                actor=None, project=project, now=when(0) + datetime.timedelta(hours=2)
            )
        return project

    def progress(self, project: Project, state: str) -> None:
        """Approved weekly reports up to the share of the plan the state calls for."""
        from banshi.projects.lag import planned_percent

        milestones = list(project.milestones.order_by("planned_date"))
        finished = state in {"claimed", "verified", "closed", "published"}
        last = (
            self.today
            if not finished
            else min(self.today, project.deadline) - datetime.timedelta(days=3)
        )
        last = max(last, project.start_date)
        if state == "stale":
            last = self.today - datetime.timedelta(days=12)
        expected = planned_percent(project.start_date, project.deadline, milestones, last)
        target = {"yellow": expected - 25, "red": expected - 8}.get(state, expected)
        if finished:
            target = 100
        target = max(5, min(100, round(target)))
        dates = []
        day = project.start_date + datetime.timedelta(days=7)
        while day <= last:
            dates.append(day)
            day += datetime.timedelta(days=7)
        if not dates or dates[-1] != last:
            dates.append(last)
        dates = dates[-3:]  # a few weeks of history is enough for the demo
        done_ids: set[int] = set()
        for n, day in enumerate(dates, start=1):
            percent = max(project.progress_percent, round(target * n / len(dates)))
            due = [
                m.pk
                for m in milestones
                if m.planned_date <= day
                and m.pk not in done_ids
                and not (
                    state == "red"
                    and m == next((x for x in milestones if x.planned_date < self.today), None)
                )
            ]
            if n < len(dates):
                due = [pk for pk in due if percent >= 30]
            done_ids.update(due)
            report = services.report_create(
                actor=unit_handlers(project.lead_unit)[0],
                project=project,
                report_date=day,
                text=f"第{n}次周进展：按节点推进，累计完成{percent}%",
                percent=percent,
                funds_spent=round(float(project.funds_planned) * percent / 100, 2),
                milestone_ids=due,
                submit=True,
                today=self.today,
            )
            services.report_review(actor=self.supervisor, report=report, approve=True)
            project.refresh_from_db()

    def notice(self, project: Project, content: str) -> None:
        services.notice_issue(
            actor=None,
            project=project,
            kind="supervise",
            content=content,
            due_date=self.day(5),
        )

    def evaluate(self, project: Project, *, satisfied: int, basic: int, not_: int) -> None:
        for choice, n in (
            (Satisfaction.SATISFIED, satisfied),
            (Satisfaction.BASIC, basic),
            (Satisfaction.NOT, not_),
        ):
            if n:
                services.evaluation_record(
                    actor=None, project=project, choice=choice, count=n, comment=""
                )


def _supervision(walker: Walker) -> None:
    """Links, an inspection with a rectification, a 现场办公 meeting and a 催办, once."""
    if LeaderLink.objects.exists() or Meeting.objects.exists():
        return
    city_leader, kaifu_leader = _user("19900000014"), _user("19900000024")
    services.link_create(actor=None, leader=city_leader, kind="district", org_unit=_unit("430105"))
    services.link_create(actor=None, leader=city_leader, kind="park", org_unit=_unit("4301P01"))
    services.link_create(
        actor=None, leader=kaifu_leader, kind="street", org_unit=_unit("430105016")
    )
    parking = Project.objects.get(number="CS2021-003")
    services.link_create(actor=None, leader=kaifu_leader, kind="project", project=parking)
    services.inspection_record(
        actor=walker.supervisor,
        project=parking,
        inspected_at=walker.moment(-3),
        place="湘雅医院北门",
        findings="共享车位签约进度慢，诱导屏未安装",
        purpose="routine",
        passed=False,
        rectifications=[
            services.ItemIn("完成3家单位共享车位签约", _unit("430105"), walker.day(10), "徐立新")
        ],
    )
    services.meeting_create(
        actor=None,
        leader=city_leader,
        org_unit=_unit("430105"),
        held_at=walker.moment(-6),
        place="湘雅医院行政楼会议室",
        topic="湘雅医院周边停车难现场办公会",
        minutes="听取开福区汇报，研究错时停车与共享车位政策",
        project=parking,
        decisions=[
            services.ItemIn("出台错时共享停车办法", _unit("430105"), walker.day(20), "谢伟"),
            services.ItemIn("设置停车诱导屏8块", _unit("4301F10"), walker.day(30), ""),
        ],
    )
    services.notice_issue(
        actor=None,
        project=Project.objects.get(number="CS2021-008"),
        kind="urge",
        content="已超过7天未报送进展，请于3日内报送",
        due_date=walker.day(3),
    )


@transaction.atomic
def _seed_projects(today: datetime.date) -> tuple[int, int]:
    year = today.year
    lists = {
        "province_committee": _list(
            f"{year}年省委常委会为民办实事清单（长沙）", "province_committee", year, "4301"
        ),
        "city_committee": _list(
            f"{year}年市委常委会为民办实事清单", "city_committee", year, "4301"
        ),
        "city": _list(f"{year}年全市重点民生实事项目清单", "city", year, "4301"),
        "district": _list(
            f"{year}年开福区为民办实事清单", "district", year, "430105", batch="第一批"
        ),
    }
    rng = random.Random(2021)
    plans = list(ARTICLE)
    in_l1 = sum("province_committee" in p.lists for p in ARTICLE)
    in_l2 = sum("city_committee" in p.lists for p in ARTICLE)
    in_l3 = sum("city" in p.lists for p in ARTICLE)
    for index in range(176 - in_l3):
        keys = ["city"]
        if index < 28 - in_l2:
            keys.append("city_committee")
        if index < 8 - in_l1:
            keys.append("province_committee")
        plans.append(_synthetic(index, rng, keys))
    walker = Walker(today)
    created = 0
    for plan in plans:
        if Project.objects.filter(number=plan.number).exists():
            continue
        project = walker.create(plan, lists)
        walker.run(project, plan)
        created += 1
    _supervision(walker)
    return created, len(plans)


@dataclass(frozen=True)
class DemoLink:
    """Which demo requests an article project answers: category names (a leaf or a second-level
    category, meaning all its leaves), the places (division codes, subtrees) and a keyword that
    must appear in the title or address (empty: any)."""

    project: str
    categories: tuple[str, ...]
    places: tuple[str, ...]
    keyword: str = ""


DEMO_LINKS = [
    DemoLink("CS2021-001", ("交通噪声",), ("430104", "4301P01"), "梅溪湖"),
    DemoLink("CS2021-002", ("环境卫生",), ("430102",), "火车站"),
    DemoLink("CS2021-003", ("停车难", "停车管理"), ("430105",), "湘雅"),
    DemoLink("CS2021-005", ("供水",), ("430105016",)),
]
MAX_DEMO_LINKS = 50


def link_demo_requests() -> int:
    """Link the article projects to the demo requests that raised them (seeded before by
    ``banshi.workorders.demo.seed_workorders``), if there are any. Idempotent: a request already
    linked is left alone. Returns how many links were made."""
    from django.db.models import Q

    from banshi.projects.models import ProjectWorkOrder
    from banshi.workorders.models import Category, WorkOrder

    made = 0
    for spec in DEMO_LINKS:
        project = Project.objects.filter(number=spec.project).first()
        if project is None:
            continue
        named = list(Category.objects.filter(name__in=spec.categories).values_list("pk", flat=True))
        category_ids = set(named) | set(
            Category.objects.filter(parent_id__in=named).values_list("pk", flat=True)
        )
        places = Q()
        for unit in OrgUnit.objects.filter(code__in=spec.places):
            places |= Q(org_unit__path__startswith=unit.path)
        if not category_ids or not places:
            continue
        orders = (
            WorkOrder.objects.unscoped()
            .filter(places, category_id__in=category_ids)
            .exclude(project_links__project=project)
        )
        if spec.keyword:
            orders = orders.filter(
                Q(title__contains=spec.keyword) | Q(address__contains=spec.keyword)
            )
        already = ProjectWorkOrder.objects.filter(project=project).count()
        chosen = list(orders.order_by("received_at", "id")[: max(0, MAX_DEMO_LINKS - already)])
        if chosen:
            services.orders_link(actor=None, project=project, orders=chosen)
            made += len(chosen)
    return made


def seed_projects() -> str:
    """The ledger's demo data; returns a one-line Chinese summary."""
    accounts = seed_accounts()
    created, total = _seed_projects(timezone.localdate())
    links = link_demo_requests()
    now = timezone.now()
    reports = weekly_job(now) + monthly_job(now) + quarterly_job(now)
    counts = {
        s.label: Project.objects.filter(status=s).count()
        for s in Status
        if Project.objects.filter(status=s).exists()
    }
    summary = "，".join(f"{label}{n}" for label, n in counts.items())
    return (
        f"实事项目：新建{created}个（共{total}个演示项目；{summary}），"
        f"新建演示账号{accounts}个，生成报表{reports}份，关联演示工单{links}件"
    )
