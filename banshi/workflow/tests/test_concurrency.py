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
from banshi.projects.choices import TERMINAL_STATUSES as PROJECT_TERMINAL
from banshi.projects.choices import Status as ProjectStatus
from banshi.projects.models import Project, ProjectEvent
from banshi.projects.services import LIFECYCLE as PROJECT
from banshi.projects.tests.conftest import data as project_data
from banshi.workflow.engine import SYSTEM, transition
from banshi.workorders.choices import FINAL_STATUSES, OPEN_STATUSES, TRANSITIONS, Status
from banshi.workorders.models import Category, Event, WorkOrder, WorkOrderCoUnit
from banshi.workorders.services import SubmitInput, rate_by_citizen, submit
from banshi.workorders.services.workflow import LIFECYCLE as WORKORDER

from .race import SKIP_ON_SQLITE, Move, Tally, fire, replay

THREADS = 8
ROUNDS = 5
SEED = 9


def racing(test: Any) -> Any:
    """A race: on PostgreSQL, in a transactional database (the threads see each other's
    commits), skipped on SQLite before any fixture runs (so nothing is flushed there). The
    database is emptied after the test, the migration-seeded taxonomy included: each race
    takes ``leaf``, which loads it again when an earlier transactional test removed it."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=SKIP_ON_SQLITE)(test)


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
    tree: Any, cast: Any, leaf: Any
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
def test_threads_firing_every_step_at_one_request(tree: Any, cast: Any, leaf: Any) -> None:
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
def test_threads_racing_to_end_a_request_at_intake(tree: Any, cast: Any, leaf: Any) -> None:
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


# --- projects ------------------------------------------------------------------------------------

# Steps that end a project (并入, 销号, 取消) join the last race only; 开始推进 is the system's,
# taken when the second of the two confirmations (牵头领导, 牵头单位) comes in.
PROJECT_EXITS = {"merge", "close", "cancel"}
PROJECT_DRIVEN = {"start"}
# Timeline entries beside the steps, with the versions each adds: an edit of the ledger and a
# confirmation move the version, an inspection does not.
PROJECT_OTHERS = {"update": 1, "confirm_leader": 1, "confirm_unit": 1, "inspection": 0}


def _fresh(project: Project) -> Project:
    """The project as a person's page shows it now: what they act on."""
    return Project.objects.get(pk=project.pk)


