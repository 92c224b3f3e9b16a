"""Roll-up on a hand-built tree: a flow sums over quarters and nodes, a stock takes each node's
latest quarter; only approved reports count; a few grouped queries whatever the tree."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from banshi.core import calendar
from banshi.indicators import selectors, services
from banshi.indicators.choices import Status
from banshi.indicators.tests.conftest import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_defs(people: Any) -> None:
    for code, name, kind in (("s_flow", "街道新增车位", "flow"), ("s_stock", "街道摊位", "stock")):
        services.indicator_create(
            actor=people.city_admin, code=code, name=name, unit="个", kind=kind, level="street"
        )


def fig(row: Any, code: str) -> Any:
    return next(f for f in row.figures.values() if f.indicator.code == code)


def test_flow_sums_stock_takes_latest(tree: Any, people: Any, street_defs: Any) -> None:
    approved(tree.xiufeng, 2026, 0, {"s_flow": 100, "s_stock": 40})
    approved(tree.xinhe, 2026, 0, {"s_flow": 50, "s_stock": 10})
    approved(tree.tiaoma, 2026, 0, {"s_flow": 70})
    approved(tree.xiufeng, 2026, 1, {"s_flow": 20, "s_stock": 30})
    approved(tree.xiufeng, 2026, 2, {"s_flow": 25, "s_stock": 34})
    approved(tree.xinhe, 2026, 1, {"s_flow": 8, "s_stock": 6})  # xinhe has not reported Q2
    approved(tree.tiaoma, 2026, 2, {"s_flow": 9, "s_stock": 4})
    approved(tree.xiufeng, 2025, 4, {"s_flow": 999, "s_stock": 999})  # another year
    # A draft does not count.
    draft = services.report_open(actor=None, org_unit=tree.xinhe, year=2026, quarter=2)
    services.values_set(actor=None, report=draft, values={"s_flow": 1000, "s_stock": 1000})

    user = people.city_admin
    kaifu_q1 = selectors.rollup(user, tree.kaifu, 2026, 1)
    assert fig(kaifu_q1, "s_flow").actual == Decimal("28")
    assert fig(kaifu_q1, "s_stock").actual == Decimal("36")

    kaifu_q2 = selectors.rollup(user, tree.kaifu, 2026, 2)
    assert fig(kaifu_q2, "s_flow").actual == Decimal("53")  # 20 + 25 + 8
    assert fig(kaifu_q2, "s_stock").actual == Decimal("40")  # 34 (Q2) + 6 (xinhe's latest, Q1)
    assert fig(kaifu_q2, "s_flow").target == Decimal("150")
    assert fig(kaifu_q2, "s_flow").rate == Decimal("35.3")

    city = selectors.rollup(user, tree.city, 2026, 4)
    assert fig(city, "s_flow").actual == Decimal("62")  # + tiaoma's 9
    assert fig(city, "s_stock").actual == Decimal("44")
    assert fig(city, "s_flow").target == Decimal("220")

    street = selectors.rollup(user, tree.xinhe, 2026, 4)
    assert fig(street, "s_flow").actual == Decimal("8")


def test_table_rows_are_children(tree: Any, people: Any, street_defs: Any) -> None:
    approved(tree.xiufeng, 2026, 1, {"s_flow": 20})
    approved(tree.tiaoma, 2026, 1, {"s_flow": 9})
    approved(tree.kaifu, 2026, 1, {"xuewei": 600})
    total, rows = selectors.table(people.city_admin, tree.city, 2026, 1)
    by_name = {r.node.name: r for r in rows}
    assert set(by_name) >= {"开福区", "雨花区"}
    assert fig(by_name["开福区"], "s_flow").actual == Decimal("20")
    assert fig(by_name["开福区"], "xuewei").actual == Decimal("600")
    assert fig(by_name["雨花区"], "s_flow").actual == Decimal("9")
    assert fig(total, "s_flow").actual == Decimal("29")
    # The district's own entry is its own figure at the district level.
    _, kaifu_rows = selectors.table(people.city_admin, tree.kaifu, 2026, 1)
    assert kaifu_rows[0].node == tree.kaifu
    assert fig(kaifu_rows[0], "xuewei").actual == Decimal("600")


def test_rollup_is_a_fixed_number_of_queries(
    tree: Any, people: Any, street_defs: Any, django_assert_max_num_queries: Any
) -> None:
    for unit in (tree.xiufeng, tree.xinhe, tree.tiaoma):
        for q in (1, 2, 3):
            approved(unit, 2026, q, {"s_flow": q, "s_stock": q})
    people.city_admin.refresh_from_db()
    selectors.rollup(people.city_admin, tree.city, 2026)  # warm the grant cache
    with django_assert_max_num_queries(8):
        selectors.rollup(people.city_admin, tree.city, 2026)


def test_completeness_and_lateness(tree: Any, people: Any) -> None:
    approved(tree.kaifu, 2026, 1, {"xuewei": 1})
    due = selectors.deadline(2026, 1)
    assert due.date() > datetime.date(2026, 4, 1)
    assert (
        calendar.working_days_between(datetime.datetime(2026, 4, 1, tzinfo=calendar.TZ), due) == 10
    )

    _, before = selectors.completeness(
        people.city_admin, tree.city, 2026, 1, now=due - datetime.timedelta(hours=1)
    )
    assert {c.node.name: (c.reported, c.late) for c in before} == {
        "开福区": (True, False),
        "雨花区": (False, False),
    }
    _, after = selectors.completeness(
        people.city_admin, tree.city, 2026, 1, now=due + datetime.timedelta(hours=1)
    )
    state = {c.node.name: (c.reported, c.late) for c in after}
    assert state == {"开福区": (True, False), "雨花区": (False, True)}

    # A draft is not a report: still late.
    draft = services.report_open(actor=None, org_unit=tree.yuhua, year=2026, quarter=1)
    assert draft.status == Status.DRAFT
    _, after = selectors.completeness(
        people.city_admin, tree.city, 2026, 1, now=due + datetime.timedelta(hours=1)
    )
    assert {c.node.name: c.late for c in after}["雨花区"] is True
