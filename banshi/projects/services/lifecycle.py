"""The project lifecycle on the shared engine (``banshi.workflow.engine``).

``choices.TRANSITIONS`` is the table (states, who, permission); here each step gets its guard —
what it needs beyond the status and the columns it writes — and its after-effects, and
``ProjectHooks`` tells the engine how a project is read, who sees it, who may act on it, and that
its timeline is ``ProjectEvent``. ``project_transition`` is the service the pages, the API and
the other services call; ``manage.py workflow_table project`` prints the table (docs/workflows.md).
"""

from __future__ import annotations

import datetime
import functools
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core import versions
from banshi.core.errors import Conflict, PermissionDenied, ValidationFailed
from banshi.core.validation import clean_text
from banshi.projects import conf
from banshi.projects.choices import (
    NOTE_REQUIRED,
    TERMINAL_STATUSES,
    TRANSITIONS,
    AttachmentKind,
    ConfirmParty,
    InspectionPurpose,
    Side,
    Status,
)
from banshi.projects.models import Attachment, Inspection, ListEntry, Project
from banshi.projects.notifications import tell_unit, tell_user
from banshi.projects.permissions import can_project, require_project
from banshi.projects.services.ledger import add_event, required_satisfaction, satisfaction
from banshi.projects.services.survey import invite_linked_citizens
from banshi.workflow import engine


def _status_label(value: str) -> str:
    return str(Status(value).label)


def _person(actor: Any) -> Any:
    """``require_project`` takes None for the system."""
    return None if engine.is_system(actor) else actor


def stale_status(project: Project) -> Conflict:
    current = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
    return Conflict(
        f"操作未生效：项目状态已被他人改为「{_status_label(current or project.status)}」，请刷新后重试",
        code="stale_status",
    )


# --- the hooks -----------------------------------------------------------------------------------


class ProjectHooks(engine.Hooks[Project]):
    """How the engine reads, checks and records a project: ``require_project``'s rule (out of
    sight 404, in sight without the right 403; the system passes), ``ProjectEvent`` for the
    timeline and the whole ``snapshot`` for the change record."""

    @property
    def side_labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in Side.choices}

    def load(self, model: type[Project], pk: Any) -> Project:
        return Project.objects.select_related("org_unit", "lead_unit", "lead_leader").get(pk=pk)

    def visible(self, actor: Any, obj: Project, step: engine.Step) -> bool:
        if engine.is_system(actor):
            return True
        return can_project(actor, step.permission or "project.view", obj) or can_project(
            actor, "project.view", obj
        )

    def authorize(self, actor: Any, obj: Project, step: engine.Step, permission: str) -> None:
        if not can_project(actor, permission, obj):
            raise PermissionDenied()

    def invalid_state(self, obj: Project, step: engine.Step, label: str) -> Exception:
        return Conflict(f"项目当前状态为「{label}」，不能{step.label}", code="invalid_transition")

    def conflict(self, obj: Project, step: engine.Step) -> Exception:
        # Lost the compare-and-set: to a step (the status moved) or to an edit (only the version).
        current = Project.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        if current == obj.status:
            return versions.stale_version()
        return stale_status(obj)

    def record(
        self,
        *,
        before: Project,
        after: Project,
        step: engine.Step,
        actor: Any,
        change: engine.Change,
        now: datetime.datetime,
    ) -> None:
        add_event(
            after,
            actor=actor,
            action=step.action,
            label=step.label,
            from_status=before.status,
            to_status=after.status,
            note=change.note,
            at=now,
        )

    def audit(
        self, before: Project, after: Project, change: engine.Change
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        return snapshot(before), snapshot(after)


# --- guards --------------------------------------------------------------------------------------

GUARDS: dict[str, engine.Guard] = {}


def guard(action: str) -> Any:
    """Register the guard of ``action``. Every guard also takes the step's 说明 (required where
    ``NOTE_REQUIRED`` says), stamps ``status_changed_at``, and refuses a caller whose copy of the
    project is older than the row (the status it saw is no longer the status: ``stale_status``)."""

    def register(func: engine.Guard) -> engine.Guard:
        @functools.wraps(func)
        def run(
            project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]
        ) -> engine.Change:
            seen = data.get("seen_status")
            if seen and seen != project.status:
                raise stale_status(project)
            note = clean_text(
                data.get("note", ""),
                field="说明",
                max_length=2000,
                required=action in NOTE_REQUIRED,
            )
            change = func(project, actor, now, data)
            change.note = note
            change.updates.setdefault("status_changed_at", now)
            return change

        GUARDS[action] = run
        return run

    return register


