"""Revealing a caller's number: to whom ``workorders.privacy`` lets see it, and always logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from banshi.audit.services import log_personal_data_access
from banshi.core.errors import PermissionDenied, ValidationFailed
from banshi.workorders.models import WorkOrder
from banshi.workorders.privacy import caller_view


def reveal_caller(*, actor: Any, order: WorkOrder, purpose: str = "") -> str:
    view = caller_view(actor, order)
    if view.hidden:
        raise PermissionDenied("来电人要求保密")
    if not order.caller_phone:
        raise ValidationFailed("诉求人没有留下联系电话", code="no_phone")
    if not view.can_reveal:
        raise PermissionDenied("您无权查看来电人完整号码")
    with transaction.atomic():
        log_personal_data_access(
            actor=actor, obj=order, fields=["caller_phone"], purpose=purpose or "工单"
        )
    return order.caller_phone
