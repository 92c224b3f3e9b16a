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
    # 党建引领网格 (banshi.grid). Editing and importing households is household.manage above.
    "grid.configure": ("维护住户标签与走访规则", frozenset({R.ORG_ADMIN})),
    "grid.manage": (
        "维护党员名册（直管、在职、流动党员）",
        frozenset({R.ORG_ADMIN, R.COMMUNITY_WORKER}),
    ),
    "grid.link": ("设置与结束联户、党员中心户关系", frozenset({R.ORG_ADMIN, R.COMMUNITY_WORKER})),
    "grid.visit": (
        "录入入户走访、五个到户，登记与办结民情台账",
        frozenset({R.GRID_MEMBER, R.COMMUNITY_WORKER}),
    ),
    "grid.stats": (
        "查看联户覆盖率、走访完成率与未联系住户",
        frozenset(
            {R.ORG_ADMIN, R.GRID_MEMBER, R.COMMUNITY_WORKER, R.SUPERVISOR, R.LEADER, R.ANALYST}
        ),
    ),
    # 接诉即办 (banshi.workorders). The 12345 centre acts where a request is located; a handling
    # unit acts on the requests it leads, a co-unit on its own part of the requests it co-handles
    # (see workorders/choices.py TRANSITIONS, "side").
    "workorder.view": ("查看工单", ALL_STAFF),
    # An analyst works on aggregates: they see callers' names with the middle hidden (张*英).
    # Who sees what of a caller is decided in one place: workorders/privacy.py.
    "workorder.caller_name": ("查看诉求人完整姓名", ALL_STAFF - {R.ANALYST}),
    "workorder.submit": (
        "代群众登记诉求（电话、网格员上报、领导信箱）",
        frozenset({R.OPERATOR, R.DISPATCHER, R.GRID_MEMBER, R.COMMUNITY_WORKER}),
    ),
    "workorder.answer": ("直接答复", frozenset({R.OPERATOR, R.DISPATCHER})),
    "workorder.invalidate": ("不予受理", frozenset({R.OPERATOR, R.DISPATCHER})),
    "workorder.merge": ("并单", frozenset({R.OPERATOR, R.DISPATCHER})),
    "workorder.queue": ("转待派单", frozenset({R.OPERATOR, R.DISPATCHER})),
    "workorder.dispatch": ("派单（主办、协办单位）", frozenset({R.DISPATCHER})),
    "workorder.redispatch": ("改派", frozenset({R.DISPATCHER})),
    "workorder.refuse_return": ("退单审定", frozenset({R.DISPATCHER})),
    "workorder.approve_extension": ("批准延期", frozenset({R.DISPATCHER})),
    "workorder.refuse_extension": ("驳回延期", frozenset({R.DISPATCHER})),
    "workorder.audit_pass": ("审核答复通过", frozenset({R.DISPATCHER})),
    "workorder.audit_reject": ("审核退回", frozenset({R.DISPATCHER})),
    "workorder.callback": ("回访", frozenset({R.DISPATCHER, R.OPERATOR})),
    "workorder.reopen": ("重办", frozenset({R.DISPATCHER})),
    "workorder.rule_appeal": ("申诉审定", frozenset({R.DISPATCHER, R.SUPERVISOR})),
    "workorder.sign": ("签收", frozenset({R.HANDLER})),
    "workorder.request_return": ("申请退单", frozenset({R.HANDLER})),
    "workorder.contact": ("先行联系", frozenset({R.HANDLER})),
    "workorder.request_extension": ("申请延期", frozenset({R.HANDLER})),
    "workorder.reply": ("答复办理结果", frozenset({R.HANDLER})),
    "workorder.appeal": ("申诉（不合理诉求不计分）", frozenset({R.HANDLER})),
    "workorder.co_sign": ("作为协办单位签收", frozenset({R.HANDLER})),
    "workorder.co_reply": ("作为协办单位提交协办意见", frozenset({R.HANDLER})),
    "workorder.urge": ("催办", frozenset({R.DISPATCHER, R.SUPERVISOR})),
    "workorder.supervise": ("督办", frozenset({R.SUPERVISOR})),
    "workorder.instruct": ("领导批示", frozenset({R.LEADER})),
    "workorder.note": ("添加备注", frozenset({R.OPERATOR, R.DISPATCHER, R.SUPERVISOR, R.HANDLER})),
    "workorder.metrics": (
        "查看三率指标与排名",
        frozenset({R.ANALYST, R.LEADER, R.SUPERVISOR, R.DISPATCHER, R.ORG_ADMIN}),
    ),
    "workorder.export": (
        "导出工单列表",
        frozenset({R.ANALYST, R.SUPERVISOR, R.DISPATCHER, R.OPERATOR, R.ORG_ADMIN}),
    ),
    # 实事项目 (banshi.projects)
    "project.view": (
        "查看实事项目台账、清单、挂图作战、进展与评价（牵头单位、配合单位亦可查看）",
        frozenset({R.ORG_ADMIN, R.HANDLER, R.SUPERVISOR, R.LEADER, R.ANALYST, R.COMMUNITY_WORKER}),
    ),
    "project.collect": (
        "征集实事项目（群众点单、微心愿、走访、领导调研等录入）",
        frozenset({R.ORG_ADMIN, R.LEADER, R.SUPERVISOR, R.COMMUNITY_WORKER}),
    ),
    "project.manage": (
        "编辑项目台账与节点计划、梳理与合并重复项目、导入台账",
        frozenset({R.ORG_ADMIN, R.LEADER}),
    ),
    "project.approve": (
        "立项并列入清单、交办、维护清单、批准时限调整、暂缓、恢复与取消项目",
        frozenset({R.ORG_ADMIN, R.LEADER}),
    ),
    "project.lead": (
        "作为牵头领导确认交办、实地督查、召开现场办公会并交办议定事项",
        frozenset({R.LEADER}),
    ),
    "project.report": (
        "责任单位确认交办、填报进展、申请时限调整、申请销号、答复督办、完成整改与议定事项",
        frozenset({R.HANDLER}),
    ),
    "project.supervise": (
        "审核进展、发出督办/催办、实地督查、验收、录入群众评价、销号与公示",
        frozenset({R.SUPERVISOR}),
    ),
    "project.link": ("设置联点领导（区县、园区、街道、项目）", frozenset({R.ORG_ADMIN})),
    "project.cadence": (
        "查看与下载周梳理、月督办、季调度报表",
        frozenset({R.ORG_ADMIN, R.SUPERVISOR, R.LEADER, R.ANALYST}),
    ),
    # 邻里中心与志愿服务 (banshi.volunteers). Anyone signed in may register as a volunteer, sign
    # up, check in and ask for a certificate of their own hours; these are the staff's actions.
    "volunteer.view": (
        "查看邻里中心、志愿服务活动、报名与服务时长",
        frozenset(
            {R.ORG_ADMIN, R.COMMUNITY_WORKER, R.GRID_MEMBER, R.SUPERVISOR, R.LEADER, R.ANALYST}
        ),
    ),
    "volunteer.organise": (
        "设立邻里中心，发起志愿服务活动，审核报名，出示签到码，开始、结束与取消活动",
        frozenset({R.ORG_ADMIN, R.COMMUNITY_WORKER, R.GRID_MEMBER}),
    ),
    "volunteer.review": (
        "审核志愿服务活动并发布招募",
        frozenset({R.ORG_ADMIN, R.COMMUNITY_WORKER}),
    ),
    "volunteer.confirm": (
        "确认、更正志愿服务时长，处理时长异议，颁发证书",
        frozenset({R.ORG_ADMIN, R.COMMUNITY_WORKER}),
    ),
    # 双报到 (banshi.party): a unit's party organisation and in-service members report to a
    # community. ``party.register`` is the reporting side's, ``party.accept`` the community's.
    "party.view": (
        "查看双报到单位、报到党员、半年确认与服务时长达标情况",
        frozenset(
            {R.ORG_ADMIN, R.COMMUNITY_WORKER, R.GRID_MEMBER, R.SUPERVISOR, R.LEADER, R.ANALYST}
        ),
    ),
    "party.register": (
        "以单位党组织名义向社区报到、撤回报到",
        frozenset({R.ORG_ADMIN}),
    ),
    "party.accept": (
        "接收或退回单位报到，登记在职党员报到并办理半年确认",
        frozenset({R.ORG_ADMIN, R.COMMUNITY_WORKER}),
    ),
    # 六位等民生指标 (banshi.indicators). Values are entered at the node that owns them and
    # approved by the level above (indicator.approve on the parent node).
    "indicator.view": (
        "查看六位等民生指标的目标、完成情况与填报进度",
        frozenset({R.ORG_ADMIN, R.SUPERVISOR, R.LEADER, R.ANALYST, R.HANDLER}),
    ),
    "indicator.report": (
        "填报本单位的指标目标与完成数，报送审核",
        frozenset({R.ORG_ADMIN, R.HANDLER}),
    ),
    "indicator.approve": (
        "审核下级单位报送的指标并锁定，更正已锁定的数值（须说明理由）",
        frozenset({R.ORG_ADMIN, R.SUPERVISOR}),
    ),
    "indicator.define": ("新增指标定义（市级管理员）", frozenset({R.ORG_ADMIN})),
    # 智能派单与未诉先办 (banshi.insight)
    "dispatch.suggest": (
        "查看智能派单建议（诉求分类与承办单位）",
        frozenset({R.OPERATOR, R.DISPATCHER, R.GRID_MEMBER, R.COMMUNITY_WORKER}),
    ),
    "insight.view": (
        "查看未诉先办线索、每月一题与派单建议准确率",
        frozenset({R.ANALYST, R.DISPATCHER, R.LEADER, R.SUPERVISOR}),
    ),
    "insight.review": (
        "审查未诉先办线索：驳回、列为每月一题或转为实事项目",
        frozenset({R.SUPERVISOR, R.LEADER}),
    ),
}


def roles_for(action: str) -> frozenset[Role]:
    try:
        return ACTIONS[action][1]
    except KeyError:
        # An unknown action is a programming error; failing closed keeps it from granting anything.
        raise ValueError(f"未定义的权限动作：{action}") from None


def actions_of(role: Role | str) -> list[str]:
    return [action for action, (_, roles) in ACTIONS.items() if role in roles]
