"""REST endpoints of 双报到, mounted at /api/v1/party. Staff reads are scoped (out of sight:
404); an in-service member acts on their own registration; every write goes through the same
services as the pages, with a change record."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.http import etag, expected_version
from banshi.core.permissions import require
from banshi.orgtree.selectors import get_unit
from banshi.party import periods, selectors, services
from banshi.party.choices import VIEW
from banshi.party.models import MemberRegistration, UnitRegistration
from banshi.party.schemas import (
    FigureOut,
    HoursOut,
    MemberRegistrationIn,
    MemberRegistrationOut,
    UnitRegistrationIn,
    UnitRegistrationOut,
    UnitRegistrationTransitionIn,
)
from banshi.volunteers.selectors import get_community

router = Router(tags=["双报到"])


class PartyListQuery(Schema):
    status: str = ""
    standing: str = ""
    q: str = ""
    unit_id: int | None = None
    limit: int = 50
    offset: int = 0


def _window(query: PartyListQuery) -> slice:
    if not 1 <= query.limit <= 200 or query.offset < 0:
        raise ValidationFailed("limit 须在 1–200 之间，offset 不能为负", code="invalid_page")
    return slice(query.offset, query.offset + query.limit)


def _unit(request: HttpRequest, query: PartyListQuery) -> Any:
    return get_unit(request.user, query.unit_id) if query.unit_id else None


def _unit_out(response: HttpResponse, registration: UnitRegistration) -> UnitRegistration:
    response["ETag"] = etag(registration.version)
    return registration


def _member_out(registration: MemberRegistration, today: datetime.date) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "member_id": registration.member_id,
        "member_name": registration.member.name,
        "community_id": registration.community_id,
        "community_name": registration.community.name,
        "registered_on": registration.registered_on,
        "confirmed_on": registration.confirmed_on,
        "next_due": periods.next_due(registration),
        "standing": periods.standing(registration, today),
        "skills": registration.skills,
        "version": registration.version,
    }


# --- 单位报到 ------------------------------------------------------------------------------------


@router.get(
    "/units", response=list[UnitRegistrationOut], summary="单位报到（报到方与社区双方可见）"
)
def unit_registrations(request: HttpRequest, query: Query[PartyListQuery]) -> Any:
    require(request.user, VIEW)
    qs = selectors.unit_registrations_for(
        request.user, status=query.status, query=query.q[:30], unit=_unit(request, query)
    )
    return list(qs[_window(query)])


@router.post("/units", response={201: UnitRegistrationOut}, summary="单位党组织向社区报到")
def unit_register(request: HttpRequest, payload: UnitRegistrationIn) -> Any:
    party_org = selectors.get_reporting_unit(request.user, payload.party_org_id)
    community = get_community(payload.community_id)
    registration = services.unit_register(
        actor=request.user,
        party_org=party_org,
        community=community,
        contact_name=payload.contact_name,
        contact_mobile=payload.contact_mobile,
        resources=payload.resources,
    )
    return 201, registration


@router.get("/units/{registration_id}", response=UnitRegistrationOut, summary="单位报到详情")
def unit_registration(request: HttpRequest, registration_id: str, response: HttpResponse) -> Any:
    return _unit_out(response, selectors.get_unit_registration(request.user, registration_id))


@router.post(
    "/units/{registration_id}/transition",
    response=UnitRegistrationOut,
    summary="单位报到流程操作（接收、退回、重新提交、撤回）",
)
def unit_transition(
    request: HttpRequest,
    registration_id: str,
    payload: UnitRegistrationTransitionIn,
    response: HttpResponse,
) -> Any:
    registration = selectors.get_unit_registration(request.user, registration_id)
    fresh = services.unit_registration_transition(
        actor=request.user,
        registration=registration,
        action=payload.action,
        data={"note": payload.note},
        expected_version=expected_version(request),
    )
    return _unit_out(response, fresh)


# --- 在职党员报到 --------------------------------------------------------------------------------


@router.get("/members", response=list[MemberRegistrationOut], summary="在职党员报到与半年确认情况")
def member_registrations(request: HttpRequest, query: Query[PartyListQuery]) -> Any:
    require(request.user, VIEW)
    today = timezone.localdate()
    rows = selectors.confirmations(
        request.user, today, unit=_unit(request, query), only=query.standing
    )
    if query.q:
        rows = [row for row in rows if query.q[:30] in row.registration.member.name]
    return [_member_out(row.registration, today) for row in rows[_window(query)]]


@router.post("/members", response={201: MemberRegistrationOut}, summary="在职党员向居住地社区报到")
def member_register(request: HttpRequest, payload: MemberRegistrationIn) -> Any:
    member = selectors.get_in_service_member(request.user, payload.member_id)
    community = get_community(payload.community_id)
    registration = services.member_register(
        actor=request.user,
        member=member,
        community=community,
        skills=payload.skills,
        on=payload.registered_on,
    )
    return 201, _member_out(registration, timezone.localdate())


@router.get("/members/me", response=MemberRegistrationOut, summary="我的报到")
def my_registration(request: HttpRequest, response: HttpResponse) -> Any:
    registration = selectors.my_member_registration(request.user)
    if registration is None:
        raise NotFound("您尚未向居住地社区报到", code="not_registered")
    response["ETag"] = etag(registration.version)
    return _member_out(registration, timezone.localdate())


@router.post(
    "/members/{registration_id}/confirm",
    response=MemberRegistrationOut,
    summary="半年确认（本人或社区办理，到期前30天起可办）",
)
def member_confirm(request: HttpRequest, registration_id: str, response: HttpResponse) -> Any:
    registration = selectors.get_member_registration(request.user, registration_id)
    fresh = services.member_confirm(
        actor=request.user, registration=registration, expected_version=expected_version(request)
    )
    response["ETag"] = etag(fresh.version)
    return _member_out(fresh, timezone.localdate())


class HoursQuery(Schema):
    year: int | None = None
    below: bool = True
    unit_id: int | None = None


@router.get("/hours", response=list[HoursOut], summary="年度服务时长（默认只列未达标者）")
def hours(request: HttpRequest, query: Query[HoursQuery]) -> Any:
    require(request.user, VIEW)
    year = query.year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年份无效", code="invalid_year")
    unit = get_unit(request.user, query.unit_id) if query.unit_id else None
    threshold = periods.yearly_hours()
    return [
        {
            "registration_id": row.registration.pk,
            "member_name": row.registration.member.name,
            "community_name": row.registration.community.name,
            "hours": row.hours,
            "threshold": threshold,
            "linked": row.linked,
        }
        for row in selectors.yearly_hours(request.user, year, unit=unit, below_only=query.below)
    ]


@router.get("/figures", response=list[FigureOut], summary="各级双报到统计（所选单位及其下级）")
def figures(request: HttpRequest, unit_id: int) -> Any:
    require(request.user, VIEW)
    unit = get_unit(request.user, unit_id)
    nodes = [unit, *selectors.child_units(request.user, unit)]
    return [
        {
            "unit_id": row.unit.pk,
            "unit_name": row.unit.name,
            "units_registered": row.units_registered,
            "units_pending": row.units_pending,
            "members_registered": row.members_registered,
            "members_overdue": row.members_overdue,
        }
        for row in selectors.figures(request.user, nodes, timezone.localdate())
    ]
