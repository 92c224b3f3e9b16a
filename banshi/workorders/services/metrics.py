"""Writing the monthly metric rollups: ``UnitMonthStats`` rows from the counts that
``metrics.month_counts`` reads, for one month (the metrics page's refresh) or for the months the
scheduler finds due."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.core.permissions import require
from banshi.workorders.metrics import month_counts, month_start, months_due
from banshi.workorders.models import MetricsDirtyMonth, UnitMonthStats

_COUNTED = [
    f.name
    for f in UnitMonthStats._meta.concrete_fields
    if f.name not in {"id", "unit", "month", "refreshed_at"}
]


@transaction.atomic
def month_stats_refresh(
    *, actor: Any = None, month: datetime.date, now: datetime.datetime | None = None
) -> int:
    """Recompute the month's rows (a unit with nothing left that month loses its row) and clear
    the month's dirty mark; returns how many units have a row. ``actor=None`` is the scheduler;
    a person needs ``workorder.metrics``. No change record: the rows are derived, and rebuilt the
    same from the requests whoever asks."""
    if actor is not None:
        require(actor, "workorder.metrics")
    now = now or timezone.now()
    month = month_start(month)
    stats = month_counts(month, now)
    UnitMonthStats.objects.filter(month=month).exclude(unit_id__in=stats).delete()
    for unit_id, values in stats.items():
        defaults = {name: values.get(name, 0) for name in _COUNTED}
        UnitMonthStats.objects.update_or_create(unit_id=unit_id, month=month, defaults=defaults)
    MetricsDirtyMonth.objects.filter(month=month).delete()
    return len(stats)


def month_stats_refresh_due(now: datetime.datetime) -> int:
    """The scheduler job: refresh every month ``metrics.months_due`` names."""
    return sum(month_stats_refresh(actor=None, month=m, now=now) for m in months_due(now))
