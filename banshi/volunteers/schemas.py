"""API input and output schemas of volunteer service (inputs and outputs kept apart)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class PostIO(Schema):
    name: str = Field(..., max_length=50)
    quota: int = Field(..., ge=1, le=500)


class VolunteerOut(Schema):
    id: int
    number: str
    name: str = Field(..., alias="user.name")
    org_unit_id: int
    hours: float
    stars: int


class RegisterIn(Schema):
    org_unit_id: int


class CentreOut(Schema):
    id: int
    org_unit_id: int
    name: str
    address: str
    opening_hours: str
    services: list[str]
    rooms: list[str]


class ActivityIn(Schema):
    org_unit_id: int
    centre_id: int | None = None
    title: str = Field(..., max_length=100)
    content: str = Field("", max_length=2000)
    posts: list[PostIO] = Field(..., max_length=20)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str = Field(..., max_length=200)
    lat: float
    lon: float
    radius_m: int = 300


class ActivityOut(Schema):
    id: int
    org_unit_id: int
    centre_id: int | None
    title: str
    content: str
    posts: list[PostIO]
    quota: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    lat: float
    lon: float
    radius_m: int
    beneficiaries: int
    status: str
    version: int


class ActivityTransitionIn(Schema):
    action: str = Field(..., max_length=32)
    note: str = Field("", max_length=500)
    beneficiaries: int | None = None


class SignUpIn(Schema):
    post: str = Field(..., max_length=50)


class SignUpOut(Schema):
    id: int
    activity_id: int
    volunteer_number: str = Field(..., alias="volunteer.number")
    post: str
    status: str
    checked_in_at: datetime.datetime | None
    checked_out_at: datetime.datetime | None
    hours_status: str
    credited_minutes: int
    dispute_reason: str


class SignUpDecideIn(Schema):
    approve: bool


class CorrectIn(Schema):
    checked_in_at: datetime.datetime
    checked_out_at: datetime.datetime
    reason: str = Field(..., max_length=200)


class DisputeIn(Schema):
    reason: str = Field(..., max_length=200)


class QrOut(Schema):
    token: str
    url: str
    expires_in: int


class ScanIn(Schema):
    token: str = Field(..., max_length=300)
    lat: float | None = None
    lon: float | None = None


class CertificateOut(Schema):
    id: int
    number: str
    code: str
    minutes: int
    stars: int
    issued_at: datetime.datetime


class FiguresOut(Schema):
    activities: int
    running: int
    volunteers: int
    hours: float
    beneficiaries: int
