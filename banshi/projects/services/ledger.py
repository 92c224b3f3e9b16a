"""Writes to the ledger itself: lists, projects and their milestones, the lifecycle, deadline
changes and attachments. Each service is one transaction carrying its change record and, for a
project, its timeline event; messages leave only after commit (``notify`` uses on_commit)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import format_lazy

from banshi.audit.services import record_change, snapshot
from banshi.core.choices import Satisfaction
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import require
from banshi.core.scoping import path_allowed
from banshi.core.validation import clean_text, is_digits
from banshi.orgtree.models import OrgUnit
from banshi.projects import conf
from banshi.projects.assignment import check_assignable
from banshi.projects.choices import (
    ACTIVE_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    AttachmentKind,
    ConfirmParty,
    DeadlineChangeStatus,
    Field,
    HandlingType,
    InspectionPurpose,
    ListLevel,
    Source,
    Status,
)
from banshi.projects.inputs import parse_amount, parse_choice, parse_date, parse_int
from banshi.projects.models import (
    Attachment,
    DeadlineChange,
    Evaluation,
    Inspection,
    ListEntry,
    Milestone,
    ProgressReport,
    Project,
    ProjectEvent,
    ProjectList,
)
from banshi.projects.notifications import tell_unit, tell_user
from banshi.projects.permissions import can_project, require_project
from banshi.projects.services.survey import invite_linked_citizens
from banshi.projects.uploads import check_upload

MAX_MILESTONES = 30


def add_event(
    project: Project,
    *,
    actor: Any,
    action: str,
    label: Any,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
) -> ProjectEvent:
    # The timeline is stored in the platform's first language, whatever the page language.
    with translation.override(settings.LANGUAGE_CODE):
        label = str(label)
    return ProjectEvent.objects.create(
        project=project,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        label=str(label)[:100],
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


# --- Lists -------------------------------------------------------------------------------------


@transaction.atomic
def list_create(
    *,
    actor: Any,
    org_unit: OrgUnit,
    name: str,
    level: str,
    year: Any,
    batch: str = "",
    description: str = "",
) -> ProjectList:
    if actor is not None:
        require(actor, "project.approve", org_unit)
    name = clean_text(name, field="清单名称", max_length=100)
    level = parse_choice(level, ListLevel, field="清单层级")
    year_number = parse_int(year, field="年度", low=2000, high=2100)
    batch = clean_text(batch, field="批次", max_length=50, required=False)
    description = clean_text(description, field="说明", max_length=2000, required=False)
    if ProjectList.objects.filter(name=name, year=year_number, batch=batch).exists():
        raise ValidationFailed("同名同年度同批次的清单已存在", code="duplicate_list")
    item = ProjectList.objects.create(
        name=name,
        level=level,
        year=year_number,
        batch=batch,
        org_unit=org_unit,
        description=description,
    )
    record_change(
        actor=actor, action="projectlist.create", obj=item, before=None, after=snapshot(item)
    )
    return item


@transaction.atomic
def list_place(*, actor: Any, project: Project, project_list: ProjectList) -> ListEntry:
    """Put a project on a list (it keeps being one project, whatever lists it is on). The actor
    approves for the project's area and for the list's owner: a district cannot fill the city's list."""
    if actor is not None:
        require_project(actor, "project.approve", project)
        require(actor, "project.approve", project_list.org_unit, view_action="project.view")
    if project.status in TERMINAL_STATUSES:
        raise ValidationFailed("已销号、已取消或已并入的项目不能再列入清单", code="terminal")
    if ListEntry.objects.filter(project_list=project_list, project=project).exists():
        raise ValidationFailed("该项目已在此清单中", code="already_listed")
    last = ListEntry.objects.filter(project_list=project_list).order_by("-seq").first()
    try:
        with transaction.atomic():
            entry = ListEntry.objects.create(
                project_list=project_list, project=project, seq=(last.seq + 1) if last else 1
            )
    except IntegrityError as exc:
        raise Conflict("清单序号被同时占用，请重试") from exc
    add_event(project, actor=actor, action="list", label="列入清单", note=str(project_list))
    record_change(
        actor=actor,
        action="project.list",
        obj=project,
        before=None,
        after={"list": project_list.pk, "seq": entry.seq},
    )
    return entry


