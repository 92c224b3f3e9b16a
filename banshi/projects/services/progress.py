"""Progress reports: draft → submitted → returned or approved. Only approved reports move the
project's progress, funds and milestones, and only those count for the lag colour."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core import versions
from banshi.core.errors import Conflict, ValidationFailed
from banshi.core.validation import clean_text, parse_id
from banshi.projects.choices import AttachmentKind, ReportStatus, Status
from banshi.projects.inputs import parse_amount, parse_date, parse_int
from banshi.projects.models import Milestone, ProgressReport, Project
from banshi.projects.notifications import tell_user
from banshi.projects.permissions import require_project
from banshi.projects.services.attachments import attachment_add
from banshi.projects.services.ledger import add_event
from banshi.projects.uploads import check_upload

REPORTABLE = frozenset({Status.IN_PROGRESS})


def _clean(
    project: Project,
    *,
    report_date: Any,
    text: Any,
    percent: Any,
    funds_spent: Any,
    milestone_ids: list[Any],
    today: datetime.date,
) -> dict[str, Any]:
    day = parse_date(report_date, field="进展日期")
    assert day is not None
    if day > today:
        raise ValidationFailed("进展日期不能晚于今天", code="future_date")
    if day < project.start_date:
        raise ValidationFailed("进展日期不能早于项目开始时间", code="before_start")
    number = parse_int(percent, field="累计完成进度", low=0, high=100)
    if number < project.progress_percent:
        raise ValidationFailed(
            f"累计完成进度不能低于已审核的{project.progress_percent}%", code="progress_backwards"
        )
    milestones: list[Milestone] = []
    for raw in milestone_ids:
        pk = parse_id(raw, field="节点编号")
        milestone = project.milestones.filter(pk=pk, completed_on__isnull=True).first()
        if milestone is None:
            raise ValidationFailed("所选节点不属于本项目或已完成", code="invalid_milestone")
        milestones.append(milestone)
    return {
        "report_date": day,
        "text": clean_text(text, field="进展情况", max_length=5000),
        "percent": number,
        "funds_spent": parse_amount(funds_spent, field="累计完成投资"),
        "milestones": milestones,
    }


@transaction.atomic
def report_create(
    *,
    actor: Any,
    project: Project,
    report_date: Any,
    text: Any,
    percent: Any,
    funds_spent: Any,
    milestone_ids: list[Any] | None = None,
    submit: bool = False,
    photos: list[Any] | None = None,
    today: datetime.date | None = None,
) -> ProgressReport:
    """A dated progress entry with its photos, saved as a draft or submitted at once."""
    require_project(actor, "project.report", project)
    if project.status not in REPORTABLE:
        raise ValidationFailed("只有推进中的项目可以填报进展", code="invalid_status")
    data = _clean(
        project,
        report_date=report_date,
        text=text,
        percent=percent,
        funds_spent=funds_spent,
        milestone_ids=milestone_ids or [],
        today=today or timezone.localdate(),
    )
    milestones = data.pop("milestones")
    for photo in photos or []:  # check every file before anything is written
        check_upload(photo, images_only=True)
    now = timezone.now()
    report = ProgressReport.objects.create(
        project=project,
        author=actor,
        status=ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT,
        submitted_at=now if submit else None,
        **data,
    )
    report.completed_milestones.set(milestones)
    for photo in photos or []:
        attachment_add(
            actor=actor,
            project=project,
            kind=AttachmentKind.PROGRESS_PHOTO,
            uploaded=photo,
            report=report,
        )
    if submit:
        add_event(
            project,
            actor=actor,
            action="report_submit",
            label="报送进展",
            note=f"{report.percent}%",
        )
    record_change(
        actor=actor, action="report.create", obj=report, before=None, after=snapshot(report)
    )
    return report


@transaction.atomic
def report_update(
    *,
    actor: Any,
    report: ProgressReport,
    report_date: Any,
    text: Any,
    percent: Any,
    funds_spent: Any,
    milestone_ids: list[Any] | None = None,
    today: datetime.date | None = None,
    expected_version: int | None = None,
) -> ProgressReport:
    """Edit a draft or returned report; ``expected_version`` (the version the form carried) makes
    a save over someone else's a ``stale_version`` conflict instead of a lost update."""
    project = report.project
    require_project(actor, "project.report", project)
    versions.check_version(ProgressReport, report.pk, expected_version)
    data = _clean(
        project,
        report_date=report_date,
        text=text,
        percent=percent,
        funds_spent=funds_spent,
        milestone_ids=milestone_ids or [],
        today=today or timezone.localdate(),
    )
    milestones = data.pop("milestones")
    before = snapshot(report)
    updated = versions.write(
        ProgressReport,
        report.pk,
        expected_version,
        guard={"status__in": [ReportStatus.DRAFT, ReportStatus.RETURNED]},
        **data,
    )
    if not updated:
        raise Conflict("只有草稿或被退回的进展可以修改", code="invalid_transition")
    report.refresh_from_db()
    report.completed_milestones.set(milestones)
    record_change(
        actor=actor, action="report.update", obj=report, before=before, after=snapshot(report)
    )
    return report


