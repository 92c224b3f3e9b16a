"""Intake: every channel's request enters here and leaves with a tracking number.

A submission is one transaction: number, request row, attachments' rows, the first timeline event
and the change record. With a ``submission_key`` (the API's Idempotency-Key, the web form's hidden
token, an Open311 client's retry) a repeat returns the first request and writes nothing; the
unique column settles a race between two identical retries.

Submissions from outside (the public API, the citizen form, Open311) name a ``PublicClient`` and
are limited per client address and per phone number (``PUBLIC_INTAKE_RATE_PER_ADDRESS``,
``PUBLIC_INTAKE_RATE_PER_PHONE``): every phone number we accept a request for gets a receipt SMS,
so without a limit anyone could flood the intake or someone else's phone. A replay of an
acknowledged submission is answered before the limit is looked at and never counts.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from banshi.audit.services import record_change
from banshi.core import throttle
from banshi.core.errors import Conflict, NotFound, ValidationFailed
from banshi.core.geo import parse_point
from banshi.core.permissions import can, require
from banshi.core.validation import clean_text, is_digits
from banshi.notify.services import notify
from banshi.orgtree.models import OrgUnit
from banshi.workorders.choices import Channel, Kind, Side, Status, Urgency
from banshi.workorders.location import resolve_unit
from banshi.workorders.models import Attachment, Category, Event, WorkOrder
from banshi.workorders.numbering import new_tracking_code, next_number
from banshi.workorders.uploads import check_files

MAX_CONTENT = 4000
PHONE_RE = re.compile(r"\A(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})\Z")
# Staff channels: who may record a request on someone's behalf.
STAFF_CHANNELS = {Channel.PHONE, Channel.GRID, Channel.MAILBOX}


@dataclass
class SubmitInput:
    channel: str
    kind: str
    category_id: object
    content: str
    title: str = ""
    urgency: str = Urgency.NORMAL
    address: str = ""
    latitude: object = None
    longitude: object = None
    coordinate_system: str = "wgs84"
    org_unit: OrgUnit | None = None
    caller_name: str = ""
    caller_phone: str = ""
    confidential: bool = False
    tags: list[str] = field(default_factory=list)
    files: list[UploadedFile] = field(default_factory=list)
    submission_key: str | None = None
    open311: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PublicClient:
    """Who submits from outside, for the abuse limits: the client's address, or empty when an
    Open311 application relays for many people (its key accounts for it; the phone limit still
    applies)."""

    address: str = ""


THROTTLE_SCOPE = "intake"


def public_rates() -> tuple[throttle.Rate | None, throttle.Rate | None]:
    """The abuse limits on anonymous intake, per client address and per phone (None: no limit)."""
    if not settings.PUBLIC_INTAKE_LIMITS:
        return None, None
    return (
        throttle.parse_rate(settings.PUBLIC_INTAKE_RATE_PER_ADDRESS),
        throttle.parse_rate(settings.PUBLIC_INTAKE_RATE_PER_PHONE),
    )


def _limits(client: PublicClient, phone: str) -> list[str]:
    """Refuse (429) a public submission over its address's or its phone's limit; returns the
    throttle keys a new request counts against."""
    by_address, by_phone = public_rates()
    limits = []
    if client.address and by_address:
        limits.append((f"a:{client.address}", by_address, "同一网络地址"))
    if phone and by_phone:
        limits.append((f"p:{phone}", by_phone, "同一手机号"))
    for key, rate, who in limits:
        throttle.check(
            THROTTLE_SCOPE,
            {key: rate},
            detail=f"提交过于频繁：{who}{rate}，请稍后再试或拨打12345热线",
        )
    return [key for key, _, _ in limits]


def clean_phone(value: str) -> str:
    phone = clean_text(value, field="联系电话", max_length=20, required=False)
    phone = phone.replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(
            "联系电话格式不正确：应为11位手机号或带区号的固定电话", code="invalid_phone"
        )
    return phone.replace("-", "")


CATEGORY_CACHE_SECONDS = 60
_categories: dict[str, Any] = {"at": -CATEGORY_CACHE_SECONDS, "index": ({}, {})}


def _category_index() -> tuple[dict[int, tuple[Category, bool]], dict[str, tuple[Category, bool]]]:
    """Active categories by id and by code, with whether each is a leaf; held per process for a
    minute (the taxonomy changes rarely, intake happens constantly)."""
    if time.monotonic() - _categories["at"] > CATEGORY_CACHE_SECONDS:
        active = list(Category.objects.filter(is_active=True))
        parents = {c.parent_id for c in active if c.parent_id}
        entries = [(c, c.pk not in parents) for c in active]
        _categories["index"] = (
            {c.pk: (c, leaf) for c, leaf in entries},
            {c.code: (c, leaf) for c, leaf in entries},
        )
        _categories["at"] = time.monotonic()
    return _categories["index"]


def forget_categories() -> None:
    _categories["at"] = -CATEGORY_CACHE_SECONDS


def leaf_category(category_id: object) -> Category:
    """The active third-level category for an id or, failing that, a code."""
    text = str(category_id or "").strip()[:20]
    by_pk, by_code = _category_index()
    entry = by_pk.get(int(text)) if is_digits(text) else None
    entry = entry or by_code.get(text)
    if entry is None:
        raise ValidationFailed("诉求分类不存在", code="unknown_category")
    category, is_leaf = entry
    if not is_leaf:
        raise ValidationFailed("请选择到第三级分类", code="category_not_leaf")
    return category


def _clean(data: SubmitInput) -> dict[str, Any]:
    if data.channel not in Channel.values:
        raise ValidationFailed("来源渠道无效", code="invalid_channel")
    if data.kind not in Kind.values:
        raise ValidationFailed("诉求类型无效（咨询、求助、投诉、举报、建议）", code="invalid_kind")
    if data.urgency not in Urgency.values:
        raise ValidationFailed("紧急程度无效", code="invalid_urgency")
    content = clean_text(data.content, field="诉求内容", max_length=MAX_CONTENT)
    title = clean_text(data.title, field="标题", max_length=100, required=False)
    if not title:
        title = content.replace("\n", " ")[:30]
    address = clean_text(data.address, field="地址", max_length=200, required=False)
    point = parse_point(data.latitude, data.longitude, system=data.coordinate_system)
    if not address and point is None and data.org_unit is None:
        raise ValidationFailed("请提供诉求地点：地址或地图位置", code="location_required")
    name = clean_text(data.caller_name, field="诉求人姓名", max_length=50, required=False)
    phone = clean_phone(data.caller_phone)
    if not isinstance(data.tags, list) or len(data.tags) > 10:
        raise ValidationFailed("标签最多10个", code="invalid_tags")
    tags = [clean_text(t, field="标签", max_length=20) for t in data.tags]
    key = None
    if data.submission_key is not None:
        key = clean_text(data.submission_key, field="幂等键", max_length=250)
    return {
        "content": content,
        "title": title,
        "address": address,
        "point": point,
        "name": name,
        "phone": phone,
        "tags": list(dict.fromkeys(tags)),
        "key": key,
    }


def fingerprint(data: SubmitInput, cleaned: dict[str, Any]) -> str:
    """A digest of what was asked, so a key reused for a different request is refused."""
    payload = [
        data.channel,
        data.kind,
        str(data.category_id),
        cleaned["content"],
        cleaned["address"],
        cleaned["phone"],
        str(cleaned["point"]),
        data.urgency,
        [(f.name, f.size) for f in data.files],
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, default=str).encode()).hexdigest()


def _repeat(existing: WorkOrder, digest: str) -> tuple[WorkOrder, bool]:
    if existing.submission_fingerprint and existing.submission_fingerprint != digest:
        raise Conflict("该幂等键已用于另一条内容不同的诉求", code="idempotency_key_reused")
    return existing, False


def submit(
    *,
    actor: Any,
    data: SubmitInput,
    now: datetime.datetime | None = None,
    public: PublicClient | None = None,
) -> tuple[WorkOrder, bool]:
    """Accept a request; returns (request, created). ``created`` is False for an idempotent repeat;
    a key reused with different content is a Conflict, so one client cannot fish out another's
    request by guessing its key. ``public``: a submission from outside, under the abuse limits
    (Throttled, 429, when over them)."""
    if data.channel in STAFF_CHANNELS:
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise ValidationFailed("该渠道须由工作人员登记", code="staff_channel")
        require(actor, "workorder.submit")
    cleaned = _clean(data)
    key = cleaned["key"]
    digest = fingerprint(data, cleaned)
    cleaned["fingerprint"] = digest
    # A cheap existence probe first: most keys are new, and loading a whole row for them is waste.
    if key and WorkOrder.objects.filter(submission_key=key).exists():
        existing = WorkOrder.objects.filter(submission_key=key).first()
        if existing is not None:
            return _repeat(existing, digest)
    counted = _limits(public, cleaned["phone"]) if public is not None else []
    category = leaf_category(data.category_id)
    files = check_files(data.files)
    chosen = data.org_unit
    staff = actor is not None and getattr(actor, "is_authenticated", False)
    if chosen is not None and staff and not can(actor, "workorder.submit", chosen):
        raise NotFound("所选区域不在您的管辖范围内")
    point = cleaned["point"]
    unit = resolve_unit(
        address=cleaned["address"],
        lat=float(point[0]) if point else None,
        lon=float(point[1]) if point else None,
        chosen=chosen,
    )
    now = now or timezone.now()
    try:
        # Stored text (timeline notes) is written in the platform's first language, whatever
        # language the submitting page was shown in.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            order = _create(actor, data, cleaned, category, unit, files, now)
            throttle.hit(THROTTLE_SCOPE, *counted)
    except IntegrityError:
        if key:
            existing = WorkOrder.objects.filter(submission_key=key).first()
            if existing is not None:
                return _repeat(existing, digest)
        raise
    return order, True


def _create(
    actor: Any,
    data: SubmitInput,
    cleaned: dict[str, Any],
    category: Category,
    unit: OrgUnit,
    files: list[Any],
    now: datetime.datetime,
) -> WorkOrder:
    point = cleaned["point"]
    staff = actor if getattr(actor, "is_authenticated", False) else None
    order = WorkOrder.objects.create(
        number=next_number(now),
        tracking_code=new_tracking_code(),
        submission_key=cleaned["key"],
        submission_fingerprint=cleaned["fingerprint"] if cleaned["key"] else "",
        channel=data.channel,
        kind=data.kind,
        category=category,
        tags=cleaned["tags"],
        urgency=data.urgency,
        title=cleaned["title"],
        content=cleaned["content"],
        address=cleaned["address"],
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        org_unit=unit,
        caller_name=cleaned["name"],
        caller_phone=cleaned["phone"],
        caller_confidential=bool(data.confidential),
        submitted_by=staff,
        open311_app=str(data.open311.get("app", ""))[:64],
        open311_email=str(data.open311.get("email", ""))[:254],
        open311_device_id=str(data.open311.get("device_id", ""))[:100],
        open311_account_id=str(data.open311.get("account_id", ""))[:100],
        open311_attributes=data.open311.get("attributes", {}),
        status=Status.RECEIVED,
        received_at=now,
    )
    for checked in files:
        Attachment.objects.create(
            order=order,
            stage=Attachment.Stage.INTAKE,
            file=checked.upload,
            content_type=checked.content_type,
            size=checked.size,
            original_name=checked.name,
        )
    Event.objects.create(
        order=order,
        at=now,
        actor=staff,
        side=Side.CENTRE if staff else Side.CITIZEN,
        action="receive",
        to_status=Status.RECEIVED,
        public=True,
        note=f"诉求已受理（{Channel(data.channel).label}）",
    )
    record_change(
        actor=staff,
        action="workorder.receive",
        obj=order,
        before=None,
        after={"number": order.number, "channel": order.channel, "category": category.code},
    )
    if order.caller_phone.startswith("1"):
        notify(
            channel="sms",
            template="workorder.received",
            address=order.caller_phone,
            context={"number": order.number, "code": order.tracking_code},
            related=order,
        )  # no dedupe key: a new request's receipt cannot repeat
    return order
