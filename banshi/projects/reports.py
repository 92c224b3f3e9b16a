"""The cadence reports' content (周梳理, 月督办, 季调度) and their PDF rendering.

Each report is computed as of the end of its period, with the one light (``lag.compute_lag``):
the 周梳理 and 月督办 cover the time up to the moment they are made (``as_of`` is that day); the
季调度 labelled "2026-Q3" covers that quarter, so it shows the ledger as it stood on its last day
(``history.ledger_as_of``) and words every reason relative to that day.

PDFs are made by WeasyPrint from an HTML template set in the CJK font the project ships
(``banshi/core/static/banshi/fonts.css``, handed to WeasyPrint as a stylesheet), so they need no
system font. After rendering, ``embedded_fonts`` reads the PDF back and we refuse to store a PDF
in which no CJK font is embedded (a page of empty boxes is worse than no page)."""

from __future__ import annotations

import datetime
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop

from banshi.core.choices import Colour
from banshi.core.fonts import FONT_CSS
from banshi.projects import conf
from banshi.projects.choices import ACTIVE_STATUSES, APPROVED_OR_LATER, Status
from banshi.projects.history import end_of, ledger_as_of
from banshi.projects.lag import annotate_lag
from banshi.projects.models import Project, ProjectEvent, SupervisedItem
from banshi.projects.selectors import with_ledger_relations

# Families of CJK fonts, compared without spaces and hyphens. WeasyPrint names an embedded font
# after the CSS family it was loaded as ("Noto-Sans-SC-Bold" for the font the project ships) and a
# system font after its own family; a prefix such as "ABCDEF+" marks the subset.
CJK_FONT_MARKERS = (
    "NotoSansSC",
    "NotoSansCJK",
    "NotoSerifSC",
    "NotoSerifCJK",
    "SourceHan",
    "WenQuanYi",
)
# A font descriptor dictionary (it holds no nested dictionary): the font's name and, when the
# font is embedded, a reference to its FontFile/FontFile2/FontFile3 stream.
_FONT_DESCRIPTOR = re.compile(
    rb"<<(?:(?!<<|>>).)*?/Type\s*/FontDescriptor\b(?:(?!<<|>>).)*>>", re.DOTALL
)
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
_FONT_FILE = re.compile(rb"/FontFile[23]?\s+\d+\s+\d+\s+R")
# How a PDF table column may wrap, by title. Short tokens — a person's name, a number, a date, a
# status — never break over two lines (a three-character name split in two reads as two names);
# unit and project names may wrap but keep a sensible width; long text takes what is left.
PDF_COLUMN_CLASS = {
    **dict.fromkeys(("项目编号", "牵头领导", "抄送领导", "责任人", "时间", "预警", "变化"), "nw"),
    **dict.fromkeys(("答复时限", "完成时限", "立项", "销号", "完成率", "按期销号"), "nw"),
    **dict.fromkeys(("按期率", "逾期（红灯）"), "nw"),
    **dict.fromkeys(("牵头单位", "责任单位", "分组"), "unit"),
    "项目名称": "pname",
}


def embedded_fonts(pdf: bytes) -> list[str]:
    """Names of the fonts embedded in ``pdf``: those whose font descriptor points at a font file
    (FontFile/FontFile2/FontFile3), read by inflating every compressed stream, since WeasyPrint
    packs font dictionaries into object streams. A font merely named, not embedded, is not one."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        if end < 0:
            continue
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    names = set()
    for descriptor in _FONT_DESCRIPTOR.finditer(b"\n".join(chunks)):
        name = _FONT_NAME.search(descriptor.group())
        if name and _FONT_FILE.search(descriptor.group()):
            names.add(name.group(1).decode("latin-1"))
    return sorted(names)


def font_family_key(name: str) -> str:
    """An embedded font's name without its subset prefix, spaces and hyphens."""
    return re.sub(r"[\s-]", "", name.rsplit("+", 1)[-1])


def has_cjk_font(pdf: bytes) -> bool:
    return any(
        marker in font_family_key(name)
        for name in embedded_fonts(pdf)
        for marker in CJK_FONT_MARKERS
    )


