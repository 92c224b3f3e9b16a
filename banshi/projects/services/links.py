"""Links between projects and citizen requests (工单): a project made from a cluster of requests,
and requests linked to and unlinked from a project later. A request linked while the project is
being evaluated gets its citizen's invitation to rate it (``services.survey``).

Every requested order must be visible to the actor (``workorder.view``): one that is not answers
404 for the whole call and nothing is written. Each link is one row, one timeline event and one
change record, all in the service's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.validation import is_digits
from banshi.orgtree.models import OrgUnit
from banshi.projects.choices import Status
from banshi.projects.models import Project, ProjectList, ProjectWorkOrder
from banshi.projects.permissions import can_project, require_project
from banshi.projects.services.evaluation import OPEN_FOR_EVALUATION
from banshi.projects.services.ledger import ProjectData, add_event, project_create
from banshi.projects.services.survey import invite_linked_citizens
from banshi.workorders.models import WorkOrder

MAX_ORDERS = 200
LINK_ACTION = "project.collect"
UNLINKABLE = frozenset({Status.MERGED, Status.CANCELLED})


def visible_orders(actor: Any, refs: Iterable[Any]) -> list[WorkOrder]:
    """The orders for ``refs`` (ids or 14-digit numbers), each visible to ``actor``; NotFound
    naming the first one that is missing or out of sight. ``actor=None`` is the system."""
    ids: list[int] = []
    numbers: list[str] = []
    for ref in refs:
        text = str(ref).strip()
        if not text:
            continue
        if len(text) == 14 and is_digits(text):
            numbers.append(text)
        elif is_digits(text) and len(text) <= 19 and 0 < int(text) < 2**63:
            ids.append(int(text))
        else:
            raise NotFound(f"工单「{text[:20]}」不存在或不在您的管辖范围内")
    wanted = len(dict.fromkeys(ids)) + len(dict.fromkeys(numbers))
    if wanted == 0:
        raise ValidationFailed("请至少选择一件工单", code="required")
    if wanted > MAX_ORDERS:
        raise ValidationFailed(f"一次最多关联{MAX_ORDERS}件工单", code="too_many")
    qs = (
        # Unscoped only for the system (actor None: seeding, commands); people see their scope.
        WorkOrder.objects.unscoped()
        if actor is None
        else WorkOrder.objects.for_user(actor, "workorder.view")
    )
    found = list(
        qs.filter(pk__in=ids).select_related("category__parent__parent", "org_unit", "lead_unit")
    ) + list(
        qs.filter(number__in=numbers).select_related(
            "category__parent__parent", "org_unit", "lead_unit"
        )
    )
    by_id = {o.pk: o for o in found}
    by_number = {o.number: o for o in found}
    for pk in ids:
        if pk not in by_id:
            raise NotFound(f"工单（编号{pk}）不存在或不在您的管辖范围内")
    for number in numbers:
        if number not in by_number:
            raise NotFound(f"工单{number}不存在或不在您的管辖范围内")
    return list({o.pk: o for o in found}.values())


def _require_link(actor: Any, project: Project) -> None:
    if actor is None:
        return
    if not can_project(actor, LINK_ACTION, project):
        require_project(actor, "project.manage", project)


def _link(actor: Any, project: Project, order: WorkOrder, now: Any) -> ProjectWorkOrder:
    # The timeline is read by every viewer of the project, some of whom may not read this
    # request: it says that a request was linked, never which (the change record keeps that).
    try:
        with transaction.atomic():
            link = ProjectWorkOrder.objects.create(
                project=project,
                order=order,
                linked_by=actor if getattr(actor, "pk", None) else None,
                linked_at=now,
            )
    except IntegrityError as exc:
        raise ValidationFailed(f"工单{order.number}已关联本项目", code="already_linked") from exc
    add_event(
        project,
        actor=actor,
        action="link_order",
        label="关联群众诉求",
        at=now,
    )
    record_change(
        actor=actor, action="project.link_order", obj=link, before=None, after=snapshot(link)
    )
    return link


@transaction.atomic
def orders_link(*, actor: Any, project: Project, orders: list[WorkOrder]) -> list[ProjectWorkOrder]:
    """Link more requests to a project (all or none)."""
    _require_link(actor, project)
    if project.status in UNLINKABLE:
        raise ValidationFailed("已取消或已并入其他项目的项目不能再关联工单", code="terminal")
    if not orders:
        raise ValidationFailed("请至少选择一件工单", code="required")
    if actor is not None:
        visible_orders(actor, [o.pk for o in orders])  # the service stands on its own
    now = timezone.now()
    links = [_link(actor, project, order, now) for order in orders]
    if project.status in OPEN_FOR_EVALUATION:
        invite_linked_citizens(project, occasion="open", now=now)
    return links


@transaction.atomic
def order_unlink(*, actor: Any, project: Project, order: WorkOrder) -> None:
    """Remove one request from a project. Its citizen's evaluation, if any, stays as history."""
    _require_link(actor, project)
    if actor is not None:
        visible_orders(actor, [order.pk])
    link = ProjectWorkOrder.objects.filter(project=project, order=order).first()
    if link is None:
        raise NotFound("该工单未关联本项目")
    before = snapshot(link)
    link.delete()
    add_event(
        project,
        actor=actor,
        action="unlink_order",
        label="取消关联群众诉求",
    )
    record_change(
        actor=actor, action="project.unlink_order", obj=project, before=before, after=None
    )


@transaction.atomic
def project_create_from_orders(
    *,
    actor: Any,
    orders: list[WorkOrder],
    org_unit: OrgUnit,
    lead_unit: OrgUnit,
    data: ProjectData,
    co_units: list[OrgUnit] | None = None,
    lead_leader: Any = None,
    number: str = "",
    lists: list[ProjectList] | None = None,
) -> Project:
    """A collected (征集) project made from a set of requests, linked to each of them. The orders
    are checked before anything is written; any refusal leaves nothing behind."""
    if not orders:
        raise ValidationFailed("请至少选择一件工单", code="required")
    if actor is not None:
        visible_orders(actor, [o.pk for o in orders])
    project = project_create(
        actor=actor,
        org_unit=org_unit,
        lead_unit=lead_unit,
        data=data,
        co_units=co_units,
        lead_leader=lead_leader,
        number=number,
        lists=lists,
    )
    now = timezone.now()
    for order in orders:
        _link(actor, project, order, now)
    return project
