"""``WorkOrder.scope`` is the one rule of whose a request is: the list (``for_user``) and the
object check (``can``) are both read from it, so they agree for every user and action, and a
unit's queues take one named way of it (the lead unit, or a co-unit's own part)."""

from __future__ import annotations

from typing import Any

import pytest

from banshi.accounts.roles import ACTIONS, Role
from banshi.core.permissions import can
from banshi.core.scoping import paths_of
from banshi.workorders.models import WorkOrder

from .conftest import NOW

WORKORDER_ACTIONS = sorted(a for a in ACTIONS if a.startswith("workorder."))


@pytest.fixture
def spread(orders: Any, tree: Any) -> list[WorkOrder]:
    """Requests located in 开福区 and 雨花区, led by streets or the city bureau, co-handled or not."""
    return [
        orders.at("received"),
        orders.at("dispatched"),
        orders.at("in_progress", co=[tree.city_bureau]),
        orders.at("dispatched", org_unit=tree.shiyanhu, lead=tree.tiaoma),
        orders.at("signed", org_unit=tree.shiyanhu, lead=tree.city_bureau),
        orders.at("dispatched", org_unit=tree.shiyanhu, lead=tree.tiaoma, co=[tree.xinhe]),
    ]


def test_the_list_and_the_object_check_agree_for_every_user_and_action(
    spread: list[WorkOrder], tree: Any, cast: Any
) -> None:
    people = [
        cast.make(Role.HANDLER, tree.xiufeng),
        cast.make(Role.HANDLER, tree.city_bureau),
        cast.make(Role.HANDLER, tree.xinhe),
        cast.make(Role.DISPATCHER, tree.kaifu),
        cast.make(Role.OPERATOR, tree.city),
        cast.make(Role.ANALYST, tree.yuhua),
        cast.make(None, tree.kaifu),
    ]
    compared = 0
    for user in people:
        for action in WORKORDER_ACTIONS:
            listed = set(WorkOrder.objects.for_user(user, action).values_list("pk", flat=True))
            checked = {o.pk for o in spread if can(user, action, o)}
            assert listed == checked, (user.org_unit, action)
            compared += len(listed)
    assert compared > 0  # the comparison was not vacuous


def test_a_request_belongs_where_it_is_its_lead_unit_and_its_co_units(
    spread: list[WorkOrder], tree: Any
) -> None:
    co_handled = spread[2]
    assert set(paths_of(co_handled, "workorder.view")) == {
        tree.datang.path,
        tree.xiufeng.path,
        tree.city_bureau.path,
    }
    bureau_led = spread[4]
    bureau_handler_paths = [tree.city_bureau.path]
    assert WorkOrder.objects.within_paths(bureau_handler_paths).filter(pk=bureau_led.pk).exists()
    assert not WorkOrder.objects.within_paths([tree.kaifu.path]).filter(pk=bureau_led.pk).exists()


def test_a_unit_queue_follows_only_its_named_way(
    spread: list[WorkOrder], tree: Any, cast: Any
) -> None:
    from banshi.workorders import selectors

    xinhe = cast.make(Role.HANDLER, tree.xinhe)
    # 新河街道 co-handles a request in 雨花区: it is in its co-unit queue, not its lead queue.
    co_queue = [o.pk for o in selectors.queue(xinhe, "co_to_sign", now=NOW)]
    lead_queue = [o.pk for o in selectors.queue(xinhe, "to_sign", now=NOW)]
    assert co_queue == [spread[5].pk] and lead_queue == []
    # A superuser's lead queue holds requests led by any unit, never undispatched ones.
    boss = cast.superuser(tree.city)
    led = {o.pk for o in selectors.queue(boss, "to_sign", now=NOW)}
    assert spread[0].pk not in led and {spread[1].pk, spread[3].pk, spread[5].pk} <= led
