"""Every write to accounts: users, role grants, API tokens, the login throttle.

Each service runs in one transaction with its change record; permission is checked on the org node
the write touches, and an object outside the actor's subtree is answered as not found.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from banshi.accounts.models import ApiToken, LoginFailure, RoleAssignment, User, hash_token
from banshi.accounts.permissions import forget_grants
from banshi.accounts.roles import Role
from banshi.audit.services import log_personal_data_access, record_change, snapshot
from banshi.core.errors import NotFound, PermissionDenied, Throttled, ValidationFailed
from banshi.core.permissions import can, require
from banshi.core.validation import clean_mobile, clean_text
from banshi.orgtree.models import OrgUnit


def _require_user_visible(actor: Any, user: User) -> None:
    if actor is not None and not can(actor, "user.view", user) and actor.pk != user.pk:
        raise NotFound()


@transaction.atomic
def user_create(
    *,
    actor: Any,
    mobile: str,
    name: str,
    org_unit: OrgUnit,
    password: str,
    title: str = "",
) -> User:
    if actor is not None:
        require(actor, "user.manage", org_unit)
    mobile = clean_mobile(mobile)
    name = clean_text(name, field="姓名", max_length=50)
    title = clean_text(title, field="职务", max_length=50, required=False)
    if not password or len(password) < 8 or len(password) > 128 or "\x00" in password:
        raise ValidationFailed("密码长度应为8至128位", code="invalid_password")
    if User.objects.filter(mobile=mobile).exists():
        raise ValidationFailed("该手机号已注册", code="duplicate_mobile")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                mobile=mobile, password=password, name=name, org_unit=org_unit, title=title
            )
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ValidationFailed("该手机号已注册", code="duplicate_mobile") from exc
    record_change(actor=actor, action="user.create", obj=user, before=None, after=snapshot(user))
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    _require_user_visible(actor, user)
    if actor is not None:
        require(actor, "user.manage", user, view_action="user.view")
        if actor.pk == user.pk and not active:
            raise ValidationFailed("不能停用自己的账号", code="self_deactivate")
    if user.is_active == active:
        return user
    before = snapshot(user)
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    record_change(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        before=before,
        after=snapshot(user),
    )
    return user


@transaction.atomic
def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    org_unit: OrgUnit,
    valid_from: datetime.datetime | None = None,
    valid_until: datetime.datetime | None = None,
) -> RoleAssignment:
    """Grant ``role`` on ``org_unit`` to ``user``. The actor needs ``user.grant`` on that node and
    must be able to see the user; nobody can grant outside their own subtree."""
    _require_user_visible(actor, user)
    if actor is not None:
        require(actor, "user.grant", org_unit)
    if role not in Role.values:
        raise ValidationFailed("角色无效", code="invalid_role")
    valid_from = valid_from or timezone.now()
    if valid_until is not None and valid_until <= valid_from:
        raise ValidationFailed("失效时间必须晚于生效时间", code="invalid_range")
    duplicate = (
        RoleAssignment.objects.active(valid_from)
        .filter(user=user, role=role, org_unit=org_unit)
        .exists()
    )
    if duplicate:
        raise ValidationFailed("该用户在此单位已有该角色", code="duplicate_grant")
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        org_unit=org_unit,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
    )
    forget_grants(user)
    record_change(
        actor=actor, action="role.grant", obj=assignment, before=None, after=snapshot(assignment)
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    if actor is not None:
        require(actor, "user.grant", assignment.org_unit)
    before = snapshot(assignment)
    now = timezone.now()
    # Compare-and-set: of two concurrent revokes one stamps the row, the other sees it done.
    updated = RoleAssignment.objects.filter(pk=assignment.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor
    )
    if not updated:
        raise ValidationFailed("该授权已被收回", code="already_revoked")
    assignment.refresh_from_db()
    forget_grants(assignment.user)
    record_change(
        actor=actor, action="role.revoke", obj=assignment, before=before, after=snapshot(assignment)
    )
    return assignment


def reveal_mobile(*, actor: Any, user: User, purpose: str = "") -> str:
    """The full mobile number, for a role holding ``pii.view`` on the user's unit; logged."""
    _require_user_visible(actor, user)
    if not can(actor, "pii.view", user):
        raise PermissionDenied("您无权查看完整手机号")
    with transaction.atomic():
        log_personal_data_access(actor=actor, obj=user, fields=["mobile"], purpose=purpose)
    return user.mobile


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key, which is shown only this once."""
    name = clean_text(name, field="令牌名称", max_length=100)
    key = "bs_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=hash_token(key), expires_at=expires_at
    )
    record_change(actor=user, action="token.create", obj=user, before=None, after={"token": name})
    return token, key


def token_user(key: str) -> User | None:
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    # Touch at most once a minute so a busy client does not write on every call.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Login throttle --------------------------------------------------------------------------


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_check_throttle(*, mobile: str, client_ip: str) -> None:
    """Refuse further attempts once a number, or an address, has failed too often recently.

    The address limit is higher so a shared office NAT does not lock out a whole department.
    """
    since = _window_start()
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(created_at__gte=since)
    if recent.filter(mobile=mobile[:32]).count() >= limit or (
        client_ip and recent.filter(client_ip=client_ip).count() >= limit * 4
    ):
        minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
        raise Throttled(f"登录失败次数过多，请{minutes}分钟后再试")


def login_record_failure(*, mobile: str, client_ip: str) -> None:
    LoginFailure.objects.create(mobile=mobile[:32], client_ip=client_ip[:45])


def login_clear_failures(*, mobile: str) -> None:
    LoginFailure.objects.filter(mobile=mobile[:32]).delete()
