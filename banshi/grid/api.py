"""REST endpoints for the household register."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from banshi.grid import selectors, services
from banshi.grid.schemas import HouseholdOut, ResidentPiiOut
from banshi.orgtree.selectors import get_unit

router = Router(tags=["网格与住户"])


@router.get(
    "/orgunits/{unit_id}/households", response=list[HouseholdOut], summary="单位下的住户（脱敏）"
)
def households(request: HttpRequest, unit_id: str):
    unit = get_unit(request.user, unit_id, "household.view")
    return list(selectors.households_under(request.user, unit)[:500])


@router.post(
    "/residents/{resident_id}/reveal",
    response=ResidentPiiOut,
    summary="查看居民完整手机号与身份证号（留痕）",
)
def resident_reveal(request: HttpRequest, resident_id: str):
    resident = selectors.get_resident(request.user, resident_id)
    return services.resident_reveal(actor=request.user, resident=resident, purpose="API")
