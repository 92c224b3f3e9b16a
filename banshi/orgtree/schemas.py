from __future__ import annotations

from ninja import Field, Schema


class OrgUnitOut(Schema):
    id: int
    parent_id: int | None
    name: str
    code: str | None
    level: str
    level_label: str = Field(..., alias="get_level_display")
    depth: int
    path: str


class OrgUnitNodeOut(OrgUnitOut):
    child_count: int
    household_count: int


class OrgUnitDetailOut(OrgUnitOut):
    ancestors: list[OrgUnitOut]


class OrgUnitCreateIn(Schema):
    parent_id: int
    level: str
    name: str = Field(..., max_length=1000)
    code: str | None = Field(None, max_length=1000)


class OrgUnitRenameIn(Schema):
    name: str = Field(..., max_length=1000)


class OrgUnitMoveIn(Schema):
    new_parent_id: int