# --- Projects ----------------------------------------------------------------------------------


@dataclass
class MilestoneIn:
    name: str
    planned_date: Any
    weight: Any


@dataclass
class ProjectData:
    """The editable ledger fields, as received (strings from forms and Excel, typed from the API)."""

    name: Any
    source: Any
    field: Any
    target: Any
    target_quantity: Any
    target_unit: Any
    handling_type: Any
    start_date: Any
    deadline: Any
    measures: Any = ""
    responsible_person: Any = ""
    responsible_title: Any = ""
    funds_planned: Any = 0
    min_satisfaction: Any = None
    milestones: list[MilestoneIn] = field(default_factory=list)


def clean_project_data(data: ProjectData) -> dict[str, Any]:
    start = parse_date(data.start_date, field="开始时间")
    deadline = parse_date(data.deadline, field="完成时限")
    assert start is not None and deadline is not None
    if deadline < start:
        raise ValidationFailed("完成时限不能早于开始时间", code="deadline_before_start")
    cleaned: dict[str, Any] = {
        "name": clean_text(data.name, field="项目名称", max_length=200),
        "source": parse_choice(data.source, Source, field="来源"),
        "field": parse_choice(data.field, Field, field="领域"),
        "target": clean_text(data.target, field="目标任务", max_length=500),
        "target_quantity": parse_amount(data.target_quantity, field="目标数量"),
        "target_unit": clean_text(data.target_unit, field="计量单位", max_length=20),
        "measures": clean_text(data.measures, field="主要措施", max_length=5000, required=False),
        "handling_type": parse_choice(data.handling_type, HandlingType, field="办理类型"),
        "responsible_person": clean_text(
            data.responsible_person, field="责任人", max_length=50, required=False
        ),
        "responsible_title": clean_text(
            data.responsible_title, field="责任人职务", max_length=50, required=False
        ),
        "start_date": start,
        "deadline": deadline,
        "funds_planned": parse_amount(data.funds_planned, field="计划资金", required=False),
    }
    if data.min_satisfaction not in (None, ""):
        rate = parse_amount(data.min_satisfaction, field="最低满意率")
        if rate > 1:
            raise ValidationFailed("最低满意率应为0到1之间的小数，如0.9", code="out_of_range")
        cleaned["min_satisfaction"] = rate
    cleaned["milestones"] = clean_milestones(data.milestones, start, deadline)
    return cleaned


def clean_milestones(
    items: list[MilestoneIn], start: datetime.date, deadline: datetime.date
) -> list[dict[str, Any]]:
    if len(items) > MAX_MILESTONES:
        raise ValidationFailed(f"节点不能超过{MAX_MILESTONES}个", code="too_many")
    result = []
    for index, item in enumerate(items, start=1):
        name = clean_text(item.name, field=f"第{index}个节点内容", max_length=200)
        day = parse_date(item.planned_date, field=f"节点「{name}」计划日期")
        assert day is not None
        if day < start or day > deadline:
            raise ValidationFailed(
                f"节点「{name}」的计划日期{day:%Y-%m-%d}不在项目开始时间{start:%Y-%m-%d}至"
                f"完成时限{deadline:%Y-%m-%d}之内",
                code="milestone_outside_project",
            )
        weight = parse_int(item.weight, field=f"节点「{name}」权重", low=1, high=100)
        result.append({"name": name, "planned_date": day, "weight": weight})
    return result


