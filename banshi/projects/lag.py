"""The warning light (预警颜色) of a project, computed from the plan and approved progress, never
typed by hand, and always *as of* a given day.

One table, ``RULES``, says for every project state which condition gives which colour and how the
reason is worded; ``compute_lag`` is the only code that applies it, and every page, API answer,
export and cadence report asks ``compute_lag`` (the 台账, the leader page, the 挂图作战 board, the
project page, the weekly/monthly/quarterly Excel and PDF). ``docs/lag-colours.md`` is generated
from the same table (``manage.py lag_colours_doc``) and a test keeps the two equal.

How the table is read, for a project in state S on the day ``as_of``:

- the rows of S are tried in order; the first row whose condition holds decides the colour;
- later rows of S with the *same* colour whose conditions hold add their reasons (a project can
  be past its deadline and have missed two milestones: three red reasons);
- a row marked "以上都不符合" holds only when no earlier row decided;
- overlay rows (未更新, 附注) never decide the colour: they add their reason (and the 未更新 flag)
  whenever they hold.

Reasons speak of ``as_of``: "节点（2026-11-27）已逾期3天" on 2026-11-30, "2天后到达节点" on
2026-11-25. The planned pace runs straight from 0% at the start through each milestone's
cumulative weight to 100% at the last milestone or the deadline, whichever is later.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banshi.core.choices import Colour
from banshi.projects import conf
from banshi.projects.choices import Status
from banshi.projects.models import Milestone, Project

S = Status

# What each colour means for a project: the words of the ledger, the filters and the rules page.
COLOUR_LABELS: dict[str, Any] = {
    Colour.GREEN: _("绿（正常推进）"),
    Colour.BLUE: _("蓝（临近节点或时限）"),
    Colour.YELLOW: _("黄（滞后于计划进度）"),
    Colour.RED: _("红（节点或时限已逾期）"),
    Colour.PAUSED: _("灰（暂缓实施）"),
    Colour.DONE: _("已完成"),
    Colour.NONE: _("不计预警"),
}
COLOUR_CHOICES = [(colour.value, COLOUR_LABELS[colour]) for colour in Colour]
# The same in one character, for the ledger's narrow column.
SHORT_LABELS: dict[str, Any] = {
    Colour.GREEN: _("绿"),
    Colour.BLUE: _("蓝"),
    Colour.YELLOW: _("黄"),
    Colour.RED: _("红"),
    Colour.PAUSED: _("缓"),
    Colour.DONE: _("完成"),
    Colour.NONE: "—",
}
# Colours that mean "behind": what the 月督办 and the 季调度's laggards list are about (together
# with the 未更新 overlay).
LAGGING = frozenset({Colour.RED, Colour.YELLOW})
STALE = "stale"
NOTE = "note"


def planned_percent(
    start: datetime.date,
    deadline: datetime.date,
    milestones: Sequence[Milestone],
    today: datetime.date,
) -> float:
    """Planned cumulative progress on ``today`` (0–100)."""
    total = sum(m.weight for m in milestones)
    points: list[tuple[datetime.date, float]] = [(start, 0.0)]
    done = 0
    for m in sorted(milestones, key=lambda m: (m.planned_date, m.seq)):
        done += m.weight
        points.append((m.planned_date, 100.0 * done / total))
    if points[-1][0] < deadline:
        # Without milestones the plan is a straight line to the deadline; with them the last
        # milestone already stands at 100%, so the line stays flat until the deadline.
        points.append((deadline, 100.0))
    if today <= start:
        return 0.0
    if today >= points[-1][0]:
        return 100.0
    for (d0, p0), (d1, p1) in pairwise(points):
        if d0 <= today < d1:
            span = (d1 - d0).days
            return p0 + (p1 - p0) * (today - d0).days / span if span else p1
    return 100.0  # pragma: no cover - the loop always finds the segment


# --- What a rule can look at ------------------------------------------------------------------


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _iso(day: datetime.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _when(days: int) -> str:
    """How far ahead a date lies, in words: 今天, 明天, 3天后."""
    if days == 0:
        return gettext("今天")
    if days == 1:
        return gettext("明天")
    return gettext("%(days)s天后") % {"days": days}


@dataclass
class Facts:
    """The project as the rules see it on ``as_of``."""

    project: Any
    as_of: datetime.date
    milestones: list[Any]

    def __post_init__(self) -> None:
        p = self.project
        self.progress: int = p.progress_percent
        self.deadline: datetime.date = p.deadline
        self.expected: float = planned_percent(
            p.start_date, p.deadline, self.milestones, self.as_of
        )
        self.pending = sorted(
            (m for m in self.milestones if m.completed_on is None),
            key=lambda m: (m.planned_date, m.seq),
        )
        self.claimed: datetime.date | None = _day(getattr(p, "claimed_at", None))
        self.verified: datetime.date | None = _day(getattr(p, "verified_at", None))
        self.closed: datetime.date | None = _day(getattr(p, "closed_at", None))
        claimed = self.claimed or _day(getattr(p, "status_changed_at", None)) or self.as_of
        self.signoff_due = claimed + datetime.timedelta(days=conf.signoff_days())

    def ahead(self, day: datetime.date) -> int:
        return (day - self.as_of).days


Condition = Callable[[Facts], list[dict[str, Any]]]


def _always(f: Facts) -> list[dict[str, Any]]:
    return [{}]


def _deadline_passed(done: bool) -> Condition:
    def condition(f: Facts) -> list[dict[str, Any]]:
        if f.as_of > f.deadline and (f.progress >= 100) == done:
            days = (f.as_of - f.deadline).days
            return [{"deadline": _iso(f.deadline), "days": days, "progress": f.progress}]
        return []

    return condition


def _milestones_missed(f: Facts) -> list[dict[str, Any]]:
    return [
        {"name": m.name, "date": _iso(m.planned_date), "days": (f.as_of - m.planned_date).days}
        for m in f.pending
        if m.planned_date < f.as_of
    ]


def _behind_pace(f: Facts) -> list[dict[str, Any]]:
    if f.progress + conf.pace_tolerance() < f.expected:
        return [{"progress": f.progress, "expected": round(f.expected)}]
    return []


def _milestones_near(f: Facts) -> list[dict[str, Any]]:
    return [
        {"name": m.name, "date": _iso(m.planned_date), "when": _when(f.ahead(m.planned_date))}
        for m in f.pending
        if 0 <= f.ahead(m.planned_date) <= conf.near_days()
    ]


def _deadline_near(done: bool) -> Condition:
    def condition(f: Facts) -> list[dict[str, Any]]:
        if 0 <= f.ahead(f.deadline) <= conf.near_days() and (f.progress >= 100) == done:
            return [{"deadline": _iso(f.deadline), "when": _when(f.ahead(f.deadline))}]
        return []

    return condition


def _on_plan(f: Facts) -> list[dict[str, Any]]:
    return [{"progress": f.progress, "expected": round(f.expected)}]


def _stale(f: Facts) -> list[dict[str, Any]]:
    p = f.project
    since = p.last_approved_report_on or p.started_on or p.start_date
    days = (f.as_of - since).days
    return [{"days": days}] if days > conf.stale_days() else []


def _paused(f: Facts) -> list[dict[str, Any]]:
    return [{}]


def _signoff_overdue(f: Facts) -> list[dict[str, Any]]:
    if f.as_of > f.signoff_due:
        return [
            {
                "due": _iso(f.signoff_due),
                "days": (f.as_of - f.signoff_due).days,
                "claimed": _iso(f.claimed),
            }
        ]
    return []


def _signoff_near(f: Facts) -> list[dict[str, Any]]:
    if 0 <= f.ahead(f.signoff_due) <= conf.near_days():
        return [{"due": _iso(f.signoff_due), "when": _when(f.ahead(f.signoff_due))}]
    return []


def _awaiting_check(f: Facts) -> list[dict[str, Any]]:
    return [{"claimed": _iso(f.claimed), "due": _iso(f.signoff_due)}]


def _awaiting_signoff(f: Facts) -> list[dict[str, Any]]:
    return [{"verified": _iso(f.verified), "due": _iso(f.signoff_due)}]


def _milestones_unmarked(f: Facts) -> list[dict[str, Any]]:
    if not f.pending:
        return []
    return [{"count": len(f.pending), "date": _iso(f.pending[0].planned_date)}]


def _closed(f: Facts) -> list[dict[str, Any]]:
    return [{"closed": _iso(f.closed)}]


# --- The table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    states: tuple[Status, ...]
    condition: Promise  # the condition in words, for the table in docs/
    test: Condition
    colour: str | None  # None: an overlay that never decides the colour
    reason: Promise  # with %(name)s placeholders filled from what ``test`` returns
    otherwise: bool = False  # holds only when no earlier row of the state decided
    overlay: str = ""  # STALE or NOTE for overlay rows


WORKING = (S.APPROVED, S.ASSIGNED, S.IN_PROGRESS)
SIGNOFF = (S.CLAIMED, S.VERIFIED)

RULES: tuple[Rule, ...] = (
    Rule(
        (S.COLLECTED, S.SCREENED),
        _("任何情况"),
        _always,
        Colour.NONE,
        _("尚未立项，不计预警"),
    ),
    Rule((S.MERGED,), _("任何情况"), _always, Colour.NONE, _("已并入其他项目，不计预警")),
    Rule((S.CANCELLED,), _("任何情况"), _always, Colour.NONE, _("项目已取消，不计预警")),
    Rule(
        WORKING,
        _("计算日已过完成时限，已审核进度不足100%"),
        _deadline_passed(done=False),
        Colour.RED,
        _("已超过完成时限（%(deadline)s）%(days)s天，已审核进度%(progress)s%%"),
    ),
    Rule(
        WORKING,
        _("计算日已过完成时限，已审核进度达100%但未申请销号"),
        _deadline_passed(done=True),
        Colour.RED,
        _("已超过完成时限（%(deadline)s）%(days)s天，进度已达100%%但尚未申请销号"),
    ),
    Rule(
        WORKING,
        _("有未完成的节点，其计划日期早于计算日（每个节点一条原因）"),
        _milestones_missed,
        Colour.RED,
        _("节点「%(name)s」（%(date)s）已逾期%(days)s天未完成"),
    ),
    Rule(
        WORKING,
        _("已审核进度加容差（PROJECTS_PACE_TOLERANCE）仍低于计划进度"),
        _behind_pace,
        Colour.YELLOW,
        _("已审核进度%(progress)s%%，计划应达%(expected)s%%"),
    ),
    Rule(
        WORKING,
        _("有未完成的节点在 PROJECTS_NEAR_DAYS 天内（含当天）到期（每个节点一条原因）"),
        _milestones_near,
        Colour.BLUE,
        _("%(when)s到达节点「%(name)s」（%(date)s）"),
    ),
    Rule(
        WORKING,
        _("已审核进度不足100%，完成时限在 PROJECTS_NEAR_DAYS 天内（含当天）"),
        _deadline_near(done=False),
        Colour.BLUE,
        _("%(when)s到达完成时限（%(deadline)s）"),
    ),
    Rule(
        WORKING,
        _("已审核进度达100%，完成时限在 PROJECTS_NEAR_DAYS 天内（含当天）"),
        _deadline_near(done=True),
        Colour.BLUE,
        _("进度已达100%%，%(when)s到达完成时限（%(deadline)s），请及时申请销号"),
    ),
    Rule(
        WORKING,
        _("以上都不符合"),
        _on_plan,
        Colour.GREEN,
        _("按计划推进：已审核进度%(progress)s%%，计划应达%(expected)s%%"),
        otherwise=True,
    ),
    Rule(
        (S.IN_PROGRESS,),
        _("超过 PROJECTS_STALE_DAYS 天没有审核通过的进展（自最近审核进展日或开始推进日起算）"),
        _stale,
        None,
        _("已%(days)s天无审核通过的进展"),
        overlay=STALE,
    ),
    Rule(
        (S.DEFERRED,),
        _("计算日已过完成时限"),
        _deadline_passed(done=False),
        Colour.PAUSED,
        _("暂缓实施中；完成时限（%(deadline)s）已过%(days)s天，恢复推进时须调整时限"),
    ),
    Rule(
        (S.DEFERRED,),
        _("以上都不符合"),
        _paused,
        Colour.PAUSED,
        _("暂缓实施中，不计进度预警"),
        otherwise=True,
    ),
    Rule(
        SIGNOFF,
        _("计算日已过验收销号时限（申请销号日加 PROJECTS_SIGNOFF_DAYS 天）"),
        _signoff_overdue,
        Colour.RED,
        _("验收销号已超过时限（%(due)s）%(days)s天（%(claimed)s申请销号）"),
    ),
    Rule(
        SIGNOFF,
        _("验收销号时限在 PROJECTS_NEAR_DAYS 天内（含当天）"),
        _signoff_near,
        Colour.BLUE,
        _("%(when)s到达验收销号时限（%(due)s）"),
    ),
    Rule(
        (S.CLAIMED,),
        _("以上都不符合"),
        _awaiting_check,
        Colour.GREEN,
        _("已于%(claimed)s申请销号，待现场验收（验收销号时限%(due)s）"),
        otherwise=True,
    ),
    Rule(
        (S.VERIFIED,),
        _("以上都不符合"),
        _awaiting_signoff,
        Colour.GREEN,
        _("已于%(verified)s验收通过，待群众评价后销号（验收销号时限%(due)s）"),
        otherwise=True,
    ),
    Rule(
        SIGNOFF,
        _("仍有节点未标记完成"),
        _milestones_unmarked,
        None,
        _("尚有%(count)s个节点未标记完成（最早%(date)s），验收时请核实"),
        overlay=NOTE,
    ),
    Rule((S.CLOSED,), _("任何情况"), _closed, Colour.DONE, _("已于%(closed)s销号")),
)


# --- The light ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lag:
    colour: str
    stale: bool = False
    expected_percent: int = 0
    reasons: list[str] = field(default_factory=list)
    next_date: datetime.date | None = None
    as_of: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(COLOUR_LABELS[self.colour])

    @property
    def short(self) -> str:
        return str(SHORT_LABELS[self.colour])

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)

    @property
    def lagging(self) -> bool:
        """Behind: red, yellow or 未更新 — what the 月督办 and the 季调度 list."""
        return self.colour in LAGGING or self.stale

    @property
    def stale_label(self) -> str:
        return gettext("超%(days)s天未更新") % {"days": conf.stale_days()}


def _next_date(f: Facts, status: str) -> datetime.date | None:
    """The next date the project works towards (the board pins it in that month)."""
    if status not in WORKING and status != S.DEFERRED:
        return None
    upcoming = [m.planned_date for m in f.pending if m.planned_date >= f.as_of]
    if f.progress < 100 and f.deadline >= f.as_of:
        upcoming.append(f.deadline)
    return min(upcoming) if upcoming else None


def compute_lag(
    project: Project, as_of: datetime.date, milestones: Iterable[Milestone] | None = None
) -> Lag:
    """The light of ``project`` on the day ``as_of``, from ``RULES`` only."""
    ms = list(project.milestones.all() if milestones is None else milestones)
    facts = Facts(project, as_of, ms)
    colour: str | None = None
    reasons: list[str] = []
    notes: list[str] = []
    stale = False
    for rule in RULES:
        if project.status not in rule.states:
            continue
        if rule.overlay:
            found = rule.test(facts)
            notes.extend(str(rule.reason) % ctx for ctx in found)
            stale = stale or (rule.overlay == STALE and bool(found))
            continue
        if rule.otherwise and colour is not None:
            continue
        if colour is not None and rule.colour != colour:
            continue
        found = rule.test(facts)
        if found:
            colour = rule.colour
            reasons.extend(str(rule.reason) % ctx for ctx in found)
    if colour is None:  # a state with no row: the table test forbids it
        raise ValueError(f"预警颜色表缺少状态：{project.status}")
    expected = 100 if project.status == S.CLOSED else round(facts.expected)
    return Lag(colour, stale, expected, reasons + notes, _next_date(facts, project.status), as_of)


def annotate_lag(projects: Iterable[Project], as_of: datetime.date) -> list[Project]:
    """Attach ``lag`` as of ``as_of`` to each project (milestones should be prefetched). A project
    may carry its own ``milestones_as_of`` (the plan as it stood on a past day, ``history``)."""
    rows = list(projects)
    for project in rows:
        milestones = getattr(project, "milestones_as_of", None)
        project.lag = compute_lag(project, as_of, milestones)  # type: ignore[attr-defined]
    return rows


# --- The table in words (docs/lag-colours.md) -------------------------------------------------


def _placeholders(text: str) -> str:
    return text.replace("%%", "%").replace("%(", "{").replace(")s", "}")


def colour_table_markdown() -> str:
    """``docs/lag-colours.md``, generated from ``RULES`` (in Chinese, whatever the language)."""
    with translation.override("zh-hans"):
        return _markdown()


@dataclass(frozen=True)
class TableRow:
    states: str
    condition: str
    colour: str  # the Colour value, or STALE / NOTE for overlay rows
    colour_label: str
    reason: str  # placeholders shown as {name}


def colour_rows() -> list[TableRow]:
    """``RULES`` in words, for the page and the document (in the active language)."""
    state_label = {value: str(label) for value, label in Status.choices}
    rows = []
    for rule in RULES:
        if rule.overlay == STALE:
            colour, label = STALE, gettext("叠加“未更新”标记")
        elif rule.overlay == NOTE:
            colour, label = NOTE, gettext("附注（颜色不变）")
        else:
            colour = str(rule.colour)
            label = str(COLOUR_LABELS[colour])
        rows.append(
            TableRow(
                "、".join(state_label[s] for s in rule.states),
                str(rule.condition),
                colour,
                label,
                _placeholders(str(rule.reason)),
            )
        )
    return rows


def _markdown() -> str:
    lines = [
        "# 实事项目预警颜色 Lag colours",
        "",
        "<!-- 由 `python manage.py lag_colours_doc` 根据 banshi/projects/lag.py 的 RULES 生成，"
        "请勿手工修改；banshi/projects/tests/test_lag.py 保证本文件与代码一致。 -->",
        "",
        "预警颜色由计划和已审核进度计算，从不手工填写。每个项目状态下的颜色都来自下表，"
        "台账、领导页面、挂图作战、项目页面、接口、Excel 导出以及周梳理、月督办、季调度的 "
        "Excel 和 PDF 都调用同一个函数（`banshi/projects/lag.py` 的 `compute_lag`）。",
        "",
        "## 读表方法",
        "",
        "- 颜色总是相对某一天（计算日 `as_of`）计算：页面和接口用今天，周梳理和月督办用生成当天，"
        "季调度用该季度最后一天（数据也还原到那一天）。原因的措辞也相对计算日，"
        "如“节点「主体完工」（2026-11-27）已逾期3天未完成”“2天后到达节点……”。",
        "- 同一状态的各行按顺序判断，第一条成立的行决定颜色；其后颜色相同且成立的行补充原因；"
        "“以上都不符合”只在前面没有行成立时适用。",
        "- 叠加行（未更新、附注）不改变颜色，成立时追加原因；“未更新”另在页面上显示标记，"
        "并与红、黄一起计入月督办和季调度的滞后项目。",
        "- 原因中的 `{…}` 为计算时填入的值：日期为 YYYY-MM-DD，`{days}` 为天数，"
        "`{when}` 为“今天”“明天”或“N天后”。",
        "",
        "| 状态 | 条件（于计算日） | 颜色 | 原因措辞 |",
        "|---|---|---|---|",
    ]
    for row in colour_rows():
        lines.append(f"| {row.states} | {row.condition} | {row.colour_label} | {row.reason} |")
    lines += [
        "",
        "## 参数",
        "",
        "| 设置 | 默认 | 含义 |",
        "|---|---|---|",
    ]
    for setting, default, meaning in conf.LAG_SETTINGS:
        lines.append(f"| `{setting}` | {default} | {meaning} |")
    lines.append("")
    return "\n".join(lines)
