"""Helpers shared by the 接诉即办 pages: which action forms a viewer gets and the few
presentation facts (light, countdown) of a row. How the caller is shown: ``workorders.privacy``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from banshi.core.permissions import can
from banshi.workorders import selectors
from banshi.workorders.choices import STAFF_SIDES, TRANSITIONS, AppealStatus, Side
from banshi.workorders.clock import LIGHT_LABELS, light_of, remaining_text
from banshi.workorders.models import WorkOrder
from banshi.workorders.services.workflow import co_parts


@dataclass
class Row:
    """One request as a list row: the order plus its light and countdown at ``now``."""

    order: WorkOrder
    light: str
    light_label: str
    remaining: str


def rows(orders: list[WorkOrder], now: datetime.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    result = []
    for order in orders:
        light = light_of(order, now)
        result.append(Row(order, light, str(LIGHT_LABELS[light]), remaining_text(order, now)))
    return result


def leaf_category_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Third-level categories grouped under "一级 › 二级", for the no-JavaScript select of the
    citizen's form and the operator's intake form."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for leaf in selectors.leaf_categories():
        second = leaf.parent
        label = f"{second.parent.name} › {second.name}" if second and second.parent else ""
        groups.setdefault(label, []).append((leaf.pk, leaf.name))
    return list(groups.items())


def allowed_actions(user: Any, order: WorkOrder) -> list[str]:
    """The workflow actions ``user`` may perform on ``order`` now: the state allows it (the
    transition table's sources), the viewer holds the right on the path the service will check
    (a unit action on the lead unit, a co-unit action on one of the viewer's co-unit parts, a
    centre action on the request), and the action's own precondition holds (a pending extension,
    a pending appeal, a co-unit part not yet signed or already signed)."""
    result = []
    for action, spec in TRANSITIONS.items():
        if spec.side not in STAFF_SIDES or order.status not in spec.sources:
            continue
        perm = f"workorder.{action}"
        if spec.side == Side.CO_UNIT:
            if not co_parts(user, order, action, ready=True):
                continue
        elif spec.side == Side.UNIT:
            if order.lead_unit is None or not can(user, perm, order.lead_unit):
                continue
        elif not can(user, perm, order):
            continue
        if action in {"approve_extension", "refuse_extension"} and not (
            order.extension_requested_days
        ):
            continue
        if action == "request_extension" and order.extension_requested_days:
            continue
        if action == "rule_appeal" and order.appeal_status != AppealStatus.PENDING:
            continue
        if action == "appeal" and order.appeal_status:
            continue
        result.append(action)
    return result
