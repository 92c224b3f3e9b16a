"""Driving requests through the workflow for Open311 tests (a superuser acts as the centre and
the unit), and submitting requests on other channels."""

from __future__ import annotations

import datetime
from typing import Any

from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.services import SubmitInput, submit, transition

STEPS = [
    ("dispatch", "dispatched"),
    ("sign", "signed"),
    ("contact", "in_progress"),
    ("reply", "replied"),
    ("audit_pass", "callback"),
    ("callback", "closed"),
]


def drive(
    order: WorkOrder, boss: Any, lead: Any, status: str, *, now: datetime.datetime | None = None
) -> WorkOrder:
    data = {
        "dispatch": {"lead_unit": lead.pk},
        "contact": {"note": "已电话联系"},
        "reply": {"result": "已修复路面", "solved": True},
        "callback": {"resolution": "solved", "satisfaction": "satisfied"},
    }
    for action, reached in STEPS:
        order = transition(
            actor=boss, order=order, action=action, data=data.get(action, {}), now=now
        )
        if reached == status:
            break
    assert order.status == status
    return order


def other_channel(
    tree: Any, *, code: str = "010301", now: datetime.datetime | None = None, **extra: Any
) -> WorkOrder:
    category = Category.objects.get(code=code)
    data = SubmitInput(
        channel=extra.pop("channel", "web"),
        kind="complaint",
        category_id=category.pk,
        content=extra.pop("content", "门前道路破损，雨天积水"),
        address=extra.pop("address", "开福区秀峰街道新大塘社区建湘路"),
        caller_name=extra.pop("caller_name", "张秀英"),
        caller_phone=extra.pop("caller_phone", "13812345678"),
        org_unit=extra.pop("org_unit", tree.datang),
        **extra,
    )
    order, _ = submit(actor=None, data=data, now=now)
    return order
