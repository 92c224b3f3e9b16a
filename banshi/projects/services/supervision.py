"""Supervision: 督办/催办 notices, on-site inspections with their rectification items, 联点 links
and 现场办公 meetings whose decisions become supervised items."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy

from banshi.audit.services import record_change, snapshot
from banshi.core import versions
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.permissions import require
from banshi.core.scoping import path_allowed
from banshi.core.validation import clean_text
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.projects.assignment import check_assignable
from banshi.projects.choices import (
    ACTIVE_STATUSES,
    AttachmentKind,
    InspectionPurpose,
    ItemStatus,
    LinkKind,
    NoticeKind,
    NoticeStatus,
)
from banshi.projects.inputs import parse_choice, parse_date
from banshi.projects.models import (
    Inspection,
    LeaderLink,
    Meeting,
    Project,
    SupervisedItem,
    SupervisionNotice,
)
from banshi.projects.notifications import tell_unit, tell_user
from banshi.projects.permissions import (
    can_complete_item,
    can_project,
    require_project,
    require_unit_action,
)
from banshi.projects.services.attachments import attachment_add
from banshi.projects.services.ledger import add_event
from banshi.projects.uploads import check_upload


def _notice_context(notice: SupervisionNotice) -> dict[str, Any]:
    return {
        "kind": notice.get_kind_display(),
        "name": notice.project.name,
        "number": notice.project.number,
        "content": notice.content,
        "due": f"{notice.due_date:%Y-%m-%d}",
    }


@transaction.atomic
def notice_issue(
    *,
    actor: Any,
    project: Project,
    kind: str,
    content: str,
    due_date: Any,
    to_unit: OrgUnit | None = None,
    cadence_period: str = "",
    now: datetime.datetime | None = None,
) -> SupervisionNotice:
    """Send a 督办 or 催办 notice to a unit (the lead unit by default), copied to the lead official."""
    require_project(actor, "project.supervise", project)
    kind = parse_choice(kind, NoticeKind, field="类别")
    content = clean_text(content, field="督办内容", max_length=2000)
    now = now or timezone.now()
    due = parse_date(due_date, field="答复时限")
    assert due is not None
    if due < timezone.localdate(now):
        raise ValidationFailed("答复时限不能早于今天", code="past_date")
    if project.status not in ACTIVE_STATUSES:
        raise ValidationFailed("只有已立项且未销号的项目可以督办", code="invalid_status")
    unit = to_unit or project.lead_unit
    if unit.pk != project.lead_unit_id and not project.co_units.filter(pk=unit.pk).exists():
        raise ValidationFailed("督办对象应为项目的牵头单位或配合单位", code="invalid_unit")
    notice = SupervisionNotice.objects.create(
        project=project,
        kind=kind,
        to_unit=unit,
        cc_leader=project.lead_leader,
        content=content,
        due_date=due,
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=now,
        cadence_period=cadence_period,
    )
    counter = "supervise_count" if kind == NoticeKind.SUPERVISE else "urge_count"
    bump: dict[str, Any] = {counter: F(counter) + 1}
    versions.write(Project, project.pk, None, **bump)
    project.refresh_from_db()
    add_event(
        project,
        actor=actor,
        action=f"notice_{kind}",
        label=format_lazy("发出{}", NoticeKind(notice.kind).label),  # Chinese, whoever writes
        note=content,
        at=now,
    )
    record_change(
        actor=actor, action=f"project.{kind}", obj=notice, before=None, after=snapshot(notice)
    )
    key = f"projects.notice:{notice.pk}"
    context = _notice_context(notice)
    tell_unit(unit, "projects.notice", context, project, key=key)
    tell_user(
        project.lead_leader,
        "projects.notice_cc",
        {**context, "unit": unit.name},
        project,
        key=key + ":cc",
    )
    return notice


@transaction.atomic
def notice_respond(*, actor: Any, notice: SupervisionNotice, response: str) -> SupervisionNotice:
    require_project(actor, "project.report", notice.project)
    response = clean_text(response, field="答复", max_length=2000)
    updated = SupervisionNotice.objects.filter(pk=notice.pk, status=NoticeStatus.OPEN).update(
        status=NoticeStatus.ANSWERED,
        response=response,
        responded_by=actor,
        responded_at=timezone.now(),
    )
    if not updated:
        raise Conflict("该通知已答复", code="already_answered")
    notice.refresh_from_db()
    add_event(
        notice.project,
        actor=actor,
        action="notice_answer",
        label=format_lazy("答复{}", NoticeKind(notice.kind).label),
        note=response,
    )
    record_change(
        actor=actor, action="project.notice_answer", obj=notice, before=None, after=snapshot(notice)
    )
    return notice


@dataclass
class ItemIn:
    content: Any
    owner_unit: OrgUnit
    due_date: Any
    owner_person: Any = ""


def _clean_items(
    items: list[ItemIn],
    *,
    after: datetime.date,
    place: OrgUnit,
    extra: list[OrgUnit] | None = None,
) -> list[dict[str, Any]]:
    """Check supervised items given at ``place``: text, a due date no earlier than ``after``, and
    an owner unit that serves the place (``assignment``), or one of ``extra``."""
    if len(items) > 50:
        raise ValidationFailed("一次最多50个事项", code="too_many")
    cleaned = []
    for index, item in enumerate(items, start=1):
        content = clean_text(item.content, field=f"第{index}个事项", max_length=1000)
        due = parse_date(item.due_date, field=f"第{index}个事项完成时限")
        assert due is not None
        if due < after:
            raise ValidationFailed(
                f"第{index}个事项的完成时限不能早于{after:%Y-%m-%d}", code="past_date"
            )
        cleaned.append(
            {
                "content": content,
                "owner_unit": item.owner_unit,
                "owner_person": clean_text(
                    item.owner_person, field="责任人", max_length=50, required=False
                ),
                "due_date": due,
            }
        )
    check_assignable(
        [item.owner_unit for item in items],
        place,
        labels=[f"第{index}个事项的责任单位" for index in range(1, len(items) + 1)],
        extra=extra or [],
    )
    return cleaned


def project_units(project: Project) -> list[OrgUnit]:
    """A project's own units (牵头 and 配合): its 整改 items may always go to them."""
    return [project.lead_unit, *project.co_units.all()]


