"""The period report's lifecycle on the shared workflow engine: 草稿 → 已报送 → 已审核锁定, or
退回修改 → 草稿 again. The table is ``choices.TRANSITIONS``; the guards below check what each step
needs beyond its state (their first docstring line is what docs/workflows.md prints).

A report is entered by its own node (``indicator.report`` there) and approved by the level above:
``indicator.approve`` held on the node's parent, never on the node itself, so nobody approves
their own figures."""

from __future__ import annotations

import datetime
from typing import Any

from banshi.core.errors import Conflict, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.validation import clean_text
from banshi.indicators.choices import APPROVE, REPORT, TRANSITIONS, Side, Status
from banshi.indicators.models import Entry, Report, ReportEvent
from banshi.workflow import engine


def has_entries(
    obj: Report, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """至少填写一项指标数值"""
    if not Entry.objects.filter(report=obj).exists():
        raise ValidationFailed("报表还没有填写任何指标数值，不能报送", code="empty_report")
    return engine.Change(note=str(data.get("note", ""))[:500], updates={"submitted_at": now})


def lock(obj: Report, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> engine.Change:
    """审核通过即锁定：此后数值只能经留痕更正修改"""
    return engine.Change(note=str(data.get("note", ""))[:500], updates={"approved_at": now})


def with_reason(
    obj: Report, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """须说明退回理由"""
    reason = clean_text(data.get("note"), field="退回理由", max_length=500)
    return engine.Change(note=reason, data={"reason": reason})


GUARDS: dict[str, engine.Guard] = {"submit": has_entries, "approve": lock, "return": with_reason}


def may_review(actor: Any, report: Report) -> bool:
    """``indicator.approve`` on the report's parent node (the system may always)."""
    if engine.is_system(actor):
        return True
    parent = report.org_unit.parent
    return parent is not None and can(actor, APPROVE, parent)


class ReportHooks(engine.Hooks[Report]):
    """How the engine reads, checks and records an indicator report."""

    @property
    def side_labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in Side.choices}

    def load(self, model: type[Report], pk: Any) -> Report:
        return Report.objects.select_related("org_unit", "org_unit__parent").get(pk=pk)

    def visible(self, actor: Any, obj: Report, step: engine.Step) -> bool:
        return engine.is_system(actor) or any(
            can(actor, action, obj) for action in ("indicator.view", REPORT, APPROVE)
        )

    def authorize(self, actor: Any, obj: Report, step: engine.Step, permission: str) -> None:
        if permission == APPROVE:
            if not may_review(actor, obj):
                raise PermissionDenied("指标报表须由上级单位审核", code="not_reviewer")
        elif not can(actor, permission, obj):
            raise PermissionDenied("您无权报送本单位的指标", code="not_reporter")

    def invalid_state(self, obj: Report, step: engine.Step, label: str) -> Exception:
        return Conflict(f"报表当前为“{label}”，不能{step.label}", code="invalid_transition")

    def conflict(self, obj: Report, step: engine.Step) -> Exception:
        return Conflict("报表已被他人处理或状态已变化，请刷新后重试", code="stale_status")

    def record(
        self,
        *,
        before: Report,
        after: Report,
        step: engine.Step,
        actor: Any,
        change: engine.Change,
        now: datetime.datetime,
    ) -> None:
        ReportEvent.objects.create(
            report=after,
            at=now,
            actor=engine.person(actor),
            action=step.action,
            label=step.label,
            side=step.side,
            from_status=before.status,
            to_status=after.status,
            note=change.note,
        )


LIFECYCLE = engine.register(
    engine.Lifecycle(
        name="indicator",
        title="指标报表",
        model=Report,
        states=Status,
        steps=TRANSITIONS.values(),
        guards=GUARDS,
        hooks=ReportHooks(),
    )
)


def report_transition(
    *,
    actor: Any,
    report: Report,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """Move a report one step (the engine checks scope, state, right, guard)."""
    return engine.transition(
        actor=actor,
        obj=report,
        action=action,
        data={"note": note},
        expected_version=expected_version,
        now=now,
    )
