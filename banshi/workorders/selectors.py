"""Reads of requests: scoped lists with filters and keyset pagination, the role queues, duplicate
suggestions for intake, one request, and the citizen's tracking view."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.validation import is_digits, parse_id
from banshi.orgtree.models import OrgUnit
from banshi.workorders.choices import CLOCK_STATUSES, OPEN_STATUSES, Status
from banshi.workorders.clock import LIGHTS, light_q
from banshi.workorders.models import Category, WorkOrder, WorkOrderQuerySet

VIEW = "workorder.view"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# A date filter beyond these means "no limit"; it is clamped so that the day's start in Beijing
# time stays a datetime Python and the database can hold (0001-01-01 00:00+08:00 is year 0 UTC).
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(9000, 12, 31)


def orders_for(user: Any) -> WorkOrderQuerySet:
    return WorkOrder.objects.for_user(user, VIEW).select_related(
        "category", "org_unit", "lead_unit"
    )


def get_order(user: Any, ref: object) -> WorkOrder:
    """By id or tracking number; NotFound when missing or out of scope."""
    text = str(ref).strip()
    qs = orders_for(user)
    order = None
    if len(text) == 14 and is_digits(text):
        order = qs.filter(number=text).first()
    if order is None:
        order = qs.filter(pk=parse_id(text, field="工单编号")).first()
    if order is None:
        raise NotFound()
    return order


@dataclass
class ListFilters:
    status: list[str] | None = None
    unit: str | None = None  # lead unit id: that unit and its subtree
    area: str | None = None  # location unit id: that unit and its subtree
    category: str | None = None  # any level: the category and its descendants
    light: str | None = None
    kind: str | None = None
    channel: str | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    q: str = ""
    cursor: str | None = None
    limit: int = PAGE_SIZE


def _descendant_categories(category: Category) -> list[int]:
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def filter_orders(
    user: Any, f: ListFilters, *, now: datetime.datetime | None = None
) -> QuerySet[WorkOrder]:
    now = now or timezone.now()
    qs = orders_for(user)
    if f.status:
        bad = [s for s in f.status if s not in Status.values]
        if bad:
            raise ValidationFailed(f"状态无效：{'、'.join(bad)}", code="invalid_status")
        qs = qs.filter(status__in=f.status)
    if f.unit:
        unit = OrgUnit.objects.filter(pk=parse_id(f.unit, field="单位编号")).first()
        if unit is None:
            raise NotFound("单位不存在")
        qs = qs.within_paths([unit.path], via="lead")
    if f.area:
        area = OrgUnit.objects.filter(pk=parse_id(f.area, field="区域编号")).first()
        if area is None:
            raise NotFound("区域不存在")
        qs = qs.within_paths([area.path], via="home")
    if f.category:
        category = Category.objects.filter(pk=parse_id(f.category, field="分类编号")).first()
        if category is None:
            raise NotFound("分类不存在")
        qs = qs.filter(category_id__in=_descendant_categories(category))
    if f.light:
        if f.light not in LIGHTS:
            raise ValidationFailed("灯色无效（green/blue/yellow/red）", code="invalid_light")
        qs = qs.filter(light_q(f.light, now))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.received_from:
        qs = qs.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        last = min(f.received_to, LATEST_DAY)
        qs = qs.filter(received_at__lt=_day_start(last + datetime.timedelta(days=1)))
    text = (f.q or "").strip()[:100]
    if text:
        condition = (
            Q(title__icontains=text) | Q(content__icontains=text) | Q(address__icontains=text)
        )
        if is_digits(text):
            condition |= Q(number=text)
        qs = qs.filter(condition)
    return qs.order_by("-id")


def _day_start(day: datetime.date) -> datetime.datetime:
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


@dataclass
class Page:
    items: list[WorkOrder]
    next_cursor: str | None


def paginate(qs: QuerySet[WorkOrder], cursor: str | None, limit: int) -> Page:
    """Keyset pagination on the id: stable under inserts, no OFFSET scans."""
    limit = max(1, min(int(limit or PAGE_SIZE), MAX_PAGE_SIZE))
    if cursor:
        qs = qs.filter(pk__lt=parse_id(cursor, field="游标"))
    items = list(qs.order_by("-id")[: limit + 1])
    next_cursor = str(items[limit - 1].pk) if len(items) > limit else None
    return Page(items[:limit], next_cursor)


# --- queues -------------------------------------------------------------------------------------

QUEUES: dict[str, tuple[str, str]] = {
    # name: (label, the action whose scope the queue follows)
    "to_dispatch": (gettext_noop("待派单"), "workorder.dispatch"),
    "returns": (gettext_noop("退单申请"), "workorder.redispatch"),
    "extensions": (gettext_noop("延期申请"), "workorder.approve_extension"),
    "to_audit": (gettext_noop("待审核答复"), "workorder.audit_pass"),
    "callbacks": (gettext_noop("待回访"), "workorder.callback"),
    "appeals": (gettext_noop("待审定申诉"), "workorder.rule_appeal"),
    "to_sign": (gettext_noop("待签收"), "workorder.sign"),
    "in_progress": (gettext_noop("办理中"), "workorder.reply"),
    "unit_overdue": (gettext_noop("本单位超时"), "workorder.reply"),
    "co_to_sign": (gettext_noop("协办待签收"), "workorder.co_sign"),
    "co_in_progress": (gettext_noop("协办待反馈"), "workorder.co_reply"),
    "overdue": (gettext_noop("超时工单"), "workorder.urge"),
    "urged": (gettext_noop("被催办"), "workorder.urge"),
    "supervised": (gettext_noop("督办中"), "workorder.supervise"),
    "intake": (gettext_noop("今日受理"), "workorder.answer"),
}
LEAD_QUEUES = {"to_sign", "in_progress", "unit_overdue"}
# A co-unit's queues follow its own part: not yet signed, signed but no opinion sent yet.
CO_QUEUES: dict[str, dict[str, Any]] = {
    "co_to_sign": {"signed_at": None},
    "co_in_progress": {"signed_at__isnull": False, "opinion_at": None},
}


def queue(user: Any, name: str, *, now: datetime.datetime | None = None) -> QuerySet[WorkOrder]:
    if name not in QUEUES:
        raise NotFound("队列不存在")
    now = now or timezone.now()
    _, action = QUEUES[name]
    base = WorkOrder.objects.select_related("category", "org_unit", "lead_unit")
    # A unit's queues follow the unit that leads or co-handles the request (one way of
    # ``WorkOrder.scope``), not where it is.
    if name in LEAD_QUEUES:
        base = base.for_user(user, action, via="lead")
    elif name in CO_QUEUES:
        base = base.for_user(user, action, via="co", **CO_QUEUES[name])
    else:
        base = base.for_user(user, action)
    conditions = {
        "to_dispatch": Q(status__in=[Status.RECEIVED, Status.PENDING_DISPATCH]),
        "returns": Q(status=Status.RETURN_REQUESTED),
        "extensions": Q(extension_requested_days__gt=0, status__in=OPEN_STATUSES),
        "to_audit": Q(status=Status.REPLIED),
        "callbacks": Q(status=Status.CALLBACK),
        "appeals": Q(appeal_status="pending"),
        "to_sign": Q(status=Status.DISPATCHED),
        "in_progress": Q(status__in=[Status.SIGNED, Status.IN_PROGRESS]),
        "unit_overdue": Q(status__in=CLOCK_STATUSES, close_due__lt=now),
        "co_to_sign": Q(status__in=CLOCK_STATUSES),
        "co_in_progress": Q(status__in=CLOCK_STATUSES),
        "overdue": Q(status__in=CLOCK_STATUSES, close_due__lt=now),
        "urged": Q(status__in=OPEN_STATUSES, urge_count__gt=0),
        "supervised": Q(status__in=OPEN_STATUSES, supervised=True),
        "intake": Q(received_at__gte=_day_start(timezone.localtime(now).date())),
    }
    order_by = {
        "to_sign": "sign_due",
        "in_progress": "close_due",
        "unit_overdue": "close_due",
        "co_in_progress": "close_due",
        "overdue": "close_due",
        "callbacks": "callback_due",
    }
    return base.filter(conditions[name]).order_by(order_by.get(name, "-id"), "-id")


def queue_counts(user: Any, names: list[str]) -> dict[str, int]:
    return {name: queue(user, name).count() for name in names}


# --- intake helpers -----------------------------------------------------------------------------


def duplicate_suggestions(
    user: Any,
    *,
    phone: str = "",
    org_unit: OrgUnit | None = None,
    category: Category | None = None,
    days: int = 30,
    limit: int = 10,
    now: datetime.datetime | None = None,
) -> list[WorkOrder]:
    """Same caller, or same place and category, within ``days``: candidates for 并单."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    condition = Q()
    if phone:
        condition |= Q(caller_phone=phone)
    if org_unit is not None and category is not None:
        condition |= Q(org_unit__path__startswith=org_unit.path, category=category)
    if not condition:
        return []
    return list(
        orders_for(user)
        .filter(condition, received_at__gte=since)
        .exclude(status__in=[Status.MERGED, Status.INVALID])
        .order_by("-id")[:limit]
    )