def check_leader(leader: Any, org_unit: OrgUnit, lead_unit: OrgUnit) -> None:
    if leader is None:
        return
    if not getattr(leader, "is_active", False) or not (
        path_allowed(leader, "project.lead", org_unit.path)
        or path_allowed(leader, "project.lead", lead_unit.path)
    ):
        raise ValidationFailed(
            "所选牵头领导不是该项目所在区域或牵头单位的领导，不能担任牵头领导",
            code="invalid_leader",
        )


def _check_units(
    org_unit: OrgUnit,
    lead_unit: OrgUnit,
    co_units: list[OrgUnit],
    *,
    keep: list[OrgUnit] | None = None,
) -> None:
    """The 牵头 and 配合单位 must serve the project's place (``assignment``: the routing rule, so
    市城管局 may lead a 开福区 project); ``keep``, the units a project already has, stay."""
    if any(u.pk == lead_unit.pk for u in co_units):
        raise ValidationFailed("配合单位不能与牵头单位相同", code="invalid_units")
    if len(co_units) > 20:
        raise ValidationFailed("配合单位不能超过20个", code="too_many")
    check_assignable(
        [lead_unit, *co_units],
        org_unit,
        labels=["牵头单位"] + ["配合单位"] * len(co_units),
        extra=keep or [],
    )


def _next_number(year: int) -> str:
    prefix = f"SS{year}-"
    last = (
        Project.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
    ).first()
    seq = int(last[len(prefix) :]) + 1 if last and is_digits(last[len(prefix) :]) else 1
    return f"{prefix}{seq:05d}"


@transaction.atomic
def project_create(
    *,
    actor: Any,
    org_unit: OrgUnit,
    lead_unit: OrgUnit,
    data: ProjectData,
    co_units: list[OrgUnit] | None = None,
    lead_leader: Any = None,
    number: str = "",
    lists: list[ProjectList] | None = None,
) -> Project:
    """Record a collected (征集) project with its ledger fields and milestone plan."""
    if actor is not None:
        require(actor, "project.collect", org_unit)
    cleaned = clean_project_data(data)
    milestones = cleaned.pop("milestones")
    co_units = list(dict.fromkeys(co_units or []))
    _check_units(org_unit, lead_unit, co_units)
    check_leader(lead_leader, org_unit, lead_unit)
    number = clean_text(number, field="项目编号", max_length=40, required=False)
    if number and Project.objects.filter(number=number).exists():
        raise ValidationFailed(f"项目编号{number}已存在", code="duplicate_number")
    for _attempt in range(3):
        candidate = number or _next_number(cleaned["start_date"].year)
        try:
            with transaction.atomic():
                project = Project.objects.create(
                    number=candidate,
                    org_unit=org_unit,
                    lead_unit=lead_unit,
                    lead_leader=lead_leader,
                    created_by=actor if getattr(actor, "pk", None) else None,
                    status=Status.COLLECTED,
                    status_changed_at=timezone.now(),
                    **cleaned,
                )
            break
        except IntegrityError as exc:
            if number:
                raise ValidationFailed(f"项目编号{number}已存在", code="duplicate_number") from exc
    else:  # pragma: no cover - three concurrent creations in the same year and second
        raise Conflict("项目编号分配冲突，请重试")
    project.co_units.set(co_units)
    for seq, item in enumerate(milestones, start=1):
        Milestone.objects.create(project=project, seq=seq, **item)
    add_event(project, actor=actor, action="create", label="征集录入", to_status=Status.COLLECTED)
    record_change(
        actor=actor, action="project.create", obj=project, before=None, after=snapshot(project)
    )
    for project_list in lists or []:
        list_place(actor=actor, project=project, project_list=project_list)
    return project


