"""Due times on the Chinese calendar, the scheduler's idempotency, and the metric formulas."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from banshi.core.calendar import TZ
from banshi.core.choices import Colour
from banshi.core.scheduler import run_once
from banshi.notify.models import Message
from banshi.workorders import jobs, metrics
from banshi.workorders.choices import Status
from banshi.workorders.clock import light_of, light_q
from banshi.workorders.models import Event, UnitMonthStats, WorkOrder
from banshi.workorders.services import transition
from banshi.workorders.services.metrics import month_stats_refresh, month_stats_refresh_due

from .conftest import NOW


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, mi, tzinfo=TZ)


def dispatch_at(orders: Any, tree: Any, when: datetime.datetime, **submit: Any) -> WorkOrder:
    order = orders.submit(now=when, **submit)
    return transition(
        actor=orders.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk},
        now=when,
    )


def test_due_times_skip_national_day(orders: Any, tree: Any) -> None:
    # A complaint dispatched Wednesday 2026-09-30 10:00: sign within 1 working day → Thursday
    # 10-01 is a holiday, the week is off, so Thursday 10-08 10:00. 15 working days to close:
    # 10-08, 09, the 调休 Saturday 10-10, 12–16, 19–23, 26, 27.
    order = dispatch_at(orders, tree, at(2026, 9, 30, 10), kind="complaint")
    assert order.sign_due == at(2026, 10, 8, 10)
    assert order.contact_due == at(2026, 10, 1, 10)  # 24 natural hours
    assert order.close_due == at(2026, 10, 27, 10)


def test_due_times_skip_spring_festival(orders: Any, tree: Any) -> None:
    # Consultation dispatched Friday 2026-02-13 16:00: two working days are Saturday 02-14
    # (a make-up workday) and Tuesday 02-24 after the holiday.
    order = dispatch_at(orders, tree, at(2026, 2, 13, 16), kind="consult")
    assert order.sign_due == at(2026, 2, 14, 16)
    assert order.close_due == at(2026, 2, 24, 16)


def test_due_times_count_a_make_up_saturday(orders: Any, tree: Any) -> None:
    order = dispatch_at(orders, tree, at(2026, 10, 9, 9), kind="consult")
    assert order.sign_due == at(2026, 10, 10, 9)  # Saturday, worked in lieu
    assert order.close_due == at(2026, 10, 12, 9)


def test_urgent_limits_are_natural_hours(orders: Any, tree: Any) -> None:
    order = dispatch_at(orders, tree, at(2026, 10, 1, 20), kind="help", urgency="critical")
    assert order.sign_due == at(2026, 10, 1, 20, 30)
    assert order.close_due == at(2026, 10, 2, 20)


def test_lights_follow_the_clock(orders: Any, tree: Any) -> None:
    order = dispatch_at(orders, tree, NOW, kind="complaint")
    assert light_of(order, NOW) == Colour.GREEN
    assert light_of(order, order.sign_due + datetime.timedelta(minutes=1)) == Colour.YELLOW
    order = transition(actor=orders.boss, order=order, action="sign", now=NOW)
    order = transition(
        actor=orders.boss, order=order, action="contact", data={"note": "已联系"}, now=NOW
    )
    assert light_of(order, order.near_due_at) == Colour.BLUE
    assert light_of(order, order.close_due + datetime.timedelta(seconds=1)) == Colour.RED
    for light, moment in [
        (Colour.GREEN, NOW),
        (Colour.BLUE, order.near_due_at),
        (Colour.RED, order.close_due + datetime.timedelta(hours=1)),
    ]:
        assert list(WorkOrder.objects.filter(light_q(light, moment))) == [order]


def test_scheduler_marks_urges_escalates_and_a_second_run_changes_nothing(
    orders: Any, tree: Any, cast: Any
) -> None:
    from banshi.accounts.roles import Role

    cast.make(Role.HANDLER, tree.xiufeng)
    cast.make(Role.SUPERVISOR, tree.kaifu)
    order = orders.at("in_progress")
    late = order.close_due + datetime.timedelta(days=12)
    first = run_once(
        late,
        only={
            "workorders.remind",
            "workorders.overdue",
            "workorders.auto_urge",
            "workorders.escalate",
        },
    )
    assert first == {
        "workorders.remind": 0,
        "workorders.overdue": 1,
        "workorders.auto_urge": 1,
        "workorders.escalate": 1,
    }
    order.refresh_from_db()
    assert order.overdue_at and order.auto_urged_at and order.escalated_at and order.urge_count == 1
    events, messages = Event.objects.count(), Message.objects.count()
    second = run_once(
        late,
        only={
            "workorders.remind",
            "workorders.overdue",
            "workorders.auto_urge",
            "workorders.escalate",
        },
    )
    assert set(second.values()) == {0}
    assert (Event.objects.count(), Message.objects.count()) == (events, messages)


def test_reminder_before_expiry_and_auto_urge_waits_for_the_next_day(orders: Any) -> None:
    order = orders.at("in_progress")
    assert jobs.remind_near_due(order.near_due_at) == 1
    assert jobs.remind_near_due(order.near_due_at) == 0
    just_late = order.close_due + datetime.timedelta(minutes=5)
    assert jobs.auto_urge(just_late) == (1 if just_late.date() != order.close_due.date() else 0)


def test_unrated_callback_becomes_basically_satisfied_after_seven_days(orders: Any) -> None:
    order = orders.at("callback")
    assert jobs.default_ratings(NOW + datetime.timedelta(days=6)) == 0
    assert jobs.default_ratings(NOW + datetime.timedelta(days=7, minutes=1)) == 1
    order.refresh_from_db()
    assert (order.status, order.satisfaction, order.resolution) == (
        Status.CLOSED,
        "basic",
        "solved",
    )
    assert jobs.default_ratings(NOW + datetime.timedelta(days=8)) == 0


def test_metric_formulas_on_a_hand_built_month(orders: Any, tree: Any, cast: Any) -> None:
    """Five requests to 秀峰街道 in November 2026, each with a known outcome."""
    t = NOW
    h = datetime.timedelta(hours=1)

    def run(order: WorkOrder, *steps: tuple[str, dict[str, Any], datetime.datetime]) -> WorkOrder:
        for action, data, when in steps:
            order = transition(actor=orders.boss, order=order, action=action, data=data, now=when)
        return order

    base = [
        ("sign", {}, t + h),
        ("contact", {"note": "已联系"}, t + 2 * h),
        ("reply", {"result": "已办", "solved": True}, t + 3 * h),
        ("audit_pass", {}, t + 4 * h),
    ]
    a = run(
        dispatch_at(orders, tree, t),
        *base,
        ("callback", {"resolution": "solved", "satisfaction": "satisfied"}, t + 5 * h),
    )
    b = run(
        dispatch_at(orders, tree, t),
        *base,
        ("callback", {"resolution": "partly", "satisfaction": "basic"}, t + 5 * h),
    )
    c = run(
        dispatch_at(orders, tree, t),
        *base,
        ("callback", {"resolution": "unsolved", "satisfaction": "dissatisfied"}, t + 5 * h),
    )
    # d: signed two days late, never contacted in time, still open.
    d = run(dispatch_at(orders, tree, t), ("sign", {}, t + datetime.timedelta(days=3)))
    # e: returned once, then refused; appealed and upheld → excluded from everything.
    e = run(
        dispatch_at(orders, tree, t),
        *base,
        ("callback", {"resolution": "unsolved", "satisfaction": "dissatisfied"}, t + 5 * h),
        ("appeal", {"reason": "不合理诉求"}, t + 6 * h),
        ("rule_appeal", {"approved": True}, t + 7 * h),
    )
    assert all(o.dispatched_at for o in (a, b, c, d, e))
    month_stats_refresh(month=datetime.date(2026, 11, 1), now=t + datetime.timedelta(days=4))
    stats = UnitMonthStats.objects.get(unit=tree.xiufeng, month=datetime.date(2026, 11, 1))
    assert (stats.dispatched, stats.excluded, stats.rated, stats.solved) == (4, 1, 3, 1)
    assert (stats.due_response, stats.responded_on_time) == (4, 3)
    analyst = cast.superuser(tree.city)
    m = next(
        row
        for row in metrics.month_table(analyst, datetime.date(2026, 11, 1))
        if row.unit == tree.xiufeng
    )
    assert m.response == Decimal("75.00")
    assert m.resolution == Decimal("33.33")
    assert m.satisfaction == Decimal("66.67")
    # 综合成绩 = 0.30 × 75 + 0.35 × 33.33 + 0.35 × 66.67
    assert m.composite == Decimal("57.50")
    assert m.sign_on_time == Decimal("75.00")


def test_ranking_boards(orders: Any, tree: Any, cast: Any, settings: Any) -> None:
    monkey_min = metrics.RANKING_MIN_DISPATCHED
    metrics.RANKING_MIN_DISPATCHED = 1
    try:
        for unit in (tree.xiufeng, tree.xinhe):
            order = orders.submit(now=NOW)
            transition(
                actor=orders.boss,
                order=order,
                action="dispatch",
                data={"lead_unit": unit.pk},
                now=NOW,
            )
        month_stats_refresh(month=datetime.date(2026, 11, 1), now=NOW + datetime.timedelta(days=1))
        result = metrics.ranking(cast.superuser(tree.city), datetime.date(2026, 11, 1), "street")
        assert {m.unit.name for m in result.rows} == {"秀峰街道", "新河街道"}
        assert result.red and len(result.red) + len(result.black) <= len(result.rows)
    finally:
        metrics.RANKING_MIN_DISPATCHED = monkey_min


def test_metrics_are_scoped_to_the_viewer(orders: Any, tree: Any, cast: Any) -> None:
    from banshi.accounts.roles import Role

    order = orders.submit(now=NOW)
    transition(
        actor=orders.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk},
        now=NOW,
    )
    month_stats_refresh(month=datetime.date(2026, 11, 1), now=NOW)
    inside = cast.make(Role.ANALYST, tree.kaifu)
    outside = cast.make(Role.ANALYST, tree.yuhua)
    rows = {m.unit: m for m in metrics.month_table(inside, datetime.date(2026, 11, 1))}
    # 秀峰街道 as the lead unit; 开福区 for the request received in its territory.
    assert set(rows) == {tree.xiufeng, tree.kaifu}
    assert rows[tree.xiufeng].stats.dispatched == 1 and rows[tree.kaifu].stats.received == 1
    assert metrics.month_table(outside, datetime.date(2026, 11, 1)) == []


@pytest.mark.parametrize("job", ["workorders.metrics"])
def test_metrics_job_refreshes_dirty_months_once(orders: Any, job: str) -> None:
    orders.at("closed")
    first = run_once(NOW, only={job})
    assert first[job] >= 1
    assert month_stats_refresh_due(NOW) >= 1  # the current month is always refreshed


def test_three_requests_of_a_kind_at_one_place_become_hot_once(orders: Any, tree: Any) -> None:
    first = [orders.submit(now=NOW) for _ in range(2)]
    assert jobs.mark_hotspots(NOW) == 0
    third = orders.submit(now=NOW + datetime.timedelta(days=1))
    elsewhere = orders.submit(now=NOW, org_unit=tree.shiyanhu, address="石燕湖村")
    assert jobs.mark_hotspots(NOW + datetime.timedelta(days=1)) == 3
    assert jobs.mark_hotspots(NOW + datetime.timedelta(days=1)) == 0
    assert all(WorkOrder.objects.get(pk=o.pk).hot for o in [*first, third])
    assert not WorkOrder.objects.get(pk=elsewhere.pk).hot
    # Outside the 30-day window a cluster no longer counts.
    assert jobs.mark_hotspots(NOW + datetime.timedelta(days=45)) == 0
