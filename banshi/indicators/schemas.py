"""API input and output schemas of the indicators (inputs and outputs kept apart)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import PlainSerializer

CENT = Decimal("0.01")
# Two decimals whatever the database hands back (PostgreSQL keeps the column's scale, SQLite's
# sums and raw values do not), so clients see "1200.00" on both.
Amount = Annotated[
    Decimal,
    PlainSerializer(lambda v: str(Decimal(v).quantize(CENT)), return_type=str),
]


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    kind: str
    level: str
    description: str
    is_active: bool


class IndicatorIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=50)
    unit: str = Field(..., max_length=10)
    kind: str = Field(..., max_length=8)
    level: str = Field("district", max_length=16)
    description: str = Field("", max_length=200)


class IndicatorFigureOut(Schema):
    indicator: str
    target: Amount
    reported: Amount
    projects: Amount
    actual: Amount
    rate: Decimal | None


class RowOut(Schema):
    org_unit_id: int
    name: str
    figures: list[IndicatorFigureOut]


class TableOut(Schema):
    year: int
    quarter: int
    total: RowOut
    rows: list[RowOut]


class CompletenessItemOut(Schema):
    org_unit_id: int
    name: str
    report_id: int | None
    status: str
    reported: bool
    late: bool


class CompletenessOut(Schema):
    year: int
    quarter: int
    deadline: datetime.datetime
    items: list[CompletenessItemOut]


class IndicatorReportOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    year: int
    quarter: int
    period: str
    status: str
    version: int
    values: dict[str, Amount]


class ReportOpenIn(Schema):
    org_unit_id: int
    year: int
    quarter: int = Field(..., ge=0, le=4)


class ValuesIn(Schema):
    values: dict[str, str | int | float] = Field(..., description="指标编码 → 数值")


class IndicatorTransitionIn(Schema):
    action: str = Field(..., max_length=20)
    note: str = Field("", max_length=500)


class CorrectionIn(Schema):
    indicator: str = Field(..., max_length=40)
    value: str | int | float
    reason: str = Field(..., max_length=500)


class OutputIn(Schema):
    indicator: str = Field(..., max_length=40)
    amount: str | int | float


class OutputOut(Schema):
    project_id: int
    indicator: str
    amount: Amount


class ReverseIn(Schema):
    reason: str = Field(..., max_length=500)


class ReverseOut(Schema):
    reversed: int
