"""Demo data for the ledger, told in two years.

2021, the article's year: the 省委常委会 8, 市委常委会 28 and 全市 176 lists (nested: one project on
several lists, never copied) and 开福区's first batch, every project 销号 within the year as the
article reports, with its history dated across 2021 — the article's own projects (梅溪湖隧道隔音
屏障, 火车站西广场, 湘雅医院周边停车, 大塘社区自来水 …) and, where it names none, projects of the
六位 and the other fields named after real places (``plans.POOL``).

The live year (this year, or last year before March, when a new year's lists are not out yet):
its own lists and numbers, projects in every state and warning colour, dated relative to today,
and the supervision a live ledger has (links, an inspection with a rectification, a 现场办公
meeting, a 催办).

Every project is led by a unit whose job covers its field (``plans.UNIT_FIELDS``). Every write goes
through the ledger services; ``story_clock`` sets the platform clock to the moment of each step, so
timelines, reviews, uploads, change records and messages carry the story's dates, not the moment
the demo was loaded.

Runs after ``banshi.demo.seed.seed_all`` (the tree and the demo cast). Idempotent: a project whose
number exists is left alone, so seeding twice adds nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, user_create
from banshi.core.calendar import TZ
from banshi.core.choices import Satisfaction
from banshi.orgtree.models import OrgUnit
from banshi.projects import services
from banshi.projects.cadence import monthly_job, quarterly_job, weekly_job
from banshi.projects.choices import ConfirmParty, Field, Status
from banshi.projects.demo.plans import (
    AREA_LEADERS,
    CITY_LEADER,
    DEPARTMENT_BY_KEYWORD,
    DEPARTMENT_ONLY,
    FIELD_DEPARTMENT,
    MEASURES,
    POOL,
    RESPONSIBLE,
    SHARED_FIELDS,
    UNIT_FIELDS,
    Entry,
    Plan,
    article_plans,
    style,
)
from banshi.projects.models import LeaderLink, Meeting, Project, ProjectList, SupervisedItem
from banshi.projects.notifications import unit_handlers

__all__ = ["EXTRA_ACCOUNTS", "UNIT_FIELDS", "link_demo_requests", "seed_projects"]

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

ARTICLE_YEAR = 2021
ARTICLE_END = datetime.date(2021, 12, 31)
DAY = datetime.timedelta(days=1)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@contextlib.contextmanager
def story_clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as if it were ``moment``: they, and Django's ``auto_now_add`` columns,
    read the time from ``django.utils.timezone.now``. Only the demo loader does this, in its own
    process, one step at a time; the real clock is back when the step returns or fails."""
    real = timezone.now
    setattr(timezone, "now", lambda: moment)  # noqa: B010 - a module attribute, on purpose
    try:
        yield
    finally:
        setattr(timezone, "now", real)  # noqa: B010


# Look-ups cached for one seeding run (``_forget`` at the start of each: tests flush the database).
_UNITS: dict[str, OrgUnit] = {}
_USERS: dict[str, User] = {}


def _forget() -> None:
    _UNITS.clear()
    _USERS.clear()


def _unit(code: str) -> OrgUnit:
    if code not in _UNITS:
        _UNITS[code] = OrgUnit.objects.get(code=code)
    return _UNITS[code]


def _user(mobile: str) -> User:
    if mobile not in _USERS:
        _USERS[mobile] = User.objects.get(mobile=mobile)
    return _USERS[mobile]


def seed_accounts() -> int:
    from banshi.workorders.demo import GRANTS_SINCE, ensure_handlers

    created = 0
    for mobile, name, title, code, role in EXTRA_ACCOUNTS:
        unit = OrgUnit.objects.get(code=code)
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
            role_grant(actor=None, user=user, role=role, org_unit=unit, valid_from=GRANTS_SINCE)
    # The departments' liaisons report progress: the same accounts the demo requests use.
    return created + ensure_handlers()


def _list(name: str, level: str, year: int, code: str, batch: str = "") -> ProjectList:
    existing = ProjectList.objects.filter(name=name, year=year, batch=batch).first()
    if existing:
        return existing
    with story_clock(datetime.datetime(year, 1, 15, 10, tzinfo=TZ)):
        return services.list_create(
            actor=None, org_unit=_unit(code), name=name, level=level, year=year, batch=batch
        )


