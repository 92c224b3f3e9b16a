"""The one transition service for requests.

``transition(actor=, order=, action=, data=)`` looks the action up in ``choices.TRANSITIONS``,
checks the actor's right on the right org path (the 12345 centre acts where the request is; a
handling unit acts on the requests it leads; a co-unit acts on its own part of the requests it
co-handles, the ``WorkOrderCoUnit`` row, written with its own compare-and-set), lets the action's handler validate ``data`` and
compute the new field values, then writes with a compare-and-set on ``(status, version)``: of two
concurrent transitions on one request exactly one wins and the other gets ``Conflict``. The event
row, the change record and the outgoing messages (sent after commit) go in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.utils import timezone

from banshi.accounts.models import RoleAssignment
from banshi.accounts.roles import Role
from banshi.core.choices import Satisfaction
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.validation import clean_text, is_digits, parse_id
from banshi.notify.services import notify
from banshi.orgtree.models import OrgUnit
from banshi.workflow import engine
from banshi.workorders import clock, extras
from banshi.workorders.choices import (
    STAFF_SIDES,
    TRANSITIONS,
    AppealStatus,
    InvalidReason,
    Resolution,
    Side,
    Status,
)
from banshi.workorders.models import (
    Attachment,
    Category,
    Event,
    MetricsDirtyMonth,
    WorkOrder,
    WorkOrderCoUnit,
)
from banshi.workorders.routing import may_lead
from banshi.workorders.selectors import proof_matches
from banshi.workorders.services.intake import leaf_category
from banshi.workorders.uploads import check_files

CALLBACK_DAYS = 7
MAX_CO_UNITS = 5
MAX_EXTENSION_DAYS = 30


@dataclass
class CoPart:
    """A co-unit's part to update: the row, what must still hold on it, and the new values."""

    link: WorkOrderCoUnit
    guard: dict[str, Any]
    updates: dict[str, Any]


@dataclass
class Change(engine.Change):
    """What a handler decided: the engine's column updates, note, data and after-effects, plus
    what a request's timeline and parts need (a public note, co-units, a co-unit's part, files,
    and the month whose 三率 must be recomputed)."""

    public: bool = False
    public_note: str = ""
    co_units: list[OrgUnit] | None = None
    co_part: CoPart | None = None
    files: list[Any] = field(default_factory=list)
    file_stage: str = ""
    marker: str | None = None  # system actions: a column that must still be NULL (claim)
    dirty_month: bool = False

    def __post_init__(self) -> None:
        if self.marker:
            self.guard[f"{self.marker}__isnull"] = True


Handler = Callable[[WorkOrder, Any, datetime.datetime, dict[str, Any]], Change]
HANDLERS: dict[str, Handler] = {}


