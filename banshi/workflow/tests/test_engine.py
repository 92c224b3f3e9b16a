"""The shared engine: a table is checked when declared, printed as docs, and ``transition`` keeps
its order of checks (404 before 409 before state before permission), refuses a person on a
system step, and leaves one event per transition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from banshi.accounts.roles import Role
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.workflow import engine
from banshi.workflow.docs import document
from banshi.workorders.choices import Side, Status
from banshi.workorders.models import Event, WorkOrder
from banshi.workorders.services.workflow import LIFECYCLE, WorkOrderHooks
from banshi.workorders.tests.conftest import NOW

DOCS = Path(__file__).resolve().parents[3] / "docs" / "workflows.md"


def test_a_table_naming_an_unknown_state_or_behaviour_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown states"):
        engine.Lifecycle(
            name="t",
            model=WorkOrder,
            states=Status,
            steps=[engine.Step("x", "x", {"nowhere"}, Status.CLOSED, Side.CENTRE)],
            hooks=WorkOrderHooks(),
        )
    with pytest.raises(ValueError, match="unknown steps"):
        engine.Lifecycle(
            name="t",
            model=WorkOrder,
            states=Status,
            steps=[],
            guards={"x": engine.no_guard},
            hooks=WorkOrderHooks(),
        )
    step = engine.Step("x", "x", {Status.RECEIVED}, None, Side.CENTRE)
    with pytest.raises(ValueError, match="duplicate"):
        engine.Lifecycle(
            name="t", model=WorkOrder, states=Status, steps=[step, step], hooks=WorkOrderHooks()
        )


def test_every_lifecycle_is_registered_and_every_step_documented() -> None:
    assert engine.lifecycle_of(WorkOrder) is LIFECYCLE
    for lifecycle in engine.lifecycles().values():
        for step in lifecycle.steps.values():
            assert step.guard.__doc__, f"{lifecycle.name}.{step.action} 的前提没有说明"
            assert step.sources, f"{lifecycle.name}.{step.action} 没有起始状态"


def test_docs_workflows_md_is_the_printed_tables() -> None:
    """docs/workflows.md is generated; regenerate with
    ``python manage.py workflow_table --all > docs/workflows.md``."""
    assert DOCS.read_text(encoding="utf-8") == document()


def test_workflow_table_command_prints_one_lifecycle(capsys: Any) -> None:
    call_command("workflow_table", "workorders")
    out = capsys.readouterr().out
    assert out.startswith("## 诉求工单（`workorder`）")
    assert (
        "| `dispatch` | 派单 | 已受理、待派单 | 已派单 | 热线中心 | `workorder.dispatch` |" in out
    )
    assert "| `mark_hot` | 标记热点 |" in out


@pytest.mark.django_db
def test_checks_come_in_order_and_a_stale_version_is_a_conflict(orders: Any, cast: Any) -> None:
    order = orders.at("dispatched")
    outsider = cast.make(Role.HANDLER, orders.tree.tiaoma)  # another district's street
    with pytest.raises(NotFound):
        engine.transition(actor=outsider, obj=order, action="sign", expected_version=0)
    with pytest.raises(Conflict) as stale:
        engine.transition(
            actor=orders.boss, obj=order, action="sign", expected_version=order.version - 1
        )
    assert stale.value.code == "stale_version"
    with pytest.raises(ValidationFailed) as wrong_state:
        engine.transition(actor=orders.boss, obj=order, action="reply", data={"result": "x"})
    assert wrong_state.value.code == "invalid_transition"
    with pytest.raises(ValidationFailed) as unknown:
        engine.transition(actor=orders.boss, obj=order, action="fly")
    assert unknown.value.code == "unknown_action"
    with pytest.raises(PermissionDenied) as system:
        engine.transition(actor=orders.boss, obj=order, action="remind", now=NOW)
    assert system.value.code == "system_step"
    before = Event.objects.filter(order=order).count()
    signed = engine.transition(
        actor=orders.boss, obj=order, action="sign", expected_version=order.version
    )
    assert signed.status == Status.SIGNED and signed.version == order.version + 1
    assert Event.objects.filter(order=order, action="sign").count() == 1
    assert Event.objects.filter(order=order).count() > before


@pytest.mark.django_db
def test_the_system_takes_system_steps_once(orders: Any) -> None:
    order = orders.at("dispatched")
    once = engine.transition(actor=engine.SYSTEM, obj=order, action="mark_hot", now=NOW)
    assert once.hot
    with pytest.raises(Conflict):
        engine.transition(actor=engine.SYSTEM, obj=once, action="mark_hot", now=NOW)
    assert Event.objects.filter(order=order, action="mark_hot").count() == 1