def ledger_year(today: datetime.date) -> int:
    """The year whose lists are being carried out: a new year's lists come out around March."""
    return today.year if today.month >= 3 else today.year - 1


# --- Plans ------------------------------------------------------------------------------------------


def _interleaved(pool: list[Entry]) -> list[Entry]:
    """The pool taken one field at a time, so any prefix holds every field."""
    by_field: dict[str, list[Entry]] = {}
    for entry in pool:
        by_field.setdefault(entry[0], []).append(entry)
    rows = list(by_field.values())
    out: list[Entry] = []
    for index in range(max(len(r) for r in rows)):
        out.extend(r[index] for r in rows if index < len(r))
    return out


FUNDS: dict[str, tuple[int, int]] = {  # 万元
    Field.SCHOOL_PLACES: (3000, 12000),
    Field.HOSPITAL_BEDS: (800, 6000),
    Field.PARKING: (300, 5000),
    Field.TOILETS: (60, 900),
    Field.ELEVATORS: (400, 1800),
    Field.MARKET_STALLS: (200, 1500),
    Field.OLD_ESTATES: (1500, 8000),
    Field.ROADS: (1200, 15000),
    Field.UTILITIES: (300, 1600),
    Field.ENVIRONMENT: (600, 12000),
    Field.DISASTER: (200, 2400),
    Field.GOVERNANCE: (50, 600),
}


def _lead_for(entry: Entry, index: int) -> tuple[str, str, list[str]]:
    """(org, lead, co-units) for a pool entry: a city entry goes to the department whose job it
    is; a district's entry is the district's, or now and then the department's with the district."""
    field, org, name = entry[0], entry[1], entry[2]
    department = next((code for word, code in DEPARTMENT_BY_KEYWORD if word in name), None)
    department = department or FIELD_DEPARTMENT.get(field)
    if org == "4301":
        assert department is not None, name
        return org, department, []
    if department and (field in DEPARTMENT_ONLY or (field in SHARED_FIELDS and index % 3 == 1)):
        return org, department, [org]
    if "农村" in name or department is None:
        return org, org, []
    return org, org, ([department] if index % 3 == 2 else [])


def _plan(
    entry: Entry,
    index: int,
    number: str,
    state: str,
    start: datetime.date,
    days: int,
    lists: list[str],
    rng: random.Random,
) -> Plan:
    field, _, name, quantity, *rest = entry
    look = style(field)
    unit_word = rest[0] if rest else look.unit
    verb = rest[1] if len(rest) > 1 else look.verb
    org, lead, co = _lead_for(entry, index)
    leader = AREA_LEADERS.get(lead) or AREA_LEADERS.get(org) or CITY_LEADER
    low, high = FUNDS.get(field, (100, 1000))
    return Plan(
        number,
        name,
        org,
        lead,
        leader,
        field,
        f"{verb}{quantity}{unit_word}",
        quantity,
        unit_word,
        MEASURES.get(field, "按清单任务分解到节点，周梳理、月督办"),
        start,
        days,
        state,
        co=co,
        person=RESPONSIBLE[lead][index % 2],
        source=rng.choice(["citizen_order", "citizen_order", "hotline_cluster", "visit"]),
        handling="phased" if days > 240 else "deadline",
        funds=round(rng.uniform(low, high) / 10) * 10,
        milestones=list(look.milestones),
        lists=lists,
    )


def plans_2021() -> list[Plan]:
    """The article's projects and, to fill the 8/28/176 lists, projects from the pool: all 销号 by
    the end of 2021, started between February and August, due by 20 December."""
    rng = random.Random(2021)
    plans = article_plans()
    on = {
        key: sum(key in p.lists for p in plans) for key in ("province_committee", "city_committee")
    }
    city = sum("city" in p.lists for p in plans)
    pool = _interleaved(POOL)[: 176 - city]
    last_day = datetime.date(ARTICLE_YEAR, 12, 20)
    for index, entry in enumerate(pool):
        keys = ["city"]
        if index < 28 - on["city_committee"]:
            keys.append("city_committee")
        if index < 8 - on["province_committee"]:
            keys.append("province_committee")
        start = datetime.date(ARTICLE_YEAR, 2, 20) + rng.randint(0, 190) * DAY
        days = min(rng.randint(90, 280), (last_day - start).days)
        state = "published" if index % 4 == 0 else "closed"
        number = f"CS{ARTICLE_YEAR}-{len(plans) + 1:03d}"
        plans.append(_plan(entry, index, number, state, start, days, keys, rng))
    return plans


