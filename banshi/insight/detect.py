"""未诉先办: finding what recurs in the request history before it is complained about again.

Four detectors, each a few grouped queries over indexed columns (``category``, ``org_unit``,
``received_at``, ``caller_phone``), returning ``Finding``s the proposal service turns into
proposals. Requests refused as invalid or merged into another are never evidence.

- **热点 hotspot** — the existing rule (``workorders.jobs.hotspot_clusters``): at least three
  requests of one category at one place (community or street) within 30 days.
- **激增 spike** — a category in a street rising above its own baseline. With *n* requests in
  the last 7 days (today included) and *b* in the 28 days before them, the expected weekly count
  is λ = max(b / 4, 0.5); it is a spike when n ≥ 3 and the Poisson upper tail P(X ≥ n | λ) is
  below 0.01. The window ends at the moment of detection, so a burst is found on the day it
  begins and not before.
- **重复来电 repeat caller** — one phone number behind at least three requests within 30 days.
- **季节性复发 seasonal** — what was high at this time last year: the 30 days starting one year
  ago held at least 5 requests of a category in a street, and at least twice that street's
  30-day average for the category over the past year. Proposed ahead of the season.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from banshi.core.calendar import local
from banshi.insight.choices import ProposalKind
from banshi.orgtree.choices import Level
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit
from banshi.orgtree.selectors import units_at, units_by_id
from banshi.workorders.choices import Status
from banshi.workorders.jobs import HOT_MIN_REPEATS, HOT_WINDOW_DAYS, hotspot_clusters
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.privacy import caller_view

SPIKE_WINDOW_DAYS = 7
SPIKE_BASELINE_DAYS = 28
SPIKE_MIN = 3
SPIKE_P = 0.01
SPIKE_FLOOR = 0.5
REPEAT_DAYS = 30
REPEAT_MIN = 3
SEASON_DAYS = 30
SEASON_MIN = 5
SEASON_RATIO = 2.0
EVIDENCE_MAX = 50


@dataclass
class Finding:
    kind: str
    subject: str
    category: Category
    org_unit: OrgUnit
    title: str
    statistic: str
    evidence: dict[str, Any]
    order_ids: list[int]
    count: int
    first_at: datetime.datetime
    last_at: datetime.datetime
    extra: dict[str, Any] = field(default_factory=dict)


def evidence_orders() -> QuerySet[WorkOrder]:
    # Detection runs for the whole city on the scheduler; proposals are scoped when read.
    return WorkOrder.objects.unscoped().exclude(status__in=[Status.INVALID, Status.MERGED])


def _day_start(now: datetime.datetime, days_back: int) -> datetime.datetime:
    day = local(now).date() - datetime.timedelta(days=days_back)
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=local(now).tzinfo)


def _span(orders: list[WorkOrder]) -> tuple[datetime.datetime, datetime.datetime]:
    times = [o.received_at for o in orders]
    return min(times), max(times)


def _streets_of(paths: set[str]) -> dict[str, OrgUnit]:
    """For each place path, the deepest street (or town), park or district holding it: the area
    spikes and seasons are counted in."""
    prefixes = {p[:i] for p in paths for i in range(SEGMENT_WIDTH, len(p) + 1, SEGMENT_WIDTH)}
    units = units_at(prefixes, levels=[Level.STREET, Level.DISTRICT, Level.PARK])
    result = {}
    for path in paths:
        for i in range(len(path), 0, -SEGMENT_WIDTH):
            if path[:i] in units:
                result[path] = units[path[:i]]
                break
    return result


def _grouped(
    start: datetime.datetime, end: datetime.datetime, *, through: bool = False
) -> dict[tuple[int, str], int]:
    """Requests per (category, place path) received from ``start`` until ``end`` (exclusive,
    or inclusive with ``through``)."""
    until = {"received_at__lte": end} if through else {"received_at__lt": end}
    rows = (
        evidence_orders()
        .filter(received_at__gte=start, **until)
        .values("category_id", "org_unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["category_id"], r["org_unit__path"]): r["n"] for r in rows}


def _by_area(
    grouped: dict[tuple[int, str], int], areas: dict[str, OrgUnit]
) -> Counter[tuple[int, str]]:
    result: Counter[tuple[int, str]] = Counter()
    for (category_id, path), n in grouped.items():
        if path in areas:
            result[(category_id, areas[path].path)] += n
    return result


# --- 热点 ---------------------------------------------------------------------------------------


def hotspots(now: datetime.datetime) -> list[Finding]:
    since = now - datetime.timedelta(days=HOT_WINDOW_DAYS)
    clusters = hotspot_clusters(now)
    if not clusters:
        return []
    categories = Category.objects.in_bulk({c for c, _ in clusters})
    places = units_by_id({u for _, u in clusters})
    findings = []
    for category_id, unit_id in clusters:
        orders = list(
            evidence_orders()
            .filter(
                category_id=category_id,
                org_unit_id=unit_id,
                received_at__gte=since,
                received_at__lte=now,
            )
            .order_by("-received_at", "-id")[:EVIDENCE_MAX]
        )
        if len(orders) < HOT_MIN_REPEATS:
            continue
        category, place = categories[category_id], places[unit_id]
        first, last = _span(orders)
        findings.append(
            Finding(
                ProposalKind.HOTSPOT,
                f"{category_id}:{unit_id}",
                category,
                place,
                f"{place.name}{category.name}问题{HOT_WINDOW_DAYS}日内反复出现",
                f"同一地点同类诉求{HOT_WINDOW_DAYS}日内{len(orders)}件"
                f"（热点规则：{HOT_WINDOW_DAYS}日内不少于{HOT_MIN_REPEATS}件）",
                {"window_days": HOT_WINDOW_DAYS, "count": len(orders)},
                [o.pk for o in orders],
                len(orders),
                first,
                last,
            )
        )
    return findings


# --- 激增 ---------------------------------------------------------------------------------------


def poisson_tail(n: int, lam: float) -> float:
    """P(X ≥ n) for X ~ Poisson(λ)."""
    if n <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for k in range(1, n):
        term *= lam / k
        below += term
    return max(0.0, 1.0 - below)


def spikes(now: datetime.datetime) -> list[Finding]:
    window_start = _day_start(now, SPIKE_WINDOW_DAYS - 1)
    base_start = window_start - datetime.timedelta(days=SPIKE_BASELINE_DAYS)
    window = _grouped(window_start, now, through=True)
    if not window:
        return []
    baseline = _grouped(base_start, window_start)
    streets = _streets_of({path for _, path in window} | {path for _, path in baseline})
    recent = _by_area(window, streets)
    base = _by_area(baseline, streets)
    by_path = {u.path: u for u in streets.values()}
    findings = []
    weeks = SPIKE_BASELINE_DAYS / SPIKE_WINDOW_DAYS
    for (category_id, path), n in recent.items():
        if n < SPIKE_MIN:
            continue
        b = base.get((category_id, path), 0)
        lam = max(b / weeks, SPIKE_FLOOR)
        p = poisson_tail(n, lam)
        if p >= SPIKE_P:
            continue
        street = by_path[path]
        orders = list(
            evidence_orders()
            .filter(
                category_id=category_id,
                org_unit__path__startswith=path,
                received_at__gte=window_start,
                received_at__lte=now,
            )
            .select_related("category")
            .order_by("-received_at", "-id")[:EVIDENCE_MAX]
        )
        if not orders:
            continue
        category = orders[0].category
        first, last = _span(orders)
        findings.append(
            Finding(
                ProposalKind.SPIKE,
                f"{category_id}:{street.pk}",
                category,
                street,
                f"{street.name}{category.name}诉求激增",
                f"近{SPIKE_WINDOW_DAYS}日{n}件，前{SPIKE_BASELINE_DAYS}日{b}件"
                f"（基线每{SPIKE_WINDOW_DAYS}日{lam:.2f}件）；泊松检验 P(X≥{n})={p:.4f}，"
                f"低于{SPIKE_P}",
                {
                    "window_days": SPIKE_WINDOW_DAYS,
                    "baseline_days": SPIKE_BASELINE_DAYS,
                    "count": n,
                    "baseline": b,
                    "expected": round(lam, 3),
                    "p": round(p, 6),
                },
                [o.pk for o in orders],
                n,
                first,
                last,
            )
        )
    return findings


# --- 重复来电 -----------------------------------------------------------------------------------


def caller_key(phone: str) -> str:
    """A keyed digest of a phone number: proposals never store the number itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), phone.encode(), hashlib.sha256).hexdigest()
    return f"caller:{digest[:40]}"