def _project_moves(scene: Any, *, ending: bool = False) -> list[Move]:
    """Every step a person takes on a project, by the one who holds it, through the project's
    services (which act on the copy the person saw), plus a ledger edit carrying the version
    the form showed, and the inspection a 验收 needs. With ``ending``: the steps that end a
    project too, and the evaluations a 销号 needs."""
    from banshi.projects import services

    s = scene

    def step(action: str, actor: Any, note: str = "", weight: float = 1.0) -> Move:
        def run(project: Project, data: dict[str, Any]) -> None:
            services.project_transition(
                actor=actor, project=_fresh(project), action=action, note=note
            )

        return Move(action, actor, run=run, weight=weight)

    def confirm(party: str, actor: Any) -> Move:
        def run(project: Project, data: dict[str, Any]) -> None:
            services.project_confirm(actor=actor, project=_fresh(project), party=party)

        return Move(f"confirm_{party}", actor, run=run, when=frozenset({ProjectStatus.ASSIGNED}))

    def edit(project: Project, data: dict[str, Any]) -> None:
        seen = _fresh(project)
        services.project_update(
            actor=s.admin,
            project=seen,
            data=services.ProjectData(
                name=data["name"],
                source=seen.source,
                field=seen.field,
                target=seen.target,
                target_quantity=seen.target_quantity,
                target_unit=seen.target_unit,
                handling_type=seen.handling_type,
                start_date=seen.start_date,
                deadline=seen.deadline,
                responsible_person=seen.responsible_person,
            ),
            lead_unit=seen.lead_unit,
            lead_leader=seen.lead_leader,
            expected_version=seen.version,
        )

    def inspect(project: Project, data: dict[str, Any]) -> None:
        services.inspection_record(
            actor=s.supervisor,
            project=_fresh(project),
            inspected_at=timezone.now(),
            place="新大塘社区",
            findings="现场水压正常",
            purpose="verification",
            passed=True,
        )

    def evaluate(project: Project, data: dict[str, Any]) -> None:
        services.evaluation_record(
            actor=s.supervisor, project=_fresh(project), choice="satisfied", count=5
        )

    claimed = frozenset({ProjectStatus.CLAIMED})
    moves = [
        step("screen", s.admin),
        step("approve", s.admin),
        step("assign", s.admin),
        confirm("leader", s.leader),
        confirm("unit", s.handler),
        step("claim", s.handler, "已全部完工"),
        Move("inspection", s.supervisor, run=inspect, when=claimed),
        step("verify", s.supervisor),
        step("reject", s.supervisor, "现场仍有问题，退回整改"),
        step("defer", s.admin, "资金未到位"),
        step("resume", s.admin, "资金已到位"),
        Move(
            "update",
            s.admin,
            lambda rng: {"name": f"新大塘社区自来水改造（{rng.randint(1, 99)}）"},
            run=edit,
            when=frozenset(ProjectStatus.values) - PROJECT_TERMINAL,
        ),
    ]
    if ending:
        moves += [
            Move(
                "evaluate",
                s.supervisor,
                run=evaluate,
                when=frozenset({ProjectStatus.CLAIMED, ProjectStatus.VERIFIED}),
            ),
            step("close", s.supervisor),
            step("cancel", s.admin, "上级统筹实施，本级取消", weight=0.2),
        ]
    return moves


# What the tests write between the races (the version after them is read, not predicted).
PROJECT_SETUP = {"list": 0, "report_submit": 0, "report_approve": 0, "attachment": 0}


def _replay_project(project: Project, *, version_before: int, since: int) -> None:
    replay(
        PROJECT,
        project,
        ProjectEvent.objects.filter(project=project).order_by("id"),
        created="create",
        start=ProjectStatus.COLLECTED,
        version_before=version_before,
        since=since,
        others={**PROJECT_SETUP, **PROJECT_OTHERS},
    )


def _mark(project: Project) -> tuple[int, int]:
    """Where a race starts: the version, and the last event so far."""
    last = ProjectEvent.objects.filter(project=project).order_by("-id").first()
    return _fresh(project).version, last.pk if last else 0


@pytest.mark.django_db
def test_every_step_of_a_project_is_raced_or_driven(scene: Any) -> None:
    # A step added to the table must be added to a race. (并入 is raced at the start.)
    moves = {m.action for m in _project_moves(scene, ending=True)}
    steps = set(PROJECT.steps)
    assert (moves & steps) | PROJECT_DRIVEN | {"merge"} == steps


