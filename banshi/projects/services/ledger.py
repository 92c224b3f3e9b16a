"""Writes to the ledger itself: lists, projects and their milestones, publishing (the lifecycle
is ``lifecycle``, deadline changes ``deadlines``, attachments ``attachments``). Each service is one transaction carrying its change record and, for a
project, its timeline event; messages leave only after commit (``notify`` uses on_commit)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from banshi.audit.services import record_change, snapshot
from banshi.core import versions
from banshi.core.choices import Satisfaction
from banshi.core.errors import Conflict, ValidationFailed
from banshi.core.permissions import require
from banshi.core.scoping import path_allowed
from banshi.core.validation import clean_text, is_digits
from banshi.orgtree.models import OrgUnit
from banshi.projects import conf
from banshi.projects.assignment import check_assignable
from banshi.projects.choices import (
    TERMINAL_STATUSES,
    Field,
    HandlingType,
    ListLevel,
    Source,
    Status,
)
from banshi.projects.inputs import parse_amount, parse_choice, parse_date, parse_int
from banshi.projects.models import (
    Evaluation,
    ListEntry,
    Milestone,
    Project,
    ProjectEvent,
    ProjectList,
)
from banshi.projects.permissions import require_project

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
    expected_version: int | None = None,
) -> Project:
    """Edit the ledger fields. Once approved the dates move only through a deadline change.

    ``expected_version`` is the version the person's form (hidden field) or ``If-Match`` header
    carried: a save over someone else's is refused (``stale_version``), never lost; None (an old
    client) is not checked."""
    require_project(actor, "project.manage", project)
    versions.check_version(Project, project.pk, expected_version)
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
    updated = versions.write(
        Project,
        project.pk,
        expected_version,
        guard={"status": project.status},
        lead_unit=lead_unit,
        lead_leader=lead_leader,
        **cleaned,
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
    *,
    actor: Any,
    project: Project,
    milestones: list[MilestoneIn],
    expected_version: int | None = None,
) -> list[Milestone]:
    """Replace the pending milestones. They are part of the project: the project's version moves
    (compare-and-set on ``expected_version`` when the form carried one)."""
    require_project(actor, "project.manage", project)
    if project.status in TERMINAL_STATUSES:
        raise ValidationFailed("已销号、已取消或已并入的项目不能修改节点", code="terminal")
    cleaned = clean_milestones(milestones, project.start_date, project.deadline)
    if not versions.write(Project, project.pk, expected_version, guard={"status": project.status}):
        raise Conflict("项目状态已被他人更改，请刷新后重试")
    before = {"milestones": list(project.milestones.values("name", "planned_date", "weight"))}
    _replace_milestones(project, cleaned)
    after = {"milestones": list(project.milestones.values("name", "planned_date", "weight"))}
    add_event(project, actor=actor, action="milestones", label="调整节点计划")
    record_change(actor=actor, action="project.milestones", obj=project, before=before, after=after)
    return list(project.milestones.all())


# --- Satisfaction and publishing ----------------------------------------------------------------


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


@transaction.atomic
def project_publish(
    *, actor: Any, project: Project, now: datetime.datetime | None = None
) -> Project:
    """公示: a closed project goes on the public page (no personal data is shown there)."""
    require_project(actor, "project.supervise", project)
    if project.status != Status.CLOSED:
        raise Conflict("只有已销号的项目才能公示", code="invalid_transition")
    now = now or timezone.now()
    updated = versions.write(
        Project,
        project.pk,
        None,
        guard={"status": Status.CLOSED, "published_at__isnull": True},
        published_at=now,
    )
    if not updated:
        raise Conflict("该项目已经公示", code="already_published")
    project.refresh_from_db()
    add_event(project, actor=actor, action="publish", label="公示晒单", at=now)
    record_change(
        actor=actor, action="project.publish", obj=project, before=None, after={"published_at": now}
    )
    return project
