"""Revealing a caller's number: only to roles with ``pii.view`` on the request, never for a
confidential caller to the handling unit, and always logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from banshi.audit.services import log_personal_data_access
from banshi.core.errors import PermissionDenied
from banshi.core.permissions import can
from banshi.workorders.models import WorkOrder


def reveal_caller(*, actor: Any, order: WorkOrder, purpose: str = "") -> str:
    if not can(actor, "pii.view", order):
        raise PermissionDenied("您无权查看来电人完整号码")
    if order.caller_confidential and not can(actor, "pii.view", order.org_unit):
        # A confidential caller is visible to the centre where the request is, not to a unit
        # that only handles it.
        raise PermissionDenied("来电人要求保密")
    with transaction.atomic():
        log_personal_data_access(
            actor=actor, obj=order, fields=["caller_phone"], purpose=purpose or "工单"
        )
    return order.caller_phone
