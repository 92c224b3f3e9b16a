from __future__ import annotations

import datetime

from ninja import Field, Schema


class RoleAssignmentOut(Schema):
    id: int
    role: str
    role_label: str = Field(..., alias="get_role_display")
    org_unit_id: int
    org_unit_name: str = Field(..., alias="org_unit.name")
    valid_from: datetime.datetime
    valid_until: datetime.datetime | None


class UserOut(Schema):
    id: int
    name: str
    mobile_masked: str = Field(..., alias="masked_mobile")
    title: str
    org_unit_id: int | None
    is_active: bool


class UserDetailOut(UserOut):
    roles: list[RoleAssignmentOut]


class MeOut(UserDetailOut):
    is_superuser: bool
    actions: list[str]


class UserCreateIn(Schema):
    mobile: str = Field(..., max_length=1000)
    name: str = Field(..., max_length=1000)
    org_unit_id: int
    password: str = Field(..., max_length=1000)
    title: str = Field("", max_length=1000)


class RoleGrantIn(Schema):
    role: str = Field(..., max_length=100)
    org_unit_id: int
    valid_from: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None


class MobileOut(Schema):
    mobile: str


class TokenIn(Schema):
    mobile: str = Field(..., max_length=1000)
    password: str = Field(..., max_length=1000)
    name: str = Field("API", max_length=1000)


class TokenOut(Schema):
    token: str
    prefix: str
    user: UserOut
