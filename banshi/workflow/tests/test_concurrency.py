"""Many threads fire every legal action of a lifecycle at the same object, at once, for several
rounds: each attempt succeeds or is refused with a domain error, and afterwards the object is in
a legal state whose event log replays to it (``race.replay``).

PostgreSQL only: the threads need a connection each. A new lifecycle adds its test here with a
list of ``Move`` and the two calls ``fire`` and ``replay``."""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.workflow.engine import SYSTEM, transition
from banshi.workorders.choices import FINAL_STATUSES, OPEN_STATUSES, TRANSITIONS, Status
from banshi.workorders.models import Category, Event, TimeLimitRule, WorkOrder, WorkOrderCoUnit
from banshi.workorders.services import SubmitInput, rate_by_citizen, submit
from banshi.workorders.services.workflow import LIFECYCLE as WORKORDER

from .race import SKIP_ON_SQLITE, Move, Tally, fire, replay

THREADS = 8
ROUNDS = 5
SEED = 9


def racing(test: Any) -> Any:
    """A race: on PostgreSQL, in a transactional database (the threads see each other's
    commits), skipped on SQLite before any fixture runs (so nothing is flushed there). The
    database is emptied after the test, the migration-seeded taxonomy included (``_seeded``)."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=SKIP_ON_SQLITE)(test)


@pytest.fixture
def _seeded(db: Any) -> None:
    """The categories and time limits the migrations seed, which an earlier transactional
    test's flush removed (each such test reloads what it needs; this one does too)."""
    if not Category.objects.filter(code="010301").exists():
        from banshi.workorders.taxonomy import load_taxonomy, load_time_limits

        load_taxonomy(Category)
        load_time_limits(TimeLimitRule)


def _report(name: str, tally: Tally) -> None:
    # Shown with -s; the numbers the issue asks for.
    print(f"\n{name}: {tally.summary()}")


# --- requests ------------------------------------------------------------------------------------

# Steps that end a request at intake (直接答复, 不予受理, 并单): raced in their own test, since
# nothing leads back from them.
EXITS = {"answer", "invalidate", "merge"}


def _request(tree: Any) -> WorkOrder:
    order, _ = submit(
        actor=None,
        data=SubmitInput(
            channel="web",
            kind="complaint",
            category_id=Category.objects.get(code="010301").pk,
            content="建湘路口井盖松动，车辆经过声响很大。",
            address="开福区秀峰街道新大塘社区建湘路",
            caller_name="张秀英",
            caller_phone="13812345678",
            org_unit=tree.datang,
        ),
    )
    return order