@transaction.atomic
def report_submit(*, actor: Any, report: ProgressReport) -> ProgressReport:
    project = report.project
    require_project(actor, "project.report", project)
    if project.status not in REPORTABLE:
        raise ValidationFailed("只有推进中的项目可以报送进展", code="invalid_status")
    now = timezone.now()
    updated = versions.write(
        ProgressReport,
        report.pk,
        None,
        guard={"status__in": [ReportStatus.DRAFT, ReportStatus.RETURNED]},
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
    )
    if not updated:
        raise Conflict("该进展已报送或已审核", code="invalid_transition")
    report.refresh_from_db()
    add_event(
        project, actor=actor, action="report_submit", label="报送进展", note=f"{report.percent}%"
    )
    record_change(
        actor=actor, action="report.submit", obj=report, before=None, after=snapshot(report)
    )
    return report


@transaction.atomic
def report_review(
    *, actor: Any, report: ProgressReport, approve: bool, note: str = ""
) -> ProgressReport:
    """The supervising level approves (it counts from now on) or returns a submitted report."""
    project = report.project
    require_project(actor, "project.supervise", project)
    note = clean_text(note, field="审核意见", max_length=500, required=not approve)
    now = timezone.now()
    target = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    updated = versions.write(
        ProgressReport,
        report.pk,
        None,
        guard={"status": ReportStatus.SUBMITTED},
        status=target,
        reviewed_by=actor,
        reviewed_at=now,
        review_note=note,
    )
    if not updated:
        raise Conflict("该进展不在待审核状态，可能已被他人审核", code="invalid_transition")
    report.refresh_from_db()
    before = snapshot(project)
    if approve:
        # Each update is conditional, so an older report approved after a newer one never moves
        # progress, funds or the last report date backwards.
        # Every write to the project moves its version, so an edit form opened before is stale.
        bump = {"version": F("version") + 1, "updated_at": now}
        Project.objects.filter(pk=project.pk, progress_percent__lte=report.percent).update(
            progress_percent=report.percent, **bump
        )
        latest = Project.objects.filter(pk=project.pk)
        latest.filter(last_approved_report_on__isnull=True).update(
            last_approved_report_on=report.report_date, funds_spent=report.funds_spent, **bump
        )
        latest.filter(last_approved_report_on__lte=report.report_date).update(
            last_approved_report_on=report.report_date, funds_spent=report.funds_spent, **bump
        )
        for milestone in report.completed_milestones.filter(completed_on__isnull=True):
            Milestone.objects.filter(pk=milestone.pk, completed_on__isnull=True).update(
                completed_on=report.report_date
            )
        project.refresh_from_db()
        add_event(
            project,
            actor=actor,
            action="report_approve",
            label="审核通过进展",
            note=f"{report.report_date:%Y-%m-%d} 累计{report.percent}%{'；' + note if note else ''}",
        )
    else:
        add_event(project, actor=actor, action="report_return", label="退回进展", note=note)
        tell_user(
            report.author,
            "projects.report_returned",
            {"name": project.name, "date": f"{report.report_date:%Y-%m-%d}", "note": note},
            project,
        )
    record_change(
        actor=actor,
        action="report.approve" if approve else "report.return",
        obj=report,
        before={"project": before},
        after={"report": snapshot(report), "project": snapshot(project)},
    )
    return report
