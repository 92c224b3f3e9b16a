"""REST endpoints for the current user, accounts and role grants."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Query, Router, Schema

from banshi.accounts import selectors, services
from banshi.accounts.roles import ACTIONS
from banshi.accounts.schemas import (
    MeOut,
    MobileOut,
    RoleAssignmentOut,
    RoleGrantIn,
    TokenIn,
    TokenOut,
    UserCreateIn,
    UserDetailOut,
    UserOut,
)
from banshi.core.errors import ValidationFailed
from banshi.core.http import client_ip
from banshi.core.permissions import can
from banshi.orgtree.selectors import get_unit

router = Router(tags=["账号与权限"])
auth_router = Router(tags=["认证"])


@auth_router.post("/token", response={201: TokenOut}, auth=None, summary="用手机号和密码换取令牌")
def token_obtain(request: HttpRequest, payload: TokenIn):
    mobile = payload.mobile.strip()[:32]
    services.login_check_throttle(mobile=mobile, client_ip=client_ip(request))
    user = authenticate(request, mobile=mobile, password=payload.password)
    if user is None:
        services.login_record_failure(mobile=mobile, client_ip=client_ip(request))
        raise ValidationFailed("手机号或密码错误", code="invalid_credentials")
    services.login_clear_failures(mobile=mobile)
    token, key = services.token_create(user=user, name=payload.name or "API")
    return 201, {"token": key, "prefix": token.prefix, "user": user}


def _with_roles(user):
    user.roles = list(selectors.active_assignments(user))
    return user


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest):
    user = _with_roles(request.user)
    user.actions = sorted(a for a in ACTIONS if can(user, a))
    return user


class UserQuery(Schema):
    q: str = ""
    unit: str | None = None


@router.get("/users", response=list[UserOut], summary="辖区内账号")
def user_list(request: HttpRequest, params: Query[UserQuery]):
    unit = get_unit(request.user, params.unit) if params.unit else None
    qs = selectors.users_for(
        request.user, query=params.q[:50], unit_path=unit.path if unit else None
    )
    return list(qs[:200])


@router.get("/users/{user_id}", response=UserDetailOut, summary="账号详情")
def user_detail(request: HttpRequest, user_id: str):
    return _with_roles(selectors.get_user(request.user, user_id))


@router.post("/users", response={201: UserOut}, summary="新建账号")
def user_create(request: HttpRequest, payload: UserCreateIn):
    unit = get_unit(request.user, payload.org_unit_id)
    user = services.user_create(
        actor=request.user,
        mobile=payload.mobile,
        name=payload.name,
        org_unit=unit,
        password=payload.password,
        title=payload.title,
    )
    return 201, user


@router.post("/users/{user_id}/reveal-mobile", response=MobileOut, summary="查看完整手机号（留痕）")
def user_reveal_mobile(request: HttpRequest, user_id: str):
    user = selectors.get_user(request.user, user_id)
    return {"mobile": services.reveal_mobile(actor=request.user, user=user, purpose="API")}


@router.post("/users/{user_id}/roles", response={201: RoleAssignmentOut}, summary="授予角色")
def role_grant(request: HttpRequest, user_id: str, payload: RoleGrantIn):
    user = selectors.get_user(request.user, user_id)
    unit = get_unit(request.user, payload.org_unit_id)
    assignment = services.role_grant(
        actor=request.user,
        user=user,
        role=payload.role,
        org_unit=unit,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return 201, assignment


@router.delete("/roles/{assignment_id}", response={204: None}, summary="收回角色")
def role_revoke(request: HttpRequest, assignment_id: str):
    assignment = selectors.get_assignment(request.user, assignment_id)
    services.role_revoke(actor=request.user, assignment=assignment)
    return 204, None
