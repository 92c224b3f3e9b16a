"""The cadence reports' content (周梳理, 月督办, 季调度) and their PDF rendering.

PDFs are made by WeasyPrint from an HTML template whose CSS asks for "WenQuanYi Micro Hei"; after
rendering, ``embedded_fonts`` reads the PDF back and we refuse to store a PDF with no embedded CJK
font (a page of empty boxes is worse than no page)."""

from __future__ import annotations

import datetime
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop

from banshi.projects.choices import ACTIVE_STATUSES, APPROVED_OR_LATER, Colour, Status
from banshi.projects.lag import annotate_lag
from banshi.projects.models import Project, ProjectEvent, SupervisedItem
from banshi.projects.selectors import with_ledger_relations

CJK_FONT_MARKERS = (b"WenQuanYi", b"NotoSansCJK", b"NotoSerifCJK", b"SourceHan")


def embedded_fonts(pdf: bytes) -> list[str]:
    """Names of the fonts embedded in ``pdf`` (those with a FontFile stream), read by inflating
    every compressed stream, since WeasyPrint packs font dictionaries into object streams."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        if end < 0:
            continue
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    text = b"\n".join(chunks)
    if b"/FontFile" not in text:
        return []
    names = re.findall(rb"/FontName\s*/([^\s/<>\[\]()]+)", text)
    return sorted({n.decode("latin-1") for n in names})


def has_cjk_font(pdf: bytes) -> bool:
    return any(m.decode() in name for name in embedded_fonts(pdf) for m in CJK_FONT_MARKERS)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango and fonts

    html = render_to_string(template, context)
    pdf = HTML(string=html).write_pdf()
    assert isinstance(pdf, bytes)
    if not has_cjk_font(pdf):
        raise RuntimeError(
            "PDF 未能嵌入中文字体（需要 WenQuanYi Micro Hei，Debian 包 fonts-wqy-microhei）"
        )
    return pdf


def _rate(part: int, whole: int) -> str:
    return f"{Decimal(part * 100) / Decimal(whole):.1f}%" if whole else "—"


def open_projects(today: datetime.date) -> list[Project]:
    qs = with_ledger_relations(Project.objects.unscoped().filter(status__in=ACTIVE_STATUSES))
    return annotate_lag(qs.order_by("number"), today)


@dataclass
class Report:
    heading: str
    summary: dict[str, Any]
    projects: list[Project]
    sheets: list[tuple[str, str, list[tuple[str, int]], list[list[Any]]]] = field(
        default_factory=list
    )
    tables: list[dict[str, Any]] = field(default_factory=list)


def _colour_summary(projects: list[Project]) -> dict[str, int]:
    counts = {c: 0 for c in (Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN)}
    stale = 0
    for p in projects:
        lag = p.lag  # type: ignore[attr-defined]
        if lag.colour in counts:
            counts[lag.colour] += 1
        stale += lag.stale
    return {
        gettext_noop("在推项目"): len(projects),
        gettext_noop("红灯"): counts[Colour.RED],
        gettext_noop("黄灯"): counts[Colour.YELLOW],
        gettext_noop("蓝灯"): counts[Colour.BLUE],
        gettext_noop("绿灯"): counts[Colour.GREEN],
        gettext_noop("超7天未更新"): stale,
    }


def _is_lagging(p: Project) -> bool:
    lag = p.lag  # type: ignore[attr-defined]
    return lag.colour in {Colour.RED, Colour.YELLOW} or lag.stale


def weekly(now: datetime.datetime, period: str) -> Report:
    today = timezone.localdate(now)
    since = now - datetime.timedelta(days=7)
    projects = open_projects(today)
    events = list(
        ProjectEvent.objects.filter(at__gte=since, at__lt=now)
        .select_related("project", "actor")
        .order_by("project__number", "at")
    )
    changed: dict[int, list[str]] = defaultdict(list)
    for e in events:
        changed[e.project_id].append(e.label)
    change_rows = [
        [
            e.project.number,
            e.project.name,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
            e.label,
            e.note[:200],
        ]
        for e in events
    ]
    late = [p for p in projects if _is_lagging(p)]
    late_rows = [
        [p.number, p.name, p.lead_unit.name, p.lag.short, p.lag.reason]  # type: ignore[attr-defined]
        for p in late
    ]
    closed = (
        Project.objects.unscoped()
        .filter(status=Status.CLOSED, closed_at__gte=since, closed_at__lt=now)
        .count()
    )
    summary = {
        **_colour_summary(projects),
        gettext_noop("本周有变化的项目"): len(changed),
        gettext_noop("本周销号"): closed,
    }
    change_cols = [("项目编号", 14), ("项目名称", 30), ("时间", 16), ("变化", 16), ("说明", 50)]
    late_cols = [("项目编号", 14), ("项目名称", 30), ("牵头单位", 20), ("预警", 8), ("原因", 60)]
    heading = f"实事项目周梳理（{period}，截至{today:%Y年%m月%d日}）"
    return Report(
        heading,
        summary,
        projects,
        sheets=[
            ("本周变化", f"{heading}·本周变化", change_cols, change_rows),
            ("滞后项目", f"{heading}·滞后项目", late_cols, late_rows),
        ],
        tables=[
            {"title": "滞后项目", "columns": [c for c, _ in late_cols], "rows": late_rows},
            {
                "title": "本周变化",
                "columns": [c for c, _ in change_cols],
                "rows": change_rows[:300],
            },
        ],
    )


def monthly_laggards(today: datetime.date) -> list[Project]:
    """Projects the 月督办 goes to: lagging and still with the unit (not claimed or verified)."""
    working = {Status.APPROVED, Status.ASSIGNED, Status.IN_PROGRESS}
    return [p for p in open_projects(today) if p.status in working and _is_lagging(p)]


def monthly(now: datetime.datetime, period: str, notices: list[Any]) -> Report:
    today = timezone.localdate(now)
    laggards = monthly_laggards(today)
    overdue_items = list(
        SupervisedItem.objects.filter(status="open", due_date__lt=today).select_related(
            "owner_unit"
        )
    )
    notice_rows = [
        [
            n.project.number,
            n.project.name,
            n.to_unit.name,
            n.cc_leader.name if n.cc_leader else "",
            n.content,
            n.due_date,
        ]
        for n in notices
    ]
    item_rows = [[i.content, i.owner_unit.name, i.owner_person, i.due_date] for i in overdue_items]
    notice_cols = [
        ("项目编号", 14),
        ("项目名称", 30),
        ("责任单位", 20),
        ("抄送领导", 10),
        ("督办内容", 50),
        ("答复时限", 11),
    ]
    item_cols = [("督办事项", 50), ("责任单位", 20), ("责任人", 10), ("完成时限", 11)]
    heading = f"实事项目月督办（{period}）"
    summary = {
        gettext_noop("督办项目"): len(laggards),
        gettext_noop("发出督办通知"): len(notices),
        gettext_noop("逾期督办事项"): len(overdue_items),
    }
    return Report(
        heading,
        summary,
        laggards,
        sheets=[
            ("督办通知", f"{heading}·督办通知", notice_cols, notice_rows),
            ("逾期事项", f"{heading}·逾期督办事项", item_cols, item_rows),
        ],
        tables=[
            {"title": "督办通知", "columns": [c for c, _ in notice_cols], "rows": notice_rows},
            {"title": "逾期督办事项", "columns": [c for c, _ in item_cols], "rows": item_rows},
        ],
    )


def _rates(projects: list[Project], key: Any) -> list[list[Any]]:
    groups: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        for name in key(p):
            groups[name].append(p)
    rows = []
    for name, items in sorted(groups.items()):
        closed = [p for p in items if p.status == Status.CLOSED]
        on_time = [
            p for p in closed if p.closed_at and timezone.localdate(p.closed_at) <= p.deadline
        ]
        overdue = [p for p in items if p.lag.colour == Colour.RED]  # type: ignore[attr-defined]
        rows.append(
            [
                name,
                len(items),
                len(closed),
                _rate(len(closed), len(items)),
                len(on_time),
                _rate(len(on_time), len(closed)),
                len(overdue),
            ]
        )
    return rows


def quarterly(now: datetime.datetime, period: str) -> Report:
    """The 季调度 pack: completion (closed ÷ approved) and on-time rates by list level and by lead
    unit, and the laggards with their reasons, as the ledger stands when the pack is made."""
    today = timezone.localdate(now)
    qs = with_ledger_relations(
        Project.objects.unscoped().filter(status__in=APPROVED_OR_LATER)
    ).prefetch_related("deadline_changes", "notices")
    projects = annotate_lag(qs.order_by("number"), today)
    by_level = _rates(
        projects,
        lambda p: (
            sorted({str(e.project_list.get_level_display()) for e in p.list_entries.all()})
            or ["未列入清单"]
        ),
    )
    by_unit = _rates(projects, lambda p: [p.lead_unit.name])
    laggards = [p for p in projects if p.status in ACTIVE_STATUSES and _is_lagging(p)]
    lag_rows = []
    for p in laggards:
        changes = [c for c in p.deadline_changes.all() if c.status == "approved"]
        answers = [n.response for n in p.notices.all() if n.response]
        lag_rows.append(
            [
                p.number,
                p.name,
                p.lead_unit.name,
                p.lead_leader.name if p.lead_leader else "",
                p.lag.short,  # type: ignore[attr-defined]
                p.lag.reason,  # type: ignore[attr-defined]
                "；".join(c.reason for c in changes[-2:]),
                answers[0] if answers else "",
            ]
        )
    closed = sum(1 for p in projects if p.status == Status.CLOSED)
    on_time = sum(
        1
        for p in projects
        if p.status == Status.CLOSED
        and p.closed_at
        and timezone.localdate(p.closed_at) <= p.deadline
    )
    summary = {
        gettext_noop("立项项目"): len(projects),
        gettext_noop("已销号"): closed,
        gettext_noop("完成率"): _rate(closed, len(projects)),
        gettext_noop("按期完成率"): _rate(on_time, closed),
        gettext_noop("滞后项目"): len(laggards),
    }
    rate_cols = [
        ("分组", 24),
        ("立项", 8),
        ("销号", 8),
        ("完成率", 10),
        ("按期销号", 10),
        ("按期率", 10),
        ("逾期（红灯）", 12),
    ]
    lag_cols = [
        ("项目编号", 14),
        ("项目名称", 30),
        ("牵头单位", 20),
        ("牵头领导", 10),
        ("预警", 8),
        ("滞后原因", 50),
        ("时限调整理由", 40),
        ("督办答复", 40),
    ]
    heading = f"实事项目季调度（{period}，截至{today:%Y年%m月%d日}）"
    return Report(
        heading,
        summary,
        projects,
        sheets=[
            ("按清单层级", f"{heading}·按清单层级", rate_cols, by_level),
            ("按牵头单位", f"{heading}·按牵头单位", rate_cols, by_unit),
            ("滞后项目", f"{heading}·滞后项目及原因", lag_cols, lag_rows),
        ],
        tables=[
            {"title": "按清单层级", "columns": [c for c, _ in rate_cols], "rows": by_level},
            {"title": "按牵头单位", "columns": [c for c, _ in rate_cols], "rows": by_unit},
            {"title": "滞后项目及原因", "columns": [c for c, _ in lag_cols], "rows": lag_rows},
        ],
    )