def repeat_callers(now: datetime.datetime) -> list[Finding]:
    since = now - datetime.timedelta(days=REPEAT_DAYS)
    phones = list(
        evidence_orders()
        .filter(received_at__gte=since, received_at__lte=now)
        .exclude(caller_phone="")
        .values("caller_phone")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEAT_MIN)
        .order_by("caller_phone")
        .values_list("caller_phone", flat=True)
    )
    findings = []
    for phone in phones:
        orders = list(
            evidence_orders()
            .filter(caller_phone=phone, received_at__gte=since, received_at__lte=now)
            .select_related("category", "org_unit")
            .order_by("-received_at", "-id")[:EVIDENCE_MAX]
        )
        if len(orders) < REPEAT_MIN:
            continue
        category_id = Counter(o.category_id for o in orders).most_common(1)[0][0]
        unit_id = Counter(o.org_unit_id for o in orders).most_common(1)[0][0]
        category = next(o.category for o in orders if o.category_id == category_id)
        place = next(o.org_unit for o in orders if o.org_unit_id == unit_id)
        kinds = len({o.category_id for o in orders})
        # The finding's title is read by many and kept: the caller as an export shows them.
        callers = [caller_view(None, o, bulk=True) for o in orders]
        hidden = any(c.hidden for c in callers)
        shown = "保密来电人" if hidden else f"来电人{callers[0].phone}"
        first, last = _span(orders)
        findings.append(
            Finding(
                ProposalKind.REPEAT_CALLER,
                caller_key(phone),
                category,
                place,
                f"{shown}{REPEAT_DAYS}日内反映{len(orders)}次（{place.name}）",
                f"同一来电号码{REPEAT_DAYS}日内{len(orders)}件诉求，涉及{kinds}个分类，"
                f"最多的是{category.name}（规则：{REPEAT_DAYS}日内不少于{REPEAT_MIN}件）",
                {"window_days": REPEAT_DAYS, "count": len(orders), "categories": kinds},
                [o.pk for o in orders],
                len(orders),
                first,
                last,
            )
        )
    return findings