def _announce_item(item: SupervisedItem, origin: str) -> None:
    tell_unit(
        item.owner_unit,
        "projects.item",
        {
            "origin": origin,
            "content": item.content,
            "owner": item.owner_person or "—",
            "due": f"{item.due_date:%Y-%m-%d}",
        },
        item.project or item.meeting,
        key=f"projects.item:{item.pk}",
    )


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    project: Project,
    inspected_at: datetime.datetime,
    place: str,
    findings: str,
    purpose: str,
    passed: bool,
    rectifications: list[ItemIn] | None = None,
    photos: list[Any] | None = None,
) -> Inspection:
    """An on-site check by a supervisor or a leader (实地盯、现场督); it may raise rectifications."""
    if actor is not None and not can_project(actor, "project.lead", project):
        require_project(actor, "project.supervise", project)
    purpose = parse_choice(purpose, InspectionPurpose, field="督查类别")
    if (
        purpose == InspectionPurpose.VERIFICATION
        and actor is not None
        and not can_project(actor, "project.supervise", project)
    ):
        raise PermissionDenied("销号验收须由督查员进行")
    if inspected_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationFailed("督查时间不能晚于现在", code="future_date")
    if project.status not in ACTIVE_STATUSES:
        raise ValidationFailed("只有已立项且未销号的项目可以督查", code="invalid_status")
    items = _clean_items(
        rectifications or [],
        after=timezone.localdate(inspected_at),
        place=project.org_unit,
        extra=project_units(project),
    )
    if purpose == InspectionPurpose.VERIFICATION and passed and items:
        raise ValidationFailed(
            "验收通过时不应再提出整改事项；有问题请选择「不通过」", code="inconsistent"
        )
    for photo in photos or []:  # check every file before anything is written
        check_upload(photo, images_only=True)
    inspection = Inspection.objects.create(
        project=project,
        inspector=actor,
        inspected_at=inspected_at,
        place=clean_text(place, field="地点", max_length=200),
        findings=clean_text(findings, field="发现情况", max_length=5000),
        purpose=purpose,
        passed=passed,
    )
    created = [
        SupervisedItem.objects.create(project=project, inspection=inspection, **item)
        for item in items
    ]
    for photo in photos or []:
        attachment_add(
            actor=actor,
            project=project,
            kind=AttachmentKind.INSPECTION_PHOTO,
            uploaded=photo,
            inspection=inspection,
        )
    label = format_lazy(
        "{}（{}）", InspectionPurpose(inspection.purpose).label, "通过" if passed else "不通过"
    )
    add_event(
        project,
        actor=actor,
        action="inspection",
        label=label,
        note=f"{inspection.place}：{inspection.findings}",
    )
    record_change(
        actor=actor,
        action="project.inspection",
        obj=inspection,
        before=None,
        after={**snapshot(inspection), "items": [snapshot(i) for i in created]},
    )
    for item in created:
        _announce_item(item, f"{project.name} 整改")
    return inspection


@transaction.atomic
def item_complete(*, actor: Any, item: SupervisedItem, note: str) -> SupervisedItem:
    """The owner unit reports a rectification or meeting decision done (see
    ``permissions.can_complete_item`` for who may)."""
    if actor is not None and not can_complete_item(actor, item):
        from banshi.projects.selectors import visible_items  # selectors import the services

        if not visible_items(actor).filter(pk=item.pk).exists():
            raise NotFound()
        raise PermissionDenied("只有责任单位的承办人或督查员可以办结该事项")
    note = clean_text(note, field="完成情况", max_length=2000)
    updated = SupervisedItem.objects.filter(pk=item.pk, status=ItemStatus.OPEN).update(
        status=ItemStatus.DONE, done_note=note, done_by=actor, done_at=timezone.now()
    )
    if not updated:
        raise Conflict("该事项已完成", code="already_done")
    item.refresh_from_db()
    if item.project is not None:
        add_event(
            item.project,
            actor=actor,
            action="item_done",
            label="完成督办事项",
            note=f"{item.content}：{note}",
        )
    record_change(
        actor=actor, action="project.item_done", obj=item, before=None, after=snapshot(item)
    )
    return item