# The live ledger's states: every colour and every step a reviewer should be able to open.
LIVE_STATES = (
    ["closed"] * 4
    + ["green"] * 5
    + ["blue"] * 3
    + ["yellow"] * 3
    + ["red"] * 3
    + ["stale"] * 2
    + ["verified"] * 2
    + ["claimed", "approved", "assigned", "deferred", "screened"]
)


def _live_dates(state: str, today: datetime.date, rng: random.Random) -> tuple[datetime.date, int]:
    if state in {"closed", "verified"}:
        start = today - rng.randint(150, 260) * DAY
        return start, (today - start).days - rng.randint(5, 30)
    if state == "claimed":
        start = today - rng.randint(120, 200) * DAY
        return start, (today - start).days + rng.randint(3, 15)
    if state == "blue":  # the second milestone (at 75–80% of the time) falls within the week
        days = rng.randint(150, 300)
        return today + rng.randint(2, 6) * DAY - round(days * 0.78) * DAY, days
    if state in {"approved", "assigned"}:
        return today + rng.randint(8, 30) * DAY, rng.randint(150, 300)
    if state in {"screened", "collected"}:
        return today + rng.randint(40, 70) * DAY, rng.randint(150, 300)
    before = rng.randint(40, 200)
    return today - before * DAY, max(rng.randint(120, 330), before + rng.randint(30, 200))


def plans_live(today: datetime.date) -> list[Plan]:
    year = ledger_year(today)
    rng = random.Random(year)
    plans = [
        Plan(
            f"CS{year}-001",
            "湘雅医院周边停车治理（二期）",
            "430105",
            "430105",
            "19900000024",
            Field.PARKING,
            "湘雅医院周边再挖潜共享泊位800个，建成停车诱导系统",
            800,
            "个",
            "机关单位错时共享、路内泊位智慧化、停车诱导屏与预约停车",
            today - 60 * DAY,
            150,
            "yellow",
            co=["4301F10", "430105S01"],
            person=("杨志军", "开福区副区长"),
            source="hotline_cluster",
            funds=1800,
            lists=["city_committee", "city", "district"],
            milestones=list(style(Field.PARKING).milestones),
        ),
        Plan(
            f"CS{year}-002",
            "梅溪湖隧道周边夜间改装车噪声整治",
            "4301P01",
            "4301F10",
            CITY_LEADER,
            Field.ROADS,
            "隧道两端设卡夜查，建成噪声抓拍系统2套",
            2,
            "套",
            "周末夜间联合执法，噪声抓拍与改装车查处联动，结果向周边小区公示",
            today - 30 * DAY,
            120,
            "green",
            co=["4301P01", "4301F08"],
            person=("欧阳斌", "市交警支队秩序处处长"),
            source="hotline_cluster",
            handling="immediate",
            funds=160,
            lists=["city"],
            milestones=[("设卡夜查", 0.3, 30), ("抓拍系统安装", 0.8, 50), ("效果评估", 1.0, 20)],
        ),
    ]
    used = 176 - sum("city" in p.lists for p in article_plans())  # what the 2021 list took
    for index, (entry, state) in enumerate(
        zip(_interleaved(POOL)[used:], LIVE_STATES, strict=False)
    ):
        start, days = _live_dates(state, today, rng)
        lists = [] if state in {"screened", "collected"} else ["city"]
        if lists and index < 10:
            lists.append("city_committee")
        if lists and entry[1].startswith("430105"):
            lists.append("district")
        number = f"CS{year}-{len(plans) + 1:03d}"
        plans.append(_plan(entry, index, number, state, start, days, lists, rng))
    return plans


# --- Walking a project through the services --------------------------------------------------------