def pdf_document(template: str, context: dict[str, Any]) -> Any:
    """The laid-out WeasyPrint document for ``template``, set in the shipped font."""
    from weasyprint import CSS, HTML  # imported late: it loads Pango and fonts
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=render_to_string(template, context)).render(
        stylesheets=[CSS(filename=str(FONT_CSS), font_config=fonts)], font_config=fonts
    )


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    pdf = pdf_document(template, context).write_pdf()
    assert isinstance(pdf, bytes)
    if not has_cjk_font(pdf):
        raise RuntimeError(f"PDF 未能嵌入中文字体（应使用项目自带的 {FONT_CSS.name} 中的字体）")
    return pdf


def _rate(part: int, whole: int) -> str:
    return f"{Decimal(part * 100) / Decimal(whole):.1f}%" if whole else "—"


def _ledger() -> QuerySet[Project]:
    # Unscoped: the cadence reports cover the whole ledger; the scheduler makes them for the
    # city, and they are read by those they go to.
    return Project.objects.unscoped()


def open_projects(as_of: datetime.date) -> list[Project]:
    qs = with_ledger_relations(_ledger().filter(status__in=ACTIVE_STATUSES))
    return annotate_lag(qs.order_by("number"), as_of)


def quarter_end(period: str) -> datetime.date:
    """The last day of a quarter labelled like "2026-Q3"."""
    year, quarter = period.split("-Q")
    first_of_next = datetime.date(int(year) + int(quarter) // 4, int(quarter) % 4 * 3 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


@dataclass
class Report:
    heading: str
    summary: dict[str, Any]
    projects: list[Project]
    sheets: list[tuple[str, str, list[tuple[str, int]], list[list[Any]]]] = field(
        default_factory=list
    )
    tables: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pdf_tables(self) -> list[dict[str, Any]]:
        """``tables`` with each column and cell paired with its PDF_COLUMN_CLASS."""
        out = []
        for table in self.tables:
            classes = [PDF_COLUMN_CLASS.get(column, "") for column in table["columns"]]
            out.append(
                {
                    **table,
                    "columns": list(zip(table["columns"], classes, strict=True)),
                    "rows": [list(zip(row, classes, strict=True)) for row in table["rows"]],
                }
            )
        return out


def _colour_summary(projects: list[Project]) -> dict[str, int]:
    counts = {c: 0 for c in (Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN, Colour.PAUSED)}
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
        gettext_noop("暂缓实施"): counts[Colour.PAUSED],
        f"超{conf.stale_days()}天未更新": stale,
    }


def _is_lagging(p: Project) -> bool:
    return bool(p.lag.lagging)  # type: ignore[attr-defined]


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
    closed = _ledger().filter(status=Status.CLOSED, closed_at__gte=since, closed_at__lt=now).count()
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
        # Unscoped: the whole ledger's items, as every cadence report (see ``_ledger``).
        SupervisedItem.objects.unscoped()
        .filter(status="open", due_date__lt=today)
        .select_related("owner_unit")
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
    heading = f"实事项目月督办（{period}，截至{today:%Y年%m月%d日}）"
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
    """The 季调度 pack for ``period`` ("2026-Q3"): completion (closed ÷ approved) and on-time rates
    by list level and by lead unit, and the laggards with their reasons, as the ledger stood on
    the quarter's last day (or today, for a quarter still running)."""
    as_of = min(quarter_end(period), timezone.localdate(now))
    end = end_of(as_of)
    qs = with_ledger_relations(_ledger()).prefetch_related("deadline_changes", "notices")
    then = [p for p in ledger_as_of(qs.order_by("number"), as_of) if p.status in APPROVED_OR_LATER]
    projects = annotate_lag(then, as_of)
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
        changes = [
            c
            for c in p.deadline_changes.all()
            if c.status == "approved" and c.decided_at and c.decided_at < end
        ]
        answers = [
            n.response
            for n in p.notices.all()
            if n.response and n.responded_at and n.responded_at < end
        ]
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
    heading = f"实事项目季调度（{period}，截至{as_of:%Y年%m月%d日}）"
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
