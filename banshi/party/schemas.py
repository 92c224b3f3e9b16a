"""API input and output schemas of 双报到 (inputs and outputs kept apart)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class UnitRegistrationIn(Schema):
    party_org_id: int
    community_id: int
    contact_name: str = Field(..., max_length=50)
    contact_mobile: str = Field(..., max_length=20)
    resources: str = Field("", max_length=2000)


class UnitRegistrationOut(Schema):
    id: int
    party_org_id: int
    party_org_name: str = Field(..., alias="party_org.name")
    community_id: int
    community_name: str = Field(..., alias="community.name")
    contact_name: str
    resources: str
    status: str
    submitted_at: datetime.datetime
    accepted_at: datetime.datetime | None
    version: int


class UnitRegistrationTransitionIn(Schema):
    action: str = Field(..., max_length=30, description="accept、return、resubmit 或 withdraw")
    note: str = Field("", max_length=500)


class MemberRegistrationIn(Schema):
    member_id: int
    community_id: int
    skills: str = Field("", max_length=200)
    registered_on: datetime.date | None = None


class MemberRegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str
    community_id: int
    community_name: str
    registered_on: datetime.date
    confirmed_on: datetime.date | None
    next_due: datetime.date
    standing: str = Field(..., description="ok 正常、due 待确认、overdue 逾期")
    skills: str
    version: int


class HoursOut(Schema):
    registration_id: int
    member_name: str
    community_name: str
    hours: float
    threshold: int
    linked: bool = Field(..., description="党员账号是否已注册为志愿者")


class FigureOut(Schema):
    unit_id: int
    unit_name: str
    units_registered: int
    units_pending: int
    members_registered: int
    members_overdue: int
