"""REST endpoints for the party grid: the register, members and links, visits, the 民情台账, the
五个到户 register and the figures per node. Every endpoint reads through ``selectors`` (scoped,
404 out of sight) and writes through ``services``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.http import etag, expected_version
from banshi.core.permissions import require
from banshi.grid import selectors, services
from banshi.grid.schemas import (
    DueOut,
    FiveIn,
    FiveOut,
    GridFigureTableOut,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdLinkEndIn,
    HouseholdLinkIn,
    HouseholdLinkOut,
    HouseholdOut,
    HouseholdPatchIn,
    ImportOut,
    LedgerActionIn,
    LedgerIn,
    LedgerOut,
    MemberIn,
    MemberOut,
    MemberPatchIn,
    MoveIn,
    ReasonIn,
    ResidentIn,
    ResidentOut,
    ResidentPatchIn,
    ResidentPiiOut,
    TagIn,
    TagOut,
    VisitIn,
    VisitOut,
    VisitRuleIn,
    VisitRuleOut,
)
from banshi.orgtree.selectors import get_unit

router = Router(tags=["网格与住户"])
MAX_PAGE = 500


class HouseholdFilter(Schema):
    q: str = ""
    tag: str = ""
    unlinked: bool = False
    overdue: bool = False
    archived: bool = False
    limit: int = 200
    offset: int = 0


def _page(limit: int, offset: int) -> slice:
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise ValidationFailed(f"分页参数无效（每页1至{MAX_PAGE}条）", code="invalid_page")
    return slice(offset, offset + limit)


def _household_out(actor: Any, household_id: int) -> Any:
    """The household as the actor sees it after a write, with its warnings."""
    return selectors.get_household(actor, household_id)


# --- the register ---------------------------------------------------------------------------


@router.get(
    "/orgunits/{unit_id}/households", response=list[HouseholdOut], summary="单位下的住户（脱敏）"
)
def households(request: HttpRequest, unit_id: str, filters: Query[HouseholdFilter]):
    unit = get_unit(request.user, unit_id, "household.view")
    rows = selectors.households_under(
        request.user,
        unit,
        query=filters.q[:50],
        tag=filters.tag[:30],
        unlinked=filters.unlinked,
        overdue=filters.overdue,
        archived=filters.archived,
    )
    return list(rows[_page(filters.limit, filters.offset)])


@router.post("/grid/households", response={201: HouseholdDetailOut}, summary="登记住户")
def household_create(request: HttpRequest, payload: HouseholdIn):
    grid = get_unit(request.user, payload.grid_id, "household.manage")
    household = services.household_create(
        actor=request.user,
        grid=grid,
        label=payload.label,
        address=payload.address,
        tags=payload.tags,
    )
    return 201, _household_out(request.user, household.pk)


@router.get("/grid/households/{household_id}", response=HouseholdDetailOut, summary="住户详情")
def household_detail(request: HttpRequest, household_id: str):
    return _household_out(request.user, selectors.get_household(request.user, household_id).pk)


@router.patch(
    "/grid/households/{household_id}",
    response=HouseholdDetailOut,
    summary="修改住户门牌、地址、标签",
)
def household_update(request: HttpRequest, household_id: str, payload: HouseholdPatchIn):
    household = selectors.get_household(request.user, household_id)
    services.household_update(
        actor=request.user,
        household=household,
        label=payload.label,
        address=payload.address,
        tags=payload.tags,
    )
    return _household_out(request.user, household.pk)


@router.post(
    "/grid/households/{household_id}/move",
    response=HouseholdDetailOut,
    summary="住户移至其他微网格",
)
def household_move(request: HttpRequest, household_id: str, payload: MoveIn):
    household = selectors.get_household(request.user, household_id)
    grid = get_unit(request.user, payload.grid_id, "household.manage")
    services.household_move(actor=request.user, household=household, grid=grid)
    return _household_out(request.user, household.pk)


@router.post(
    "/grid/households/{household_id}/archive", response=HouseholdDetailOut, summary="住户归档"
)
def household_archive(request: HttpRequest, household_id: str, payload: ReasonIn):
    household = selectors.get_household(request.user, household_id)
    services.household_archive(actor=request.user, household=household, reason=payload.reason)
    return _household_out(request.user, household.pk)


@router.post(
    "/grid/households/{household_id}/residents",
    response={201: ResidentOut},
    summary="添加住户成员",
)
def resident_add(request: HttpRequest, household_id: str, payload: ResidentIn):
    household = selectors.get_household(request.user, household_id)
    resident = services.resident_add(actor=request.user, household=household, **payload.dict())
    return 201, resident


@router.patch("/grid/residents/{resident_id}", response=ResidentOut, summary="修改住户成员")
def resident_update(request: HttpRequest, resident_id: str, payload: ResidentPatchIn):
    resident = selectors.get_resident(request.user, resident_id)
    return services.resident_update(actor=request.user, resident=resident, **payload.dict())


@router.post(
    "/grid/residents/{resident_id}/archive", response=ResidentOut, summary="成员迁出或注销"
)
def resident_archive(request: HttpRequest, resident_id: str, payload: ReasonIn):
    resident = selectors.get_resident(request.user, resident_id)
    return services.resident_archive(actor=request.user, resident=resident, reason=payload.reason)


@router.post(
    "/residents/{resident_id}/reveal",
    response=ResidentPiiOut,
    summary="查看居民完整手机号与身份证号（留痕）",
)
def resident_reveal(request: HttpRequest, resident_id: str):
    resident = selectors.get_resident(request.user, resident_id)
    return services.resident_reveal(actor=request.user, resident=resident, purpose="API")


@router.post(
    "/orgunits/{unit_id}/households/import",
    response=ImportOut,
    summary="从 Excel 导入住户台账（逐行校验，全部成功才写入；重复导入不产生变化）",
)
def households_import(request: HttpRequest, unit_id: str, file: File[UploadedFile]):
    unit = get_unit(request.user, unit_id, "household.view")
    return services.import_households(actor=request.user, unit=unit, data=file.read())


# --- configuration --------------------------------------------------------------------------


@router.get("/grid/tags", response=list[TagOut], summary="住户标签")
def tags(request: HttpRequest):
    require(request.user, "household.view")
    return list(selectors.tags())


@router.put("/grid/tags/{code}", response=TagOut, summary="新增或修改住户标签")
def tag_save(request: HttpRequest, code: str, payload: TagIn):
    require(request.user, "grid.configure")
    return services.tag_save(actor=request.user, code=code[:30], **payload.dict())


@router.get("/grid/visit-rules", response=list[VisitRuleOut], summary="走访规则")
def visit_rules(request: HttpRequest):
    require(request.user, "household.view")
    return list(selectors.visit_rules())


@router.put("/grid/visit-rules/{household_class}", response=VisitRuleOut, summary="修改走访规则")
def visit_rule_set(request: HttpRequest, household_class: str, payload: VisitRuleIn):
    require(request.user, "grid.configure")
    return services.visit_rule_set(
        actor=request.user,
        household_class=household_class[:20],
        interval_days=payload.interval_days,
    )


# --- members and links ----------------------------------------------------------------------


@router.get("/orgunits/{unit_id}/party-members", response=list[MemberOut], summary="党员名册")
def members(request: HttpRequest, unit_id: str, q: str = ""):
    unit = get_unit(request.user, unit_id)
    return list(selectors.members_under(request.user, unit, query=q[:50])[:MAX_PAGE])


@router.post("/grid/party-members", response={201: MemberOut}, summary="登记党员")
def member_create(request: HttpRequest, payload: MemberIn):
    unit = get_unit(request.user, payload.org_unit_id, "grid.manage")
    user = None
    if payload.user_id is not None:
        from banshi.accounts.selectors import get_user

        user = get_user(request.user, payload.user_id)
    member = services.party_member_create(
        actor=request.user,
        org_unit=unit,
        name=payload.name,
        kind=payload.kind,
        mobile=payload.mobile,
        user=user,
    )
    return 201, member


@router.patch("/grid/party-members/{member_id}", response=MemberOut, summary="修改党员信息")
def member_update(request: HttpRequest, member_id: str, payload: MemberPatchIn):
    member = selectors.get_member(request.user, member_id, "grid.manage")
    return services.party_member_update(actor=request.user, member=member, **payload.dict())


@router.get(
    "/grid/party-members/{member_id}/visits-due",
    response=list[DueOut],
    summary="党员联系住户的应走访日期（逾期在前）",
)
def member_due(request: HttpRequest, member_id: str):
    member = selectors.get_member(request.user, member_id)
    return [
        {
            "household_id": d.household.pk,
            "label": d.household.org_unit.name,
            "address": d.household.address,
            "role": d.role,
            "due": d.due,
            "overdue": d.overdue,
        }
        for d in selectors.member_visits_due(member)
    ]


@router.post("/grid/links", response={201: HouseholdLinkOut}, summary="设置联户或党员中心户")
def link_create(request: HttpRequest, payload: HouseholdLinkIn):
    household = selectors.get_household(request.user, payload.household_id)
    member = selectors.get_member(request.user, payload.member_id, "grid.link")
    link = services.link_create(
        actor=request.user,
        member=member,
        household=household,
        role=payload.role,
        start=payload.start,
        end=payload.end,
    )
    return 201, link


@router.post("/grid/links/{link_id}/end", response=HouseholdLinkOut, summary="结束联户关系")
def link_end(request: HttpRequest, link_id: str, payload: HouseholdLinkEndIn):
    link = selectors.get_link(request.user, link_id)
    return services.link_end(actor=request.user, link=link, end=payload.end)


@router.get(
    "/grid/households/{household_id}/links",
    response=list[HouseholdLinkOut],
    summary="住户的联户党员",
)
def household_links(request: HttpRequest, household_id: str):
    household = selectors.get_household(request.user, household_id)
    return list(selectors.links_of(household))


# --- figures --------------------------------------------------------------------------------


def _figure_row(f: selectors.Figures) -> dict[str, Any]:
    return {
        "unit_id": f.unit.pk if f.unit else None,
        "unit_name": f.unit.name if f.unit else "",
        "level": f.unit.level if f.unit else "",
        "households": f.households,
        "linked": f.linked,
        "unlinked": f.unlinked,
        "visited": f.visited,
        "coverage": f.coverage,
        "completion": f.completion,
    }


@router.get(
    "/orgunits/{unit_id}/grid-figures",
    response=GridFigureTableOut,
    summary="联户覆盖率与走访完成率（按下级或指定级别汇总）",
)
def figures(request: HttpRequest, unit_id: str, level: str = ""):
    unit = get_unit(request.user, unit_id, "grid.stats")
    if level and level not in {"district", "street", "community", "branch", "microgrid"}:
        raise ValidationFailed("汇总级别无效", code="invalid_level")
    return {
        "total": _figure_row(selectors.figures_total(request.user, unit)),
        "rows": [_figure_row(f) for f in selectors.figures_by(request.user, unit, level or None)],
    }


# --- visits, 民情台账, 五个到户 -----------------------------------------------------------------


@router.post(
    "/grid/households/{household_id}/visits",
    response={201: VisitOut},
    summary="录入走访（可同时转办工单、登记民情台账）",
)
def visit_create(request: HttpRequest, household_id: str, payload: VisitIn):
    household = selectors.get_household(request.user, household_id)
    member = (
        selectors.get_member(request.user, payload.member_id)
        if payload.member_id is not None
        else None
    )
    finding = (
        services.FindingRequest(
            category_id=payload.request.category_id,
            content=payload.request.content,
            kind=payload.request.kind,
        )
        if payload.request is not None
        else None
    )
    visit = services.visit_record(
        actor=request.user,
        household=household,
        visited_at=payload.visited_at,
        findings=payload.findings,
        member=member,
        latitude=payload.latitude,
        longitude=payload.longitude,
        request=finding,
        ledger=payload.ledger,
    )
    return 201, visit


@router.get(
    "/grid/households/{household_id}/visits", response=list[VisitOut], summary="住户的走访记录"
)
def household_visits(request: HttpRequest, household_id: str):
    household = selectors.get_household(request.user, household_id)
    return list(selectors.visits_of(household)[:MAX_PAGE])


@router.get("/orgunits/{unit_id}/ledger", response=list[LedgerOut], summary="民情台账")
def ledger(request: HttpRequest, unit_id: str, status: str = "", limit: int = 200, offset: int = 0):
    unit = get_unit(request.user, unit_id, "household.view")
    return list(
        selectors.ledger_under(request.user, unit, status=status[:10])[_page(limit, offset)]
    )


@router.post("/grid/ledger", response={201: LedgerOut}, summary="登记民情台账事项")
def ledger_create(request: HttpRequest, payload: LedgerIn):
    household = selectors.get_household(request.user, payload.household_id)
    return 201, services.ledger_open(
        actor=request.user, household=household, content=payload.content
    )


@router.post(
    "/grid/ledger/{item_id}/{action}",
    response=LedgerOut,
    summary="民情台账事项办结销号（close）或重新打开（reopen）；支持 If-Match",
)
def ledger_action(
    request: HttpRequest, item_id: str, action: str, payload: LedgerActionIn, response: HttpResponse
):
    item = selectors.get_ledger_item(request.user, item_id)
    if action not in {"close", "reopen"}:
        raise NotFound("未知的操作", code="unknown_action")
    item = services.ledger_transition(
        actor=request.user,
        item=item,
        action=action,
        data=payload.dict(),
        expected_version=expected_version(request),
    )
    response["ETag"] = etag(item.version)
    return item


@router.get("/grid/households/{household_id}/five", response=list[FiveOut], summary="五个到户登记")
def five_list(request: HttpRequest, household_id: str):
    household = selectors.get_household(request.user, household_id)
    return list(household.five_entries.all()[:MAX_PAGE])


@router.post(
    "/grid/households/{household_id}/five", response={201: FiveOut}, summary="登记五个到户"
)
def five_create(request: HttpRequest, household_id: str, payload: FiveIn):
    household = selectors.get_household(request.user, household_id)
    return 201, services.five_record(
        actor=request.user, household=household, kind=payload.kind, on=payload.on, note=payload.note
    )
