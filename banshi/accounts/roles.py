"""Roles, and the one map from each action to the roles that grant it.

A role is granted on a node of the organisation tree and reaches that node's whole subtree. Code
never asks "is this user a dispatcher?"; it asks ``can(user, "workorder.dispatch", obj)`` and this
map answers. Later modules add their actions here, next to the ones below.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("组织管理员")
    OPERATOR = "operator", _("话务员/受理员")
    DISPATCHER = "dispatcher", _("派单员")
    HANDLER = "handler", _("承办单位联络员/承办人")
    SUPERVISOR = "supervisor", _("督查员")
    LEADER = "leader", _("牵头领导/联点领导")
    GRID_MEMBER = "grid_member", _("网格员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    ANALYST = "analyst", _("分析员/领导查看")


R = Role
ALL_STAFF = frozenset(Role)

# action -> (description, roles that grant it). The description is what the role pages show.
ACTIONS: dict[str, tuple[str, frozenset[Role]]] = {
    "orgunit.view": ("查看组织架构", ALL_STAFF),
    "orgunit.manage": ("新建、改名、移动组织单元", frozenset({R.ORG_ADMIN})),
    "user.view": ("查看辖区内账号", frozenset({R.ORG_ADMIN})),
    "user.manage": ("新建、停用辖区内账号", frozenset({R.ORG_ADMIN})),
    "user.grant": ("授予、收回辖区内角色", frozenset({R.ORG_ADMIN})),
    "pii.view": (
        "查看完整手机号、身份证号（每次查看均留痕）",
        frozenset({R.ORG_ADMIN, R.OPERATOR, R.DISPATCHER, R.GRID_MEMBER, R.COMMUNITY_WORKER}),
    ),
    "audit.view": ("查看变更记录与个人信息查看记录", frozenset({R.ORG_ADMIN, R.SUPERVISOR})),
    "household.view": (
        "查看住户台账",
        frozenset({R.ORG_ADMIN, R.GRID_MEMBER, R.COMMUNITY_WORKER, R.SUPERVISOR}),
    ),
    "household.manage": ("维护住户台账", frozenset({R.GRID_MEMBER, R.COMMUNITY_WORKER})),
}


def roles_for(action: str) -> frozenset[Role]:
    try:
        return ACTIONS[action][1]
    except KeyError:
        # An unknown action is a programming error; failing closed keeps it from granting anything.
        raise ValueError(f"未定义的权限动作：{action}") from None


def actions_of(role: Role | str) -> list[str]:
    return [action for action, (_, roles) in ACTIONS.items() if role in roles]
