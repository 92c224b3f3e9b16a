"""Project outputs: a project declares what it adds to an indicator (+600 学位); its 销号 posts
that to the indicator exactly once (one ``Posting`` per project and indicator), and a revoked
sign-off reverses the posting once. The ledger does not import this app: ``hook_project_close``
adds ``post_outputs`` to the project lifecycle's close step when the app is ready."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.audit.services import record_change
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import can
from banshi.core.validation import clean_text
from banshi.indicators.models import Indicator, Posting, ProjectOutput
from banshi.indicators.services.reports import parse_value
from banshi.projects.choices import Status as ProjectStatus
from banshi.projects.models import Project
from banshi.workflow import engine


def output_set(*, actor: Any, project: Project, indicator: Indicator, amount: Any) -> ProjectOutput:
    """Declare (or change) what the project adds to ``indicator``; 0 removes the declaration.
    Only before 销号: a closed project's outputs are already posted."""
    if not engine.is_system(actor):
        if not can(actor, "project.view", project):
            raise NotFound()
        if not can(actor, "project.manage", project):
            raise PermissionDenied("您无权设置该项目的产出", code="not_manager")
    if project.status == ProjectStatus.CLOSED:
        raise ValidationFailed("项目已销号，产出已计入指标，不能再修改", code="project_closed")
    if not indicator.is_active:
        raise ValidationFailed(f"指标“{indicator.name}”已停用", code="inactive_indicator")
    value = parse_value(amount, name=indicator.name)
    with transaction.atomic():
        before = (
            ProjectOutput.objects.filter(project=project, indicator=indicator)
            .values_list("amount", flat=True)
            .first()
        )
        if value == 0:
            ProjectOutput.objects.filter(project=project, indicator=indicator).delete()
            output = ProjectOutput(project=project, indicator=indicator, amount=0)
        else:
            output, _ = ProjectOutput.objects.update_or_create(
                project=project, indicator=indicator, defaults={"amount": value}
            )
        record_change(
            actor=actor,
            action="indicator.output",
            obj=project,
            before={indicator.code: None if before is None else str(before)},
            after={indicator.code: str(value)},
        )
    return output


def _period(moment: datetime.datetime) -> tuple[int, int]:
    day = timezone.localdate(moment)
    return day.year, (day.month - 1) // 3 + 1


def post_outputs(project: Project) -> None:
    """将项目申报的产出计入对应指标（每个项目每项指标只计一次）"""
    moment = project.closed_at or timezone.now()
    year, quarter = _period(moment)
    outputs = ProjectOutput.objects.filter(project=project).select_related("indicator")
    for output in outputs:
        posting, created = Posting.objects.get_or_create(
            project=project,
            indicator=output.indicator,
            defaults={
                "org_unit_id": project.org_unit_id,
                "year": year,
                "quarter": quarter,
                "amount": output.amount,
                "posted_at": moment,
            },
        )
        if created:
            continue
        if posting.reversed_at is not None:
            # Signed off again after a revoked sign-off: the same row counts again, once.
            Posting.objects.filter(pk=posting.pk).update(
                reversed_at=None,
                reversal_reason="",
                org_unit_id=project.org_unit_id,
                year=year,
                quarter=quarter,
                amount=output.amount,
                posted_at=moment,
            )
        # Already posted and counting: a repeated sign-off posts nothing.


def reverse_outputs(*, actor: Any, project: Project, reason: Any) -> int:
    """Take back what the project's sign-off posted (its 销号 revoked); returns how many postings
    were reversed — 0 when there was nothing counting, so reversing twice changes nothing."""
    if not engine.is_system(actor):
        if not can(actor, "project.view", project):
            raise NotFound()
        if not can(actor, "project.supervise", project):
            raise PermissionDenied("只有督查部门可以撤销项目产出", code="not_supervisor")
    reason_text = clean_text(reason, field="撤销理由", max_length=500)
    now = timezone.now()
    with transaction.atomic():
        live = list(
            Posting.objects.select_for_update().filter(project=project, reversed_at__isnull=True)
        )
        if not live:
            return 0
        Posting.objects.filter(pk__in=[p.pk for p in live]).update(
            reversed_at=now, reversal_reason=reason_text
        )
        record_change(
            actor=actor,
            action="indicator.reverse",
            obj=project,
            before={str(p.indicator_id): str(p.amount) for p in live},
            after={"reason": reason_text},
        )
    return len(live)


def hook_project_close() -> None:
    """Add ``post_outputs`` to the project lifecycle's 销号 step (once)."""
    from banshi.projects.services.lifecycle import LIFECYCLE

    step = LIFECYCLE.steps["close"]
    if post_outputs not in step.effects:
        LIFECYCLE.steps["close"] = step.with_behaviour(None, (post_outputs,))
