"""The 实事项目 vocabulary: list levels, sources, fields, handling types, the project lifecycle with
its transition table and progress-report states. The warning colour and satisfaction are shared
with requests: ``banshi.core.choices`` (``Colour``, ``Satisfaction``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from banshi.workflow.engine import SYSTEM_SIDE, Step


class ListLevel(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("省委常委会")
    CITY_COMMITTEE = "city_committee", _("市委常委会")
    CITY = "city", _("全市")
    DISTRICT = "district", _("区县（市）")
    STREET = "street", _("街道（乡镇）")
    COMMUNITY = "community", _("社区（村）")
    BRANCH = "branch", _("党支部")
    MEMBER = "member", _("党员个人")


class Source(models.TextChoices):
    CITIZEN_ORDER = "citizen_order", _("群众点单")
    WISH = "wish", _("微心愿")
    HOTLINE_CLUSTER = "hotline_cluster", _("12345热线集中诉求")
    VISIT = "visit", _("走访")
    LEADER_RESEARCH = "leader_research", _("领导调研")
    DEPUTY_SUGGESTION = "deputy_suggestion", _("人大代表建议")
    PUBLIC_VOTE = "public_vote", _("群众投票")


class Field(models.TextChoices):
    """The 六位 first, then the other fields the city's ledgers use."""

    SCHOOL_PLACES = "school_places", _("学位")
    HOSPITAL_BEDS = "hospital_beds", _("床位")
    PARKING = "parking", _("车位")
    TOILETS = "toilets", _("厕位")
    ELEVATORS = "elevators", _("梯位")
    MARKET_STALLS = "market_stalls", _("摊位")
    OLD_ESTATES = "old_estates", _("老旧小区改造")
    ROADS = "roads", _("道路交通")
    UTILITIES = "utilities", _("供水供电供气")
    ENVIRONMENT = "environment", _("环境整治")
    DISASTER = "disaster", _("防灾减灾")
    GOVERNANCE = "governance", _("基层治理")
    OTHER = "other", _("其他")


class HandlingType(models.TextChoices):
    IMMEDIATE = "immediate", _("立刻办")
    DEADLINE = "deadline", _("限期办")
    PHASED = "phased", _("分期办")


class Status(models.TextChoices):
    COLLECTED = "collected", _("征集")
    SCREENED = "screened", _("已梳理")
    MERGED = "merged", _("已并入其他项目")
    APPROVED = "approved", _("已立项")
    ASSIGNED = "assigned", _("已交办待确认")
    IN_PROGRESS = "in_progress", _("推进中")
    DEFERRED = "deferred", _("暂缓实施")
    CLAIMED = "claimed", _("申请销号")
    VERIFIED = "verified", _("已验收")
    CLOSED = "closed", _("已销号")
    CANCELLED = "cancelled", _("已取消")


S = Status
# Statuses in which a project is being carried out: lag is computed for these and the cadence
# reports list them as open.
ACTIVE_STATUSES = frozenset(
    {S.APPROVED, S.ASSIGNED, S.IN_PROGRESS, S.DEFERRED, S.CLAIMED, S.VERIFIED}
)
# Statuses that count as "approved" for the completion rate (closed ÷ approved).
APPROVED_OR_LATER = ACTIVE_STATUSES | {S.CLOSED}
TERMINAL_STATUSES = frozenset({S.MERGED, S.CLOSED, S.CANCELLED})


class Side(models.TextChoices):
    """Who takes a step of the lifecycle (the table's 谁 column); the permission is the step's."""

    MANAGER = "manager", _("台账管理")
    APPROVER = "approver", _("审批交办")
    UNIT = "unit", _("牵头单位")
    SUPERVISOR = "supervisor", _("督查验收")
    SYSTEM = SYSTEM_SIDE, _("系统")


