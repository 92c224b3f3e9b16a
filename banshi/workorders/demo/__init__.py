"""Demo requests for the Changsha demo: a few thousand 12345 requests over the last four months,
each driven through the real services (``submit`` then ``transition`` …, with ``now=`` at
plausible moments), so due times, lights, 催办, returns, extensions, 重办, appeals, callbacks and
ratings all come out of the same code the hotline uses.

``seed_workorders`` is idempotent: every demo request carries the submission key ``demo-NNNNN``;
a second call finds them and returns at once. Everything is seeded from fixed random seeds, so
the same ``target`` always tells the same stories (times are relative to ``now``).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, user_create
from banshi.core.calendar import TZ, add_working_days, is_workday, local, working_days_between
from banshi.core.scheduler import jobs as scheduler_jobs
from banshi.core.scheduler import run_once
from banshi.orgtree.geo import district_code_at, district_outlines
from banshi.orgtree.models import OrgUnit
from banshi.workorders import metrics
from banshi.workorders.choices import CLOCK_STATUSES, Status
from banshi.workorders.demo.stories import STORIES, Story
from banshi.workorders.demo.texts import (
    APPEAL_REASONS,
    AUDIT_REJECT_NOTES,
    CASES,
    CO_OPINIONS,
    CONSULTS,
    CONTACT_NOTES,
    EXTENSION_REASONS,
    GIVEN,
    PLACES,
    RATING_COMMENTS,
    RETURN_REASONS,
    SURNAMES,
    URGE_NOTES,
)
from banshi.workorders.jobs import next_day_start
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.services import SubmitInput, rate_by_citizen, submit, transition
from banshi.workorders.services.metrics import month_stats_refresh

logger = logging.getLogger("banshi.workorders.demo")

KEY_PREFIX = "demo-"
# The demo's accounts hold their roles from the start of the article's year, so the 2021 part of the
# story (requests and 实事项目 dated then) is carried out by people who held their posts at the time.
GRANTS_SINCE = datetime.datetime(2021, 1, 1, tzinfo=TZ)
DAYS = 120
BATCH = 100
PASSWORD = "Banshi@2026"
SEED = 20261129
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

# The demo cast (banshi/demo/seed.py) by mobile.
OPERATOR, DISPATCHER, SUPERVISOR, LEADER = (
    "19900000011",
    "19900000012",
    "19900000013",
    "19900000014",
)
KAIFU_DISPATCHER, KAIFU_SUPERVISOR, KAIFU_LEADER = "19900000021", "19900000023", "19900000024"
XIUFENG_OPERATOR = "19900000035"
GRID_MEMBER = "19900000033"  # 新大塘社区
DATANG = "430105016005"

# Handler accounts the demo adds so every unit it dispatches to has someone to sign:
# (mobile, name, unit code). The cast already has 市城管局, 长沙水业集团, 开福区 and 秀峰街道.
EXTRA_HANDLERS: list[tuple[str, str, str]] = [
    ("19900000201", "蒋文华", "430102"),  # 芙蓉区 (and 国网长沙供电公司 stationed there)
    ("19900000202", "龙志刚", "430103"),  # 天心区
    ("19900000203", "谭丽君", "430104"),  # 岳麓区
    ("19900000204", "彭立军", "430111"),  # 雨花区
    ("19900000205", "易国庆", "430112"),  # 望城区
    ("19900000206", "廖红霞", "430121"),  # 长沙县
    ("19900000207", "罗建军", "430181"),  # 浏阳市
    ("19900000208", "周桂芳", "430182"),  # 宁乡市
    ("19900000209", "胡湘宁", "4301P01"),  # 湖南湘江新区
    ("19900000210", "钟伟", "4301P02"),  # 长沙经开区
    ("19900000211", "邹晓燕", "4301P03"),  # 长沙高新区
    ("19900000220", "汤海军", "4301P05"),  # 浏阳经开区
    ("19900000212", "田建明", "4301F04"),  # 住建局
    ("19900000213", "石海波", "4301F05"),  # 交通运输局
    ("19900000214", "贺晓兰", "4301F06"),  # 教育局
    ("19900000215", "肖卫平", "4301F07"),  # 卫健委
    ("19900000216", "曹利民", "4301F08"),  # 生态环境局
    ("19900000217", "雷芳", "4301F09"),  # 市场监管局
    ("19900000218", "段国华", "4301F10"),  # 交警支队
    ("19900000219", "龚美玲", "4301F11"),  # 物业行业党委
]

# Which unit leads a category's requests: "street" (the 街道/镇 where it is), "district", or a
# unit code; weights in the same order. Unlisted leaves go to the street or district.
ROUTES: dict[str, list[tuple[str, int]]] = {
    "占道经营": [("street", 6), ("4301F02", 2), ("district", 2)],
    "乱堆乱放": [("street", 8), ("district", 2)],
    "户外广告": [("4301F02", 6), ("district", 4)],
    "垃圾清运不及时": [("street", 5), ("4301F02", 3), ("district", 2)],
    "道路清扫保洁": [("street", 5), ("4301F02", 5)],
    "公厕管理": [("4301F02", 6), ("street", 4)],
    "道路破损": [("4301F02", 5), ("district", 5)],
    "井盖缺失破损": [("4301F02", 6), ("4301F03", 4)],
    "路灯不亮": [("4301F02", 7), ("district", 3)],
    "排水管道堵塞": [("4301F03", 5), ("district", 5)],
    "树木倒伏修剪": [("district", 6), ("street", 4)],
    "违章搭建": [("street", 8), ("district", 2)],
    "交通噪声": [("4301F10", 5), ("4301F08", 3), ("district", 2)],
    "建筑施工噪声": [("4301F08", 5), ("4301F04", 2), ("street", 3)],
    "社会生活噪声": [("street", 10)],
    "油烟污染": [("4301F08", 5), ("street", 5)],
    "扬尘污染": [("4301F08", 4), ("4301F04", 3), ("district", 3)],
    "老旧小区改造": [("4301F04", 4), ("district", 6)],
    "物业服务质量": [("street", 6), ("4301F11", 4)],
    "电梯故障": [("4301F09", 6), ("street", 4)],
    "加装电梯": [("4301F04", 4), ("street", 6)],
    "停水": [("4301F03", 8), ("4301F0301", 2)],
    "水压不足": [("4301F03", 7), ("4301F0301", 3)],
    "供水管网漏水": [("4301F03", 6), ("4301F0301", 4)],
    "停电": [("430102S01", 10)],
    "交通拥堵": [("4301F10", 8), ("4301F05", 2)],
    "交通信号灯": [("4301F10", 10)],
    "停车难": [("4301F10", 4), ("district", 6)],
    "公交线路": [("4301F05", 10)],
    "占用消防通道": [("4301F10", 5), ("street", 5)],
    "学位不足": [("4301F06", 7), ("district", 3)],
    "校外培训": [("4301F06", 7), ("4301F09", 3)],
    "就医难": [("4301F07", 10)],
    "餐饮卫生": [("4301F09", 8), ("street", 2)],
    "预付卡消费": [("4301F09", 10)],
}
# Parks that manage parts of a district: requests there go to the park a share of the time.
PARKS = {
    "梅溪湖街道": "4301P01",
    "洋湖街道": "4301P01",
    "含浦街道": "4301P01",
    "麓谷街道": "4301P03",
    "星沙街道": "4301P02",
    "泉塘街道": "4301P02",
    "关口街道": "4301P05",
}
CHANNELS = [("phone", 58), ("mobile", 18), ("web", 14), ("mailbox", 4), ("grid", 6)]


class _Stop(Exception):
    """The next step of a story lies in the future: the request stays where it is."""


@dataclass
class Cast:
    users: dict[str, User]
    handlers: list[tuple[str, User]]  # (unit path, handler), longest path first
    units: dict[str, OrgUnit]  # by code
    streets: dict[tuple[str, str], OrgUnit]  # (district code, street name)
    communities: dict[int, list[OrgUnit]]  # street id -> its communities
    leaves: dict[str, Category]
    points: dict[str, list[tuple[float, float]]]  # district code -> (lat, lon) inside it

    def user(self, mobile: str) -> User:
        return self.users[mobile]

    def handler_for(self, unit: OrgUnit) -> User:
        for path, user in self.handlers:
            if unit.path.startswith(path):
                return user
        raise LookupError(f"演示数据缺少{unit.name}的承办人账号")


@dataclass
class Plan:
    """One request's story, decided up front from its own seeded random generator."""

    index: int
    received: datetime.datetime
    district: str
    street: OrgUnit
    community: OrgUnit | None
    road: str
    estate: str
    leaf: str
    kind: str
    title: str
    content: str
    channel: str
    caller: tuple[str, str]
    urgency: str = "normal"
    point: tuple[float, float] | None = None
    consult_answer: str = ""
    fate: str = "normal"
    rng: random.Random = field(default_factory=random.Random)


