"""Writes for visits (入户走访), the 民情台账 and the 五个到户 register.

A visit is one transaction: the visit row, the household's ``last_visited_at``, its 五个到户 line,
the ledger items it opens and, when the finding is for the 12345 centre, the request submitted
through ``workorders.services.submit`` (channel ``grid``) on the visitor's behalf. A refusal
anywhere (a date in the future, a bad photo, a request the centre refuses) writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.geo import parse_point
from banshi.core.permissions import can
from banshi.core.validation import clean_text
from banshi.grid.choices import GRID_SIDE, TRANSITIONS, LedgerStatus
from banshi.grid.models import (
    FiveEntry,
    FiveKind,
    Household,
    LedgerEvent,
    LedgerItem,
    PartyMember,
    Visit,
)
from banshi.grid.services.tally import tally_refresh
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.workflow import engine
from banshi.workorders.services import SubmitInput, submit
from banshi.workorders.uploads import check_files

VISIT_FIELDS = ["household", "member", "visited_at", "findings", "latitude", "longitude", "request"]
# A phone's clock runs a little ahead now and then; more than this is a date in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Visits entered later than this are not a record of the grid's work but a reconstruction.
MAX_BACKDATE = datetime.timedelta(days=366)
PHOTO_BYTES = 8 * 1024 * 1024


@dataclass
class FindingRequest:
    """A finding handed to the 12345 centre: what kind of request, its category, its text."""

    category_id: object
    content: str = ""
    kind: str = "help"


def _require_visit(actor: Any, household: Household) -> None:
    if actor is None:
        return
    if not can(actor, "grid.visit", household):
        if not can(actor, "household.view", household):
            raise NotFound()
        raise PermissionDenied("您无权录入走访")


def clean_visited_at(
    value: object, now: datetime.datetime, *, person: bool = True
) -> datetime.datetime:
    """A visit's time: never in the future; a person enters at most a year back (the system,
    loading a register's history, may go further)."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        text = str(value or "").strip()
        parsed = parse_datetime(text) if text else None
        if parsed is None:
            raise ValidationFailed("走访时间格式不正确", code="invalid_datetime")
        moment = parsed
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        raise ValidationFailed("走访时间不能晚于当前时间", code="visit_in_future")
    if person and moment < now - MAX_BACKDATE:
        raise ValidationFailed("只能补录一年以内的走访", code="visit_too_old")
    return moment


def _visitor(actor: Any, member: PartyMember | None, household: Household) -> PartyMember | None:
    """The member who visited: the one named (whom the actor must see), else the actor's own
    roster entry, if they have one."""
    if member is None:
        return getattr(actor, "party_member", None) if actor is not None else None
    if actor is not None and not (
        PartyMember.objects.for_user(actor, "grid.visit", "household.view")
        .filter(pk=member.pk)
        .exists()
    ):
        raise NotFound("党员不存在或不在您的管辖范围内", code="member_not_found")
    return member


def _photo(photo: UploadedFile | None) -> UploadedFile | None:
    if photo is None:
        return None
    checked = check_files([photo], max_bytes=PHOTO_BYTES)[0]
    if not checked.content_type.startswith("image/"):
        raise ValidationFailed("走访照片只能是 JPEG、PNG 或 WebP 图片", code="bad_file_type")
    return photo


def _request_place(actor: Any, household: Household) -> OrgUnit:
    """Where the request is located: the household's community when the visitor may file there,
    else its micro-grid."""
    community = (
        OrgUnit.objects.filter(path__in=household.org_unit.ancestor_paths, level=Level.COMMUNITY)
        .order_by("-depth")
        .first()
    )
    if community is not None and (actor is None or can(actor, "workorder.submit", community)):
        return community
    return household.grid


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    household: Household,
    visited_at: object,
    findings: str = "",
    member: PartyMember | None = None,
    photo: UploadedFile | None = None,
    latitude: object = None,
    longitude: object = None,
    request: FindingRequest | None = None,
    ledger: list[str] | None = None,
    now: datetime.datetime | None = None,
) -> Visit:
    """Record a visit; a finding may open a request (``request``) and 民情台账 items (``ledger``:
    one text per item)."""
    _require_visit(actor, household)
    now = now or timezone.now()
    # Re-read the household checked above, inside the visit's transaction.
    household = Household.objects.unscoped().select_related("org_unit", "grid").get(pk=household.pk)
    if household.archived_at is not None:
        raise ValidationFailed("该住户已归档", code="archived")
    moment = clean_visited_at(visited_at, now, person=actor is not None)
    findings = clean_text(findings, field="走访情况", max_length=2000, required=False)
    visitor = _visitor(actor, member, household)
    photo = _photo(photo)
    point = parse_point(latitude, longitude)
    items = [
        clean_text(t, field="民情事项", max_length=500) for t in (ledger or []) if str(t).strip()
    ]
    if len(items) > 20:
        raise ValidationFailed("一次走访最多登记20条民情事项", code="too_many_items")
    order = None
    if request is not None:
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise ValidationFailed("转办工单须由工作人员提交", code="staff_channel")
        content = clean_text(request.content or findings, field="诉求内容", max_length=2000)
        order, _ = submit(
            actor=actor,
            data=SubmitInput(
                channel="grid",
                kind=request.kind,
                category_id=request.category_id,
                content=content,
                address=household.address,
                org_unit=_request_place(actor, household),
            ),
            now=now,
        )
    visit = Visit(
        household=household,
        member=visitor,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        visited_at=moment,
        findings=findings,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        request=order,
    )
    if photo is not None:
        visit.photo.save(photo.name or "photo", photo, save=False)
    visit.save()
    if household.last_visited_at is None or household.last_visited_at < moment:
        Household.objects.filter(pk=household.pk).update(last_visited_at=moment)
        tally_refresh([household.grid_id], now=max(now, moment))
    FiveEntry.objects.create(
        household=household,
        kind=FiveKind.VISIT,
        on=timezone.localdate(moment),
        note=(findings or str(FiveKind.VISIT.label))[:300],
        visit=visit,
        recorded_by=visit.recorded_by,
    )
    record_change(
        actor=actor,
        action="grid.visit",
        obj=visit,
        before=None,
        after=snapshot(visit, VISIT_FIELDS),
    )
    for text in items:
        ledger_open(actor=actor, household=household, content=text, visit=visit, now=moment)
    return visit