class Walker:
    """Takes a fresh project through the services to the state its plan asks for, each step at
    its own moment of the story (never later than ``now``)."""

    def __init__(self, today: datetime.date, now: datetime.datetime):
        self.today, self.now = today, now
        self.supervisor = _user("19900000013")  # 市委督查室

    def moment(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        at = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)
        return min(at, self.now)

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> Any:
        return story_clock(self.moment(min(day, self.today), hour, minute))

    def create(self, plan: Plan) -> Project:
        deadline = plan.start + max(plan.days, 1) * DAY
        milestones = [
            services.MilestoneIn(name, plan.start + round(plan.days * frac) * DAY, weight)
            for name, frac, weight in plan.milestones
        ]
        with self.at(min(plan.start, self.today - DAY) - 25 * DAY, 9, 30):
            return services.project_create(
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
                    start_date=plan.start,
                    deadline=deadline,
                    measures=plan.measures,
                    responsible_person=plan.person[0],
                    responsible_title=plan.person[1],
                    funds_planned=plan.funds,
                    milestones=milestones,
                ),
            )

    def run(self, project: Project, plan: Plan, lists: dict[str, ProjectList]) -> Project:
        t = services.project_transition
        state = plan.state
        # Preparation (screening to assignment) happens before the start, and before today for a
        # project that starts later.
        start = min(plan.start, self.today - DAY)
        if state == "collected":
            return project
        with self.at(start - 20 * DAY, 15):
            project = t(actor=None, project=project, action="screen", now=timezone.now())
        if state == "screened":
            return project
        with self.at(start - 12 * DAY, 10):
            for key in plan.lists:
                services.list_place(actor=None, project=project, project_list=lists[key])
        with self.at(start - 10 * DAY, 16):
            project = t(actor=None, project=project, action="approve", now=timezone.now())
        if state == "approved":
            return project
        with self.at(start - 6 * DAY, 10):
            project = t(actor=None, project=project, action="assign", now=timezone.now())
        if state == "assigned":
            return project
        if state == "cancelled":
            with self.at(start - 5 * DAY):
                return t(actor=None, project=project, action="cancel", note="与其他项目合并实施")
        for party, when in (
            (ConfirmParty.LEADER, plan.start - 3 * DAY),
            (ConfirmParty.UNIT, plan.start),
        ):
            with self.at(when, 9):
                project = services.project_confirm(
                    actor=None, project=project, party=party, now=timezone.now()
                )
        self.progress(project, state)
        project.refresh_from_db()
        if plan.meeting:
            self.meeting(project, plan)
        if state == "deferred":
            with self.at(self.today - 9 * DAY, 16):
                return t(
                    actor=None,
                    project=project,
                    action="defer",
                    note="征地拆迁手续未办结，经市委督查室审核同意暂缓实施",
                )
        if state == "red":
            with self.at(self.today - 2 * DAY, 9):
                self.notice(project, "节点已逾期，请于5日内报送整改措施并加快推进")
        if state in {"claimed", "verified", "closed", "published"}:
            project = self.finish(project, plan)
        return project

    def finish(self, project: Project, plan: Plan) -> Project:
        """申请销号 with evidence, then as far as the plan goes: verification on site, residents'
        evaluation, 销号 and 公示."""
        t = services.project_transition
        state, look = plan.state, style(plan.field)
        end = min(project.deadline, self.today)
        with self.at(end - 3 * DAY, 16):
            services.attachment_add(
                actor=unit_handlers(project.lead_unit)[0],
                project=project,
                kind="evidence",
                uploaded=SimpleUploadedFile(
                    f"{project.number}销号佐证.png", PNG, content_type="image/png"
                ),
                caption=(plan.evidence or look.evidence)[:200],
            )
        with self.at(end - 2 * DAY, 10):
            project = t(
                actor=None,
                project=project,
                action="claim",
                note=f"已完成{plan.target}，佐证材料已上传，申请销号",
                now=timezone.now(),
            )
        if state == "claimed":
            with self.at(end - 1 * DAY, 15):
                self.evaluate(project, satisfied=6, basic=1, not_=0)
            return project
        with self.at(end - 1 * DAY, 9, 30):
            services.inspection_record(
                actor=self.supervisor,
                project=project,
                inspected_at=timezone.now(),
                place=project.name[:100],
                findings=(plan.findings or look.findings).format(quantity=plan.quantity),
                purpose="verification",
                passed=True,
            )
        with self.at(end - 1 * DAY, 11):
            project = t(actor=None, project=project, action="verify", now=timezone.now())
        with self.at(end - 1 * DAY, 15):
            if state == "verified":
                self.evaluate(project, satisfied=8, basic=2, not_=1)
                return project
            self.evaluate(project, satisfied=9, basic=2, not_=1)
        with self.at(end, 10):
            project = t(actor=None, project=project, action="close", now=timezone.now())
        if state == "published":
            with self.at(end, 15):
                project = services.project_publish(actor=None, project=project, now=timezone.now())
        return project

    def progress(self, project: Project, state: str) -> None:
        """Weekly reports, each approved the next working morning, up to the share of the plan the
        state calls for."""
        from banshi.projects.lag import planned_percent

        milestones = list(project.milestones.order_by("planned_date"))
        finished = state in {"claimed", "verified", "closed", "published"}
        # Reports up to yesterday (the last one is reviewed today) or until just before the claim.
        last = self.today - DAY if not finished else min(self.today, project.deadline) - 3 * DAY
        last = max(last, project.start_date)
        if state == "stale":
            last = self.today - 12 * DAY
        if state == "deferred":
            last = self.today - 10 * DAY  # reported until it was put on hold
        expected = planned_percent(project.start_date, project.deadline, milestones, last)
        target = {"yellow": expected - 25, "red": expected - 8}.get(state, expected)
        if finished:
            target = 100
        target = max(5, min(100, round(target)))
        dates = []
        day = project.start_date + 7 * DAY
        while day <= last:
            dates.append(day)
            day += 7 * DAY
        if not dates or dates[-1] != last:
            dates.append(last)
        dates = dates[-3:]  # a few weeks of history is enough for the demo
        overdue = (
            next((m for m in milestones if m.planned_date < self.today), None)
            if state == "red"
            else None
        )
        author = unit_handlers(project.lead_unit)[0]
        done_ids: set[int] = set()
        for n, day in enumerate(dates, start=1):
            percent = max(project.progress_percent, round(target * n / len(dates)))
            due = [
                m
                for m in milestones
                if m.planned_date <= day and m.pk not in done_ids and m != overdue
            ]
            if n < len(dates) and percent < 30:
                due = []
            done_ids.update(m.pk for m in due)
            upcoming = next((m for m in milestones if m.pk not in done_ids), None)
            if due:
                text = f"完成「{'」「'.join(m.name for m in due)}」节点，累计完成{percent}%"
            elif upcoming:
                text = f"「{upcoming.name}」推进中，累计完成{percent}%"
            else:
                text = f"收尾整改中，累计完成{percent}%"
            with self.at(day, 17):
                report = services.report_create(
                    actor=author,
                    project=project,
                    report_date=day,
                    text=text,
                    percent=percent,
                    funds_spent=round(float(project.funds_planned) * percent / 100, 2),
                    milestone_ids=[m.pk for m in due],
                    submit=True,
                    today=self.today,
                )
            # Approved the next morning; if that morning has not come yet, the same evening.
            review = (day + DAY, 8, 30) if self.moment(day + DAY, 8, 30) < self.now else (day, 18)
            with self.at(*review):
                services.report_review(actor=self.supervisor, report=report, approve=True)
            project.refresh_from_db()

    def meeting(self, project: Project, plan: Plan) -> None:
        """A 现场办公 meeting inside the story, its decisions done before the project ends."""
        assert plan.meeting is not None
        offset, topic, place, decisions = plan.meeting
        held = plan.start + offset * DAY
        with self.at(held, 14, 30):
            meeting = services.meeting_create(
                actor=None,
                leader=_user(plan.leader),
                org_unit=_unit(plan.org),
                held_at=timezone.now(),
                place=place,
                topic=topic,
                minutes=f"研究{plan.name}推进中的难点，明确责任单位和完成时限",
                project=project,
                decisions=[
                    services.ItemIn(content, _unit(code), held + (10 + 5 * i) * DAY, person)
                    for i, (content, code, person) in enumerate(decisions)
                ],
            )
        for item in SupervisedItem.objects.filter(meeting=meeting).order_by("id"):
            done = min(item.due_date - 2 * DAY, project.deadline - 4 * DAY)
            if done > self.today:
                continue
            with self.at(done, 16):
                services.item_complete(actor=None, item=item, note=f"已按时完成：{item.content}")

    def notice(self, project: Project, content: str) -> None:
        services.notice_issue(
            actor=None,
            project=project,
            kind="supervise",
            content=content,
            due_date=self.today + 5 * DAY,
            now=timezone.now(),
        )

    def evaluate(self, project: Project, *, satisfied: int, basic: int, not_: int) -> None:
        for choice, n, comment in (
            (Satisfaction.SATISFIED, satisfied, "现场测评：群众认可"),
            (Satisfaction.BASIC, basic, "现场测评：希望做好后续管护"),
            (Satisfaction.DISSATISFIED, not_, "现场测评：施工期间影响出行"),
        ):
            if n:
                services.evaluation_record(
                    actor=None, project=project, choice=choice, count=n, comment=comment
                )