LINK_LEVELS = {
    LinkKind.DISTRICT: {Level.DISTRICT},
    LinkKind.PARK: {Level.PARK},
    LinkKind.STREET: {Level.STREET},
}


@transaction.atomic
def link_create(
    *,
    actor: Any,
    leader: Any,
    kind: str,
    org_unit: OrgUnit | None = None,
    project: Project | None = None,
    since: Any = None,
    note: str = "",
) -> LeaderLink:
    """Link a leader (联点) to a district, park, street or project."""
    kind = parse_choice(kind, LinkKind, field="联点类别")
    if kind == LinkKind.PROJECT:
        if project is None:
            raise ValidationFailed("请选择联系的项目", code="required")
        require_project(actor, "project.view", project)
        org_unit = project.org_unit
    elif org_unit is None:
        raise ValidationFailed("请选择联系的单位", code="required")
    elif org_unit.level not in LINK_LEVELS[LinkKind(kind)]:
        raise ValidationFailed(
            f"{org_unit.name}不是{LinkKind(kind).label[2:]}", code="level_mismatch"
        )
    assert org_unit is not None
    if actor is not None:
        require(actor, "project.link", org_unit)
    if not path_allowed(leader, "project.lead", org_unit.path):
        raise ValidationFailed(
            f"{leader.name}在{org_unit.name}没有领导角色，不能设为联点领导", code="invalid_leader"
        )
    day = parse_date(since, field="起始日期", required=False) or timezone.localdate()
    duplicate = LeaderLink.objects.filter(
        leader=leader, kind=kind, org_unit=org_unit, project=project, ended_at__isnull=True
    ).exists()
    if duplicate:
        raise ValidationFailed("该联点关系已存在", code="duplicate_link")
    link = LeaderLink.objects.create(
        leader=leader,
        kind=kind,
        org_unit=org_unit,
        project=project if kind == LinkKind.PROJECT else None,
        since=day,
        note=clean_text(note, field="备注", max_length=200, required=False),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if link.project is not None:
        add_event(link.project, actor=actor, action="link", label="设置联点领导", note=leader.name)
    record_change(actor=actor, action="project.link", obj=link, before=None, after=snapshot(link))
    return link


@transaction.atomic
def link_end(*, actor: Any, link: LeaderLink) -> LeaderLink:
    require_unit_action(actor, "project.link", link.org_unit, view_action="project.view")
    updated = LeaderLink.objects.filter(pk=link.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if not updated:
        raise Conflict("该联点关系已解除", code="already_ended")
    link.refresh_from_db()
    record_change(
        actor=actor, action="project.link_end", obj=link, before=None, after=snapshot(link)
    )
    return link


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    org_unit: OrgUnit,
    held_at: datetime.datetime,
    place: str,
    topic: str,
    minutes: str = "",
    project: Project | None = None,
    decisions: list[ItemIn] | None = None,
    leader: Any = None,
) -> Meeting:
    """A 现场办公 meeting held by a leader; each decision becomes a supervised item."""
    leader = leader or actor
    if actor is not None:
        require(actor, "project.lead", org_unit)
    if leader is None or not path_allowed(leader, "project.lead", org_unit.path):
        raise ValidationFailed("主持人须为该单位的领导", code="invalid_leader")
    if project is not None:
        require_project(actor, "project.view", project)
    if held_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationFailed("会议时间不能晚于现在，请在会后录入", code="future_date")
    items = _clean_items(
        decisions or [],
        after=timezone.localdate(held_at),
        place=org_unit,
        extra=project_units(project) if project is not None else [],
    )
    if not items:
        raise ValidationFailed("请至少录入一项议定事项（责任单位与时限）", code="required")
    meeting = Meeting.objects.create(
        leader=leader,
        org_unit=org_unit,
        held_at=held_at,
        place=clean_text(place, field="地点", max_length=200),
        topic=clean_text(topic, field="议题", max_length=200),
        minutes=clean_text(minutes, field="会议纪要", max_length=10000, required=False),
        project=project,
    )
    created = [
        SupervisedItem.objects.create(meeting=meeting, project=project, **item) for item in items
    ]
    if project is not None:
        add_event(
            project, actor=actor, action="meeting", label="召开现场办公会", note=meeting.topic
        )
    record_change(
        actor=actor,
        action="project.meeting",
        obj=meeting,
        before=None,
        after={**snapshot(meeting), "items": [snapshot(i) for i in created]},
    )
    for item in created:
        _announce_item(item, f"现场办公会：{meeting.topic}")
    return meeting