# --- the cast -------------------------------------------------------------------------------------


def ensure_handlers() -> int:
    """A handler account for every unit the demo dispatches to (the projects demo uses them too)."""
    created = 0
    for mobile, name, code in EXTRA_HANDLERS:
        unit = OrgUnit.objects.get(code=code)
        user = User.objects.filter(mobile=mobile).first()
        if user is None:
            user = user_create(
                actor=None,
                mobile=mobile,
                name=name,
                org_unit=unit,
                password=PASSWORD,
                title=f"{unit.name} 承办人",
            )
            created += 1
        if (
            not RoleAssignment.objects.active()
            .filter(user=user, role=Role.HANDLER, org_unit=unit)
            .exists()
        ):
            role_grant(
                actor=None, user=user, role=Role.HANDLER, org_unit=unit, valid_from=GRANTS_SINCE
            )
    return created


def _district_points(rng: random.Random, code: str, count: int) -> list[tuple[float, float]]:
    """Points inside a district outline, drawn towards its built-up core (the first ring's
    bounding box shrunk around the centre) so map pins land where people live."""
    boxes = [box for c, _, box in district_outlines() if c == code]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    cx, cy, wx, wy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    points: list[tuple[float, float]] = []
    for spread in (0.35, 0.7, 1.0):
        for _ in range(count * 40):
            lon = cx + rng.uniform(-1, 1) * wx * spread
            lat = cy + rng.uniform(-1, 1) * wy * spread
            if district_code_at(lon, lat) == code:
                points.append((round(lat, 6), round(lon, 6)))
                if len(points) >= count:
                    return points
    return points