@transaction.atomic
def five_record(*, actor: Any, household: Household, kind: str, on: object, note: str) -> FiveEntry:
    """A line of the 五个到户 register (contact, policy, jobs, services; visits come from the
    visit record)."""
    _require_visit(actor, household)
    if kind not in FiveKind.values:
        raise ValidationFailed("类别无效", code="invalid_kind")
    if kind == FiveKind.VISIT:
        raise ValidationFailed("走访到户请录入走访记录", code="use_visit")
    try:
        day = on if isinstance(on, datetime.date) else datetime.date.fromisoformat(str(on))
    except ValueError:
        raise ValidationFailed("日期格式不正确，应为YYYY-MM-DD", code="invalid_date") from None
    if day > timezone.localdate():
        raise ValidationFailed("日期不能晚于今天", code="date_in_future")
    note = clean_text(note, field="内容", max_length=300)
    entry = FiveEntry.objects.create(
        household=household,
        kind=kind,
        on=day,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(actor=actor, action="grid.five", obj=entry, before=None, after=snapshot(entry))
    return entry


@transaction.atomic
def ledger_open(
    *,
    actor: Any,
    household: Household,
    content: str,
    visit: Visit | None = None,
    now: datetime.datetime | None = None,
) -> LedgerItem:
    """Put a thing a household raised on the 民情台账, open until closed."""
    _require_visit(actor, household)
    now = now or timezone.now()
    content = clean_text(content, field="民情事项", max_length=500)
    staff = actor if getattr(actor, "pk", None) else None
    item = LedgerItem.objects.create(
        household=household, visit=visit, content=content, opened_by=staff
    )
    LedgerEvent.objects.create(
        item=item,
        at=now,
        actor=staff,
        action="open",
        from_status="",
        to_status=LedgerStatus.OPEN,
        note="登记",
    )
    record_change(
        actor=actor, action="grid_ledger.open", obj=item, before=None, after=snapshot(item)
    )
    return item


class LedgerHooks(engine.Hooks[LedgerItem]):
    """How the engine reads, checks and records a 民情台账 item."""

    event_model = LedgerEvent
    event_owner = "item"

    side_labels = {GRID_SIDE: "网格"}

    def load(self, model: type[LedgerItem], pk: Any) -> LedgerItem:
        # The engine re-reads the item; visible() below applies the scope.
        return LedgerItem.objects.unscoped().select_related("household__org_unit").get(pk=pk)

    def visible(self, actor: Any, obj: LedgerItem, step: engine.Step) -> bool:
        return engine.is_system(actor) or can(actor, "household.view", obj)

    def invalid_state(self, obj: LedgerItem, step: engine.Step, label: str) -> Exception:
        return ValidationFailed(
            f"该事项当前为“{label}”，不能{step.label}", code="invalid_transition"
        )

    def conflict(self, obj: LedgerItem, step: engine.Step) -> Exception:
        return Conflict("该事项已被他人处理，请刷新后重试")


def _close(
    item: LedgerItem, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """须填写办理结果；记录办结时间"""
    result = clean_text(data.get("result"), field="办理结果", max_length=500)
    return engine.Change({"closed_at": now, "result": result}, note=result)


def _reopen(
    item: LedgerItem, actor: Any, now: datetime.datetime, data: dict[str, Any]
) -> engine.Change:
    """须说明重新打开的原因；清除办结时间"""
    reason = clean_text(data.get("reason"), field="原因", max_length=500)
    return engine.Change({"closed_at": None}, note=reason)


LIFECYCLE = engine.register(
    engine.Lifecycle(
        name="grid_ledger",
        title="民情台账事项",
        model=LedgerItem,
        states=LedgerStatus,
        steps=TRANSITIONS.values(),
        guards={"close": _close, "reopen": _reopen},
        hooks=LedgerHooks(),
    )
)


def ledger_transition(
    *,
    actor: Any,
    item: LedgerItem,
    action: str,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> LedgerItem:
    """Close (销号) or reopen a 民情台账 item, through the shared engine."""
    return engine.transition(
        actor=actor, obj=item, action=action, data=data, expected_version=expected_version, now=now
    )