# The lifecycle as data: each row is a step of the shared engine (``banshi.workflow.engine``) with
# the permission it needs. The guards (what a step needs beyond the status, the columns it writes)
# and the after-effects are attached in ``services.lifecycle`` (``LIFECYCLE``);
# ``manage.py workflow_table project`` prints the whole of it (docs/workflows.md).
# ``project_transition`` is the only code that changes a status.
_t = Step
TRANSITIONS: dict[str, Step] = {
    t.action: t
    for t in [
        _t(
            "screen",
            gettext_noop("梳理"),
            {S.COLLECTED},
            S.SCREENED,
            Side.MANAGER,
            permission="project.manage",
        ),
        _t(
            "merge",
            gettext_noop("并入重复项目"),
            {S.COLLECTED, S.SCREENED},
            S.MERGED,
            Side.MANAGER,
            permission="project.manage",
        ),
        _t(
            "approve",
            gettext_noop("立项"),
            {S.SCREENED},
            S.APPROVED,
            Side.APPROVER,
            permission="project.approve",
        ),
        _t(
            "assign",
            gettext_noop("交办"),
            {S.APPROVED},
            S.ASSIGNED,
            Side.APPROVER,
            permission="project.approve",
        ),
        # Only the service itself takes this step, when both confirmations are in.
        _t(
            "start",
            gettext_noop("双方确认，开始推进"),
            {S.ASSIGNED},
            S.IN_PROGRESS,
            Side.SYSTEM,
            permission="project.approve",
        ),
        _t(
            "claim",
            gettext_noop("申请销号"),
            {S.IN_PROGRESS},
            S.CLAIMED,
            Side.UNIT,
            permission="project.report",
        ),
        _t(
            "verify",
            gettext_noop("验收通过"),
            {S.CLAIMED},
            S.VERIFIED,
            Side.SUPERVISOR,
            permission="project.supervise",
        ),
        _t(
            "reject",
            gettext_noop("退回整改"),
            {S.CLAIMED, S.VERIFIED},
            S.IN_PROGRESS,
            Side.SUPERVISOR,
            permission="project.supervise",
        ),
        _t(
            "close",
            gettext_noop("销号"),
            {S.VERIFIED},
            S.CLOSED,
            Side.SUPERVISOR,
            permission="project.supervise",
        ),
        _t(
            "defer",
            gettext_noop("暂缓实施"),
            {S.IN_PROGRESS},
            S.DEFERRED,
            Side.APPROVER,
            permission="project.approve",
        ),
        _t(
            "resume",
            gettext_noop("恢复推进"),
            {S.DEFERRED},
            S.IN_PROGRESS,
            Side.APPROVER,
            permission="project.approve",
        ),
        _t(
            "cancel",
            gettext_noop("取消项目"),
            set(Status) - TERMINAL_STATUSES,
            S.CANCELLED,
            Side.APPROVER,
            permission="project.approve",
        ),
    ]
}
# Steps whose 说明 is required (the reason goes on the timeline and to the people told).
NOTE_REQUIRED = frozenset({"merge", "claim", "reject", "defer", "resume", "cancel"})


class ConfirmParty(models.TextChoices):
    LEADER = "leader", _("牵头领导")
    UNIT = "unit", _("牵头单位")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")


class AttachmentKind(models.TextChoices):
    PROGRESS_PHOTO = "progress_photo", _("进展照片")
    EVIDENCE = "evidence", _("销号佐证")
    INSPECTION_PHOTO = "inspection_photo", _("督查照片")


class DeadlineChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class NoticeKind(models.TextChoices):
    SUPERVISE = "supervise", _("督办")
    URGE = "urge", _("催办")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class InspectionPurpose(models.TextChoices):
    ROUTINE = "routine", _("日常督查")
    VERIFICATION = "verification", _("销号验收")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("未完成")
    DONE = "done", _("已完成")


class LinkKind(models.TextChoices):
    DISTRICT = "district", _("联系区县")
    PARK = "park", _("联系园区")
    STREET = "street", _("联系街道")
    PROJECT = "project", _("联系项目")


class EvaluationChannel(models.TextChoices):
    ONLINE = "online", _("线上测评")
    OFFLINE = "offline", _("现场测评")


class SurveyRejectReason(models.TextChoices):
    """Why the online survey refused a vote or a code request (counted for staff)."""

    DUPLICATE = "duplicate", _("重复投票")
    BAD_CODE = "bad_code", _("验证码错误或已失效")
    NOT_ELIGIBLE = "not_eligible", _("手机号不在名单内")
    RATE_LIMITED = "rate_limited", _("请求过于频繁")


class CadenceKind(models.TextChoices):
    WEEKLY = "weekly", _("周梳理")
    MONTHLY = "monthly", _("月督办")
    QUARTERLY = "quarterly", _("季调度")
