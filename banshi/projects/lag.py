"""The warning light, computed from the plan and approved progress, never typed by hand.

- red: the 完成时限 has passed, or a milestone's planned date has passed without it being done;
- yellow: approved progress trails the planned pace by more than the tolerance;
- blue: on pace, but the next milestone (or the deadline) is at most ``near_days`` away;
- green: on plan.
A project that has been under way for more than ``stale_days`` days without an approved report is
also *stale*. The planned pace runs straight from 0% at the start through each milestone's
cumulative weight to 100% at the last milestone or the deadline, whichever is later.

Everything takes ``today`` explicitly, so callers (and tests) decide what day it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from django.utils import timezone

from banshi.projects import conf
from banshi.projects.choices import ACTIVE_STATUSES, Colour, Status
from banshi.projects.models import Milestone, Project

SHORT_LABELS: dict[str, str] = {
    Colour.GREEN: "绿",
    Colour.BLUE: "蓝",
    Colour.YELLOW: "黄",
    Colour.RED: "红",
    Colour.DONE: "完成",
    Colour.NONE: "—",
}


@dataclass(frozen=True)
class Lag:
    colour: str
    stale: bool = False
    expected_percent: int = 0
    reasons: list[str] = field(default_factory=list)
    next_date: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(Colour(self.colour).label)

    @property
    def short(self) -> str:
        return SHORT_LABELS[self.colour]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


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


def compute_lag(
    project: Project, today: datetime.date, milestones: Iterable[Milestone] | None = None
) -> Lag:
    ms = list(project.milestones.all() if milestones is None else milestones)
    if project.status == Status.CLOSED:
        return Lag(Colour.DONE, expected_percent=100)
    if project.status not in ACTIVE_STATUSES:
        return Lag(Colour.NONE)
    day = today
    if project.status in {Status.CLAIMED, Status.VERIFIED} and project.claimed_at:
        # The unit has declared the work done: judge it as of that day.
        day = min(today, timezone.localdate(project.claimed_at))
    expected = planned_percent(project.start_date, project.deadline, ms, day)
    reasons: list[str] = []
    colour = Colour.GREEN
    pending = sorted(
        (m for m in ms if m.completed_on is None), key=lambda m: (m.planned_date, m.seq)
    )
    missed = [m for m in pending if m.planned_date < day]
    if day > project.deadline and project.progress_percent < 100:
        colour = Colour.RED
        reasons.append(f"已超过完成时限{(day - project.deadline).days}天")
    if missed:
        colour = Colour.RED
        reasons.extend(
            f"节点「{m.name}」应于{m.planned_date:%Y-%m-%d}完成，尚未完成" for m in missed
        )
    if colour != Colour.RED and project.progress_percent + conf.pace_tolerance() < expected:
        colour = Colour.YELLOW
        reasons.append(f"已审核进度{project.progress_percent}%，计划应达{round(expected)}%")
    upcoming = [m.planned_date for m in pending if m.planned_date >= day]
    if project.progress_percent < 100 and project.deadline >= day:
        upcoming.append(project.deadline)
    next_date = min(upcoming) if upcoming else None
    if colour == Colour.GREEN and next_date and (next_date - day).days <= conf.near_days():
        colour = Colour.BLUE
        reasons.append(f"{(next_date - day).days}天后到达节点（{next_date:%Y-%m-%d}）")
    stale = False
    if project.status == Status.IN_PROGRESS:
        since = project.last_approved_report_on or project.started_on or project.start_date
        stale = (today - since).days > conf.stale_days()
        if stale:
            reasons.append(f"已{(today - since).days}天无审核通过的进展")
    return Lag(colour, stale, round(expected), reasons, next_date)


def annotate_lag(projects: Iterable[Project], today: datetime.date) -> list[Project]:
    """Attach ``lag`` to each project (milestones should be prefetched)."""
    rows = list(projects)
    for project in rows:
        project.lag = compute_lag(project, today)  # type: ignore[attr-defined]
    return rows
