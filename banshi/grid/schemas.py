"""Input and output shapes of the grid API (inputs end in ``In``, outputs in ``Out``)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


class ResidentOut(Schema):
    id: int
    name: str
    relation: str
    mobile_masked: str = Field(..., alias="masked_mobile")
    id_number_masked: str = Field(..., alias="masked_id_number")
    is_party_member: bool


class HouseholdOut(Schema):
    id: int
    org_unit_id: int
    label: str = Field(..., alias="org_unit.name")
    address: str
    tags: list[str]
    residents: list[ResidentOut]

    @staticmethod
    def resolve_residents(obj: Any) -> list[Any]:
        return [r for r in obj.residents.all() if r.archived_at is None]


class HouseholdDetailOut(HouseholdOut):
    grid_id: int
    grid_name: str = Field(..., alias="grid.name")
    vulnerable: bool
    last_visited_at: datetime.datetime | None
    archived_at: datetime.datetime | None
    warnings: list[str]

    @staticmethod
    def resolve_warnings(obj: Any) -> list[str]:
        from banshi.grid.selectors import household_warnings

        return household_warnings(obj)


class ResidentPiiOut(Schema):
    mobile: str
    id_number: str


class HouseholdIn(Schema):
    grid_id: int
    label: str = ""
    address: str
    tags: list[str] = []


class HouseholdPatchIn(Schema):
    label: str | None = None
    address: str | None = None
    tags: list[str] | None = None


class MoveIn(Schema):
    grid_id: int


class ReasonIn(Schema):
    reason: str = ""


class ResidentIn(Schema):
    name: str
    relation: str = "户主"
    mobile: str = ""
    id_number: str = ""
    is_party_member: bool = False


class ResidentPatchIn(Schema):
    name: str
    relation: str
    mobile: str | None = None
    id_number: str | None = None
    is_party_member: bool = False


class ImportOut(Schema):
    households_created: int
    households_updated: int
    households_unchanged: int
    residents_created: int
    residents_updated: int
    residents_unchanged: int
    warnings: list[str]


class TagOut(Schema):
    code: str
    name: str
    vulnerable: bool
    sort: int
    is_active: bool


class TagIn(Schema):
    name: str
    vulnerable: bool = False
    sort: int = 100
    is_active: bool = True


class VisitRuleOut(Schema):
    household_class: str
    interval_days: int


class VisitRuleIn(Schema):
    interval_days: int


class MemberOut(Schema):
    id: int
    name: str
    kind: str
    org_unit_id: int
    org_unit_name: str = Field(..., alias="org_unit.name")
    mobile_masked: str = Field(..., alias="masked_mobile")
    user_id: int | None
    is_active: bool


class MemberIn(Schema):
    org_unit_id: int
    name: str
    kind: str
    mobile: str = ""
    user_id: int | None = None


class MemberPatchIn(Schema):
    name: str
    kind: str
    mobile: str | None = None
    is_active: bool = True


class HouseholdLinkIn(Schema):
    member_id: int
    household_id: int
    role: str = "lianhu"
    start: datetime.date | None = None
    end: datetime.date | None = None


class HouseholdLinkEndIn(Schema):
    end: datetime.date | None = None


class HouseholdLinkOut(Schema):
    id: int
    member_id: int
    member_name: str = Field(..., alias="member.name")
    household_id: int
    role: str
    start: datetime.date
    end: datetime.date | None


class GridFiguresOut(Schema):
    unit_id: int | None
    unit_name: str
    level: str
    households: int
    linked: int
    unlinked: int
    visited: int
    coverage: float | None
    completion: float | None


class GridFigureTableOut(Schema):
    total: GridFiguresOut
    rows: list[GridFiguresOut]


class DueOut(Schema):
    household_id: int
    label: str
    address: str
    role: str
    due: datetime.date | None
    overdue: bool


class FindingRequestIn(Schema):
    category_id: str
    content: str = ""
    kind: str = "help"


class VisitIn(Schema):
    visited_at: datetime.datetime
    findings: str = ""
    member_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    request: FindingRequestIn | None = None
    ledger: list[str] = []


class VisitOut(Schema):
    id: int
    household_id: int
    member_id: int | None
    visited_at: datetime.datetime
    findings: str
    has_photo: bool
    latitude: float | None
    longitude: float | None
    request_id: int | None
    request_number: str | None

    @staticmethod
    def resolve_has_photo(obj: Any) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_request_number(obj: Any) -> str | None:
        return obj.request.number if obj.request_id else None


class LedgerOut(Schema):
    id: int
    household_id: int
    visit_id: int | None
    content: str
    status: str
    version: int
    closed_at: datetime.datetime | None
    result: str


class LedgerIn(Schema):
    household_id: int
    content: str


class LedgerActionIn(Schema):
    result: str = ""
    reason: str = ""


class FiveIn(Schema):
    kind: str
    on: datetime.date
    note: str


class FiveOut(Schema):
    id: int
    kind: str
    on: datetime.date
    note: str
    visit_id: int | None
