"""Scheduler jobs for requests. Each finds due rows by indexed columns and hands each row to the
transition service, whose compare-and-set on the marker column (``reminded_at``, ``overdue_at``…)
makes a second run — or a concurrent one — do nothing."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db.models import Q

from banshi.core.calendar import local, working_days_between
from banshi.core.errors import DomainError
from banshi.workflow.engine import SYSTEM
from banshi.workorders.choices import CLOCK_STATUSES, HOT_STATUSES, Status
from banshi.workorders.models import WorkOrder, WorkOrderQuerySet
from banshi.workorders.services import transition

logger = logging.getLogger("banshi.workorders.jobs")
BATCH = 500
ESCALATE_AFTER_WORKDAYS = 5


def _orders() -> WorkOrderQuerySet:
    # Unscoped: the scheduler acts for the system on every request whose clock has run.
    return WorkOrder.objects.unscoped()


def _run(action: str, ids: list[int], now: datetime.datetime, data: dict | None = None) -> int:
    done = 0
    for pk in ids:
        order = _orders().filter(pk=pk).first()
        if order is None:
            continue
        try:
            transition(actor=SYSTEM, order=order, action=action, data=dict(data or {}), now=now)
        except DomainError as exc:  # lost a race or the state moved on: nothing to do
            logger.info("跳过工单 %s 的 %s：%s", pk, action, exc.detail)
            continue
        done += 1
    return done


def _ids(condition: Q) -> list[int]:
    return list(_orders().filter(condition).order_by("pk").values_list("pk", flat=True)[:BATCH])


def remind_near_due(now: datetime.datetime) -> int:
    return _run(
        "remind",
        _ids(
            Q(
                status__in=CLOCK_STATUSES,
                near_due_at__lte=now,
                close_due__gt=now,
                reminded_at__isnull=True,
            )
        ),
        now,
    )


def mark_overdue(now: datetime.datetime) -> int:
    return _run(
        "mark_overdue",
        _ids(
            Q(
                status__in=CLOCK_STATUSES | {Status.REPLIED},
                close_due__lt=now,
                overdue_at__isnull=True,
            )
        ),
        now,
    )


def next_day_start(moment: datetime.datetime) -> datetime.datetime:
    day = local(moment).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=local(moment).tzinfo)


def auto_urge(now: datetime.datetime) -> int:
    """催办 the day after expiry: orders whose limit passed before today began."""
    today_start = datetime.datetime.combine(
        local(now).date(), datetime.time(0), tzinfo=local(now).tzinfo
    )
    return _run(
        "auto_urge",
        _ids(Q(status__in=CLOCK_STATUSES, close_due__lt=today_start, auto_urged_at__isnull=True)),
        now,
    )


def escalate(now: datetime.datetime) -> int:
    candidates = (
        _orders()
        .filter(
            status__in=CLOCK_STATUSES,
            close_due__lt=now - datetime.timedelta(days=ESCALATE_AFTER_WORKDAYS),
            escalated_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "close_due")[:BATCH]
    )
    due = [
        pk
        for pk, close_due in candidates
        if close_due is not None and working_days_between(close_due, now) > ESCALATE_AFTER_WORKDAYS
    ]
    return _run("escalate", due, now, {"days": ESCALATE_AFTER_WORKDAYS})


def default_ratings(now: datetime.datetime) -> int:
    return _run("auto_rate", _ids(Q(status=Status.CALLBACK, callback_due__lte=now)), now)


HOT_WINDOW_DAYS = 30
HOT_MIN_REPEATS = 3


def hotspot_clusters(now: datetime.datetime) -> list[tuple[int, int]]:
    """The 热点 rule: (category id, org unit id) pairs with at least three requests, not refused
    as invalid nor merged, received at that place within the last 30 days. One grouped query.
    Shared by ``mark_hotspots`` and the 未诉先办 proposals (``insight``)."""
    from django.db.models import Count

    since = now - datetime.timedelta(days=HOT_WINDOW_DAYS)
    return list(
        _recent(since)
        .values("category_id", "org_unit_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=HOT_MIN_REPEATS)
        .order_by("category_id", "org_unit_id")
        .values_list("category_id", "org_unit_id")
    )


def _recent(since: datetime.datetime) -> Any:
    return (
        _orders().filter(received_at__gte=since).exclude(status__in=[Status.INVALID, Status.MERGED])
    )


def mark_hotspots(now: datetime.datetime) -> int:
    """热点 / 重复诉求: open requests whose category recurred at least three times in the same
    community (or street) within 30 days are flagged hot, so dispatchers and 未诉先办 see the
    cluster. One grouped query finds the clusters; each request not yet flagged takes the
    ``mark_hot`` step (event, change record, ``updated_at`` for Open311's feed), whose
    compare-and-set on ``hot=False`` makes a second run change nothing."""
    recent = _recent(now - datetime.timedelta(days=HOT_WINDOW_DAYS))
    flagged = 0
    for category_id, org_unit_id in hotspot_clusters(now):
        cluster = recent.filter(category_id=category_id, org_unit_id=org_unit_id)
        repeats = cluster.count()
        ids = list(
            cluster.filter(hot=False, status__in=HOT_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        flagged += _run("mark_hot", ids, now, {"repeats": repeats})
    return flagged


JOBS = [
    ("workorders.remind", remind_near_due, "到期前提醒承办单位"),
    ("workorders.overdue", mark_overdue, "标记超时工单"),
    ("workorders.auto_urge", auto_urge, "超时次日自动催办"),
    ("workorders.escalate", escalate, "超时5个工作日以上通报"),
    ("workorders.default_rating", default_ratings, "7日未评价视为基本满意"),
    ("workorders.hotspots", mark_hotspots, "同一地点同类诉求30日内3次以上标记热点"),
]