def _story_units() -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith("@unit:"):
            found.add(value[6:])

    for story in STORIES:
        for *_, data in story.steps:
            for value in data.values():
                walk(value)
    return found


def _cast() -> Cast:
    mobiles = [
        OPERATOR,
        DISPATCHER,
        SUPERVISOR,
        LEADER,
        KAIFU_DISPATCHER,
        KAIFU_SUPERVISOR,
        KAIFU_LEADER,
        XIUFENG_OPERATOR,
        GRID_MEMBER,
    ]
    users = {u.mobile: u for u in User.objects.filter(mobile__in=mobiles)}
    missing = set(mobiles) - set(users)
    if missing:
        raise LookupError(
            f"缺少演示账号：{'、'.join(sorted(missing))}（请先运行 seed_demo 的账号步骤）"
        )
    handlers = [
        (a.org_unit.path, a.user)
        for a in RoleAssignment.objects.active()
        .filter(role=Role.HANDLER, user__mobile__startswith="199000")
        .select_related("org_unit", "user")
    ]
    handlers.sort(key=lambda row: -len(row[0]))
    codes = {code for routes in ROUTES.values() for code, _ in routes if code[0].isdigit()}
    codes |= set(PARKS.values()) | set(PLACES) | {DATANG, "430105016"} | _story_units()
    units = {str(u.code): u for u in OrgUnit.objects.filter(code__in=codes)}
    streets: dict[tuple[str, str], OrgUnit] = {}
    communities: dict[int, list[OrgUnit]] = {}
    for code, (_, named) in PLACES.items():
        for street in OrgUnit.objects.filter(parent__code=code, name__in=list(named)):
            streets[(code, street.name)] = street
            communities[street.pk] = list(
                street.children.filter(level="community").order_by("code")
            )
    names = {leaf for leaf in CASES} | {c[0] for c in CONSULTS} | {s.leaf for s in STORIES}
    leaves = {c.name: c for c in Category.objects.filter(level=3, name__in=names, is_active=True)}
    rng = random.Random(SEED)
    points = {code: _district_points(rng, code, 24) for code in PLACES}
    return Cast(users, handlers, units, streets, communities, leaves, points)


# --- planning -----------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _kind(rng: random.Random, spec: str) -> str:
    pairs = [(k, int(w)) for k, w in (part.split(":") for part in spec.split(","))]
    return _weighted(rng, pairs)


def _caller(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
    block = rng.randint(2, 9)  # 1990002xxxx … 1990009xxxx: the demo's number block
    return name, f"199000{block}{rng.randint(0, 9999):04d}"


def _received_at(rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """A moment in the last ``DAYS`` days, more calls by day than by night, fewer at weekends."""
    while True:
        day = local(now).date() - datetime.timedelta(days=int(rng.triangular(0, DAYS, 0)))
        if not is_workday(day) and rng.random() < 0.35:
            continue
        hour = _weighted(rng, [(h, w) for h, w in zip(range(24), HOURS_WEIGHT, strict=True)])
        moment = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)), tzinfo=TZ)
        if moment < now - 10 * MINUTE:
            return moment


HOURS_WEIGHT = [1, 1, 1, 1, 1, 1, 2, 5, 10, 14, 14, 12, 9, 10, 13, 13, 12, 11, 9, 9, 8, 6, 4, 2]


def _fill(text: str, plan_place: dict[str, str], rng: random.Random) -> str:
    return text.format(n=rng.randint(2, 30), **plan_place)


