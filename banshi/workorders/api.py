"""REST endpoints for requests: public intake, tracking and rating; staff lists, queues, every
workflow action, metrics. Parse, call one service or selector, return."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from banshi.core.errors import PermissionDenied, ValidationFailed
from banshi.core.http import client_ip, etag, expected_version
from banshi.core.permissions import can, require
from banshi.orgtree.selectors import get_unit
from banshi.workorders import metrics, selectors
from banshi.workorders.choices import STAFF_SIDES, TRANSITIONS, Status
from banshi.workorders.clock import light_of
from banshi.workorders.models import WorkOrder
from banshi.workorders.privacy import caller_view
from banshi.workorders.schemas import (
    ActionIn,
    CategoryNode,
    OrderDetailOut,
    OrderPage,
    PhoneOut,
    PublicOrderOut,
    PublicSubmitIn,
    RankingOut,
    RatingIn,
    StaffSubmitIn,
    SubmitOut,
    UnitMetricsOut,
)
from banshi.workorders.services import (
    PublicClient,
    SubmitInput,
    rate_by_citizen,
    submit,
    transition,
)

public_router = Router(tags=["接诉即办（公众）"], auth=None)
router = Router(tags=["接诉即办"])

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _key(request: HttpRequest, namespace: str) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200 or any(ord(c) < 33 or ord(c) > 126 for c in key):
        raise ValidationFailed(
            "Idempotency-Key 须为1至200个可见 ASCII 字符", code="invalid_idempotency_key"
        )
    return f"{namespace}:{key}"


def _submitted(order: WorkOrder, created: bool) -> tuple[int, dict[str, Any]]:
    body = {
        "id": order.pk,
        "number": order.number,
        "tracking_code": order.tracking_code,
        "status": order.status,
        "created": created,
    }
    return (201 if created else 200), body


@public_router.get("/categories", response=list[CategoryNode], summary="诉求分类树")
def categories(request: HttpRequest):
    return selectors.category_tree()


@public_router.post(
    "/requests",
    response={200: SubmitOut, 201: SubmitOut},
    summary="群众提交诉求（支持 Idempotency-Key；按网络地址和手机号限流，超限 429）",
)
def public_submit(request: HttpRequest, payload: PublicSubmitIn):
    if payload.channel not in {"web", "mobile"}:
        raise ValidationFailed("公众渠道只能是 web 或 mobile", code="invalid_channel")
    data = SubmitInput(
        channel=payload.channel,
        kind=payload.kind,
        category_id=payload.category_id,
        content=payload.content,
        title=payload.title,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        coordinate_system=payload.coordinate_system,
        caller_name="" if payload.anonymous else payload.caller_name,
        caller_phone="" if payload.anonymous else payload.caller_phone,
        submission_key=_key(request, "pub"),
    )
    order, created = submit(actor=None, data=data, public=PublicClient(client_ip(request)))
    return _submitted(order, created)


def _public_view(order: WorkOrder) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status,
        "status_label": str(Status(order.status).label),
        "kind": order.kind,
        "category": order.category.full_name,
        "title": order.title,
        "content": order.content,
        "received_at": order.received_at,
        "lead_unit": order.lead_unit.name if order.lead_unit else None,
        "can_rate": order.status == Status.CALLBACK,
        "resolution": order.resolution,
        "satisfaction": order.satisfaction,
        "timeline": list(selectors.public_events(order)),
    }


@public_router.get(
    "/requests/{number}", response=PublicOrderOut, summary="凭编号和手机号后四位（或查询码）查询"
)
def public_track(request: HttpRequest, number: str, proof: str):
    return _public_view(selectors.track_throttled(number, proof[:20], client=client_ip(request)))


@public_router.post("/requests/{number}/rating", response=PublicOrderOut, summary="群众评价")
def public_rate(request: HttpRequest, number: str, payload: RatingIn):
    order = selectors.track_throttled(number, payload.proof, client=client_ip(request))
    order = rate_by_citizen(
        order=order,
        proof=payload.proof,
        data={
            "resolution": payload.resolution,
            "satisfaction": payload.satisfaction,
            "comment": payload.comment,
        },
    )
    return _public_view(order)


# --- staff ------------------------------------------------------------------------------------


@router.post(
    "",
    response={200: SubmitOut, 201: SubmitOut},
    summary="工作人员登记诉求（支持 Idempotency-Key）",
)
def staff_submit(request: HttpRequest, payload: StaffSubmitIn):
    unit = (
        get_unit(request.user, payload.org_unit_id, "workorder.submit")
        if payload.org_unit_id
        else None
    )
    data = SubmitInput(
        channel=payload.channel,
        kind=payload.kind,
        category_id=payload.category_id,
        content=payload.content,
        title=payload.title,
        urgency=payload.urgency,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        coordinate_system=payload.coordinate_system,
        org_unit=unit,
        caller_name=payload.caller_name,
        caller_phone=payload.caller_phone,
        confidential=payload.confidential,
        tags=payload.tags,
        submission_key=_key(request, f"u{request.user.pk}"),
    )
    order, created = submit(actor=request.user, data=data)
    return _submitted(order, created)


class ListQuery(Schema):
    status: list[str] | None = None
    unit: str | None = None
    area: str | None = None
    category: str | None = None
    light: str | None = None
    kind: str | None = None
    channel: str | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    q: str = ""
    cursor: str | None = None
    limit: int = selectors.PAGE_SIZE


def _list_item(order: WorkOrder, now: datetime.datetime) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "status": order.status,
        "kind": order.kind,
        "urgency": order.urgency,
        "category_id": order.category_id,
        "title": order.title,
        "org_unit_id": order.org_unit_id,
        "lead_unit_id": order.lead_unit_id,
        "received_at": order.received_at,
        "close_due": order.close_due,
        "light": light_of(order, now),
        "urge_count": order.urge_count,
        "supervised": order.supervised,
    }


@router.get("", response=OrderPage, summary="工单列表（筛选、键集分页）")
def order_list(request: HttpRequest, params: Query[ListQuery]):
    filters = selectors.ListFilters(**params.dict())
    page = selectors.paginate(
        selectors.filter_orders(request.user, filters), params.cursor, params.limit
    )
    now = timezone.now()
    return {"items": [_list_item(o, now) for o in page.items], "next_cursor": page.next_cursor}


@router.get("/queues/{name}", response=OrderPage, summary="角色工作队列")
def order_queue(
    request: HttpRequest, name: str, cursor: str | None = None, limit: int = selectors.PAGE_SIZE
):
    page = selectors.paginate(selectors.queue(request.user, name[:30]), cursor, limit)
    now = timezone.now()
    return {"items": [_list_item(o, now) for o in page.items], "next_cursor": page.next_cursor}


def _detail(request: HttpRequest, order: WorkOrder) -> dict[str, Any]:
    now = timezone.now()
    caller = caller_view(request.user, order)
    data = _list_item(order, now)
    co_links = list(order.co_unit_links.select_related("unit").order_by("id"))
    data.update(
        {
            "channel": order.channel,
            "tags": order.tags,
            "content": order.content,
            "address": order.address,
            "latitude": float(order.latitude) if order.latitude is not None else None,
            "longitude": float(order.longitude) if order.longitude is not None else None,
            "caller_name": caller.name,
            "caller_phone_masked": caller.phone,
            "co_unit_ids": [link.unit_id for link in co_links],
            "co_units": [
                {
                    "unit_id": link.unit_id,
                    "unit": link.unit.name,
                    "signed_at": link.signed_at,
                    "opinion": link.opinion,
                    "opinion_at": link.opinion_at,
                }
                for link in co_links
            ],
            "events": list(order.events.all()),
            "attachments": [
                {
                    "id": a.pk,
                    "stage": a.stage,
                    "content_type": a.content_type,
                    "size": a.size,
                    "url": a.file.url,
                }
                for a in order.attachments.all()
            ],
        }
    )
    for name in (
        "sign_due",
        "contact_due",
        "signed_at",
        "contacted_at",
        "replied_at",
        "closed_at",
        "reply_text",
        "reply_solved",
        "resolution",
        "satisfaction",
        "reopen_count",
        "return_count",
        "extension_requested_days",
        "appeal_status",
        "leader_instruction",
        "version",
    ):
        data[name] = getattr(order, name)
    return data


@router.get("/{order_id}", response=OrderDetailOut, summary="工单详情（编号或工单号）")
def order_detail(request: HttpRequest, order_id: str, response: HttpResponse):
    order = selectors.get_order(request.user, order_id)
    response["ETag"] = etag(order.version)
    return _detail(request, order)


IF_MATCH = (
    "可带请求头 If-Match（详情接口返回的 ETag）：工单已被他人处理、版本变化时返回 409 "
    "stale_version，不会覆盖他人的操作；不带则不作版本检查。"
)


@router.post(
    "/{order_id}/actions/{action}",
    response=OrderDetailOut,
    summary="执行流转动作",
    description=IF_MATCH,
)
def order_action(
    request: HttpRequest, order_id: str, action: str, payload: ActionIn, response: HttpResponse
):
    order = selectors.get_order(request.user, order_id)
    spec = TRANSITIONS.get(action[:40])
    if spec is None or spec.side not in STAFF_SIDES:
        raise ValidationFailed("未知的操作", code="unknown_action")
    order = transition(
        actor=request.user,
        order=order,
        action=action,
        data=payload.data,
        expected_version=expected_version(request),
    )
    response["ETag"] = etag(order.version)
    return _detail(request, order)


@router.post(
    "/{order_id}/actions/{action}/upload",
    response=OrderDetailOut,
    summary="执行带附件的动作（答复、退单）",
    description=IF_MATCH,
)
def order_action_upload(
    request: HttpRequest,
    order_id: str,
    action: str,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    result: Form[str] = "",
    solved: Form[str] = "",
    reason: Form[str] = "",
):
    if action not in {"reply", "request_return"}:
        raise ValidationFailed("只有答复和退单可以上传附件", code="unknown_action")
    order = selectors.get_order(request.user, order_id)
    data = {"result": result, "solved": solved, "reason": reason, "files": list(files or [])}
    order = transition(
        actor=request.user,
        order=order,
        action=action,
        data=data,
        expected_version=expected_version(request),
    )
    return _detail(request, order)


@router.post("/{order_id}/reveal-phone", response=PhoneOut, summary="查看来电人完整号码（留痕）")
def order_reveal_phone(request: HttpRequest, order_id: str):
    from banshi.workorders.services.pii import reveal_caller

    order = selectors.get_order(request.user, order_id)
    return {"caller_phone": reveal_caller(actor=request.user, order=order)}


def _metric_row(m: metrics.UnitMetrics) -> dict[str, Any]:
    def f(value: Any) -> float | None:
        return float(value) if value is not None else None

    return {
        "unit_id": m.unit.pk,
        "unit": m.unit.name,
        "level": m.unit.level,
        "dispatched": m.stats.dispatched,
        "response_rate": f(m.response),
        "resolution_rate": f(m.resolution),
        "satisfaction_rate": f(m.satisfaction),
        "composite": f(m.composite),
        "sign_on_time_rate": f(m.sign_on_time),
        "close_on_time_rate": f(m.close_on_time),
        "return_rate": f(m.return_rate),
        "reopen_rate": f(m.reopen_rate),
        "direct_answer_rate": f(m.direct_answer),
    }


def _month(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        return datetime.datetime.strptime(value[:7], "%Y-%m").date()
    except ValueError as exc:
        raise ValidationFailed("月份格式应为 YYYY-MM", code="invalid_month") from exc


@router.get("/metrics/units", response=list[UnitMetricsOut], summary="单位月度指标")
def unit_metrics(request: HttpRequest, month: str | None = None, level: str | None = None):
    require(request.user, "workorder.metrics")
    return [_metric_row(m) for m in metrics.month_table(request.user, _month(month), level)]


@router.get("/metrics/ranking", response=RankingOut, summary="月度排名与红黑榜")
def unit_ranking(request: HttpRequest, level: str = "district", month: str | None = None):
    if not can(request.user, "workorder.metrics"):
        raise PermissionDenied()
    result = metrics.ranking(request.user, _month(month), level[:20])
    return {
        "level": result.level,
        "rows": [_metric_row(m) for m in result.rows],
        "red": [_metric_row(m) for m in result.red],
        "black": [_metric_row(m) for m in result.black],
    }
