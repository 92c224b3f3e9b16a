"""三率 and the other monthly unit metrics, as rollups.

``services.metrics.month_stats_refresh`` recomputes one month's rows from that month's requests
only (by the indexed ``dispatched_at``/``received_at``), so the metrics page reads a few hundred
rollup rows and never scans all requests. The scheduler refreshes the current month every run, the previous month during
the first ten days (late callbacks land there) and any month marked dirty by an appeal ruling.

Formulas (DOMAIN.md §4): 响应率 = signed and contacted in time ÷ due for response; 解决率 = rated
solved ÷ rated; 满意率 = (满意 + 基本满意) ÷ rated; 综合成绩 = weighted sum (default 30/35/35);
及时签收率, 按时办结率 (replied by the closing limit), 回退率 and 重办率 over dispatched requests,
直接答复率 over requests received in a district. Requests whose appeal was upheld are left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from banshi.core.calendar import TZ
from banshi.core.choices import Satisfaction
from banshi.orgtree.choices import Level
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit
from banshi.orgtree.selectors import units_of_levels
from banshi.workorders.choices import AppealStatus, Resolution, Status
from banshi.workorders.models import MetricsDirtyMonth, MetricWeights, UnitMonthStats, WorkOrder

DISTRICT_PATH_LENGTH = 3 * SEGMENT_WIDTH  # province + city + district
RANKING_MIN_DISPATCHED = 5
BOARD_SIZE = 3


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(month, datetime.time(0), tzinfo=TZ)
    end = datetime.datetime.combine(next_month(month), datetime.time(0), tzinfo=TZ)
    return start, end


def month_counts(month: datetime.date, now: datetime.datetime) -> dict[int, dict[str, Any]]:
    """Each unit's counts for ``month`` (its first day), by unit id: the values of its
    ``UnitMonthStats`` row. ``services.metrics.month_stats_refresh`` writes them."""
    start, end = _bounds(month)
    # Unscoped: the monthly rollup counts every request; the tables it feeds are scoped.
    orders = WorkOrder.objects.unscoped()
    dispatched = orders.filter(
        dispatched_at__gte=start, dispatched_at__lt=end, lead_unit__isnull=False
    ).exclude(appeal_status=AppealStatus.APPROVED)
    rows = dispatched.values("lead_unit").annotate(
        dispatched=Count("pk"),
        due_sign=Count("pk", filter=Q(sign_due__lte=now) | Q(signed_at__isnull=False)),
        signed_on_time=Count("pk", filter=Q(signed_at__isnull=False, signed_at__lte=F("sign_due"))),
        due_response=Count("pk", filter=Q(contact_due__lte=now) | Q(contacted_at__isnull=False)),
        responded_on_time=Count(
            "pk",
            filter=Q(
                signed_at__isnull=False,
                signed_at__lte=F("sign_due"),
                contacted_at__isnull=False,
                contacted_at__lte=F("contact_due"),
            ),
        ),
        due_close=Count("pk", filter=Q(close_due__lte=now) | Q(replied_at__isnull=False)),
        closed_on_time=Count(
            "pk", filter=Q(replied_at__isnull=False, replied_at__lte=F("close_due"))
        ),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
        rated=Count("pk", filter=~Q(satisfaction="")),
        solved=Count("pk", filter=Q(resolution=Resolution.SOLVED) & ~Q(satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
        basic=Count("pk", filter=Q(satisfaction=Satisfaction.BASIC)),
        returned=Count("pk", filter=Q(return_count__gt=0)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
    )
    excluded = dict(
        orders.filter(
            dispatched_at__gte=start,
            dispatched_at__lt=end,
            appeal_status=AppealStatus.APPROVED,
            lead_unit__isnull=False,
        )
        .values("lead_unit")
        .annotate(n=Count("pk"))
        .values_list("lead_unit", "n")
    )
    stats: dict[int, dict[str, Any]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        stats[values.pop("lead_unit")] = values
    for unit_id, n in excluded.items():
        stats.setdefault(unit_id, {})["excluded"] = n
    # Received and answered directly, by the district the request is located in.
    received = (
        orders.filter(received_at__gte=start, received_at__lt=end)
        .annotate(district_path=Substr("org_unit__path", 1, DISTRICT_PATH_LENGTH))
        .values("district_path")
        .annotate(received=Count("pk"), answered=Count("pk", filter=Q(status=Status.ANSWERED)))
    )
    districts = dict(units_of_levels([Level.DISTRICT]).values_list("path", "pk"))
    for received_row in received:
        counts: dict[str, Any] = dict(received_row)
        district_id = districts.get(counts["district_path"])
        if district_id is None:
            continue
        entry = stats.setdefault(district_id, {})
        entry["received"] = counts["received"]
        entry["answered_directly"] = counts["answered"]
    return stats


def months_due(now: datetime.datetime) -> list[datetime.date]:
    """The months the scheduler refreshes: the current one, the previous one during the first ten
    days, and any marked dirty."""
    today = timezone.localtime(now).date()
    months = {month_start(today)}
    if today.day <= 10:
        months.add(month_start(month_start(today) - datetime.timedelta(days=1)))
    months.update(MetricsDirtyMonth.objects.values_list("month", flat=True))
    return sorted(months)


# --- reading -----------------------------------------------------------------------------------


def weights() -> MetricWeights:
    return MetricWeights.objects.first() or MetricWeights()


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


@dataclass
class UnitMetrics:
    unit: OrgUnit
    stats: UnitMonthStats
    response: Decimal | None
    resolution: Decimal | None
    satisfaction: Decimal | None
    composite: Decimal | None
    sign_on_time: Decimal | None
    close_on_time: Decimal | None
    return_rate: Decimal | None
    reopen_rate: Decimal | None
    direct_answer: Decimal | None


def compute(stats: UnitMonthStats, w: MetricWeights | None = None) -> UnitMetrics:
    w = w or weights()
    response = _rate(stats.responded_on_time, stats.due_response)
    resolution = _rate(stats.solved, stats.rated)
    satisfaction = _rate(stats.satisfied + stats.basic, stats.rated)
    composite = None
    parts = [(response, w.response), (resolution, w.resolution), (satisfaction, w.satisfaction)]
    total_weight = sum(weight for value, weight in parts if value is not None)
    if total_weight:
        weighted = sum((value * weight for value, weight in parts if value is not None), Decimal(0))
        composite = (weighted / total_weight).quantize(Decimal("0.01"))
    return UnitMetrics(
        unit=stats.unit,
        stats=stats,
        response=response,
        resolution=resolution,
        satisfaction=satisfaction,
        composite=composite,
        sign_on_time=_rate(stats.signed_on_time, stats.due_sign),
        close_on_time=_rate(stats.closed_on_time, stats.due_close),
        return_rate=_rate(stats.returned, stats.dispatched),
        reopen_rate=_rate(stats.reopened, stats.dispatched),
        direct_answer=_rate(stats.answered_directly, stats.received),
    )


def month_table(user: Any, month: datetime.date, level: str | None = None) -> list[UnitMetrics]:
    rows: QuerySet[UnitMonthStats] = (
        UnitMonthStats.objects.for_user(user, "workorder.metrics")
        .filter(month=month_start(month))
        .select_related("unit")
    )
    if level:
        rows = rows.filter(unit__level=level)
    w = weights()
    return [compute(s, w) for s in rows]


def latest_month(user: Any, level: str | None = None) -> datetime.date | None:
    """The newest month, up to the current one, in which the user's units (of ``level``) had
    requests dispatched to them or received in them: where the metrics page opens, so early in a
    month it shows the last month with figures instead of an empty table."""
    rows = (
        UnitMonthStats.objects.for_user(user, "workorder.metrics")
        .filter(month__lte=month_start(timezone.localdate()))
        .filter(Q(dispatched__gt=0) | Q(received__gt=0))
    )
    if level:
        rows = rows.filter(unit__level=level)
    month: datetime.date | None = rows.aggregate(latest=Max("month"))["latest"]
    return month


@dataclass
class Ranking:
    level: str
    rows: list[UnitMetrics]
    red: list[UnitMetrics]
    black: list[UnitMetrics]


def ranking(user: Any, month: datetime.date, level: str) -> Ranking:
    """Units of one class ranked by 综合成绩; 红榜 the top three, 黑榜 the bottom three, among units
    with enough dispatched requests for the score to mean something."""
    table = [m for m in month_table(user, month, level) if m.composite is not None]
    table.sort(key=lambda m: (-(m.composite or 0), m.unit.name))
    ranked = [m for m in table if m.stats.dispatched >= RANKING_MIN_DISPATCHED]
    red = ranked[:BOARD_SIZE]
    black = [m for m in reversed(ranked[BOARD_SIZE:])][:BOARD_SIZE]
    return Ranking(level, table, red, black)
