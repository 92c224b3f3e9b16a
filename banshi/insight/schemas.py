"""Input and output of the dispatch assistant's API."""

from __future__ import annotations

from ninja import Schema


class SuggestIn(Schema):
    content: str
    title: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


class CategoryOut(Schema):
    path: str  # 一级/二级/三级
    code: str
    id: int
    score: float


class UnitOut(Schema):
    id: int
    name: str
    score: float
    reason: str


class PlaceOut(Schema):
    id: int
    name: str


class SuggestOut(Schema):
    model_version: int
    low_confidence: bool
    notes: list[str]
    place: PlaceOut | None
    categories: list[CategoryOut]
    units: list[UnitOut]
