"""Every transition: allowed for the roles that grant it, denied for another, 404 from a sibling
district; plus the workflow's own rules."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from banshi.accounts.roles import ACTIONS, Role
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.workorders.choices import STAFF_SIDES, TRANSITIONS, Side, Status
from banshi.workorders.models import Event, WorkOrder
from banshi.workorders.services import transition
from banshi.workorders.services.workflow import HANDLERS

from .conftest import NOW

# For each staff action: the state to start from and valid data.
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "answer": ("received", {"answer": "该路段已列入本月维修计划。"}),
    "invalidate": ("received", {"reason": "no_content"}),
    "merge": ("received", {}),  # parent filled in by the test
    "queue": ("received", {}),
    "dispatch": ("received", {}),  # lead filled in
    "sign": ("dispatched", {}),
    "request_return": ("dispatched", {"reason": "该路段属市政设施管理，不属街道职责"}),
    "redispatch": ("return_requested", {}),  # lead filled in
    "refuse_return": ("return_requested", {"note": "属地管理，由街道负责"}),
    "contact": ("signed", {"note": "已电话联系张女士，约定今日查看"}),
    "request_extension": ("in_progress", {"days": 5, "reason": "需协调燃气管线迁改"}),
    "approve_extension": ("in_progress", {}),  # needs a pending extension
    "refuse_extension": ("in_progress", {"note": "时限内可办结"}),  # needs pending
    "reply": ("in_progress", {"result": "已修补路面，恢复通行", "solved": True}),
    "audit_pass": ("replied", {}),
    "audit_reject": ("replied", {"note": "未附现场照片"}),
    "callback": ("callback", {"resolution": "solved", "satisfaction": "satisfied"}),
    "reopen": ("closed", {"note": "群众反映仍有积水"}),
    "urge": ("in_progress", {"note": "请加快办理"}),
    "supervise": (
        "in_progress",
        {"note": "列入督办", "due": (NOW + datetime.timedelta(days=3)).isoformat()},
    ),
    "instruct": ("in_progress", {"instruction": "请街道主要负责同志亲自督办"}),
    "appeal": ("closed", {"reason": "诉求人要求赔偿超出政策范围"}),
    "rule_appeal": ("closed", {"approved": True}),  # needs pending appeal
    "note": ("received", {"note": "来电人情绪激动"}),
    "co_sign": ("dispatched", {}),  # dispatched with the city bureau as co-unit
    "co_reply": ("in_progress", {"opinion": "已安排执法队员现场核查占道情况"}),  # part signed
}
STAFF_ACTIONS = [a for a, t in TRANSITIONS.items() if t.side in STAFF_SIDES]


def test_every_transition_has_a_handler_and_a_case() -> None:
    assert set(HANDLERS) == set(TRANSITIONS)
    assert set(CASES) == set(STAFF_ACTIONS)
    for action in STAFF_ACTIONS:
        assert f"workorder.{action}" in ACTIONS


def _prepare(orders: Any, tree: Any, action: str) -> tuple[WorkOrder, dict[str, Any]]:
    state, data = CASES[action]
    data = dict(data)
    if TRANSITIONS[action].side == Side.CO_UNIT:
        order = orders.at(state, co=[tree.city_bureau])
        if action == "co_reply":
            order = transition(actor=orders.boss, order=order, action="co_sign", now=NOW)
        return order, data
    order = orders.at(state)
    if action == "merge":
        data["parent"] = orders.at("received").number
    if action in {"dispatch", "redispatch"}:
        data["lead_unit"] = tree.xinhe.pk if action == "redispatch" else tree.xiufeng.pk
    if action in {"approve_extension", "refuse_extension"}:
        order = transition(
            actor=orders.boss,
            order=order,
            action="request_extension",
            data={"days": 3, "reason": "需协调"},
            now=NOW,
        )
    if action == "rule_appeal":
        order = transition(
            actor=orders.boss, order=order, action="appeal", data={"reason": "不合理诉求"}, now=NOW
        )
    return order, data


def _actor_unit(tree: Any, action: str) -> Any:
    # Centre actions: granted on the district; unit actions: on the lead unit (秀峰街道);
    # co-unit actions: on the co-unit (市城管局).
    side = TRANSITIONS[action].side
    if side == Side.CO_UNIT:
        return tree.city_bureau
    return tree.xiufeng if side == Side.UNIT else tree.kaifu


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_transition_allowed_for_each_granting_role(
    orders: Any, tree: Any, cast: Any, action: str
) -> None:
    for role in sorted(ACTIONS[f"workorder.{action}"][1]):
        order, data = _prepare(orders, tree, action)
        actor = cast.make(role, _actor_unit(tree, action))
        result = transition(actor=actor, order=order, action=action, data=data, now=NOW)
        expected = TRANSITIONS[action].target or order.status
        assert result.status == expected
        event = Event.objects.filter(order=order, action=action).last()
        assert event is not None and event.actor == actor


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_transition_denied_for_a_role_without_it(
    orders: Any, tree: Any, cast: Any, action: str
) -> None:
    order, data = _prepare(orders, tree, action)
    granting = ACTIONS[f"workorder.{action}"][1]
    other = next(
        r for r in [Role.ANALYST, Role.GRID_MEMBER, Role.HANDLER, Role.LEADER] if r not in granting
    )
    actor = cast.make(other, _actor_unit(tree, action))
    with pytest.raises(PermissionDenied):
        transition(actor=actor, order=order, action=action, data=data, now=NOW)
    assert WorkOrder.objects.get(pk=order.pk).version == order.version


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_transition_not_found_from_a_sibling_district(
    orders: Any, tree: Any, cast: Any, action: str
) -> None:
    order, data = _prepare(orders, tree, action)
    role = sorted(ACTIONS[f"workorder.{action}"][1])[0]
    actor = cast.make(role, tree.yuhua)
    with pytest.raises(NotFound):
        transition(actor=actor, order=order, action=action, data=data, now=NOW)


def test_a_transition_from_the_wrong_state_is_refused_in_chinese(orders: Any) -> None:
    order = orders.at("received")
    with pytest.raises(ValidationFailed, match="不能签收") as exc:
        transition(actor=orders.boss, order=order, action="sign", now=NOW)
    assert exc.value.code == "invalid_transition"


def test_a_stale_copy_loses_with_a_conflict(orders: Any, tree: Any) -> None:
    order = orders.at("received")
    stale = WorkOrder.objects.get(pk=order.pk)
    transition(
        actor=orders.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk},
        now=NOW,
    )
    # The stale copy still says "received"; the service re-reads, so it sees the real state.
    with pytest.raises(ValidationFailed, match="不能派单"):
        transition(
            actor=orders.boss,
            order=stale,
            action="dispatch",
            data={"lead_unit": tree.xinhe.pk},
            now=NOW,
        )


def test_compare_and_set_refuses_a_concurrent_winner(
    orders: Any, tree: Any, monkeypatch: Any
) -> None:
    """Simulate the race: another transaction bumps the version between read and write."""
    order = orders.at("dispatched")
    from banshi.workorders.services import workflow

    step = workflow.LIFECYCLE.steps["sign"]
    real = step.guard

    def racing(current: Any, actor: Any, now: Any, data: Any) -> Any:
        WorkOrder.objects.filter(pk=current.pk).update(version=current.version + 1)
        return real(current, actor, now, data)

    monkeypatch.setitem(workflow.LIFECYCLE.steps, "sign", step.with_behaviour(racing))
    with pytest.raises(Conflict):
        transition(actor=orders.boss, order=order, action="sign", now=NOW)


def test_dispatch_sets_due_times_and_co_units(orders: Any, tree: Any) -> None:
    order = orders.at("received")
    order = transition(
        actor=orders.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk, "co_units": [tree.city_bureau.pk, tree.xiufeng.pk]},
        now=NOW,
    )
    assert order.lead_unit == tree.xiufeng
    assert [link.unit for link in order.co_unit_links.all()] == [tree.city_bureau]
    assert order.sign_due == NOW + datetime.timedelta(days=1)  # Tue 10:00
    assert order.contact_due == NOW + datetime.timedelta(hours=24)
    assert order.close_due is not None and order.close_due > order.sign_due
    assert (
        order.near_due_at is not None and order.dispatched_at < order.near_due_at < order.close_due
    )


def test_dispatch_refuses_households_and_units_outside_scope(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("received")
    with pytest.raises(ValidationFailed, match="不是可派单的单位"):
        transition(
            actor=orders.boss,
            order=order,
            action="dispatch",
            data={"lead_unit": tree.household.org_unit.pk},
            now=NOW,
        )
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu)
    with pytest.raises(NotFound):
        transition(
            actor=dispatcher,
            order=order,
            action="dispatch",
            data={"lead_unit": tree.tiaoma.pk},
            now=NOW,
        )
    with pytest.raises(NotFound):
        transition(
            actor=dispatcher,
            order=order,
            action="dispatch",
            data={"lead_unit": "99999999999999999999"},
            now=NOW,
        )


def test_the_dispatcher_may_correct_the_category_when_dispatching(orders: Any, tree: Any) -> None:
    from banshi.audit.models import ChangeRecord
    from banshi.workorders.models import Category

    order = orders.at("received")
    lights = Category.objects.get(code="010303")  # 路灯不亮
    order = transition(
        actor=orders.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk, "category": str(lights.pk)},
        now=NOW,
    )
    assert order.category == lights
    event = order.events.get(action="dispatch")
    assert event.data["category_from"].endswith("道路破损")
    assert event.data["category_to"].endswith("路灯不亮")
    record = ChangeRecord.objects.get(action="workorder.dispatch", object_id=str(order.pk))
    assert record.after["category"] == lights.pk


def test_dispatch_refuses_a_category_that_is_not_a_leaf(orders: Any, tree: Any) -> None:
    order = orders.at("received")
    with pytest.raises(ValidationFailed, match="第三级"):
        transition(
            actor=orders.boss,
            order=order,
            action="dispatch",
            data={"lead_unit": tree.xiufeng.pk, "category": "0103"},
            now=NOW,
        )
    assert WorkOrder.objects.get(pk=order.pk).status == Status.RECEIVED


def test_dispatch_observers_are_told_and_a_failing_one_cannot_undo_the_dispatch(
    orders: Any, tree: Any
) -> None:
    from banshi.workorders import extras

    seen: list[tuple[str, int, str]] = []

    def good(*, actor: Any, order: Any, action: str, category_before: Any) -> None:
        seen.append((action, order.lead_unit_id, category_before.code))

    def bad(**kwargs: Any) -> None:
        raise RuntimeError("观察者出错")

    extras.register_dispatch_observer(bad)
    extras.register_dispatch_observer(good)
    try:
        order = orders.at("received")
        order = transition(
            actor=orders.boss,
            order=order,
            action="dispatch",
            data={"lead_unit": tree.xiufeng.pk, "category": "010303"},
            now=NOW,
        )
    finally:
        extras._observers.remove(bad)
        extras._observers.remove(good)
    assert order.status == Status.DISPATCHED
    assert seen == [("dispatch", tree.xiufeng.pk, "010301")]


def test_a_city_bureau_handler_acts_on_orders_it_leads_anywhere(
    orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", lead=tree.city_bureau)
    handler = cast.make(Role.HANDLER, tree.city_bureau)
    order = transition(actor=handler, order=order, action="sign", now=NOW)
    assert order.status == Status.SIGNED
    street_handler = cast.make(Role.HANDLER, tree.xiufeng)
    with pytest.raises(PermissionDenied, match="只有主办单位"):
        transition(actor=street_handler, order=order, action="contact", data={"note": "x"}, now=NOW)


def test_extension_moves_the_closing_limit_only_when_approved(orders: Any) -> None:
    order = orders.at("in_progress")
    due = order.close_due
    order = transition(
        actor=orders.boss,
        order=order,
        action="request_extension",
        data={"days": 3, "reason": "需协调"},
        now=NOW,
    )
    assert order.close_due == due and order.extension_requested_days == 3
    with pytest.raises(ValidationFailed, match="已有待审批"):
        transition(
            actor=orders.boss,
            order=order,
            action="request_extension",
            data={"days": 2, "reason": "再延"},
            now=NOW,
        )
    order = transition(actor=orders.boss, order=order, action="approve_extension", now=NOW)
    assert (
        order.close_due > due and order.extended_days == 3 and order.extension_requested_days == 0
    )


def test_callback_unreachable_closes_without_a_rating(orders: Any) -> None:
    order = orders.at("callback")
    order = transition(
        actor=orders.boss, order=order, action="callback", data={"unreachable": True}, now=NOW
    )
    assert order.status == Status.CLOSED and order.unreachable and order.satisfaction == ""


def test_reopen_counts_and_restarts_the_clock(orders: Any) -> None:
    order = orders.at("closed")
    later = NOW + datetime.timedelta(days=20)
    order = transition(
        actor=orders.boss, order=order, action="reopen", data={"note": "仍未解决"}, now=later
    )
    assert order.status == Status.IN_PROGRESS and order.reopen_count == 1
    assert order.close_due > later and order.satisfaction == ""


@pytest.mark.parametrize(
    ("action", "data", "code"),
    [
        ("reply", {"result": "", "solved": True}, "required"),
        ("reply", {"result": "已办", "solved": "maybe"}, "required"),
        ("reply", {"result": "办" * 5000, "solved": True}, "too_long"),
        ("request_extension", {"days": 0, "reason": "x"}, "invalid_days"),
        ("request_extension", {"days": "abc", "reason": "x"}, "invalid_days"),
        ("urge", {"note": "坏\x00字"}, "invalid_character"),
        ("supervise", {"note": "督办", "due": "2020-01-01T00:00:00+08:00"}, "invalid_due"),
        ("supervise", {"note": "督办", "due": "不是日期"}, "invalid_due"),
    ],
)
def test_bad_action_data_is_refused_and_nothing_changes(
    orders: Any, action: str, data: dict[str, Any], code: str
) -> None:
    order = orders.at("in_progress")
    with pytest.raises(ValidationFailed) as exc:
        transition(actor=orders.boss, order=order, action=action, data=data, now=NOW)
    assert exc.value.code == code
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.version == order.version
    assert not Event.objects.filter(order=order, action=action).exists()


def test_citizen_rating_needs_the_proof(orders: Any) -> None:
    from banshi.workorders.services import rate_by_citizen

    order = orders.at("callback")
    with pytest.raises(NotFound):
        rate_by_citizen(
            order=order, proof="0000", data={"resolution": "solved", "satisfaction": "satisfied"}
        )
    order = rate_by_citizen(
        order=order,
        proof="5678",
        data={"resolution": "solved", "satisfaction": "satisfied"},
        now=NOW,
    )
    assert order.status == Status.CLOSED and order.rated_by == Side.CITIZEN