EDITABLE_DATES = frozenset({Status.COLLECTED, Status.SCREENED})


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    data: ProjectData,
    lead_unit: OrgUnit,
    co_units: list[OrgUnit] | None = None,
    lead_leader: Any = None,
) -> Project:
    """Edit the ledger fields. Once approved the dates move only through a deadline change."""
    require_project(actor, "project.manage", project)
    if project.status in TERMINAL_STATUSES:
        raise ValidationFailed("已销号、已取消或已并入的项目不能修改", code="terminal")
    cleaned = clean_project_data(data)
    milestones = cleaned.pop("milestones")
    if project.status not in EDITABLE_DATES and (
        cleaned["start_date"] != project.start_date or cleaned["deadline"] != project.deadline
    ):
        raise ValidationFailed(
            "项目立项后，开始时间和完成时限只能通过时限调整审批变更", code="dates_locked"
        )
    co_units = list(dict.fromkeys(co_units or []))
    _check_units(
        project.org_unit, lead_unit, co_units, keep=[project.lead_unit, *project.co_units.all()]
    )
    check_leader(lead_leader, project.org_unit, lead_unit)
    before = snapshot(project)
    updated = Project.objects.filter(pk=project.pk, status=project.status).update(
        lead_unit=lead_unit, lead_leader=lead_leader, **cleaned
    )
    if not updated:
        raise Conflict("项目状态已被他人更改，请刷新后重试")
    project.refresh_from_db()
    project.co_units.set(co_units)
    _replace_milestones(project, milestones)
    add_event(project, actor=actor, action="update", label="修改台账")
    record_change(
        actor=actor, action="project.update", obj=project, before=before, after=snapshot(project)
    )
    return project