@racing
def test_threads_take_one_project_round_its_lifecycle(scene: Any, leaf: Any) -> None:
    """From 征集 to 推进 (梳理, 立项, 交办, the two confirmations), round the cycle of 申请销号,
    验收, 退回整改, 暂缓 and 恢复 with ledger edits in between, and at last to an end (销号 or
    取消, raced against everything else): after each race the timeline replays to the project."""
    from banshi.projects import services

    s = scene
    project = services.project_create(
        actor=None,
        org_unit=s.tree.xiufeng,
        lead_unit=s.tree.xiufeng,
        data=project_data(),
        lead_leader=s.leader,
    )
    services.list_place(actor=s.admin, project=project, project_list=s.city_list)
    moves = _project_moves(scene)

    # 1. 征集 → 推进: the way forward is one step at a time; everything else is refused.
    version, since = _mark(project)
    tally = fire(project, moves, threads=THREADS, rounds=2, seed=SEED)
    _report("project, to work", tally)
    tally.check()
    _replay_project(project, version_before=version, since=since)
    assert tally.succeeded()["confirm_leader"] == tally.succeeded()["confirm_unit"] == 1
    project = _fresh(project)
    assert project.status in {ProjectStatus.IN_PROGRESS, ProjectStatus.DEFERRED}

    # 2. The cycle, once the work is reported done (100%, evidence): 申请销号 and 暂缓 compete,
    # then 验收 and 退回整改, while the ledger is edited with the version each form showed.
    if project.status == ProjectStatus.DEFERRED:
        project = services.project_transition(
            actor=s.admin, project=project, action="resume", note="恢复"
        )
    s.complete(project)
    version, since = _mark(project)
    tally = fire(project, moves, threads=THREADS, rounds=ROUNDS, seed=SEED + 1)
    _report("project, the cycle", tally)
    tally.check()
    _replay_project(project, version_before=version, since=since)
    done = tally.succeeded()
    assert done["claim"] >= 2 and done["reject"] >= 1  # round the cycle at least once
    assert tally.codes["stale_version"] + tally.codes["stale_status"] > 0

    # 3. The end, from 验收通过 with the evaluations in: 销号, 退回整改 and 取消 compete.
    project = _to_verified(scene, _fresh(project))
    s.evaluate(project, satisfied=10)
    version, since = _mark(project)
    tally = fire(project, _project_moves(scene, ending=True), threads=THREADS, rounds=2, seed=SEED)
    _report("project, the end", tally)
    tally.check()
    _replay_project(project, version_before=version, since=since)
    done = tally.succeeded()
    assert done["close"] + done["cancel"] == 1
    assert _fresh(project).status in PROJECT_TERMINAL


def _to_verified(scene: Any, project: Project) -> Project:
    """The project taken on, by its people one at a time, to 验收通过."""
    from banshi.projects import services

    def step(actor: Any, action: str, note: str = "") -> Project:
        return services.project_transition(actor=actor, project=project, action=action, note=note)

    if project.status == ProjectStatus.DEFERRED:
        project = step(scene.admin, "resume", "恢复")
    if project.status == ProjectStatus.IN_PROGRESS:
        project = step(scene.handler, "claim", "已全部完工")
    if project.status == ProjectStatus.CLAIMED:
        scene.verify_inspection(project)
        project = step(scene.supervisor, "verify")
    assert project.status == ProjectStatus.VERIFIED
    return project


@racing
def test_threads_racing_at_the_start_of_a_project(scene: Any, leaf: Any) -> None:
    """梳理, 立项, 并入 another project and 取消 at once on a collected project: one way wins."""
    from banshi.projects import services

    s = scene
    other = s.project()
    for round_ in range(3):
        project = s.project()
        services.list_place(actor=s.admin, project=project, project_list=s.city_list)
        moves = [
            m
            for m in _project_moves(scene, ending=True)
            if m.action in {"screen", "approve", "cancel", "update"}
        ]

        def merge(project: Project, data: dict[str, Any]) -> None:
            services.project_transition(
                actor=s.admin,
                project=_fresh(project),
                action="merge",
                note="与另一项目重复",
                merge_into=other,
            )

        moves.append(Move("merge", s.admin, run=merge))
        version, since = _mark(project)
        tally = fire(project, moves, threads=THREADS, rounds=1, seed=SEED + round_)
        _report(f"project start {round_ + 1}", tally)
        tally.check()
        _replay_project(project, version_before=version, since=since)
        done = tally.succeeded()
        # At most one way out, and then the project is where that exit leads.
        exits = [action for action in ("merge", "cancel") if done[action]]
        assert len(exits) <= 1 and done["merge"] + done["cancel"] <= 1
        if exits:
            assert _fresh(project).status == PROJECT.steps[exits[0]].target