@guard("screen")
def _screen(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """可填说明"""
    return engine.Change()


@guard("merge")
def _merge(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """须填说明，选一个本人可管理、未终结的其他项目；记并入项目"""
    merge_into: Project | None = data.get("merge_into")
    if merge_into is None:
        raise ValidationFailed("请选择要并入的项目", code="required")
    if merge_into.pk == project.pk:
        raise ValidationFailed("不能把项目并入它自己", code="invalid_merge")
    require_project(_person(actor), "project.manage", merge_into)
    if merge_into.status in TERMINAL_STATUSES:
        raise ValidationFailed("不能并入已销号、已取消或已并入的项目", code="invalid_merge")
    return engine.Change(updates={"merged_into": merge_into})


@guard("approve")
def _approve(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """已列入至少一个清单"""
    if not ListEntry.objects.filter(project=project).exists():
        raise ValidationFailed("请先将项目列入至少一个清单再立项", code="not_listed")
    return engine.Change()


@guard("assign")
def _assign(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """已确定牵头领导和责任人；清空双方确认"""
    missing = [
        label
        for label, value in (
            ("牵头领导", project.lead_leader_id),
            ("责任人", project.responsible_person),
        )
        if not value
    ]
    if missing:
        raise ValidationFailed(f"交办前请先确定{'、'.join(missing)}", code="incomplete")
    return engine.Change(updates={"leader_confirmed_at": None, "unit_confirmed_at": None})


@guard("start")
def _start(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """牵头领导和牵头单位都已确认交办；记开始推进日期"""
    return engine.Change(updates={"started_on": timezone.localdate(now)})


@guard("claim")
def _claim(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """须填说明；已审核进度100%且已上传销号佐证；记申请时间，生成测评链接码"""
    if project.progress_percent < 100:
        raise ValidationFailed(
            f"已审核进度为{project.progress_percent}%，须达到100%才能申请销号",
            code="not_complete",
        )
    if not Attachment.objects.filter(project=project, kind=AttachmentKind.EVIDENCE).exists():
        raise ValidationFailed("申请销号须先上传佐证材料（照片或PDF）", code="no_evidence")
    return engine.Change(
        updates={
            "claimed_at": now,
            "survey_token": project.survey_token or secrets.token_urlsafe(16),
        }
    )


@guard("verify")
def _verify(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """申请销号之后有结论为通过的现场验收督查记录；记验收时间"""
    checked = Inspection.objects.filter(
        project=project,
        purpose=InspectionPurpose.VERIFICATION,
        passed=True,
        inspected_at__gte=project.claimed_at or now,
    ).exists()
    if not checked:
        raise ValidationFailed(
            "验收前须录入申请销号之后的现场验收督查记录（结论为通过）", code="no_inspection"
        )
    return engine.Change(updates={"verified_at": now})


@guard("reject")
def _reject(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """须填说明；清除申请销号与验收时间"""
    return engine.Change(updates={"claimed_at": None, "verified_at": None})


@guard("close")
def _close(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """群众评价份数和满意率达到销号要求；记销号时间"""
    count, rate = satisfaction(project)
    needed_count, needed_rate = conf.min_evaluations(), required_satisfaction(project)
    if count < needed_count:
        raise ValidationFailed(
            f"群众评价仅{count}份，销号前至少需要{needed_count}份", code="too_few_evaluations"
        )
    if rate < needed_rate:
        raise ValidationFailed(
            f"群众满意率为{rate:.1%}，低于销号要求的{needed_rate:.0%}",
            code="satisfaction_too_low",
        )
    return engine.Change(updates={"closed_at": now})


@guard("defer")
def _defer(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """须填说明"""
    return engine.Change()


@guard("resume")
def _resume(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """须填说明"""
    return engine.Change()


@guard("cancel")
def _cancel(project: Project, actor: Any, now: datetime.datetime, data: dict[str, Any]) -> Any:
    """须填说明"""
    return engine.Change()


# --- after-effects (messages leave through the notify outbox, after commit) ------------------------


def _context(project: Project) -> dict[str, Any]:
    return {"number": project.number, "name": project.name}


def tell_assigned(project: Project) -> None:
    """通知牵头单位和牵头领导确认交办"""
    leader = project.lead_leader
    ctx = {
        **_context(project),
        "leader": leader.name if leader else "",
        "deadline": f"{project.deadline:%Y-%m-%d}",
    }
    tell_unit(project.lead_unit, "projects.assigned", ctx, project)
    tell_user(leader, "projects.assigned", {**ctx, "unit": leader.name if leader else ""}, project)


def tell_rejected(project: Project) -> None:
    """通知牵头单位退回理由"""
    # The reason is the note of the event the engine has just written for this step.
    note = (
        project.events.filter(action="reject")
        .order_by("-id")
        .values_list("note", flat=True)
        .first()
    )
    tell_unit(project.lead_unit, "projects.rejected", {**_context(project), "note": note}, project)


def invite_on_claim(project: Project) -> None:
    """邀请关联诉求的群众测评"""
    invite_linked_citizens(project, occasion="open")


def announce_closed(project: Project) -> None:
    """邀请关联诉求的群众评价结果；通知牵头领导"""
    invite_linked_citizens(project, occasion="closed")
    tell_user(
        project.lead_leader,
        "projects.closed",
        {**_context(project), "date": f"{timezone.localdate(project.closed_at):%Y-%m-%d}"},
        project,
    )


EFFECTS: dict[str, tuple[engine.Effect, ...]] = {
    "assign": (tell_assigned,),
    "reject": (tell_rejected,),
    "claim": (invite_on_claim,),
    "close": (announce_closed,),
}


LIFECYCLE = engine.register(
    engine.Lifecycle(
        name="project",
        title="实事项目",
        model=Project,
        states=Status,
        steps=TRANSITIONS.values(),
        guards=GUARDS,
        effects=EFFECTS,
        hooks=ProjectHooks(),
    )
)


# --- the services ----------------------------------------------------------------------------------


def project_transition(
    *,
    actor: Any,
    project: Project,
    action: str,
    note: str = "",
    merge_into: Project | None = None,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> Project:
    """Move a project one step along ``TRANSITIONS``, on the shared engine.

    The row is written by compare-and-set on (status, version): of two people acting on the same
    project at once, one wins and the other gets Conflict and reloads — on SQLite and PostgreSQL
    alike, with no row lock. ``project`` is the caller's copy: when its status is no longer the
    row's, the step is refused (``stale_status``) rather than taken on a state the person did not
    see. ``expected_version`` is the version the person's form or ``If-Match`` header carried
    (``stale_version`` when it is old); ``None`` skips that check. ``actor=None`` or
    ``engine.SYSTEM`` is the system. ``project`` is refreshed and returned.
    """
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationFailed("未知的操作", code="invalid_action")
    if step.by_system and not engine.is_system(actor):
        raise PermissionDenied("该步骤由系统在牵头领导和牵头单位都确认后自动完成")
    engine.transition(
        actor=actor,
        obj=project,
        action=action,
        data={"note": note, "merge_into": merge_into, "seen_status": project.status},
        now=now,
        expected_version=expected_version,
    )
    project.refresh_from_db()
    return project


@transaction.atomic
def project_confirm(
    *,
    actor: Any,
    project: Project,
    party: str,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> Project:
    """The lead official or the lead unit confirms an assignment; when both have, the system
    starts it (the engine's ``start`` step)."""
    now = now or timezone.now()
    if party == ConfirmParty.LEADER:
        require_project(actor, "project.lead", project)
        if actor is not None and actor.pk != project.lead_leader_id and not actor.is_superuser:
            raise PermissionDenied("只有本项目的牵头领导可以确认交办")
        column = "leader_confirmed_at"
    elif party == ConfirmParty.UNIT:
        require_project(actor, "project.report", project)
        column = "unit_confirmed_at"
    else:
        raise ValidationFailed("确认方无效", code="invalid_party")
    if project.status != Status.ASSIGNED:
        raise Conflict(
            f"项目当前状态为「{_status_label(project.status)}」，无需确认交办",
            code="invalid_transition",
        )
    updated = versions.write(
        Project,
        project.pk,
        expected_version,
        guard={"status": Status.ASSIGNED, f"{column}__isnull": True},
        **{column: now},
    )
    if not updated:
        raise Conflict("已经确认过，或项目状态已被他人更改，请刷新后查看", code="already_confirmed")
    project.refresh_from_db()
    label = "牵头领导确认交办" if party == ConfirmParty.LEADER else "牵头单位确认交办"
    add_event(project, actor=actor, action=f"confirm_{party}", label=label, at=now)
    record_change(
        actor=actor,
        action=f"project.confirm_{party}",
        obj=project,
        before=None,
        after={column: now},
    )
    if project.leader_confirmed_at and project.unit_confirmed_at:
        project = project_transition(actor=engine.SYSTEM, project=project, action="start", now=now)
    return project