def _request_moves(tree: Any, cast: Any) -> list[Move]:
    """Every step of the request table except the exits, each fired by someone who holds it:
    the centre's dispatcher, supervisor and leader, the handling units' handler (on the district,
    so on either lead unit a redispatch may choose), the co-unit's handler, the citizen with the
    tracking proof, and the scheduler."""
    dispatcher = cast.make(Role.DISPATCHER, tree.city)
    supervisor = cast.make(Role.SUPERVISOR, tree.city)
    leader = cast.make(Role.LEADER, tree.city)
    handler = cast.make(Role.HANDLER, tree.kaifu)
    co_handler = cast.make(Role.HANDLER, tree.city_bureau)
    leads = [tree.xiufeng.pk, tree.xinhe.pk]

    def rate(order: WorkOrder, data: dict[str, Any]) -> None:
        rate_by_citizen(order=order, proof="5678", data=data)

    def supervise_due(rng: random.Random) -> dict[str, Any]:
        due = timezone.now() + datetime.timedelta(days=rng.randint(1, 5))
        return {"note": "列入督办", "due": due.isoformat()}

    rating = {"resolution": "solved", "satisfaction": "satisfied"}
    return [
        Move("queue", dispatcher, {"note": "待派单"}),
        Move(
            "dispatch",
            dispatcher,
            lambda rng: {"lead_unit": rng.choice(leads), "co_units": [tree.city_bureau.pk]},
        ),
        Move("sign", handler),
        Move("request_return", handler, {"reason": "不属于本单位职责"}),
        # Half the time the unit already leads: refused as "same unit", a domain error too.
        Move("redispatch", dispatcher, lambda rng: {"lead_unit": rng.choice(leads)}),
        Move("refuse_return", dispatcher, {"note": "属地管理，由街道负责"}),
        Move("contact", handler, {"note": "已电话联系张女士"}),
        Move("request_extension", handler, {"days": 3, "reason": "需协调管线单位"}),
        Move("approve_extension", dispatcher, {"note": "同意"}),
        Move("refuse_extension", dispatcher, {"note": "时限内可办结"}),
        Move("reply", handler, {"result": "已更换井盖", "solved": True}),
        Move("audit_pass", dispatcher),
        Move("audit_reject", dispatcher, {"note": "未附现场照片"}),
        Move("callback", dispatcher, rating),
        Move("rate", None, rating, run=rate),
        Move("auto_rate", SYSTEM),
        Move("reopen", dispatcher, {"note": "群众反映仍有响声"}),
        Move("urge", supervisor, {"note": "请加快办理"}),
        Move("supervise", supervisor, supervise_due),
        Move("instruct", leader, {"instruction": "请街道主要负责同志亲自督办"}),
        Move("appeal", handler, {"reason": "诉求超出政策范围"}),
        Move("rule_appeal", supervisor, {"approved": False, "note": "申诉不成立"}),
        Move("co_sign", co_handler),
        Move("co_reply", co_handler, {"opinion": "已安排执法队员现场核查"}),
        Move("note", dispatcher, {"note": "来电人再次来电询问"}),
        Move("remind", SYSTEM),
        Move("mark_overdue", SYSTEM),
        Move("auto_urge", SYSTEM),
        Move("escalate", SYSTEM, {"days": 5}),
        Move("mark_hot", SYSTEM, {"repeats": 3}),
    ]


def _replay_request(order: WorkOrder) -> WorkOrder:
    replay(
        WORKORDER,
        order,
        Event.objects.filter(order=order).order_by("id"),
        created="receive",
        start=Status.RECEIVED,
    )
    order.refresh_from_db()
    # What the stored state implies about the row.
    if order.status in FINAL_STATUSES:
        assert order.closed_at is not None
    if order.status in OPEN_STATUSES:
        assert order.closed_at is None
    if order.status not in {Status.RECEIVED, Status.PENDING_DISPATCH, *FINAL_STATUSES}:
        assert order.lead_unit_id is not None
    return order


@pytest.mark.django_db
def test_every_step_of_a_request_is_raced_or_an_exit(tree: Any, cast: Any) -> None:
    # A step added to the table must be added to the race (or be an exit).
    moves = {m.action for m in _request_moves(tree, cast)}
    assert moves | EXITS == set(TRANSITIONS) and not moves & EXITS


@pytest.mark.django_db
def test_replay_refuses_a_log_that_does_not_lead_to_the_stored_state(
    tree: Any, cast: Any, _seeded: None
) -> None:
    dispatcher = cast.make(Role.DISPATCHER, tree.city)
    order = _request(tree)
    for action, data in [("queue", {}), ("dispatch", {"lead_unit": tree.xiufeng.pk})]:
        transition(actor=dispatcher, obj=order, action=action, data=data)
    log = list(Event.objects.filter(order=order).order_by("id"))
    assert replay(WORKORDER, order, log, created="receive", start=Status.RECEIVED).steps == [
        "queue",
        "dispatch",
    ]

    def row(action: str, src: str, dst: str) -> SimpleNamespace:
        return SimpleNamespace(action=action, from_status=src, to_status=dst)

    receive, queue, dispatch = (
        row(e.action, e.from_status, e.to_status) for e in log if not e.action.endswith("_public")
    )
    broken = {
        "the previous event left": [receive, dispatch],  # a step lost
        "does not run from": [receive, queue, row("sign", "pending_dispatch", "signed")],
        "leads to": [receive, row("queue", "received", "dispatched")],
        "the log ends at": [receive, queue],
        "not a step": [receive, row("cook", "received", "received")],
        "the first event": [queue, dispatch],
    }
    for message, rows in broken.items():
        with pytest.raises(AssertionError, match=message):
            replay(WORKORDER, order, rows, created="receive", start=Status.RECEIVED)
    # A transition written without its change record, or a version bumped without an event.
    ChangeRecord.objects.filter(object_id=str(order.pk), action="workorder.queue").delete()
    with pytest.raises(AssertionError, match="change records"):
        replay(WORKORDER, order, log, created="receive", start=Status.RECEIVED)
    WorkOrder.objects.filter(pk=order.pk).update(version=3)
    with pytest.raises(AssertionError, match="version 3"):
        replay(WORKORDER, order, log, created="receive", start=Status.RECEIVED)