def _supervision(walker: Walker, year: int) -> None:
    """The live ledger's links, an inspection with a rectification, a 现场办公 meeting and a 催办;
    each made once."""
    parking = Project.objects.filter(number=f"CS{year}-001").first()
    if parking is None or Meeting.objects.filter(project=parking).exists():
        return
    city_leader, kaifu_leader = _user(CITY_LEADER), _user("19900000024")
    since = datetime.date(year, 3, 1)
    with story_clock(walker.moment(min(since, walker.today))):
        for leader, kind, unit, project in (
            (city_leader, "district", _unit("430105"), None),
            (city_leader, "park", _unit("4301P01"), None),
            (kaifu_leader, "street", _unit("430105016"), None),
            (kaifu_leader, "project", None, parking),
        ):
            existing = LeaderLink.objects.filter(leader=leader, kind=kind, ended_at=None)
            if project is not None:
                existing = existing.filter(project=project)
            else:
                existing = existing.filter(org_unit=unit)
            if not existing.exists():
                services.link_create(
                    actor=None,
                    leader=leader,
                    kind=kind,
                    org_unit=unit,
                    project=project,
                    since=since,
                )
    today = walker.today
    with walker.at(today - 3 * DAY, 15):
        services.inspection_record(
            actor=walker.supervisor,
            project=parking,
            inspected_at=timezone.now(),
            place="湘雅医院北门及湘雅路",
            findings="机关单位共享车位签约进度慢，湘雅路停车诱导屏尚未安装",
            purpose="routine",
            passed=False,
            rectifications=[
                services.ItemIn(
                    "完成3家机关单位共享车位签约", _unit("430105"), today + 10 * DAY, "杨志军"
                )
            ],
        )
    with walker.at(today - 6 * DAY, 14, 30):
        services.meeting_create(
            actor=None,
            leader=city_leader,
            org_unit=_unit("430105"),
            held_at=timezone.now(),
            place="湘雅医院行政楼会议室",
            topic="湘雅医院周边停车治理（二期）现场办公会",
            minutes="听取开福区汇报，研究错时共享停车与路内泊位智慧化改造",
            project=parking,
            decisions=[
                services.ItemIn(
                    "出台错时共享停车实施细则", _unit("430105"), today + 20 * DAY, "杨志军"
                ),
                services.ItemIn(
                    "湘雅路设置停车诱导屏8块", _unit("4301F10"), today + 30 * DAY, "欧阳斌"
                ),
            ],
        )
    stale = (
        Project.objects.filter(number__startswith=f"CS{year}-", status=Status.IN_PROGRESS)
        .filter(last_approved_report_on__lt=today - 10 * DAY)
        .order_by("number")
        .first()
    )
    if stale is not None:
        with walker.at(today - 1 * DAY, 9):
            services.notice_issue(
                actor=None,
                project=stale,
                kind="urge",
                content="已超过7天未报送进展，请于3日内报送",
                due_date=today + 3 * DAY,
                now=timezone.now(),
            )