# --- volunteer activities ----------------------------------------------------------------------


@racing
def test_threads_take_one_volunteer_activity_to_its_end(tree: Any, cast: Any) -> None:
    """提交审核 and 退回修改 go round; 审核通过, 开始, 结束, 时长确认 and 归档 lead on; 取消
    competes with each of them while the activity is open. The log starts at 草稿 (creating an
    activity writes no event)."""
    from banshi.volunteers.choices import OPEN
    from banshi.volunteers.choices import Status as ActivityStatus
    from banshi.volunteers.models import ActivityEvent
    from banshi.volunteers.services.lifecycle import LIFECYCLE as ACTIVITY
    from banshi.volunteers.tests.conftest import make_activity

    organiser = cast.make(Role.COMMUNITY_WORKER, tree.datang, name="宋满秀")
    reviewer = cast.make(Role.ORG_ADMIN, tree.xiufeng, name="罗湘君")
    moves = [
        Move("submit", organiser),
        Move("return", reviewer, {"note": "请补充岗位说明"}),
        Move("approve", reviewer),
        Move("start", organiser),
        Move("end", organiser, lambda rng: {"beneficiaries": rng.randint(10, 40)}),
        Move("confirm_hours", organiser),
        Move("archive", organiser),
        Move("cancel", organiser, {"note": "天气原因取消"}, weight=0.1),
    ]
    assert {m.action for m in moves} == set(ACTIVITY.steps)
    for round_ in range(3):
        activity = make_activity(organiser, tree.datang, title=f"助老理发（{round_ + 1}）")
        tally = fire(activity, moves, threads=THREADS, rounds=2, seed=SEED + round_)
        _report(f"activity {round_ + 1}", tally)
        tally.check()
        replay(
            ACTIVITY,
            activity,
            ActivityEvent.objects.filter(activity=activity).order_by("id"),
            created=None,
            start=ActivityStatus.DRAFT,
        )
        done = tally.succeeded()
        # Ended one way at most: archived after its hours, or cancelled while open.
        assert done["archive"] + done["cancel"] <= 1
        if done["cancel"]:
            assert done["confirm_hours"] == 0
        activity.refresh_from_db()
        if activity.status not in OPEN:
            assert done["end"] == 1 or done["cancel"] == 1


# --- 民情台账 items ------------------------------------------------------------------------------


@racing
def test_threads_close_and_reopen_one_ledger_item(tree: Any, cast: Any) -> None:
    """Two grid members close and reopen one 民情台账 item at once: the two steps alternate."""
    from banshi.grid.choices import LedgerStatus
    from banshi.grid.models import LedgerEvent
    from banshi.grid.services.visits import LIFECYCLE as LEDGER
    from banshi.grid.services.visits import ledger_open

    member = cast.make(Role.GRID_MEMBER, tree.datang, name="刘建军")
    worker = cast.make(Role.COMMUNITY_WORKER, tree.datang, name="宋满秀")
    item = ledger_open(actor=member, household=tree.household, content="楼道灯不亮")
    moves = [
        Move("close", member, {"result": "已更换灯泡"}),
        Move("close", worker, {"result": "物业已修好"}),
        Move("reopen", member, {"reason": "又不亮了"}),
        Move("reopen", worker, {"reason": "住户反映仍未修好"}),
    ]
    tally = fire(item, moves, threads=THREADS, rounds=ROUNDS, seed=SEED)
    _report("ledger item", tally)
    tally.check()
    steps = replay(
        LEDGER,
        item,
        LedgerEvent.objects.filter(item=item).order_by("id"),
        created="open",
        start=LedgerStatus.OPEN,
    ).steps
    done = tally.succeeded()
    assert done["close"] >= 1 and done["close"] - done["reopen"] in {0, 1}
    assert steps == ["close", "reopen"] * done["reopen"] + ["close"] * (
        done["close"] - done["reopen"]
    )
