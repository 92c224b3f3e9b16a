"""The volunteer activity's lifecycle on the shared workflow engine:草稿 → 待审核 → 招募中 →
进行中 → 已结束 → 时长已确认 → 已归档 (or 已取消). The table is ``choices.TRANSITIONS``; the
guards below check what each step needs beyond its state (their first docstring line is what
docs/workflows.md prints)."""

from __future__ import annotations

import datetime
from typing import Any

from banshi.core.errors import Conflict, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.validation import clean_text
from banshi.volunteers.choices import (
    CONFIRM,
    ORGANISE,
    TRANSITIONS,
    HoursStatus,
    Side,
    SignUpStatus,
    Status,
)
from banshi.volunteers.models import Activity, ActivityEvent, SignUp
from banshi.volunteers.services.figures import refresh_for_activity
from banshi.workflow import engine


def ready_to_submit(
    obj: Activity, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """岗位与名额、时间、地点和签到范围须齐全，且结束时间未过"""
    if not obj.posts or obj.quota <= 0:
        raise ValidationFailed("请至少设置一个有名额的岗位", code="no_posts")
    if obj.ends_at <= now:
        raise ValidationFailed("活动结束时间已过，请修改时间后再提交", code="activity_past")
    return engine.Change(note=str(data.get("note", ""))[:500])


def reviewer_is_not_author(
    obj: Activity, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """审核人不能是活动发起人"""
    if engine.person(actor) is not None and actor.pk == obj.created_by_id:
        raise PermissionDenied("活动须由发起人以外的人审核", code="self_review")
    return engine.Change(note=str(data.get("note", ""))[:500])


# How early before its start the organiser may open an activity on site (and show the QR code).
START_WINDOW = datetime.timedelta(hours=2)


def on_the_day(
    obj: Activity, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """开始时间前两小时内、结束时间之前才能开始（签到码只在进行中出示）"""
    if now < obj.starts_at - START_WINDOW:
        raise ValidationFailed("活动开始前两小时内才能开始签到", code="too_early")
    if now >= obj.ends_at:
        raise ValidationFailed("活动结束时间已过，不能再开始", code="activity_past")
    return engine.Change()


def with_reason(
    obj: Activity, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """须说明理由"""
    reason = clean_text(data.get("note"), field="理由", max_length=500)
    return engine.Change(note=reason, data={"reason": reason})


def record_beneficiaries(
    obj: Activity, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """可同时填写服务对象人次；未签退者须由组织方更正时间后才计时长"""
    change = engine.Change(note=str(data.get("note", ""))[:500])
    value = data.get("beneficiaries")
    if value not in (None, ""):
        try:
            count = int(str(value))
        except ValueError:
            raise ValidationFailed("服务对象人次须为整数", code="invalid_beneficiaries") from None
        if not 0 <= count <= 100000:
            raise ValidationFailed(
                "服务对象人次须在 0 到 100000 之间", code="invalid_beneficiaries"
            )
        change.updates["beneficiaries"] = count
    return change


def hours_all_settled(
    obj: Activity, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """每位已签退志愿者的时长都已确认，且没有未处理的异议"""
    open_count = SignUp.objects.filter(
        activity=obj,
        status=SignUpStatus.APPROVED,
        hours_status__in=[HoursStatus.PENDING, HoursStatus.DISPUTED],
    ).count()
    if open_count:
        raise Conflict(f"还有{open_count}人的时长未确认或有异议，请先处理", code="hours_open")
    return engine.Change(note=str(data.get("note", ""))[:500])


GUARDS: dict[str, engine.Guard] = {
    "submit": ready_to_submit,
    "approve": reviewer_is_not_author,
    "return": with_reason,
    "start": on_the_day,
    "end": record_beneficiaries,
    "confirm_hours": hours_all_settled,
    "cancel": with_reason,
}


class ActivityHooks(engine.Hooks[Activity]):
    """How the engine reads, checks and records a volunteer activity."""

    event_model = ActivityEvent
    event_owner = "activity"

    @property
    def side_labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in Side.choices}

    def load(self, model: type[Activity], pk: Any) -> Activity:
        return Activity.objects.select_related("org_unit").get(pk=pk)

    def visible(self, actor: Any, obj: Activity, step: engine.Step) -> bool:
        return engine.is_system(actor) or any(
            can(actor, action, obj) for action in ("volunteer.view", ORGANISE, CONFIRM)
        )

    def invalid_state(self, obj: Activity, step: engine.Step, label: str) -> Exception:
        return ValidationFailed(f"活动当前为“{label}”，不能{step.label}", code="invalid_transition")

    def conflict(self, obj: Activity, step: engine.Step) -> Exception:
        return Conflict("活动已被他人处理或状态已变化，请刷新后重试")


# The steps that change what a unit's figures count.
EFFECTS: dict[str, list[engine.Effect]] = {
    action: [refresh_for_activity] for action in ("end", "confirm_hours", "cancel")
}

LIFECYCLE = engine.register(
    engine.Lifecycle(
        name="activity",
        title="志愿服务活动",
        model=Activity,
        states=Status,
        steps=TRANSITIONS.values(),
        guards=GUARDS,
        effects=EFFECTS,
        hooks=ActivityHooks(),
    )
)


def activity_transition(
    *,
    actor: Any,
    activity: Activity,
    action: str,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Activity:
    """Move an activity one step of its lifecycle (the engine checks scope, state, right, guard)."""
    return engine.transition(
        actor=actor,
        obj=activity,
        action=action,
        data=data,
        expected_version=expected_version,
        now=now,
    )
