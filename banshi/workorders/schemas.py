from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


class CategoryNode(Schema):
    id: int
    code: str
    name: str
    children: list[CategoryNode]


class PublicSubmitIn(Schema):
    """A citizen's request from a web or mobile client (no login)."""

    kind: str = Field(..., description="consult/help/complaint/report/suggestion", max_length=20)
    category_id: str = Field(..., description="第三级分类的编号或编码", max_length=30)
    content: str = Field(..., max_length=100_000)
    title: str = Field("", max_length=100_000)
    address: str = Field("", max_length=100_000)
    latitude: float | None = None
    longitude: float | None = None
    coordinate_system: str = Field("wgs84", description="wgs84 / gcj02 / bd09", max_length=10)
    caller_name: str = Field("", max_length=1000)
    caller_phone: str = Field("", max_length=1000)
    anonymous: bool = False
    channel: str = Field("web", description="web / mobile", max_length=10)


class StaffSubmitIn(PublicSubmitIn):
    channel: str = Field(
        "phone", description="phone / grid / mailbox / web / mobile", max_length=10
    )
    urgency: str = Field("normal", max_length=10)
    org_unit_id: int | None = None
    confidential: bool = False
    tags: list[str] = Field(default_factory=list)


class SubmitOut(Schema):
    id: int
    number: str
    tracking_code: str
    status: str
    created: bool


class WorkOrderEventOut(Schema):
    at: datetime.datetime
    action: str
    side: str
    from_status: str
    to_status: str
    note: str


class PublicOrderOut(Schema):
    number: str
    status: str
    status_label: str
    kind: str
    category: str
    title: str
    content: str
    received_at: datetime.datetime
    lead_unit: str | None
    can_rate: bool
    resolution: str
    satisfaction: str
    timeline: list[WorkOrderEventOut]


class RatingIn(Schema):
    proof: str = Field(..., description="手机号后四位或查询码", max_length=100)
    resolution: str = Field(..., max_length=20)
    satisfaction: str = Field(
        ..., max_length=20, description="satisfied 满意 | basic 基本满意 | dissatisfied 不满意"
    )
    comment: str = Field("", max_length=100_000)


class OrderListItem(Schema):
    id: int
    number: str
    status: str
    kind: str
    urgency: str
    category_id: int
    title: str
    org_unit_id: int
    lead_unit_id: int | None
    received_at: datetime.datetime
    close_due: datetime.datetime | None
    light: str = Field(description="灯色：green | blue | yellow | red；不在办理时限内为 none")
    urge_count: int
    supervised: bool


class OrderPage(Schema):
    items: list[OrderListItem]
    next_cursor: str | None


class WorkOrderAttachmentOut(Schema):
    id: int
    stage: str
    content_type: str
    size: int
    url: str


class CoUnitPartOut(Schema):
    """A co-unit (协办单位) and its part: when it signed, the opinion it sent the lead unit."""

    unit_id: int
    unit: str
    signed_at: datetime.datetime | None
    opinion: str
    opinion_at: datetime.datetime | None


class OrderDetailOut(OrderListItem):
    channel: str
    tags: list[str]
    content: str
    address: str
    latitude: float | None
    longitude: float | None
    caller_name: str
    caller_phone_masked: str
    co_unit_ids: list[int]
    co_units: list[CoUnitPartOut]
    sign_due: datetime.datetime | None
    contact_due: datetime.datetime | None
    signed_at: datetime.datetime | None
    contacted_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    reply_text: str
    reply_solved: bool | None
    resolution: str
    satisfaction: str
    reopen_count: int
    return_count: int
    extension_requested_days: int
    appeal_status: str
    leader_instruction: str
    version: int
    events: list[WorkOrderEventOut]
    attachments: list[WorkOrderAttachmentOut]


class ActionIn(Schema):
    """The action's data: see docs for each action's fields (lead_unit, note, reason, days …)."""

    data: dict[str, Any] = Field(default_factory=dict)


class PhoneOut(Schema):
    caller_phone: str


class UnitMetricsOut(Schema):
    unit_id: int
    unit: str
    level: str
    dispatched: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    composite: float | None
    sign_on_time_rate: float | None
    close_on_time_rate: float | None
    return_rate: float | None
    reopen_rate: float | None
    direct_answer_rate: float | None


class RankingOut(Schema):
    level: str
    rows: list[UnitMetricsOut]
    red: list[UnitMetricsOut]
    black: list[UnitMetricsOut]
