"""Reads of the indicators app. Every figure is a handful of grouped queries over the subtree's
rows — never a loop over nodes: a node's figure is its own plus its descendants', targets from the
year's quarter-0 reports, actuals from the approved quarter reports (a flow summed over the quarters
up to the one asked, a stock the latest quarter each node reported) plus what signed-off projects
posted. Only approved (locked) reports count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from banshi.core import calendar
from banshi.core.errors import NotFound
from banshi.core.permissions import can
from banshi.indicators.choices import (
    COUNTED,
    QUARTERS,
    TARGET_QUARTER,
    Kind,
    Status,
)
from banshi.indicators.models import Entry, Indicator, Posting, Report, ReportEvent
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit

VIEW = "indicator.view"
ZERO = Decimal("0")


def indicators(*, active_only: bool = True) -> list[Indicator]:
    qs = Indicator.objects.all()
    return list(qs.filter(is_active=True) if active_only else qs)


def visible_node(user: Any, pk: Any) -> OrgUnit:
    """The node, if the user may read its indicators; out of sight is 404."""
    node = OrgUnit.objects.for_user(user, VIEW).filter(pk=pk).first()
    if node is None:
        raise NotFound()
    return node


def home_node(user: Any) -> OrgUnit | None:
    """The highest node where the user reads indicators (their cockpit's starting point)."""
    return OrgUnit.objects.for_user(user, VIEW).order_by("depth", "path").first()


@dataclass
class Figure:
    indicator: Indicator
    target: Decimal = ZERO
    reported: Decimal = ZERO
    projects: Decimal = ZERO

    @property
    def actual(self) -> Decimal:
        return self.reported + self.projects

    @property
    def rate(self) -> Decimal | None:
        """完成率 in percent (one decimal), None without a target."""
        if not self.target:
            return None
        return (self.actual * 100 / self.target).quantize(Decimal("0.1"))


@dataclass
class Row:
    node: OrgUnit
    figures: dict[int, Figure] = field(default_factory=dict)


def _grouped(
    path: str, year: int, quarter: int, key_len: int
) -> dict[tuple[str, int], dict[str, Decimal]]:
    """{(path prefix of length key_len, indicator id): {"target", "reported", "projects"}} for the
    subtree at ``path`` — four grouped queries whatever the tree's size."""
    out: dict[tuple[str, int], dict[str, Decimal]] = {}

    def add(rows: Any, slot: str) -> None:
        for row in rows:
            bucket = out.setdefault((row["key"], row["indicator"]), {})
            bucket[slot] = bucket.get(slot, ZERO) + (row["total"] or ZERO)

    base = Entry.objects.within_paths([path]).filter(report__year=year, report__status=COUNTED)
    key = Substr("report__org_unit__path", 1, key_len)
    add(
        base.filter(report__quarter=TARGET_QUARTER)
        .annotate(key=key)
        .values("key", "indicator")
        .annotate(total=Sum("value")),
        "target",
    )
    actuals = base.filter(report__quarter__gte=1, report__quarter__lte=quarter)
    add(
        actuals.filter(indicator__kind=Kind.FLOW)
        .annotate(key=key)
        .values("key", "indicator")
        .annotate(total=Sum("value")),
        "reported",
    )
    newer = Entry.objects.filter(
        report__org_unit=OuterRef("report__org_unit"),
        indicator=OuterRef("indicator"),
        report__year=year,
        report__status=COUNTED,
        report__quarter__gt=OuterRef("report__quarter"),
        report__quarter__lte=quarter,
    )
    add(
        actuals.filter(indicator__kind=Kind.STOCK)
        .annotate(newer=Exists(newer))
        .filter(newer=False)
        .annotate(key=key)
        .values("key", "indicator")
        .annotate(total=Sum("value")),
        "reported",
    )
    add(
        Posting.objects.within_paths([path])
        .filter(year=year, quarter__lte=quarter, reversed_at__isnull=True)
        .annotate(key=Substr("org_unit__path", 1, key_len))
        .values("key", "indicator")
        .annotate(total=Sum("amount")),
        "projects",
    )
    return out


def _figures(buckets: dict[str, Decimal] | None, indicator: Indicator) -> Figure:
    buckets = buckets or {}
    return Figure(
        indicator,
        target=buckets.get("target", ZERO),
        reported=buckets.get("reported", ZERO),
        projects=buckets.get("projects", ZERO),
    )


def _check_quarter(quarter: int) -> int:
    return quarter if quarter in QUARTERS else 4


def rollup(user: Any, node: OrgUnit, year: int, quarter: int = 4) -> Row:
    """The node's figures (own + descendants') for the year up to ``quarter``."""
    if not can(user, VIEW, node):
        raise NotFound()
    quarter = _check_quarter(quarter)
    grouped = _grouped(node.path, year, quarter, len(node.path))
    return Row(
        node,
        {i.pk: _figures(grouped.get((node.path, i.pk)), i) for i in indicators()},
    )


def table(user: Any, node: OrgUnit, year: int, quarter: int = 4) -> tuple[Row, list[Row]]:
    """The node's total and one row per direct child (the statistics office's layout): the same
    grouped queries, keyed by the child's path prefix. A node's own entries show as its 本级 row
    when it has any."""
    if not can(user, VIEW, node):
        raise NotFound()
    quarter = _check_quarter(quarter)
    defs = indicators()
    grouped = _grouped(node.path, year, quarter, len(node.path) + SEGMENT_WIDTH)
    children = list(
        OrgUnit.objects.for_user(user, VIEW)
        .filter(parent=node, is_active=True)
        .order_by("code", "name")
    )
    rows: list[Row] = []
    if any(k == node.path for k, _ in grouped):
        rows.append(Row(node, {i.pk: _figures(grouped.get((node.path, i.pk)), i) for i in defs}))
    for child in children:
        rows.append(Row(child, {i.pk: _figures(grouped.get((child.path, i.pk)), i) for i in defs}))
    total = Row(node, {})
    for ind in defs:
        fig = Figure(ind)
        for (_k, pk), buckets in grouped.items():
            if pk == ind.pk:
                fig.target += buckets.get("target", ZERO)
                fig.reported += buckets.get("reported", ZERO)
                fig.projects += buckets.get("projects", ZERO)
        total.figures[ind.pk] = fig
    return total, rows


# --- completeness ----------------------------------------------------------------------------------


def deadline(year: int, quarter: int) -> datetime.datetime:
    """When a period's report is due: a number of working days after the period ends (targets:
    after the year begins), both configurable."""
    if quarter == TARGET_QUARTER:
        start = datetime.date(year, 1, 1)
        days = settings.INDICATORS_TARGET_WORKING_DAYS
    else:
        month = quarter * 3 + 1
        start = datetime.date(year + 1, 1, 1) if month > 12 else datetime.date(year, month, 1)
        days = settings.INDICATORS_REPORT_WORKING_DAYS
    moment = datetime.datetime.combine(start, datetime.time(0), tzinfo=calendar.TZ)
    return calendar.add_working_days(moment, days)


@dataclass
class Completeness:
    node: OrgUnit
    report: Report | None
    late: bool

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.status in (
            Status.SUBMITTED,
            Status.APPROVED,
        )


def completeness(
    user: Any,
    node: OrgUnit,
    year: int,
    quarter: int,
    *,
    now: datetime.datetime | None = None,
) -> tuple[datetime.datetime, list[Completeness]]:
    """Every node under ``node`` that owns an indicator, with its report for the period and
    whether it is late (not yet submitted after the deadline)."""
    if not can(user, VIEW, node):
        raise NotFound()
    now = now or timezone.now()
    due = deadline(year, quarter)
    levels = set(Indicator.objects.filter(is_active=True).values_list("level", flat=True))
    units = list(
        OrgUnit.objects.for_user(user, VIEW)
        .filter(path__startswith=node.path, level__in=levels, is_active=True)
        .order_by("path")
    )
    reports = {
        r.org_unit_id: r
        for r in Report.objects.within_paths([node.path]).filter(year=year, quarter=quarter)
    }
    result = []
    for unit in units:
        report = reports.get(unit.pk)
        item = Completeness(unit, report, False)
        item.late = not item.reported and now > due
        result.append(item)
    return due, result


# --- reports -----------------------------------------------------------------------------------


def reports(
    user: Any,
    *,
    node: OrgUnit | None = None,
    year: int | None = None,
    quarter: int | None = None,
    status: str | None = None,
) -> Any:
    qs = Report.objects.for_user(user, VIEW).select_related("org_unit")
    if node is not None:
        qs = qs.filter(org_unit__path__startswith=node.path)
    if year:
        qs = qs.filter(year=year)
    if quarter is not None:
        qs = qs.filter(quarter=quarter)
    if status:
        qs = qs.filter(status=status)
    return qs


def report(user: Any, pk: Any) -> Report:
    found = (
        Report.objects.for_user(user, VIEW)
        .select_related("org_unit", "org_unit__parent")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def entries(report: Report) -> dict[int, Decimal]:
    return dict(Entry.objects.filter(report=report).values_list("indicator_id", "value"))


def events(report: Report) -> list[ReportEvent]:
    return list(ReportEvent.objects.filter(report=report).select_related("actor"))


def own_values(
    user: Any, units: list[OrgUnit], year: int, quarters: tuple[int, ...]
) -> dict[tuple[int, int, int], Decimal]:
    """{(unit id, quarter, indicator id): value} the units entered themselves (any status)."""
    rows = Entry.objects.for_user(user, "indicator.report").filter(
        report__org_unit__in=units, report__year=year, report__quarter__in=quarters
    )
    return {
        (org, q, ind): value
        for org, q, ind, value in rows.values_list(
            "report__org_unit", "report__quarter", "indicator", "value"
        )
    }


def indicator_by_code(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=str(code)[:40]).first()


def pick_units(user: Any, query: str) -> list[OrgUnit]:
    """Units the user reads indicators of, by name, for the unit picker (city down to street)."""
    qs = OrgUnit.objects.for_user(user, VIEW).filter(
        is_active=True, level__in=["province", "city", "district", "street"]
    )
    if query:
        qs = qs.filter(name__contains=query)
    return list(qs.select_related("parent").order_by("depth", "path")[:20])