def handler(action: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[action] = func
        return func

    return register


# --- permission -------------------------------------------------------------------------------


def co_parts(
    actor: Any, order: WorkOrder, action: str, *, ready: bool = False
) -> list[WorkOrderCoUnit]:
    """The co-unit parts of ``order`` on which ``actor`` holds ``action``: the units it may
    answer for as a co-unit; with ``ready``, only the parts where the action can run now (a part
    signs once, and sends its opinion after signing). The one rule shared by the service and the
    pages' action lists."""
    perm = f"workorder.{action}"
    links = order.co_unit_links.select_related("unit").order_by("id")
    parts = [link for link in links if can(actor, perm, link.unit)]
    if ready:
        parts = [link for link in parts if _co_ready(action, link)]
    return parts


def _co_ready(action: str, link: WorkOrderCoUnit) -> bool:
    if action == "co_sign":
        return link.signed_at is None
    return link.signed_at is not None


def check_permission(actor: Any, order: WorkOrder, action: str) -> None:
    spec = TRANSITIONS[action]
    if spec.side in (Side.SYSTEM, Side.CITIZEN):
        return
    perm = f"workorder.{action}"
    if spec.side == Side.CO_UNIT:
        if not co_parts(actor, order, action):
            raise PermissionDenied(f"只有协办单位可以{spec.label}")
        return
    if spec.side == Side.UNIT:
        target = order.lead_unit
        if target is None or not can(actor, perm, target):
            raise PermissionDenied(f"只有主办单位可以{spec.label}")
        return
    if not can(actor, perm, order):
        raise PermissionDenied(f"您无权{spec.label}")


# --- the lifecycle's hooks on the shared engine ------------------------------------------------


class WorkOrderHooks(engine.Hooks[WorkOrder]):
    """How the engine reads, checks and records a request."""

    @property
    def side_labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in Side.choices}

    def load(self, model: type[WorkOrder], pk: Any) -> WorkOrder:
        return WorkOrder.objects.select_related("org_unit", "lead_unit", "category").get(pk=pk)

    def visible(self, actor: Any, obj: WorkOrder, step: engine.Step) -> bool:
        # Staff act where they can see the request; the system and the citizen's own proof
        # are checked by their steps.
        if step.side not in STAFF_SIDES:
            return True
        return not engine.is_system(actor) and can(actor, "workorder.view", obj)

    def authorize(self, actor: Any, obj: WorkOrder, step: engine.Step, permission: str) -> None:
        check_permission(actor, obj, step.action)

    def invalid_state(self, obj: WorkOrder, step: engine.Step, label: str) -> Exception:
        return ValidationFailed(f"工单当前为“{label}”，不能{step.label}", code="invalid_transition")

    def conflict(self, obj: WorkOrder, step: engine.Step) -> Exception:
        return Conflict("工单已被他人处理或状态已变化，请刷新后重试")

    def record(
        self,
        *,
        before: WorkOrder,
        after: WorkOrder,
        step: engine.Step,
        actor: Any,
        change: engine.Change,
        now: datetime.datetime,
    ) -> None:
        assert isinstance(change, Change)
        staff = engine.person(actor)
        Event.objects.create(
            order=after,
            at=now,
            actor=staff,
            side=step.side,
            action=step.action,
            from_status=before.status,
            to_status=after.status,
            note=change.note,
            data=change.data,
            public=change.public,
        )
        if change.public_note:
            Event.objects.create(
                order=after,
                at=now,
                actor=None,
                side=step.side,
                action=f"{step.action}_public",
                from_status=before.status,
                to_status=after.status,
                note=change.public_note,
                public=True,
            )
        if change.co_part is not None:
            part = change.co_part
            claimed = WorkOrderCoUnit.objects.filter(pk=part.link.pk, **part.guard).update(
                **part.updates
            )
            if not claimed:
                raise Conflict("协办任务已被他人处理，请刷新后重试")
        if change.co_units is not None:
            WorkOrderCoUnit.objects.filter(order=after).delete()
            WorkOrderCoUnit.objects.bulk_create(
                [WorkOrderCoUnit(order=after, unit=u) for u in change.co_units]
            )
        for checked in change.files:
            Attachment.objects.create(
                order=after,
                stage=change.file_stage,
                file=checked.upload,
                content_type=checked.content_type,
                size=checked.size,
                original_name=checked.name,
            )
        if change.dirty_month and after.dispatched_at is not None:
            month = timezone.localtime(after.dispatched_at).date().replace(day=1)
            MetricsDirtyMonth.objects.get_or_create(month=month)


# --- the transition -----------------------------------------------------------------------------