# --- 季节性复发 ---------------------------------------------------------------------------------


def seasonal(now: datetime.datetime) -> list[Finding]:
    year_ago = now - datetime.timedelta(days=365)
    season_end = year_ago + datetime.timedelta(days=SEASON_DAYS)
    year = _grouped(year_ago, now)
    season = _grouped(year_ago, season_end)
    if not season:
        return []
    streets = _streets_of({path for _, path in year})
    year_by = _by_area(year, streets)
    season_by = _by_area(season, streets)
    by_path = {u.path: u for u in streets.values()}
    label_year = local(year_ago).year
    findings = []
    for (category_id, path), n in season_by.items():
        average = year_by[(category_id, path)] * SEASON_DAYS / 365
        if n < SEASON_MIN or n < SEASON_RATIO * average:
            continue
        street = by_path[path]
        orders = list(
            evidence_orders()
            .filter(
                category_id=category_id,
                org_unit__path__startswith=path,
                received_at__gte=year_ago,
                received_at__lt=season_end,
            )
            .select_related("category")
            .order_by("-received_at", "-id")[:EVIDENCE_MAX]
        )
        if not orders:
            continue
        category = orders[0].category
        first, last = _span(orders)
        start_label = local(year_ago).strftime("%m月%d日")
        end_label = local(season_end).strftime("%m月%d日")
        findings.append(
            Finding(
                ProposalKind.SEASONAL,
                f"{category_id}:{street.pk}:{local(now).year}",
                category,
                street,
                f"{street.name}{category.name}去年同期高发，建议提前部署",
                f"{label_year}年{start_label}至{end_label}共{n}件，为近一年月均"
                f"{average:.1f}件的{n / average if average else float('inf'):.1f}倍"
                f"（规则：不少于{SEASON_MIN}件且不低于月均的{SEASON_RATIO:g}倍）",
                {"season_days": SEASON_DAYS, "count": n, "monthly_average": round(average, 2)},
                [o.pk for o in orders],
                n,
                first,
                last,
            )
        )
    return findings


DETECTORS = [hotspots, spikes, repeat_callers, seasonal]


def detect_all(now: datetime.datetime) -> list[Finding]:
    found: list[Finding] = []
    for detector in DETECTORS:
        found.extend(detector(now))
    return found
