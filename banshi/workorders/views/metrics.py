"""三率 and the monthly ranking: the month's rollup table per unit class, two ECharts charts, the
红榜 and 黑榜, and a button that recomputes the current month's rollups on demand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from banshi.core.errors import ValidationFailed
from banshi.core.permissions import require
from banshi.orgtree.choices import Level
from banshi.workorders import metrics
from banshi.workorders.services.metrics import month_stats_refresh

ACTION = "workorder.metrics"
UNIT_CLASSES = [
    (Level.DISTRICT.value, gettext_lazy("区县")),
    (Level.STREET.value, gettext_lazy("街道乡镇")),
    (Level.FUNCTIONAL.value, gettext_lazy("职能部门")),
    (Level.COMMUNITY.value, gettext_lazy("社区村")),
    (Level.PARK.value, gettext_lazy("园区")),
    (Level.STATIONED.value, gettext_lazy("驻区单位")),
]


def parse_month(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        return datetime.datetime.strptime(value[:7], "%Y-%m").date()
    except ValueError as exc:
        raise ValidationFailed("月份格式应为 YYYY-MM", code="invalid_month") from exc


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _chart(rows: list[metrics.UnitMetrics]) -> dict[str, Any]:
    return {
        # Series names for the legends and tooltips, in the page's language (metrics.js has none).
        "labels": {
            "composite": gettext("综合成绩"),
            "response": gettext("响应率"),
            "resolution": gettext("解决率"),
            "satisfaction": gettext("满意率"),
        },
        "units": [m.unit.name for m in rows],
        "composite": [_num(m.composite) for m in rows],
        "response": [_num(m.response) for m in rows],
        "resolution": [_num(m.resolution) for m in rows],
        "satisfaction": [_num(m.satisfaction) for m in rows],
    }


@login_required
@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    require(request.user, ACTION)
    error = ""
    status = 200
    level = request.GET.get("level", Level.DISTRICT)
    if level not in dict(UNIT_CLASSES):
        level, error, status = Level.DISTRICT, gettext("单位类别无效"), 400
    try:
        month = parse_month(request.GET.get("month"))
    except ValidationFailed as exc:
        month, error, status = timezone.localdate().replace(day=1), exc.detail, exc.status
    if not request.GET.get("month"):
        month = metrics.latest_month(request.user, level) or month
    result = metrics.ranking(request.user, month, level)
    unranked = [m for m in metrics.month_table(request.user, month, level) if m.composite is None]
    table = [*result.rows, *sorted(unranked, key=lambda m: m.unit.name)]
    refreshed = max((m.stats.refreshed_at for m in table), default=None)
    context = {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "level": level,
        "unit_classes": UNIT_CLASSES,
        "table": table,
        "ranking": result,
        "chart": _chart(result.rows),
        "refreshed": refreshed,
        "min_dispatched": metrics.RANKING_MIN_DISPATCHED,
        "weights": metrics.weights(),
        "error": error,
        "is_current": month == timezone.localdate().replace(day=1),
    }
    return render(request, "workorders/metrics.html", context, status=status)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Recompute this month's rollups now (the scheduler does it on every run as well)."""
    require(request.user, ACTION)
    month = timezone.localdate().replace(day=1)
    count = month_stats_refresh(actor=request.user, month=month)
    messages.success(request, gettext("已刷新本月指标（%(n)s 个单位）") % {"n": count})
    level = request.POST.get("level", Level.DISTRICT)
    if level not in dict(UNIT_CLASSES):
        level = Level.DISTRICT
    return redirect(f"{reverse('workorders:metrics')}?month={month:%Y-%m}&level={level}")
