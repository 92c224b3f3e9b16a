"""Deadline changes (时限调整): once a project is approved its deadline moves only by a request
(the lead unit or the approving level) that the approving level decides."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core import versions
from banshi.core.errors import Conflict, ValidationFailed
from banshi.core.validation import clean_text
from banshi.projects.choices import ACTIVE_STATUSES, DeadlineChangeStatus
from banshi.projects.inputs import parse_date
from banshi.projects.models import DeadlineChange, Project
from banshi.projects.permissions import can_project, require_project
from banshi.projects.services.ledger import add_event


@transaction.atomic
def deadline_change_request(
    *, actor: Any, project: Project, new_deadline: Any, reason: str
) -> DeadlineChange:
    if actor is not None and not can_project(actor, "project.approve", project):
        require_project(actor, "project.report", project)
    if project.status not in ACTIVE_STATUSES:
        raise ValidationFailed("只有已立项且未销号的项目可以调整时限", code="invalid_status")
    day = parse_date(new_deadline, field="新完成时限")
    assert day is not None
    reason = clean_text(reason, field="调整理由", max_length=2000)
    if day == project.deadline:
        raise ValidationFailed("新完成时限与原时限相同", code="unchanged")
    if day < project.start_date:
        raise ValidationFailed("完成时限不能早于开始时间", code="deadline_before_start")
    if DeadlineChange.objects.filter(project=project, status=DeadlineChangeStatus.PENDING).exists():
        raise ValidationFailed("已有一项待审批的时限调整申请", code="pending_exists")
    change = DeadlineChange.objects.create(
        project=project,
        old_deadline=project.deadline,
        new_deadline=day,
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    add_event(
        project,
        actor=actor,
        action="deadline_request",
        label="申请调整完成时限",
        note=f"{project.deadline:%Y-%m-%d} → {day:%Y-%m-%d}：{reason}",
    )
    record_change(
        actor=actor,
        action="project.deadline_request",
        obj=change,
        before=None,
        after=snapshot(change),
    )
    return change


@transaction.atomic
def deadline_change_decide(
    *, actor: Any, change: DeadlineChange, approve: bool, note: str = ""
) -> DeadlineChange:
    project = change.project
    require_project(actor, "project.approve", project)
    note = clean_text(note, field="审批意见", max_length=500, required=not approve)
    if (
        approve
        and project.milestones.filter(
            completed_on__isnull=True, planned_date__gt=change.new_deadline
        ).exists()
    ):
        raise ValidationFailed(
            "有未完成节点晚于新的完成时限，请先调整节点计划", code="milestone_outside_project"
        )
    now = timezone.now()
    status = DeadlineChangeStatus.APPROVED if approve else DeadlineChangeStatus.REFUSED
    decided = DeadlineChange.objects.filter(
        pk=change.pk, status=DeadlineChangeStatus.PENDING
    ).update(status=status, decided_by=actor, decided_at=now, decision_note=note)
    if not decided:
        raise Conflict("该申请已被审批", code="already_decided")
    if approve:
        moved = versions.write(
            Project,
            project.pk,
            None,
            guard={"deadline": change.old_deadline},
            deadline=change.new_deadline,
            deadline_change_count=F("deadline_change_count") + 1,
        )
        if not moved:
            raise Conflict("项目完成时限已被他人调整，请刷新后重新申请", code="stale_deadline")
    change.refresh_from_db()
    project.refresh_from_db()
    add_event(
        project,
        actor=actor,
        action="deadline_decide",
        label="批准调整完成时限" if approve else "未批准调整完成时限",
        note=f"{change.old_deadline:%Y-%m-%d} → {change.new_deadline:%Y-%m-%d}{'；' + note if note else ''}",
    )
    record_change(
        actor=actor,
        action="project.deadline_decide",
        obj=change,
        before=None,
        after=snapshot(change),
    )
    return change