def transition(
    *,
    actor: Any,
    order: WorkOrder,
    action: str,
    data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> WorkOrder:
    """A request's step on the shared engine (``banshi.workflow.engine.transition``);
    ``expected_version`` is the version the person's form or ``If-Match`` header carried."""
    if action not in TRANSITIONS or action not in HANDLERS:
        raise ValidationFailed("未知的操作", code="unknown_action")
    return engine.transition(
        actor=actor,
        obj=order,
        action=action,
        data=data,
        now=now,
        expected_version=expected_version,
    )


# --- helpers for handlers -----------------------------------------------------------------------


def _text(
    data: dict[str, Any], key: str, label: str, max_length: int = 2000, required: bool = True
) -> str:
    return clean_text(data.get(key, ""), field=label, max_length=max_length, required=required)


def _bool(data: dict[str, Any], key: str, label: str) -> bool:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    if str(value).lower() in {"1", "true", "yes", "on", "是"}:
        return True
    if str(value).lower() in {"0", "false", "no", "off", "否"}:
        return False
    raise ValidationFailed(f"请选择{label}", code="required")


def _choice(data: dict[str, Any], key: str, choices: Any, label: str) -> str:
    value = str(data.get(key, ""))
    if value not in choices.values or not value:
        raise ValidationFailed(f"{label}无效", code="invalid_choice")
    return value


def _files(data: dict[str, Any]) -> list[Any]:
    files: list[UploadedFile] = list(data.pop("files", []) or [])
    return check_files(files)


def _unit(actor: Any, value: object, label: str) -> OrgUnit:
    pk = parse_id(value, field=label)
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None or (actor is not None and not can(actor, "workorder.dispatch", unit)):
        raise NotFound(f"{label}不存在或不在您的派单范围内")
    if not may_lead(unit):
        raise ValidationFailed(f"{unit.name}不是可派单的单位", code="not_dispatchable")
    return unit


def handlers_of(unit: OrgUnit) -> list[Any]:
    """Users holding the handler role directly on ``unit``: who gets a unit's messages."""
    return [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(role=Role.HANDLER, org_unit=unit, user__is_active=True)
        .select_related("user")
    ]


def supervisors_over(unit: OrgUnit) -> list[Any]:
    paths = [*unit.ancestor_paths, unit.path]
    return [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(role=Role.SUPERVISOR, org_unit__path__in=paths, user__is_active=True)
        .select_related("user")
    ]


def _tell_unit(
    template: str, key: str, extra: dict[str, Any] | None = None
) -> Callable[[WorkOrder], None]:
    def effect(order: WorkOrder) -> None:
        if order.lead_unit is None:
            return
        context = {
            "number": order.number,
            "title": order.title,
            "unit": order.lead_unit.name,
            "due": timezone.localtime(order.close_due).strftime("%m月%d日 %H:%M")
            if order.close_due
            else "—",
            **(extra or {}),
        }
        for user in handlers_of(order.lead_unit):
            notify(
                channel="inapp",
                template=template,
                recipient=user,
                context=context,
                related=order,
                dedupe_key=f"wo:{order.pk}:{key}:{order.version}:{user.pk}",
            )

    return effect


def _tell_co_units(template: str, key: str) -> Callable[[WorkOrder], None]:
    def effect(order: WorkOrder) -> None:
        for link in order.co_unit_links.select_related("unit"):
            context = {
                "number": order.number,
                "title": order.title,
                "unit": link.unit.name,
                "lead": order.lead_unit.name if order.lead_unit else "—",
            }
            for user in handlers_of(link.unit):
                notify(
                    channel="inapp",
                    template=template,
                    recipient=user,
                    context=context,
                    related=order,
                    dedupe_key=f"wo:{order.pk}:{key}:{order.version}:{user.pk}",
                )

    return effect


def _tell_citizen(template: str, key: str) -> Callable[[WorkOrder], None]:
    def effect(order: WorkOrder) -> None:
        if order.caller_phone.startswith("1"):
            notify(
                channel="sms",
                template=template,
                address=order.caller_phone,
                context={"number": order.number, "code": order.tracking_code},
                related=order,
                dedupe_key=f"wo:{order.pk}:{key}:{order.version}",
            )

    return effect


def _dispatch_updates(
    order: WorkOrder, lead: OrgUnit, now: datetime.datetime, *, first: bool
) -> dict[str, Any]:
    limits = clock.limits_for(order.kind, order.urgency, lead.level)
    updates: dict[str, Any] = {
        "lead_unit": lead,
        "dispatched_at": now if first else order.dispatched_at,
        "sign_due": clock.after(now, limits.sign),
        "contact_due": clock.after(now, limits.contact),
        "signed_at": None,
        "contacted_at": None,
    }
    if first or order.close_due is None:
        close_due = clock.after(now, limits.close)
        updates["close_due"] = close_due
        updates["near_due_at"] = clock.near_due(now, close_due)
    return updates


# --- handlers -----------------------------------------------------------------------------------


@handler("answer")
def _answer(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填答复内容；记办结时间，公开答复；短信告知来电人"""
    text = _text(data, "answer", "答复内容")
    return Change(
        {"answer_text": text, "closed_at": now},
        note=text,
        public=True,
        after=[_tell_citizen("workorder.answered", "answered")],
    )


@handler("invalidate")
def _invalidate(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须选不予受理原因；记办结时间，公开原因"""
    reason = _choice(data, "reason", InvalidReason, "不予受理原因")
    note = _text(data, "note", "说明", required=False)
    return Change(
        {"invalid_reason": reason, "closed_at": now},
        note=note,
        data={"reason": reason},
        public_note=f"不予受理：{InvalidReason(reason).label}",
    )


@handler("merge")
def _merge(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须指明可见范围内另一件未并单、未不予受理的工单；记并入的主单"""
    target_ref = str(data.get("parent", "")).strip()
    parent = (
        WorkOrder.objects.for_user(actor, "workorder.view").filter(number=target_ref[:20]).first()
    )
    if parent is None and is_digits(target_ref) and len(target_ref) <= 18:
        parent = (
            WorkOrder.objects.for_user(actor, "workorder.view").filter(pk=int(target_ref)).first()
        )
    if parent is None:
        raise NotFound("要并入的工单不存在")
    if parent.pk == order.pk:
        raise ValidationFailed("不能并入自身", code="merge_self")
    if parent.status in {Status.MERGED, Status.INVALID}:
        raise ValidationFailed("目标工单已并单或不予受理", code="merge_target_closed")
    return Change(
        {"parent": parent, "closed_at": now},
        data={"parent": parent.number},
        public_note=f"已与工单 {parent.number} 合并办理",
    )


@handler("queue")
def _queue(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """可填说明"""
    return Change(note=_text(data, "note", "说明", required=False))


def _observed(actor: Any, action: str, before: Category) -> Callable[[WorkOrder], None]:
    """Tell the apps watching dispatch decisions (the dispatch assistant records what the
    dispatcher chose against what it suggested) inside this transaction."""

    def effect(order: WorkOrder) -> None:
        extras.dispatched(actor=actor, order=order, action=action, category_before=before)

    return effect


@handler("dispatch")
def _dispatch(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """主办单位须在派单范围内且可承办（协办最多5个）；可改分类；按时限表计签收、联系、办结时限；通知主办、协办单位，记录派单建议是否采纳"""
    lead = _unit(actor, data.get("lead_unit"), "主办单位")
    raw = data.get("co_units") or []
    if not isinstance(raw, list) or len(raw) > MAX_CO_UNITS:
        raise ValidationFailed(f"协办单位最多{MAX_CO_UNITS}个", code="too_many_co_units")
    co = [_unit(actor, u, "协办单位") for u in raw]
    co = [u for u in dict.fromkeys(co) if u.pk != lead.pk]
    note = _text(data, "note", "派单说明", required=False)
    updates = _dispatch_updates(order, lead, now, first=True)
    event = {"lead_unit": lead.name, "co_units": [u.name for u in co]}
    # The dispatcher may correct the category the request was recorded under (the category
    # finally kept is what the dispatch assistant learns from).
    if str(data.get("category") or "").strip():
        category = leaf_category(data["category"])
        if category.pk != order.category_id:
            updates["category"] = category
            event.update(category_from=order.category.full_name, category_to=category.full_name)
            changed = f"分类由“{order.category.name}”改为“{category.name}”"
            note = f"{note}\n{changed}" if note else changed
    return Change(
        updates,
        note=note,
        co_units=co,
        data=event,
        public_note=f"已转交{lead.name}办理",
        after=[
            _tell_unit("workorder.dispatched", "dispatch"),
            _tell_co_units("workorder.co_dispatched", "co_dispatch"),
            _observed(actor, "dispatch", order.category),
        ],
    )


@handler("sign")
def _sign(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """记签收时间；公开“已签收”"""
    return Change(
        {"signed_at": now}, public_note=f"{order.lead_unit.name if order.lead_unit else ''}已签收"
    )


@handler("request_return")
def _request_return(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须填退单理由，可附材料；退单次数加一"""
    reason = _text(data, "reason", "退单理由", max_length=1000)
    files = _files(data)
    return Change(
        {"return_count": F("return_count") + 1},
        note=reason,
        files=files,
        file_stage=Attachment.Stage.RETURN,
        data={"unit": order.lead_unit.name if order.lead_unit else ""},
    )


@handler("redispatch")
def _redispatch(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """新主办单位须在派单范围内且不同于原单位；重算时限（办结时限不变）；通知新单位"""
    lead = _unit(actor, data.get("lead_unit"), "主办单位")
    if order.lead_unit_id == lead.pk:
        raise ValidationFailed("改派单位不能与原主办单位相同", code="same_unit")
    note = _text(data, "note", "改派说明", required=False)
    return Change(
        _dispatch_updates(order, lead, now, first=False),
        note=note,
        data={"from": order.lead_unit.name if order.lead_unit else "", "lead_unit": lead.name},
        public_note=f"已改派{lead.name}办理",
        after=[
            _tell_unit("workorder.dispatched", "redispatch"),
            _observed(actor, "redispatch", order.category),
        ],
    )


@handler("refuse_return")
def _refuse_return(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须填审定意见；通知主办单位"""
    ruling = _text(data, "note", "审定意见", max_length=1000)
    return Change(
        {"signed_at": order.signed_at or now},
        note=ruling,
        after=[_tell_unit("workorder.return_refused", "refuse_return", {"ruling": ruling})],
    )


@handler("contact")
def _contact(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填联系情况；记先行联系时间，公开"""
    note = _text(data, "note", "联系情况", max_length=1000)
    return Change({"contacted_at": now}, note=note, public_note="承办单位已与您联系，正在办理")


@handler("request_extension")
def _request_extension(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """无待审批的延期；1至30个工作日，须填理由"""
    if order.extension_requested_days:
        raise ValidationFailed("已有待审批的延期申请", code="extension_pending")
    try:
        days = int(str(data.get("days", "")))
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationFailed(f"延期天数应为1至{MAX_EXTENSION_DAYS}个工作日", code="invalid_days")
    reason = _text(data, "reason", "延期理由", max_length=500)
    return Change(
        {"extension_requested_days": days, "extension_reason": reason},
        note=reason,
        data={"days": days},
    )


@handler("approve_extension")
def _approve_extension(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须有待审批的延期；办结时限按工作日顺延，到期后重置提醒、超时标记；通知主办单位"""
    days = order.extension_requested_days
    if not days or order.close_due is None:
        raise ValidationFailed("没有待审批的延期申请", code="no_extension")
    from banshi.core.calendar import add_working_days

    new_due = add_working_days(order.close_due, days)
    updates: dict[str, Any] = {
        "close_due": new_due,
        "near_due_at": clock.near_due(order.dispatched_at or now, new_due),
        "extended_days": F("extended_days") + days,
        "extension_requested_days": 0,
    }
    if new_due > now:
        updates.update(overdue_at=None, reminded_at=None, auto_urged_at=None, escalated_at=None)
    return Change(
        updates,
        note=_text(data, "note", "审批意见", required=False),
        data={"days": days, "close_due": new_due.isoformat()},
        public_note=f"办理期限延长{days}个工作日",
        after=[_tell_unit("workorder.extension_decided", "ext_ok", {"result": "已批准"})],
    )


@handler("refuse_extension")
def _refuse_extension(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须有待审批的延期，须填理由；通知主办单位"""
    if not order.extension_requested_days:
        raise ValidationFailed("没有待审批的延期申请", code="no_extension")
    note = _text(data, "note", "驳回理由", max_length=500)
    return Change(
        {"extension_requested_days": 0},
        note=note,
        after=[_tell_unit("workorder.extension_decided", "ext_no", {"result": "未批准"})],
    )


@handler("reply")
def _reply(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填办理结果和是否解决，可附材料；记答复时间"""
    result = _text(data, "result", "办理结果", max_length=4000)
    solved = _bool(data, "solved", "是否已解决")
    files = _files(data)
    return Change(
        {"reply_text": result, "reply_solved": solved, "replied_at": now},
        note=result,
        data={"solved": solved},
        files=files,
        file_stage=Attachment.Stage.REPLY,
        public_note="承办单位已答复，待审核",
    )


@handler("audit_pass")
def _audit_pass(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """记审核时间和回访期限（7日）；公开办理结果；短信邀请评价"""
    return Change(
        {"audited_at": now, "callback_due": now + datetime.timedelta(days=CALLBACK_DAYS)},
        note=_text(data, "note", "审核意见", required=False),
        public=False,
        public_note=f"办理结果：{order.reply_text[:500]}",
        after=[_tell_citizen("workorder.rate_invite", "rate_invite")],
    )


@handler("audit_reject")
def _audit_reject(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须填退回理由；清除答复时间；通知主办单位"""
    note = _text(data, "note", "退回理由", max_length=1000)
    return Change(
        {"replied_at": None},
        note=note,
        after=[_tell_unit("workorder.audit_rejected", "audit_reject", {"reason": note})],
    )


def _rating(data: dict[str, Any]) -> tuple[str, str, str]:
    resolution = _choice(data, "resolution", Resolution, "解决情况")
    satisfaction = _choice(data, "satisfaction", Satisfaction, "满意度")
    comment = _text(data, "comment", "评价意见", max_length=500, required=False)
    return resolution, satisfaction, comment


@handler("callback")
def _callback(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """回访结果（解决情况、满意度）或未接通；办结归档；三率重算该月"""
    if data.get("unreachable") in (True, "1", "true", "on"):
        return Change(
            {"unreachable": True, "closed_at": now},
            note="回访未接通，按规定办结",
            public_note="工单已办结归档",
            dirty_month=True,
        )
    resolution, satisfaction, comment = _rating(data)
    return Change(
        {
            "resolution": resolution,
            "satisfaction": satisfaction,
            "rating_comment": comment,
            "rated_by": Side.CENTRE,
            "closed_at": now,
        },
        note=comment,
        data={"resolution": resolution, "satisfaction": satisfaction},
        public_note="回访完成，工单已办结归档",
        dirty_month=True,
    )


@handler("rate")
def _rate(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """来电人凭号码后四位或查询码评价；办结归档；三率重算该月"""
    resolution, satisfaction, comment = _rating(data)
    return Change(
        {
            "resolution": resolution,
            "satisfaction": satisfaction,
            "rating_comment": comment,
            "rated_by": Side.CITIZEN,
            "closed_at": now,
        },
        note=comment,
        data={"resolution": resolution, "satisfaction": satisfaction},
        public_note=f"感谢您的评价：{Satisfaction(satisfaction).label}",
        dirty_month=True,
    )


@handler("auto_rate")
def _auto_rate(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """回访期满未评价：视为基本满意；办结归档；三率重算该月"""
    resolution = Resolution.SOLVED if order.reply_solved else Resolution.PARTLY
    return Change(
        {
            "resolution": resolution,
            "satisfaction": Satisfaction.BASIC,
            "rated_by": Side.SYSTEM,
            "closed_at": now,
        },
        note=f"{CALLBACK_DAYS}日内未评价，视为基本满意",
        dirty_month=True,
        public_note="逾期未评价，视为基本满意，工单已办结归档",
    )


@handler("reopen")
def _reopen(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填重办理由；清除答复、评价，重算办结时限；重办次数加一；通知主办单位"""
    note = _text(data, "note", "重办理由", max_length=1000)
    limits = clock.limits_for(
        order.kind, order.urgency, order.lead_unit.level if order.lead_unit else ""
    )
    close_due = clock.after(now, limits.close)
    return Change(
        {
            "reopen_count": F("reopen_count") + 1,
            "replied_at": None,
            "audited_at": None,
            "closed_at": None,
            "callback_due": None,
            "resolution": "",
            "satisfaction": "",
            "rated_by": "",
            "unreachable": False,
            "close_due": close_due,
            "near_due_at": clock.near_due(now, close_due),
            "overdue_at": None,
            "reminded_at": None,
            "auto_urged_at": None,
            "escalated_at": None,
        },
        note=note,
        public_note="工单重新办理",
        dirty_month=True,
        after=[_tell_unit("workorder.reopened", "reopen", {"reason": note})],
    )


@handler("urge")
def _urge(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填催办意见；催办次数加一；通知主办单位"""
    note = _text(data, "note", "催办意见", max_length=500)
    return Change(
        {"urge_count": F("urge_count") + 1},
        note=note,
        after=[_tell_unit("workorder.urged", "urge", {"note": note})],
    )


@handler("supervise")
def _supervise(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须填督办意见和晚于现在的督办时限；通知主办单位"""
    note = _text(data, "note", "督办意见", max_length=1000)
    due = data.get("due")
    if isinstance(due, str):
        try:
            due = datetime.datetime.fromisoformat(due)
        except ValueError:
            due = None
    if not isinstance(due, datetime.datetime):
        raise ValidationFailed("请填写督办时限", code="invalid_due")
    if due.tzinfo is None:
        due = timezone.make_aware(due)
    if due <= now:
        raise ValidationFailed("督办时限必须晚于现在", code="invalid_due")
    return Change(
        {"supervised": True, "supervise_due": due},
        note=note,
        data={"due": due.isoformat()},
        after=[
            _tell_unit(
                "workorder.supervised",
                "supervise",
                {"note": note, "supervise_due": timezone.localtime(due).strftime("%m月%d日 %H:%M")},
            )
        ],
    )


@handler("instruct")
def _instruct(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填批示内容；通知主办单位"""
    text = _text(data, "instruction", "批示内容", max_length=1000)
    return Change(
        {"leader_instruction": text},
        note=text,
        after=[_tell_unit("workorder.instructed", "instruct", {"instruction": text})],
    )


@handler("appeal")
def _appeal(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """未申诉过，须填申诉理由"""
    if order.appeal_status:
        raise ValidationFailed("该工单已申诉", code="already_appealed")
    reason = _text(data, "reason", "申诉理由", max_length=500)
    return Change({"appeal_status": AppealStatus.PENDING, "appeal_reason": reason}, note=reason)


@handler("rule_appeal")
def _rule_appeal(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """须有待审定的申诉；成立则不计分，三率重算该月"""
    if order.appeal_status != AppealStatus.PENDING:
        raise ValidationFailed("没有待审定的申诉", code="no_appeal")
    approved = _bool(data, "approved", "审定结果")
    status = AppealStatus.APPROVED if approved else AppealStatus.REFUSED
    return Change(
        {"appeal_status": status},
        note=_text(data, "note", "审定意见", required=False),
        data={"approved": approved},
        dirty_month=True,
    )


@handler("note")
def _note(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """须填备注"""
    return Change(note=_text(data, "note", "备注", max_length=2000))


# --- a co-unit's part ----------------------------------------------------------------------------


def _co_part(order: WorkOrder, actor: Any, action: str, data: dict[str, Any]) -> WorkOrderCoUnit:
    """The part the actor answers for: the one named by ``unit``, else its only part where the
    action can run now (or its only part, so the refusal names it)."""
    parts = co_parts(actor, order, action)
    ref = str(data.get("unit", "") or "").strip()
    if ref:
        pk = parse_id(ref, field="协办单位")
        parts = [link for link in parts if link.unit_id == pk]
        if not parts:
            raise NotFound("协办单位不存在或不在您的管辖范围内")
    ready = [link for link in parts if _co_ready(action, link)]
    if len(ready) > 1:
        raise ValidationFailed("您可代表多个协办单位，请选择协办单位", code="co_unit_required")
    return (ready or parts)[0]


@handler("co_sign")
def _co_sign(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """本协办单位尚未签收；记协办签收时间"""
    link = _co_part(order, actor, "co_sign", data)
    if link.signed_at is not None:
        raise ValidationFailed(f"{link.unit.name}已签收协办任务", code="co_already_signed")
    return Change(
        co_part=CoPart(link, {"signed_at__isnull": True}, {"signed_at": now}),
        note=f"{link.unit.name}签收协办任务",
        data={"unit": link.unit.name, "unit_id": link.unit_id},
    )


@handler("co_reply")
def _co_reply(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """本协办单位已签收，须填协办意见；通知主办单位"""
    link = _co_part(order, actor, "co_reply", data)
    if link.signed_at is None:
        raise ValidationFailed(f"{link.unit.name}尚未签收协办任务", code="co_not_signed")
    opinion = _text(data, "opinion", "协办意见", max_length=2000)
    # The guard is the part as read: a second opinion written meanwhile makes this one conflict.
    guard = {"opinion_at": link.opinion_at} if link.opinion_at else {"opinion_at__isnull": True}
    return Change(
        co_part=CoPart(link, guard, {"opinion": opinion, "opinion_at": now}),
        note=opinion,
        data={"unit": link.unit.name, "unit_id": link.unit_id},
        after=[
            _tell_unit("workorder.co_replied", f"co_reply:{link.unit_id}", {"co": link.unit.name})
        ],
    )


# --- system actions (the scheduler) ------------------------------------------------------------


@handler("remind")
def _remind(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """尚未提醒（同一工单只提醒一次）；通知主办单位"""
    return Change(
        {"reminded_at": now},
        marker="reminded_at",
        note="办理期限临近",
        after=[_tell_unit("workorder.near_due", "remind")],
    )


@handler("mark_overdue")
def _mark_overdue(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """尚未标记超时；通知主办单位"""
    return Change(
        {"overdue_at": now},
        marker="overdue_at",
        note="已超过办结时限",
        after=[_tell_unit("workorder.overdue", "overdue")],
    )


@handler("auto_urge")
def _auto_urge(
    order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """尚未自动催办；催办次数加一；通知主办单位"""
    return Change(
        {"auto_urged_at": now, "urge_count": F("urge_count") + 1},
        marker="auto_urged_at",
        note="超时次日自动催办",
        after=[_tell_unit("workorder.urged", "auto_urge", {"note": "超时未办结，系统自动催办"})],
    )


@handler("escalate")
def _escalate(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """尚未通报；通知上级督查员"""

    def tell_supervisors(fresh: WorkOrder) -> None:
        unit = fresh.lead_unit or fresh.org_unit
        for user in supervisors_over(unit):
            notify(
                channel="inapp",
                template="workorder.escalated",
                recipient=user,
                context={"number": fresh.number, "unit": unit.name, "days": data.get("days", 5)},
                related=fresh,
                dedupe_key=f"wo:{fresh.pk}:escalate:{user.pk}",
            )

    return Change(
        {"escalated_at": now},
        marker="escalated_at",
        note=f"超时超过{data.get('days', 5)}个工作日，予以通报",
        after=[tell_supervisors],
    )


@handler("mark_hot")
def _mark_hot(order: WorkOrder, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Change:
    """尚未标记热点；标记热点（进入未诉先办的候选）"""
    repeats = data.get("repeats")
    return Change(
        {"hot": True},
        guard={"hot": False},
        note=f"同一地点同类诉求30日内{repeats}次，标记为热点" if repeats else "标记为热点",
        data={"repeats": repeats} if repeats else {},
    )


def rate_by_citizen(
    *, order: WorkOrder, proof: str, data: dict[str, Any], now: datetime.datetime | None = None
) -> WorkOrder:
    """The citizen's own rating from the tracking page; ``proof`` is the last four digits of the
    phone or the tracking code, checked again here so the service stands on its own."""
    if not proof_matches(order, proof):
        raise NotFound("工单编号或验证信息不正确")
    return transition(actor=None, order=order, action="rate", data=data, now=now)


LIFECYCLE = engine.register(
    engine.Lifecycle(
        name="workorder",
        title="诉求工单",
        model=WorkOrder,
        states=Status,
        steps=TRANSITIONS.values(),
        guards=HANDLERS,
        hooks=WorkOrderHooks(),
    )
)
