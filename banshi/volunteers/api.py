"""REST endpoints of volunteer service, mounted at /api/v1/volunteers. Staff reads are scoped
(out of sight: 404); a volunteer acts on their own rows; every write goes through the same
services as the pages, with a change record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Query, Router, Schema

from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.http import etag, expected_version
from banshi.core.permissions import require
from banshi.orgtree.selectors import get_unit
from banshi.volunteers import hours as rules
from banshi.volunteers import selectors, services, tokens
from banshi.volunteers.choices import ORGANISE, Purpose
from banshi.volunteers.models import Activity, Volunteer
from banshi.volunteers.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityTransitionIn,
    CentreOut,
    CertificateOut,
    CorrectIn,
    DisputeIn,
    FiguresOut,
    QrOut,
    RegisterIn,
    ScanIn,
    SignUpDecideIn,
    SignUpIn,
    SignUpOut,
    VolunteerOut,
)

router = Router(tags=["志愿服务"])


class VolunteerListQuery(Schema):
    status: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0


def _window(query: VolunteerListQuery) -> slice:
    if not 1 <= query.limit <= 200 or query.offset < 0:
        raise ValidationFailed("limit 须在 1–200 之间，offset 不能为负", code="invalid_page")
    return slice(query.offset, query.offset + query.limit)


def _volunteer_out(volunteer: Volunteer) -> dict[str, Any]:
    return {
        "id": volunteer.pk,
        "number": volunteer.number,
        "user": volunteer.user,
        "org_unit_id": volunteer.org_unit_id,
        "hours": volunteer.total_minutes / 60,
        "stars": rules.stars_for(volunteer.total_minutes),
    }


def _me(request: HttpRequest) -> Volunteer:
    volunteer = selectors.my_volunteer(request.user)
    if volunteer is None:
        raise NotFound("您尚未注册为志愿者", code="not_volunteer")
    return volunteer


# --- the volunteer's own -----------------------------------------------------------------------


@router.get("/me", response=VolunteerOut, summary="我的志愿者信息（编号、时长、星级）")
def me(request: HttpRequest) -> Any:
    return _volunteer_out(_me(request))


@router.post("/me", response={201: VolunteerOut}, summary="注册为志愿者")
def register(request: HttpRequest, payload: RegisterIn) -> Any:
    unit = selectors.get_community(payload.org_unit_id)
    volunteer = services.volunteer_register(actor=request.user, user=request.user, org_unit=unit)
    return 201, _volunteer_out(volunteer)


@router.get("/me/signups", response=list[SignUpOut], summary="我的报名与时长")
def my_signups(request: HttpRequest) -> Any:
    return list(selectors.my_signups(_me(request)).select_related("volunteer")[:200])


@router.post("/me/signups/{signup_id}/dispute", response=SignUpOut, summary="对时长提出异议")
def dispute(request: HttpRequest, signup_id: str, payload: DisputeIn) -> Any:
    signup = selectors.get_my_signup(request.user, signup_id)
    return services.hours_dispute(actor=request.user, signup=signup, reason=payload.reason)


@router.post("/me/certificates", response={201: CertificateOut}, summary="按累计时长开具证书")
def certificate_issue(request: HttpRequest) -> Any:
    return 201, services.certificate_issue(actor=request.user, volunteer=_me(request))


@router.get("/open", response=list[ActivityOut], summary="招募中的活动")
def open_activities(request: HttpRequest, query: Query[VolunteerListQuery]) -> Any:
    return list(selectors.open_activities(query.q[:30])[_window(query)])


@router.post("/open/{activity_id}/signups", response={201: SignUpOut}, summary="报名活动岗位")
def signup(request: HttpRequest, activity_id: str, payload: SignUpIn) -> Any:
    activity = selectors.get_open_activity(activity_id)
    return 201, services.signup_create(actor=request.user, activity=activity, post=payload.post)


@router.post("/scan", response=SignUpOut, summary="扫码签到或签退（须在签到范围内）")
def scan(request: HttpRequest, payload: ScanIn) -> Any:
    return services.scan(actor=request.user, token=payload.token, lat=payload.lat, lon=payload.lon)


# --- staff -------------------------------------------------------------------------------------


@router.get("/centres", response=list[CentreOut], summary="邻里中心")
def centres(request: HttpRequest, query: Query[VolunteerListQuery]) -> Any:
    require(request.user, "volunteer.view")
    return list(selectors.centres_for(request.user).order_by("pk")[_window(query)])


@router.get("/activities", response=list[ActivityOut], summary="辖区内的志愿服务活动")
def activities(request: HttpRequest, query: Query[VolunteerListQuery]) -> Any:
    require(request.user, "volunteer.view")
    qs = selectors.activities_for(request.user, status=query.status, query=query.q[:30])
    return list(qs[_window(query)])


@router.post("/activities", response={201: ActivityOut}, summary="发起活动（草稿）")
def activity_create(request: HttpRequest, payload: ActivityIn) -> Any:
    require(request.user, ORGANISE)
    unit = selectors.get_organiser_unit(request.user, payload.org_unit_id)
    centre = (
        selectors.get_centre(request.user, payload.centre_id, ORGANISE)
        if payload.centre_id
        else None
    )
    fields = payload.dict(exclude={"org_unit_id", "centre_id"})
    fields["posts"] = [dict(p) for p in fields["posts"]]
    activity = services.activity_create(actor=request.user, org_unit=unit, centre=centre, **fields)
    return 201, activity


def _with_etag(response: HttpResponse, activity: Activity) -> Any:
    response["ETag"] = etag(activity.version)
    return activity


@router.get("/activities/{activity_id}", response=ActivityOut, summary="活动详情")
def activity_detail(request: HttpRequest, activity_id: str, response: HttpResponse) -> Any:
    return _with_etag(response, selectors.get_activity(request.user, activity_id))


@router.post(
    "/activities/{activity_id}/transition",
    response=ActivityOut,
    summary="活动流程操作（提交审核、审核、开始、结束、完成时长确认、归档、取消）",
)
def activity_transition(
    request: HttpRequest, activity_id: str, payload: ActivityTransitionIn, response: HttpResponse
) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    data: dict[str, Any] = {"note": payload.note}
    if payload.beneficiaries is not None:
        data["beneficiaries"] = payload.beneficiaries
    fresh = services.activity_transition(
        actor=request.user,
        activity=activity,
        action=payload.action,
        data=data,
        expected_version=expected_version(request),
    )
    return _with_etag(response, fresh)


@router.get("/activities/{activity_id}/signups", response=list[SignUpOut], summary="活动的报名")
def activity_signups(request: HttpRequest, activity_id: str) -> Any:
    return list(selectors.activity_signups(selectors.get_activity(request.user, activity_id)))


@router.get("/activities/{activity_id}/qr", response=QrOut, summary="签到（in）或签退（out）码")
def qr(request: HttpRequest, activity_id: str, purpose: str = Purpose.CHECK_IN) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    token = services.qr_token(actor=request.user, activity=activity, purpose=purpose)
    url = request.build_absolute_uri(reverse("volunteers:scan") + "?" + urlencode({"t": token}))
    return {"token": token, "url": url, "expires_in": tokens.ttl_seconds()}


@router.post("/signups/{signup_id}/decide", response=SignUpOut, summary="录用或不录用报名")
def decide(request: HttpRequest, signup_id: str, payload: SignUpDecideIn) -> Any:
    signup = selectors.get_signup(request.user, signup_id)
    return services.signup_decide(actor=request.user, signup=signup, approve=payload.approve)


@router.post("/signups/{signup_id}/confirm", response=SignUpOut, summary="确认时长")
def confirm(request: HttpRequest, signup_id: str) -> Any:
    signup = selectors.get_signup(request.user, signup_id)
    return services.hours_confirm(actor=request.user, signup=signup)


@router.post("/signups/{signup_id}/correct", response=SignUpOut, summary="更正签到签退时间并确认")
def correct(request: HttpRequest, signup_id: str, payload: CorrectIn) -> Any:
    signup = selectors.get_signup(request.user, signup_id)
    return services.hours_correct(
        actor=request.user,
        signup=signup,
        checked_in_at=payload.checked_in_at,
        checked_out_at=payload.checked_out_at,
        reason=payload.reason,
    )


@router.get(
    "/figures", response=FiguresOut, summary="活动、志愿者、时长与服务人次（按组织节点汇总）"
)
def figures(request: HttpRequest, unit_id: str | None = None) -> Any:
    require(request.user, "volunteer.view")
    unit = get_unit(request.user, unit_id, "volunteer.view") if unit_id else None
    f = selectors.figures(request.user, unit)
    return {
        "activities": f.activities,
        "running": f.running,
        "volunteers": f.volunteers,
        "hours": f.hours,
        "beneficiaries": f.beneficiaries,
    }