def _walk(walker: Walker, plans: list[Plan], lists: dict[str, ProjectList]) -> int:
    created = 0
    for plan in plans:
        if Project.objects.filter(number=plan.number).exists():
            continue
        project = walker.create(plan)
        walker.run(project, plan, lists)
        created += 1
    return created


@transaction.atomic
def _seed_projects(today: datetime.date) -> tuple[int, int]:
    _forget()
    y = ARTICLE_YEAR
    article_lists = {
        "province_committee": _list(
            f"{y}年省委常委会为民办实事清单（涉长任务）", "province_committee", y, "4301"
        ),
        "city_committee": _list(f"{y}年市委常委会为民办实事清单", "city_committee", y, "4301"),
        "city": _list(f"{y}年全市重点民生实事项目清单", "city", y, "4301"),
        "district": _list(f"{y}年开福区为民办实事清单", "district", y, "430105", batch="第一批"),
    }
    old = plans_2021()
    created = _walk(Walker(ARTICLE_END, timezone.now()), old, article_lists)
    year = ledger_year(today)
    live_lists = {
        "city_committee": _list(
            f"{year}年市委常委会为民办实事清单", "city_committee", year, "4301"
        ),
        "city": _list(f"{year}年全市重点民生实事项目清单", "city", year, "4301"),
        "district": _list(
            f"{year}年开福区为民办实事清单", "district", year, "430105", batch="第一批"
        ),
    }
    live = plans_live(today)
    walker = Walker(today, timezone.now())
    created += _walk(walker, live, live_lists)
    _supervision(walker, year)
    return created, len(old) + len(live)