def _plans(target: int, now: datetime.datetime, cast: Cast) -> list[Plan]:
    rng = random.Random(SEED)
    districts = [(code, weight) for code, (weight, _) in PLACES.items()]
    callers = [_caller(rng) for _ in range(max(20, target // 2))]
    plans = []
    for i in range(max(0, target - len(STORIES))):
        r = random.Random(SEED * 7 + i)
        code = _weighted(r, districts)
        street_name = r.choice(list(PLACES[code][1]))
        roads, estates = PLACES[code][1][street_name]
        street = cast.streets[(code, street_name)]
        community = (
            r.choice(cast.communities[street.pk]) if cast.communities.get(street.pk) else None
        )
        caller = r.choice(callers) if r.random() < 0.25 else _caller(r)
        received = _received_at(r, now)
        place = {
            "road": r.choice(roads),
            "estate": r.choice(estates),
            "place": r.choice(estates),
            "street": street_name,
        }
        channel = _weighted(r, CHANNELS)
        if r.random() < 0.24:
            leaf, title, question, answer = r.choice(CONSULTS)
            plan = Plan(
                i,
                received,
                code,
                street,
                community,
                place["road"],
                place["estate"],
                leaf,
                "consult",
                title,
                question,
                "phone",
                caller,
                consult_answer=answer,
                fate="answer",
            )
        else:
            leaf = r.choice(list(CASES))
            kinds, texts, _ = CASES[leaf]
            title, content = r.choice(texts)
            plan = Plan(
                i,
                received,
                code,
                street,
                community,
                place["road"],
                place["estate"],
                leaf,
                _kind(r, kinds),
                _fill(title, place, r)[:100],
                _fill(content, place, r),
                channel,
                caller,
            )
            plan.fate = _weighted(
                r, [("normal", 80), ("late", 9), ("slow", 5), ("invalid", 3), ("queue_only", 3)]
            )
            plan.urgency = _weighted(r, [("normal", 90), ("urgent", 8), ("critical", 2)])
            if channel in ("web", "mobile") and r.random() < 0.6:
                plan.point = r.choice(cast.points[code])
        plan.rng = r
        plans.append(plan)
    plans.sort(key=lambda p: p.received)
    return plans


# --- playing a story -----------------------------------------------------------------------------


class Player:
    """Drives one request through the services up to ``now``, firing the scheduler's own actions
    (reminder, overdue, automatic 催办, 通报) at the moments the scheduler would have."""

    def __init__(self, cast: Cast, now: datetime.datetime) -> None:
        self.cast, self.now = cast, now

    def step(
        self,
        order: WorkOrder,
        at: datetime.datetime,
        actor: Any,
        action: str,
        data: dict[str, Any] | None = None,
    ) -> WorkOrder:
        if at >= self.now:
            raise _Stop
        order = self.system(order, at)
        return transition(actor=actor, order=order, action=action, data=data or {}, now=at)

    def system(self, order: WorkOrder, until: datetime.datetime) -> WorkOrder:
        until = min(until, self.now - MINUTE)
        close_due = order.close_due
        if close_due is None:
            return order
        near = order.near_due_at
        if (
            order.status in CLOCK_STATUSES
            and near is not None
            and order.reminded_at is None
            and near + MINUTE < min(until, close_due)
        ):
            order = transition(actor=None, order=order, action="remind", now=near + MINUTE)
        late = order.overdue_at is None and close_due + MINUTE < until
        if late and order.status in CLOCK_STATUSES | {Status.REPLIED}:
            order = transition(
                actor=None, order=order, action="mark_overdue", now=close_due + MINUTE
            )
        if order.status in CLOCK_STATUSES:
            urge_at = next_day_start(close_due) + 5 * MINUTE
            if order.auto_urged_at is None and urge_at < until:
                order = transition(actor=None, order=order, action="auto_urge", now=urge_at)
            escalate_at = add_working_days(close_due, 6) + 5 * MINUTE
            if (
                order.escalated_at is None
                and escalate_at < until
                and working_days_between(close_due, escalate_at) > 5
            ):
                order = transition(
                    actor=None, order=order, action="escalate", data={"days": 5}, now=escalate_at
                )
        return order


def office(moment: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """The first office moment at or after ``moment`` (8:30–17:30 on working days)."""
    t = local(moment)
    start = datetime.time(8, 30)
    while True:
        if is_workday(t.date()):
            if t.time() < start:
                return (
                    datetime.datetime.combine(t.date(), start, tzinfo=TZ)
                    + rng.randint(0, 50) * MINUTE
                )
            if t.time() <= datetime.time(17, 30):
                return t
        t = datetime.datetime.combine(t.date() + DAY, datetime.time(0), tzinfo=TZ)


class Run:
    """One request's history: submit, then steps until the story ends or reaches ``now``."""

    def __init__(self, player: Player, order: WorkOrder, phone: str) -> None:
        self.player, self.order, self.phone = player, order, phone

    def do(
        self, at: datetime.datetime, actor: Any, action: str, data: dict[str, Any] | None = None
    ) -> None:
        self.order = self.player.step(self.order, at, actor, action, data)

    def rate(self, at: datetime.datetime, data: dict[str, Any]) -> None:
        if at >= self.player.now:
            raise _Stop
        self.order = self.player.system(self.order, at)
        self.order = rate_by_citizen(order=self.order, proof=self.phone[-4:], data=data, now=at)

    def finish(self) -> WorkOrder:
        self.order = self.player.system(self.order, self.player.now)
        return self.order


def _key(name: str) -> str:
    return f"{KEY_PREFIX}{name}"


def _submit(
    cast: Cast, data: SubmitInput, at: datetime.datetime, channel: str, unit: OrgUnit
) -> WorkOrder:
    actor = None
    if channel in ("phone", "mailbox"):
        actor = (
            cast.user(
                XIUFENG_OPERATOR if unit.path.startswith(cast.units["430105016"].path) else OPERATOR
            )
            if "430105016" in cast.units
            else cast.user(OPERATOR)
        )
    elif channel == "grid":
        actor = cast.user(GRID_MEMBER)
    order, _ = submit(actor=actor, data=data, now=at)
    return order


def _lead(cast: Cast, plan: Plan, rng: random.Random) -> OrgUnit:
    route = _weighted(rng, ROUTES.get(plan.leaf, [("street", 6), ("district", 4)]))
    park = PARKS.get(plan.street.name)
    if park and route in ("street", "district") and rng.random() < 0.4:
        route = park
    if route == "street":
        return plan.street
    if route == "district":
        return cast.units[plan.district]
    return cast.units[route]


def _satisfaction(rng: random.Random, solved: bool, late: bool) -> tuple[str, str]:
    if solved:
        sat = _weighted(
            rng, [("satisfied", 70 if not late else 50), ("basic", 24), ("dissatisfied", 6)]
        )
    else:
        sat = _weighted(rng, [("satisfied", 8), ("basic", 40), ("dissatisfied", 52)])
    if sat == "dissatisfied":
        return _weighted(rng, [("unsolved", 6), ("partly", 4)]), sat
    return ("solved" if solved or rng.random() < 0.3 else "partly"), sat


def _play(cast: Cast, player: Player, plan: Plan) -> WorkOrder:
    r = plan.rng
    unit = plan.community or plan.street
    district = cast.units[plan.district]
    channel = plan.channel
    if channel == "grid" and not unit.path.startswith(cast.units.get(DATANG, unit).path):
        channel = "phone"  # the demo's grid member works in 新大塘社区 only
    staff = channel in ("phone", "mailbox", "grid")
    data = SubmitInput(
        channel=channel,
        kind=plan.kind,
        category_id=cast.leaves[plan.leaf].pk,
        content=plan.content,
        title=plan.title,
        urgency=plan.urgency,
        address=f"长沙市{district.name}{plan.street.name}{plan.road}{r.randint(1, 300)}号",
        latitude=plan.point[0] if plan.point else None,
        longitude=plan.point[1] if plan.point else None,
        org_unit=unit if staff else None,
        caller_name=plan.caller[0],
        caller_phone=plan.caller[1],
        confidential=r.random() < 0.05,
        submission_key=_key(f"{plan.index:05d}"),
    )
    order = _submit(cast, data, plan.received, channel, unit)
    run = Run(player, order, plan.caller[1])
    with contextlib.suppress(_Stop):
        _history(cast, run, plan, r)
    return run.finish()


@dataclass
class Course:
    """Where a generated request's story stands between stages: the story's clock ``t`` and who
    is on the request. Each stage reads it, plays its steps and moves it on."""

    t: datetime.datetime
    dispatcher: User
    lead: OrgUnit
    co: list[int]
    dispatched: datetime.datetime
    handler: User | None = None


def _history(cast: Cast, run: Run, plan: Plan, r: random.Random) -> None:
    """A generated request's story, stage by stage. The stages draw from ``r`` in a fixed order:
    the same seed tells the same story."""
    if _settled_at_intake(cast, run, plan, r):
        return
    course = _dispatch(cast, run, plan, r, _dispatch_moment(cast, run, plan, r))
    _return_request(cast, run, plan, r, course)
    _sign_and_contact(cast, run, plan, r, course)
    _co_unit_part(cast, run, plan, r, course)
    _extension(run, plan, r, course)
    close_due = run.order.close_due
    assert close_due is not None
    replied = _reply_moment(plan, r, course, close_due)
    _urge(cast, run, r, course, replied, close_due)
    _instruct(cast, run, r, course, replied)
    solved, replied, audited = _reply_and_audit(run, plan, r, course, replied)
    _callback(cast, run, plan, r, audited, solved, late=replied > close_due, reopen_allowed=True)


def _settled_at_intake(cast: Cast, run: Run, plan: Plan, r: random.Random) -> bool:
    """The operator answers a consultation directly or refuses the request (不予受理)."""
    operator = cast.user(OPERATOR)
    t = run.order.received_at
    if plan.fate == "answer":
        run.do(t + r.randint(2, 12) * MINUTE, operator, "answer", {"answer": plan.consult_answer})
        return True
    if plan.fate == "invalid":
        reason = r.choice(["not_government", "no_content", "duplicate_call", "litigation"])
        run.do(
            t + r.randint(5, 40) * MINUTE,
            operator,
            "invalidate",
            {"reason": reason, "note": "经核实不予受理。"},
        )
        return True
    return False


def _dispatch_moment(cast: Cast, run: Run, plan: Plan, r: random.Random) -> datetime.datetime:
    """Some phone requests wait in the dispatch queue first; urgent ones are dispatched within
    minutes, the rest in office hours (a ``queue_only`` request not before ``now``)."""
    t = run.order.received_at
    if plan.channel == "phone" and r.random() < 0.2:
        t += r.randint(2, 10) * MINUTE
        run.do(t, cast.user(OPERATOR), "queue", {"note": "转派单。"})
    if plan.urgency != "normal":
        return t + r.randint(5, 25) * MINUTE
    if plan.fate == "queue_only":
        return office(t + r.uniform(4, 30) * HOUR, r)
    return office(t + r.randint(10, 150) * MINUTE, r)


def _dispatch(cast: Cast, run: Run, plan: Plan, r: random.Random, t: datetime.datetime) -> Course:
    """派单 to a lead unit (开福区 dispatches half of its own units' requests), now and then with
    the street as co-unit."""
    dispatcher = cast.user(DISPATCHER)
    lead = _lead(cast, plan, r)
    if lead.path.startswith(cast.units["430105"].path) and r.random() < 0.5:
        dispatcher = cast.user(KAIFU_DISPATCHER)
    co: list[int] = []
    if r.random() < 0.1 and lead.pk != plan.street.pk:
        co = [plan.street.pk]
    run.do(
        t, dispatcher, "dispatch", {"lead_unit": lead.pk, "co_units": co, "note": "请按时限办理。"}
    )
    return Course(t=t, dispatcher=dispatcher, lead=lead, co=co, dispatched=t)


def _return_request(cast: Cast, run: Run, plan: Plan, r: random.Random, c: Course) -> None:
    """A few units ask to return the request (退单); the centre re-dispatches it to the place
    where it is or rules that it stays (审定)."""
    if r.random() >= 0.06:
        return
    c.t = c.t + r.uniform(0.5, 5) * HOUR
    run.do(c.t, cast.handler_for(c.lead), "request_return", {"reason": r.choice(RETURN_REASONS)})
    c.t = office(c.t + r.uniform(1, 6) * HOUR, r)
    other = plan.street if c.lead.pk != plan.street.pk else cast.units[plan.district]
    if r.random() < 0.7:
        run.do(
            c.t,
            cast.user(DISPATCHER),
            "redispatch",
            {"lead_unit": other.pk, "note": "改派属地办理。"},
        )
        c.lead = other
    else:
        run.do(
            c.t,
            cast.user(DISPATCHER),
            "refuse_return",
            {"note": "经审定属于本单位职责，请继续办理。"},
        )


def _sign_and_contact(cast: Cast, run: Run, plan: Plan, r: random.Random, c: Course) -> None:
    """The lead unit's handler signs (签收) and contacts the citizen (先行联系), in time unless
    the story is a slow one."""
    c.handler = handler = cast.handler_for(c.lead)
    order = run.order
    slow = plan.fate == "slow"
    if order.status == Status.DISPATCHED:
        assert order.sign_due is not None
        span = order.sign_due - c.t
        ts = order.sign_due + r.uniform(1, 20) * HOUR if slow else c.t + span * r.uniform(0.05, 0.7)
        run.do(ts, handler, "sign")
        c.t = ts
    order = run.order
    assert order.contact_due is not None and order.close_due is not None
    if slow:
        tc = max(order.contact_due, c.t) + r.uniform(1, 12) * HOUR
    else:
        tc = c.t + max(order.contact_due - c.t, 2 * HOUR) * r.uniform(0.1, 0.8)
    run.do(tc, handler, "contact", {"note": r.choice(CONTACT_NOTES)})
    c.t = tc


def _co_unit_part(cast: Cast, run: Run, plan: Plan, r: random.Random, c: Course) -> None:
    """The co-unit (the street where it is) signs for its part and, mostly, sends its opinion
    before the lead unit replies."""
    if not c.co or run.order.lead_unit_id == plan.street.pk:
        return
    co_handler = cast.handler_for(plan.street)
    c.t = office(c.t + r.uniform(0.5, 6) * HOUR, r)
    run.do(c.t, co_handler, "co_sign", {"unit": plan.street.pk})
    if r.random() < 0.8:
        c.t = office(c.t + r.uniform(4, 40) * HOUR, r)
        opinion = r.choice(CO_OPINIONS)
        run.do(c.t, co_handler, "co_reply", {"unit": plan.street.pk, "opinion": opinion})


def _extension(run: Run, plan: Plan, r: random.Random, c: Course) -> None:
    """A few handlers ask for more time (申请延期); the dispatcher mostly approves."""
    if not (r.random() < 0.05 and plan.kind != "consult"):
        return
    te = c.dispatched + (run.order.close_due - c.dispatched) * r.uniform(0.4, 0.7)  # type: ignore[operator]
    te = max(te, c.t + HOUR)
    run.do(
        te,
        c.handler,
        "request_extension",
        {"days": r.choice([3, 5, 10]), "reason": r.choice(EXTENSION_REASONS)},
    )
    ta = office(te + r.uniform(2, 20) * HOUR, r)
    if r.random() < 0.8:
        run.do(ta, c.dispatcher, "approve_extension", {"note": "同意延期。"})
    else:
        run.do(ta, c.dispatcher, "refuse_extension", {"note": "延期理由不充分，请按期办结。"})
    c.t = ta


def _reply_moment(
    plan: Plan, r: random.Random, c: Course, close_due: datetime.datetime
) -> datetime.datetime:
    """When the handler will reply: past the limit for a ``late`` story, near it for a slow one,
    comfortably inside it otherwise; in office hours, after what happened so far."""
    window = close_due - c.dispatched
    if plan.fate == "late":
        tr = close_due + r.uniform(0.3, 12) * DAY
    elif plan.fate == "slow":
        tr = c.dispatched + window * r.uniform(0.7, 1.1)
    else:
        tr = c.dispatched + window * r.uniform(0.15, 0.95)
    return max(office(tr, r), c.t + HOUR)


def _urge(
    cast: Cast,
    run: Run,
    r: random.Random,
    c: Course,
    replied: datetime.datetime,
    close_due: datetime.datetime,
) -> None:
    """A request still unanswered at 60% of its window is sometimes urged (催办), and now and then
    supervised (督办) with a deadline of its own."""
    urge_at = c.dispatched + (close_due - c.dispatched) * 0.6
    if not (replied > urge_at > c.t and r.random() < 0.3):
        return
    who = cast.user(SUPERVISOR) if r.random() < 0.5 else c.dispatcher
    run.do(urge_at, who, "urge", {"note": r.choice(URGE_NOTES)})
    if r.random() < 0.1:
        due = (urge_at + 3 * DAY).isoformat()
        run.do(
            urge_at + HOUR,
            cast.user(SUPERVISOR),
            "supervise",
            {"note": "请限期办结并报告。", "due": due},
        )


def _instruct(
    cast: Cast, run: Run, r: random.Random, c: Course, replied: datetime.datetime
) -> None:
    """A rare request gets a leader's instruction (领导批示)."""
    if r.random() < 0.015 and replied > c.t + 2 * HOUR:
        run.do(
            c.t + HOUR,
            cast.user(LEADER),
            "instruct",
            {"instruction": "请承办单位高度重视，尽快解决群众诉求。"},
        )


def _reply_and_audit(
    run: Run, plan: Plan, r: random.Random, c: Course, replied: datetime.datetime
) -> tuple[bool, datetime.datetime, datetime.datetime]:
    """The handler replies (solved or not); the centre audits it, a few go back once for a second
    reply. Returns (solved, the last reply's moment, the audit's moment)."""
    solved = r.random() < 0.86
    reply = _fill(
        r.choice(CASES[plan.leaf][2]),
        {
            "road": plan.road,
            "estate": plan.estate,
            "place": plan.estate,
            "street": plan.street.name,
        },
        r,
    )
    run.do(replied, c.handler, "reply", {"result": reply, "solved": solved})
    audited = office(replied + r.uniform(0.5, 20) * HOUR, r)
    if r.random() < 0.07:
        run.do(audited, c.dispatcher, "audit_reject", {"note": r.choice(AUDIT_REJECT_NOTES)})
        replied = office(audited + r.uniform(4, 48) * HOUR, r)
        run.do(
            replied,
            c.handler,
            "reply",
            {"result": reply + "已再次与诉求人沟通并现场复核。", "solved": solved},
        )
        audited = office(replied + r.uniform(1, 10) * HOUR, r)
    run.do(audited, c.dispatcher, "audit_pass", {"note": "同意回访。"})
    return solved, replied, audited


def _callback(
    cast: Cast,
    run: Run,
    plan: Plan,
    r: random.Random,
    ta: datetime.datetime,
    solved: bool,
    *,
    late: bool,
    reopen_allowed: bool,
) -> None:
    mode = _weighted(r, [("citizen", 35), ("operator", 45), ("unreachable", 4), ("auto", 16)])
    resolution, satisfaction = _satisfaction(r, solved, late)
    rating = {
        "resolution": resolution,
        "satisfaction": satisfaction,
        "comment": r.choice(RATING_COMMENTS[satisfaction]),
    }
    if mode == "citizen":
        tcb = ta + r.uniform(0.1, 5) * DAY
        run.rate(tcb, rating)
    elif mode == "operator":
        tcb = office(ta + r.uniform(0.2, 3) * DAY, r)
        run.do(tcb, cast.user(OPERATOR), "callback", rating)
    elif mode == "unreachable":
        tcb = office(ta + r.uniform(0.2, 3) * DAY, r)
        run.do(tcb, cast.user(OPERATOR), "callback", {"unreachable": True})
        return
    else:
        assert run.order.callback_due is not None
        tcb = run.order.callback_due + 5 * MINUTE
        run.do(tcb, None, "auto_rate")
        return
    if satisfaction != "dissatisfied":
        return
    dispatcher = cast.user(DISPATCHER)
    lead = run.order.lead_unit
    assert lead is not None
    handler = cast.handler_for(lead)
    if reopen_allowed and resolution == "unsolved" and r.random() < 0.6:
        t = office(tcb + r.uniform(2, 24) * HOUR, r)
        run.do(t, dispatcher, "reopen", {"note": "回访不满意，问题未解决，重新办理。"})
        close_due = run.order.close_due
        assert close_due is not None
        tr = office(t + (close_due - t) * r.uniform(0.3, 0.9), r)
        run.do(
            tr,
            handler,
            "reply",
            {"result": "重办：已现场复查并彻底整改，诉求人认可整改结果。", "solved": True},
        )
        ta = office(tr + r.uniform(1, 10) * HOUR, r)
        run.do(ta, dispatcher, "audit_pass", {"note": "重办答复通过。"})
        _callback(cast, run, plan, r, ta, True, late=False, reopen_allowed=False)
    elif r.random() < 0.35:
        t = office(tcb + r.uniform(1, 3) * DAY, r)
        run.do(t, handler, "appeal", {"reason": r.choice(APPEAL_REASONS)})
        t = office(t + r.uniform(1, 4) * DAY, r)
        judge = dispatcher if r.random() < 0.6 else cast.user(SUPERVISOR)
        approved = r.random() < 0.5
        run.do(
            t,
            judge,
            "rule_appeal",
            {
                "approved": approved,
                "note": "经审定，申诉成立。" if approved else "经审定，申诉不成立。",
            },
        )


# --- scripted stories --------------------------------------------------------------------------

ROLE_USERS = {
    "operator": OPERATOR,
    "dispatcher": DISPATCHER,
    "supervisor": SUPERVISOR,
    "leader": LEADER,
    "kf_dispatcher": KAIFU_DISPATCHER,
    "kf_supervisor": KAIFU_SUPERVISOR,
    "kf_leader": KAIFU_LEADER,
    "grid": GRID_MEMBER,
}


def _resolve(value: Any, cast: Cast, numbers: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, cast, numbers) for v in value]
    if isinstance(value, str) and value.startswith("@unit:"):
        return cast.units[value[6:]].pk
    if isinstance(value, str) and value.startswith("@order:"):
        return numbers[value[7:]]
    return value


def _play_story(cast: Cast, player: Player, story: Story, numbers: dict[str, str]) -> WorkOrder:
    unit = OrgUnit.objects.get(code=story.unit)
    received = story.received or player.now - datetime.timedelta(hours=story.age_hours)
    staff = story.channel in ("phone", "mailbox", "grid")
    data = SubmitInput(
        channel=story.channel,
        kind=story.kind,
        category_id=cast.leaves[story.leaf].pk,
        content=story.content,
        title=story.title,
        urgency=story.urgency,
        address=story.address,
        latitude=story.point[0] if story.point else None,
        longitude=story.point[1] if story.point else None,
        org_unit=unit if staff else None,
        caller_name=story.caller[0],
        caller_phone=story.caller[1],
        tags=list(story.tags),
        submission_key=_key(story.name),
    )
    order = _submit(cast, data, received, story.channel, unit)
    numbers[story.name] = order.number
    run = Run(player, order, story.caller[1])
    try:
        for hours, who, action, raw in story.steps:
            at = received + datetime.timedelta(hours=hours)
            values = {k: _resolve(v, cast, numbers) for k, v in raw.items()}
            if "due_hours" in values:
                values["due"] = (at + datetime.timedelta(hours=values.pop("due_hours"))).isoformat()
            if who == "citizen":
                run.rate(at, values)
                continue
            if who == "handler":
                lead = run.order.lead_unit
                assert lead is not None
                actor: Any = cast.handler_for(lead)
            elif who.startswith("co:"):
                co_unit = cast.units[who[3:]]
                actor = cast.handler_for(co_unit)
                values.setdefault("unit", co_unit.pk)
            else:
                actor = cast.user(ROLE_USERS[who])
            run.do(at, actor, action, values)
    except _Stop:
        pass
    return run.finish()


# --- the entry point ---------------------------------------------------------------------------


def seed_workorders(target: int = 3000, now: datetime.datetime | None = None) -> str:
    """Create about ``target`` demo requests with complete histories (idempotent)."""
    now = now or timezone.now()
    existing = WorkOrder.objects.filter(submission_key__startswith=KEY_PREFIX).count()
    if existing >= min(target, len(STORIES)) and existing >= target:
        return f"演示工单已存在（{existing}条）"
    with transaction.atomic():
        handlers = ensure_handlers()
    cast = _cast()
    player = Player(cast, now)
    done = set(
        WorkOrder.objects.filter(submission_key__startswith=KEY_PREFIX).values_list(
            "submission_key", flat=True
        )
    )
    numbers: dict[str, str] = {
        str(key)[len(KEY_PREFIX) :]: number
        for key, number in WorkOrder.objects.filter(
            submission_key__in=[_key(s.name) for s in STORIES]
        ).values_list("submission_key", "number")
    }
    created = 0
    with transaction.atomic():
        for story in STORIES:
            if _key(story.name) not in done:
                _play_story(cast, player, story, numbers)
                created += 1
    plans = [p for p in _plans(target, now, cast) if _key(f"{p.index:05d}") not in done]
    for start in range(0, len(plans), BATCH):
        with transaction.atomic():
            for plan in plans[start : start + BATCH]:
                _play(cast, player, plan)
                created += 1
    # The request jobs only: other apps' jobs (digests, deliveries) belong to their own demo steps.
    jobs = run_once(
        now, only={job.name for job in scheduler_jobs() if job.name.startswith("workorders.")}
    )
    months = _months(now)
    for month in months:
        month_stats_refresh(month=month, now=now)
    logger.info("演示工单：新建%s条，调度任务%s", created, jobs)
    return f"演示工单新建{created}条（承办人账号新建{handlers}个），已刷新{len(months)}个月的指标"


def _months(now: datetime.datetime) -> list[datetime.date]:
    first = (local(now) - datetime.timedelta(days=DAYS + 7)).date().replace(day=1)
    last = local(now).date().replace(day=1)
    months = []
    while first <= last:
        months.append(first)
        first = metrics.next_month(first)
    return months