@racing
def test_threads_firing_every_step_at_one_request(tree: Any, cast: Any, _seeded: None) -> None:
    order = _request(tree)
    tally = fire(order, _request_moves(tree, cast), threads=THREADS, rounds=ROUNDS, seed=SEED)
    _report("request", tally)
    tally.check()
    assert tally.attempted() == set(TRANSITIONS) - EXITS
    order = _replay_request(order)
    assert order.version == tally.successes
    done = tally.succeeded()
    # The race went round the cycle (回访 or 评价, then 重办), not just once along it.
    assert done["dispatch"] == 1 and done["reopen"] >= 1
    # Of the threads racing for one step from one state, one wins and the others are refused.
    assert tally.codes["conflict"] > 0 and tally.codes["invalid_transition"] > 0
    # No lost update: the counters written as increments match the log, once-only parts ran once.
    assert order.urge_count == done["urge"] + done["auto_urge"]
    assert order.reopen_count == done["reopen"]
    assert order.return_count == done["request_return"]
    decided = done["approve_extension"] + done["refuse_extension"]
    assert done["request_extension"] - decided == (1 if order.extension_requested_days else 0)
    assert done["co_sign"] <= 1 and done["appeal"] <= 1 and done["rule_appeal"] <= done["appeal"]
    part = WorkOrderCoUnit.objects.get(order=order)
    assert (part.signed_at is not None) == (done["co_sign"] == 1)
    assert (part.opinion_at is not None) == (done["co_reply"] > 0)


@racing
def test_threads_racing_to_end_a_request_at_intake(tree: Any, cast: Any, _seeded: None) -> None:
    """直接答复, 不予受理, 并单, 转待派单 and 派单 at once: one way out wins, and the log says which."""
    operator = cast.make(Role.OPERATOR, tree.city)
    dispatcher = cast.make(Role.DISPATCHER, tree.city)
    parent = _request(tree)
    moves = [
        Move("answer", operator, {"answer": "该路段已列入本月维修计划。"}),
        Move("invalidate", operator, {"reason": "duplicate_call"}),
        Move("merge", dispatcher, {"parent": parent.number}),
        Move("queue", operator),
        Move("dispatch", dispatcher, {"lead_unit": tree.xiufeng.pk}),
        Move("note", operator, {"note": "来电人情绪激动"}),
        Move("mark_hot", SYSTEM),
    ]
    endings = set()
    for round_ in range(3):
        order = _request(tree)
        tally = fire(order, moves, threads=THREADS, rounds=2, seed=SEED + round_)
        _report(f"intake {round_ + 1}", tally)
        tally.check()
        order = _replay_request(order)
        assert order.version == tally.successes
        exits = [a for a, n in tally.succeeded().items() for _ in range(n) if a in EXITS]
        # At most one way out, and then the request is where that exit leads.
        assert len(exits) <= 1
        if exits:
            assert order.status == TRANSITIONS[exits[0]].target
        endings.add(order.status)
    assert endings <= {
        Status.ANSWERED,
        Status.INVALID,
        Status.MERGED,
        Status.PENDING_DISPATCH,
        Status.DISPATCHED,
    }