# --- Linking the demo requests ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLink:
    """Which demo requests a project answers: category names (a leaf or a second-level category,
    meaning all its leaves), the places (division codes, subtrees) and a keyword that must appear
    in the title or address (empty: any). ``{year}`` in the number is the live ledger's year.
    Only requests received before the project was 销号 are linked: a request cannot have raised a
    project that was already done."""

    project: str
    categories: tuple[str, ...]
    places: tuple[str, ...]
    keyword: str = ""


DEMO_LINKS = [
    DemoLink("CS2021-001", ("交通噪声",), ("430104", "4301P01"), "梅溪湖"),
    DemoLink("CS2021-002", ("环境卫生",), ("430102",), "火车站"),
    DemoLink("CS2021-005", ("供水",), ("430105016",)),
    DemoLink("CS{year}-001", ("停车难", "停车管理"), ("430105",), "湘雅"),
    DemoLink("CS{year}-002", ("交通噪声",), ("430104", "4301P01"), "改装车"),
]
MAX_DEMO_LINKS = 50


def link_demo_requests(today: datetime.date | None = None) -> int:
    """Link the demo projects to the demo requests that raised them (seeded before by
    ``banshi.workorders.demo.seed_workorders``), if there are any. Idempotent: a request already
    linked is left alone. Returns how many links were made."""
    from django.db.models import Q

    from banshi.projects.models import ProjectWorkOrder
    from banshi.workorders.models import Category, WorkOrder

    year = ledger_year(today or timezone.localdate())
    made = 0
    for spec in DEMO_LINKS:
        project = Project.objects.filter(number=spec.project.format(year=year)).first()
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
        if project.closed_at:
            orders = orders.filter(received_at__lt=project.closed_at)
        if spec.keyword:
            orders = orders.filter(
                Q(title__contains=spec.keyword) | Q(address__contains=spec.keyword)
            )
        already = ProjectWorkOrder.objects.filter(project=project).count()
        chosen = list(orders.order_by("received_at", "id")[: max(0, MAX_DEMO_LINKS - already)])
        if not chosen:
            continue
        # Linked the day after the latest of them came in, within the project's own time.
        latest = max(o.received_at for o in chosen)
        ceiling = (project.closed_at or timezone.now()) - datetime.timedelta(hours=1)
        moment = max(latest, min(latest + DAY, ceiling))
        with story_clock(moment):
            services.orders_link(actor=None, project=project, orders=chosen)
        made += len(chosen)
    return made


def earlier_demo() -> bool:
    """A database seeded by the demo before 2021 became the article's year: its synthetic names end
    in a counter (…（87）) and its live lists already hold CS2021 numbers. Adding today's demo to it
    would mix two stories in the same lists."""
    names = Project.objects.filter(number__startswith="CS2021-", name__endswith="）")
    return any(re.search(r"（\d+）$", name) for name in names.values_list("name", flat=True))


def seed_projects() -> str:
    """The ledger's demo data; returns a one-line Chinese summary."""
    if earlier_demo():
        return "实事项目：数据库中是旧版演示数据，未追加；如需新版演示数据，请删除数据库后重新运行 seed_demo"
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