def _replace_milestones(project: Project, milestones: list[dict[str, Any]]) -> None:
    """Replace the pending milestones; completed ones are history and stay."""
    project.milestones.filter(completed_on__isnull=True).delete()
    seq = (project.milestones.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    for offset, item in enumerate(milestones):
        Milestone.objects.create(project=project, seq=seq + offset, **item)


@transaction.atomic
def milestones_set(
    *, actor: Any, project: Project, milestones: list[MilestoneIn]
) -> list[Milestone]:
    require_project(actor, "project.manage", project)
    if project.status in TERMINAL_STATUSES:
        raise ValidationFailed("已销号、已取消或已并入的项目不能修改节点", code="terminal")
    cleaned = clean_milestones(milestones, project.start_date, project.deadline)
    before = {"milestones": list(project.milestones.values("name", "planned_date", "weight"))}
    _replace_milestones(project, cleaned)
    after = {"milestones": list(project.milestones.values("name", "planned_date", "weight"))}
    add_event(project, actor=actor, action="milestones", label="调整节点计划")
    record_change(actor=actor, action="project.milestones", obj=project, before=before, after=after)
    return list(project.milestones.all())


# --- The lifecycle -----------------------------------------------------------------------------


def _status_label(value: str) -> str:
    return str(Status(value).label)


def satisfaction(project: Project) -> tuple[int, Decimal]:
    """(number of evaluations, share of 满意 + 基本满意)."""
    counts = {c: 0 for c in Satisfaction.values}
    for choice in Evaluation.objects.filter(project=project).values_list("choice", flat=True):
        counts[choice] += 1
    total = sum(counts.values())
    good = counts[Satisfaction.SATISFIED] + counts[Satisfaction.BASIC]
    rate = (Decimal(good) / Decimal(total)).quantize(Decimal("0.001")) if total else Decimal(0)
    return total, rate


def required_satisfaction(project: Project) -> Decimal:
    return (
        project.min_satisfaction
        if project.min_satisfaction is not None
        else conf.min_satisfaction()
    )


def _preconditions(
    project: Project, action: str, now: datetime.datetime, merge_into: Project | None, actor: Any
) -> dict[str, Any]:
    """Check what a step needs beyond the status, and return the extra columns it sets."""
    if action == "merge":
        if merge_into is None:
            raise ValidationFailed("请选择要并入的项目", code="required")
        if merge_into.pk == project.pk:
            raise ValidationFailed("不能把项目并入它自己", code="invalid_merge")
        require_project(actor, "project.manage", merge_into)
        if merge_into.status in TERMINAL_STATUSES:
            raise ValidationFailed("不能并入已销号、已取消或已并入的项目", code="invalid_merge")
        return {"merged_into": merge_into}
    if action == "approve":
        if not ListEntry.objects.filter(project=project).exists():
            raise ValidationFailed("请先将项目列入至少一个清单再立项", code="not_listed")
        return {}
    if action == "assign":
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
        return {"leader_confirmed_at": None, "unit_confirmed_at": None}
    if action == "start":
        return {"started_on": timezone.localdate(now)}
    if action == "claim":
        if project.progress_percent < 100:
            raise ValidationFailed(
                f"已审核进度为{project.progress_percent}%，须达到100%才能申请销号",
                code="not_complete",
            )
        if not Attachment.objects.filter(project=project, kind=AttachmentKind.EVIDENCE).exists():
            raise ValidationFailed("申请销号须先上传佐证材料（照片或PDF）", code="no_evidence")
        return {
            "claimed_at": now,
            "survey_token": project.survey_token or secrets.token_urlsafe(16),
        }
    if action == "verify":
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
        return {"verified_at": now}
    if action == "reject":
        return {"claimed_at": None, "verified_at": None}
    if action == "close":
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
        return {"closed_at": now}
    return {}


@transaction.atomic
def project_transition(
    *,
    actor: Any,
    project: Project,
    action: str,
    note: str = "",
    merge_into: Project | None = None,
    now: datetime.datetime | None = None,
) -> Project:
    """Move a project one step along ``TRANSITIONS``.

    The status is changed by compare-and-set on the status the caller saw: of two people acting on
    the same project at once, one wins and the other gets Conflict and reloads. This is correct on
    SQLite and PostgreSQL alike, with no row lock.
    """
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise ValidationFailed("未知的操作", code="invalid_action")
    if spec.system_only and actor is not None:
        raise PermissionDenied("该步骤由系统在牵头领导和牵头单位都确认后自动完成")
    require_project(actor, spec.permission, project)
    note = clean_text(note, field="说明", max_length=2000, required=spec.note_required)
    old = project.status
    if old not in spec.sources:
        raise Conflict(
            f"项目当前状态为「{_status_label(old)}」，不能{spec.label}", code="invalid_transition"
        )
    now = now or timezone.now()
    extra = _preconditions(project, action, now, merge_into, actor)
    before = snapshot(project)
    updated = Project.objects.filter(pk=project.pk, status=old).update(
        status=spec.target, status_changed_at=now, **extra
    )
    if updated != 1:
        current = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
        raise Conflict(
            f"操作未生效：项目状态已被他人改为「{_status_label(current or old)}」，请刷新后重试",
            code="stale_status",
        )
    project.refresh_from_db()
    add_event(
        project,
        actor=actor,
        action=action,
        label=spec.label,
        from_status=old,
        to_status=spec.target,
        note=note,
        at=now,
    )
    record_change(
        actor=actor, action=f"project.{action}", obj=project, before=before, after=snapshot(project)
    )
    _after_transition(project, action, note)
    return project


def _after_transition(project: Project, action: str, note: str) -> None:
    context = {"number": project.number, "name": project.name}
    if action == "assign":
        leader = project.lead_leader
        ctx = {
            **context,
            "leader": leader.name if leader else "",
            "deadline": f"{project.deadline:%Y-%m-%d}",
        }
        tell_unit(project.lead_unit, "projects.assigned", ctx, project)
        tell_user(
            leader, "projects.assigned", {**ctx, "unit": leader.name if leader else ""}, project
        )
    elif action == "reject":
        tell_unit(project.lead_unit, "projects.rejected", {**context, "note": note}, project)
    elif action == "claim":
        invite_linked_citizens(project, occasion="open")
    elif action == "close":
        invite_linked_citizens(project, occasion="closed")
        tell_user(
            project.lead_leader,
            "projects.closed",
            {**context, "date": f"{timezone.localdate(project.closed_at):%Y-%m-%d}"},
            project,
        )


@transaction.atomic
def project_confirm(
    *, actor: Any, project: Project, party: str, now: datetime.datetime | None = None
) -> Project:
    """The lead official or the lead unit confirms an assignment; when both have, it starts."""
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
    updated = Project.objects.filter(
        pk=project.pk, status=Status.ASSIGNED, **{f"{column}__isnull": True}
    ).update(**{column: now})
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
        project = project_transition(actor=None, project=project, action="start", now=now)
    return project


@transaction.atomic
def project_publish(
    *, actor: Any, project: Project, now: datetime.datetime | None = None
) -> Project:
    """公示: a closed project goes on the public page (no personal data is shown there)."""
    require_project(actor, "project.supervise", project)
    if project.status != Status.CLOSED:
        raise Conflict("只有已销号的项目才能公示", code="invalid_transition")
    now = now or timezone.now()
    updated = Project.objects.filter(
        pk=project.pk, status=Status.CLOSED, published_at__isnull=True
    ).update(published_at=now)
    if not updated:
        raise Conflict("该项目已经公示", code="already_published")
    project.refresh_from_db()
    add_event(project, actor=actor, action="publish", label="公示晒单", at=now)
    record_change(
        actor=actor, action="project.publish", obj=project, before=None, after={"published_at": now}
    )
    return project


# --- Deadline changes ---------------------------------------------------------------------------


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
        moved = Project.objects.filter(pk=project.pk, deadline=change.old_deadline).update(
            deadline=change.new_deadline, deadline_change_count=F("deadline_change_count") + 1
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


# --- Attachments ---------------------------------------------------------------------------------

ATTACHMENT_FIELDS = [
    "project",
    "kind",
    "report",
    "inspection",
    "original_name",
    "content_type",
    "size",
    "caption",
]
ATTACHMENT_PERMISSION = {
    AttachmentKind.PROGRESS_PHOTO: ("project.report",),
    AttachmentKind.EVIDENCE: ("project.report",),
    AttachmentKind.INSPECTION_PHOTO: ("project.supervise", "project.lead"),
}


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    project: Project,
    kind: str,
    uploaded: Any,
    caption: str = "",
    report: ProgressReport | None = None,
    inspection: Inspection | None = None,
) -> Attachment:
    """Store a checked photo or PDF (JPEG/PNG/WebP/PDF by content, ≤ the size limit)."""
    if kind not in AttachmentKind.values:
        raise ValidationFailed("附件类别无效", code="invalid_choice")
    permissions = ATTACHMENT_PERMISSION[AttachmentKind(kind)]
    if actor is not None and not any(can_project(actor, p, project) for p in permissions):
        require_project(actor, permissions[0], project)
    if project.status in TERMINAL_STATUSES:
        raise ValidationFailed("已销号、已取消或已并入的项目不能再上传附件", code="terminal")
    if report is not None and report.project_id != project.pk:
        raise NotFound()
    if inspection is not None and inspection.project_id != project.pk:
        raise NotFound()
    content_type, ext, name = check_upload(uploaded, images_only=kind != AttachmentKind.EVIDENCE)
    caption = clean_text(caption, field="说明", max_length=200, required=False)
    attachment = Attachment(
        project=project,
        kind=kind,
        report=report,
        inspection=inspection,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        caption=caption,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # A random stored name: nothing from the uploader's file name reaches the file system.
    attachment.file.save(f"{secrets.token_hex(12)}.{ext}", File(uploaded), save=False)
    stored = attachment.file.name
    assert stored is not None
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    add_event(
        project,
        actor=actor,
        action="attachment",
        label=format_lazy("上传{}", AttachmentKind(kind).label),
        note=name,
    )
    record_change(
        actor=actor,
        action="project.attachment",
        obj=attachment,
        before=None,
        after={
            **snapshot(attachment, fields=ATTACHMENT_FIELDS),
            "file": attachment.file.name,
        },
    )
    return attachment
