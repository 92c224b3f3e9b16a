"""REST endpoints for the organisation tree. Parse, call one selector or service, return."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from banshi.orgtree import selectors, services
from banshi.orgtree.schemas import (
    OrgUnitCreateIn,
    OrgUnitDetailOut,
    OrgUnitMoveIn,
    OrgUnitNodeOut,
    OrgUnitOut,
    OrgUnitRenameIn,
)

router = Router(tags=["组织架构"])


class SearchParams(Schema):
    q: str
    under: str | None = None
    limit: int = 50


@router.get("/roots", response=list[OrgUnitNodeOut], summary="我可见的顶层单位")
def roots(request: HttpRequest):
    return selectors.with_counts(selectors.root_units(request.user)).order_by("path")


@router.get("/search", response=list[OrgUnitOut], summary="按名称或区划代码搜索")
def search(request: HttpRequest, params: Query[SearchParams]):
    under = selectors.get_unit(request.user, params.under) if params.under else None
    limit = max(1, min(params.limit, 200))
    return list(selectors.search(request.user, params.q[:100], under=under, limit=limit))


@router.get("/{unit_id}", response=OrgUnitDetailOut, summary="单位详情（含上级链）")
def unit_detail(request: HttpRequest, unit_id: str):
    unit = selectors.get_unit(request.user, unit_id)
    unit.ancestors = selectors.ancestors(request.user, unit)  # type: ignore[attr-defined]
    return unit


@router.get("/{unit_id}/children", response=list[OrgUnitNodeOut], summary="下级单位及户数")
def unit_children(request: HttpRequest, unit_id: str):
    unit = selectors.get_unit(request.user, unit_id)
    return list(selectors.children(request.user, unit))


@router.post("", response={201: OrgUnitOut}, summary="新建单位")
def unit_create(request: HttpRequest, payload: OrgUnitCreateIn):
    parent = selectors.get_unit(request.user, payload.parent_id)
    unit = services.orgunit_create(
        actor=request.user,
        parent=parent,
        level=payload.level,
        name=payload.name,
        code=payload.code,
    )
    return 201, unit


@router.patch("/{unit_id}", response=OrgUnitOut, summary="改名")
def unit_rename(request: HttpRequest, unit_id: str, payload: OrgUnitRenameIn):
    unit = selectors.get_unit(request.user, unit_id)
    return services.orgunit_rename(actor=request.user, unit=unit, name=payload.name)


@router.post("/{unit_id}/move", response=OrgUnitOut, summary="移动（连同全部下级）")
def unit_move(request: HttpRequest, unit_id: str, payload: OrgUnitMoveIn):
    unit = selectors.get_unit(request.user, unit_id)
    new_parent = selectors.get_unit(request.user, payload.new_parent_id)
    return services.orgunit_move(actor=request.user, unit=unit, new_parent=new_parent)