def category_tree() -> list[dict[str, Any]]:
    nodes = list(Category.objects.filter(is_active=True).order_by("sort", "code"))
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(parent: int | None) -> list[dict[str, Any]]:
        return [
            {"id": c.pk, "code": c.code, "name": c.name, "children": build(c.pk)}
            for c in children.get(parent, [])
        ]

    return build(None)


def leaf_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, level=3).select_related("parent__parent")


# --- citizen tracking ---------------------------------------------------------------------------


def proof_matches(order: WorkOrder, proof: str) -> bool:
    """The citizen's proof: the last four digits of the phone, or the tracking code."""
    proof = (proof or "").strip().upper()
    if not proof:
        return False
    if len(proof) == 4 and is_digits(proof) and order.caller_phone:
        return order.caller_phone.endswith(proof)
    # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError, so a 500).
    return secrets.compare_digest(proof.encode(), order.tracking_code.encode())


TRACK_LIMIT_PER_NUMBER = 5
TRACK_LIMIT_PER_CLIENT = 30


def track_throttled(number: str, proof: str, *, client: str) -> WorkOrder:
    """``track`` for the public: a number, or a client address, with too many failed proofs in
    15 minutes is refused (429), so four-digit proofs cannot be brute-forced."""
    from banshi.core import throttle

    number = (number or "").strip()[:20]
    throttle.check(
        "track", {f"n:{number}": TRACK_LIMIT_PER_NUMBER, f"c:{client}": TRACK_LIMIT_PER_CLIENT}
    )
    try:
        return track(number, proof)
    except NotFound:
        throttle.hit("track", f"n:{number}", f"c:{client}" if client else "")
        raise


def track(number: str, proof: str) -> WorkOrder:
    """The request for its tracking number and proof (last four phone digits or the tracking
    code). Any mismatch is the same NotFound, so numbers cannot be probed."""
    text = (number or "").strip()
    if not (is_digits(text) and len(text) == 14):
        raise NotFound("工单编号或验证信息不正确")
    order = (
        WorkOrder.objects.select_related("category", "lead_unit", "org_unit")
        .filter(number=text)
        .first()
    )
    if order is None or not proof_matches(order, proof):
        raise NotFound("工单编号或验证信息不正确")
    return order


def public_events(order: WorkOrder) -> QuerySet[Any]:
    return order.events.filter(public=True).order_by("at", "id")
