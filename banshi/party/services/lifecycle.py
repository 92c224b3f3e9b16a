"""The unit registration's lifecycle on the shared workflow engine: 待社区接收 → 已报到 or 已退回
(→ 重新提交), and 已撤回 by the unit. The table is ``choices.TRANSITIONS``; the guards below check
what each step needs beyond its state (their first docstring line is what docs/workflows.md
prints)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from banshi.core.errors import Conflict, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.validation import clean_text
from banshi.party.choices import ACCEPT, REGISTER, TRANSITIONS, VIEW, Side, Status
from banshi.party.models import UnitRegistration, UnitRegistrationEvent
from banshi.workflow import engine


def stamp_accepted(
    obj: UnitRegistration, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """记下接收时间，可附说明"""
    return engine.Change(updates={"accepted_at": now}, note=str(data.get("note", "") or "")[:500])


def with_reason(
    obj: UnitRegistration, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """须说明理由"""
    reason = clean_text(data.get("note"), field="理由", max_length=500)
    return engine.Change(note=reason, data={"reason": reason})


def resubmit(
    obj: UnitRegistration, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """重新记下提交时间，可附修改说明"""
    return engine.Change(updates={"submitted_at": now}, note=str(data.get("note", "") or "")[:500])


GUARDS: dict[str, engine.Guard] = {
    "accept": stamp_accepted,
    "return": with_reason,
    "resubmit": resubmit,
    "withdraw": with_reason,
}


class UnitRegistrationHooks(engine.Hooks[UnitRegistration]):
    """How the engine reads, checks and records a unit registration. The community side acts
    on the community, the unit side on its own party organisation: an admin of the community's
    street cannot withdraw a unit's registration, nor can the unit accept its own."""

    event_model = UnitRegistrationEvent
    event_owner = "registration"

    @property
    def side_labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in Side.choices}

    def load(self, model: type[UnitRegistration], pk: Any) -> UnitRegistration:
        return UnitRegistration.objects.select_related("party_org", "community").get(pk=pk)

    def visible(self, actor: Any, obj: UnitRegistration, step: engine.Step) -> bool:
        return engine.is_system(actor) or any(
            can(actor, action, obj) for action in (VIEW, REGISTER, ACCEPT)
        )

    def authorize(
        self, actor: Any, obj: UnitRegistration, step: engine.Step, permission: str
    ) -> None:
        node = obj.community if step.side == Side.COMMUNITY else obj.party_org
        if not can(actor, permission, node):
            raise PermissionDenied(_("您无权%(label)s") % {"label": _(step.label)})

    def invalid_state(self, obj: UnitRegistration, step: engine.Step, label: str) -> Exception:
        return ValidationFailed(f"报到当前为“{label}”，不能{step.label}", code="invalid_transition")

    def conflict(self, obj: UnitRegistration, step: engine.Step) -> Exception:
        return Conflict("报到已被他人处理或状态已变化，请刷新后重试")


LIFECYCLE = engine.register(
    engine.Lifecycle(
        name="unit_registration",
        title="单位双报到",
        model=UnitRegistration,
        states=Status,
        steps=TRANSITIONS.values(),
        guards=GUARDS,
        hooks=UnitRegistrationHooks(),
    )
)


def unit_registration_transition(
    *,
    actor: Any,
    registration: UnitRegistration,
    action: str,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> UnitRegistration:
    """Move a unit registration one step (the engine checks scope, state, right and guard)."""
    return engine.transition(
        actor=actor,
        obj=registration,
        action=action,
        data=data,
        expected_version=expected_version,
        now=now,
    )
