"""The request (工单) workflow: states, the transition table, and the enums around them.

Every state change goes through ``services.transition`` (the shared engine) with one of the actions below; the table
says from which states an action may run, where it leads, and on which side (the 12345 centre or
the handling unit) the actor stands — which decides the org path the permission is checked on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from banshi.workflow.engine import Step


class Channel(models.TextChoices):
    PHONE = "phone", _("12345热线")
    WEB = "web", _("网站")
    MOBILE = "mobile", _("移动端")
    GRID = "grid", _("网格员上报")
    MAILBOX = "mailbox", _("领导信箱")
    OPEN311 = "open311", _("Open311")


class Kind(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ANSWERED = "answered", _("直接答复")
    INVALID = "invalid", _("不予受理")
    MERGED = "merged", _("已并单")
    PENDING_DISPATCH = "pending_dispatch", _("待派单")
    DISPATCHED = "dispatched", _("已派单")
    RETURN_REQUESTED = "return_requested", _("申请退单")
    SIGNED = "signed", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复")
    CALLBACK = "callback", _("待回访")
    CLOSED = "closed", _("办结归档")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.PENDING_DISPATCH,
        Status.DISPATCHED,
        Status.RETURN_REQUESTED,
        Status.SIGNED,
        Status.IN_PROGRESS,
        Status.REPLIED,
        Status.CALLBACK,
    }
)
# States in which the handling unit's clock runs (lights and overdue apply).
CLOCK_STATUSES = frozenset(
    {Status.DISPATCHED, Status.RETURN_REQUESTED, Status.SIGNED, Status.IN_PROGRESS}
)
# Open requests the 热点 rule flags (not those already answered at intake or closed).
HOT_STATUSES = CLOCK_STATUSES | {
    Status.RECEIVED,
    Status.PENDING_DISPATCH,
    Status.REPLIED,
    Status.CALLBACK,
}
FINAL_STATUSES = frozenset({Status.ANSWERED, Status.INVALID, Status.MERGED, Status.CLOSED})


class InvalidReason(models.TextChoices):
    DUPLICATE_CALL = "duplicate_call", _("重复来电")
    NOT_GOVERNMENT = "not_government", _("不属于政府职责范围")
    LITIGATION = "litigation", _("已进入诉讼、仲裁等法定途径")
    NO_CONTENT = "no_content", _("诉求不明确或无实质内容")
    HARASSMENT = "harassment", _("骚扰、恶意来电")
    OTHER = "other", _("其他")


class Resolution(models.TextChoices):
    SOLVED = "solved", _("已解决")
    PARTLY = "partly", _("部分解决")
    UNSOLVED = "unsolved", _("未解决")


class AppealStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("申诉待审")
    APPROVED = "approved", _("申诉成立（不计分）")
    REFUSED = "refused", _("申诉不成立")


class Side(models.TextChoices):
    CENTRE = "centre", _("热线中心")
    UNIT = "unit", _("承办单位")
    CO_UNIT = "co_unit", _("协办单位")
    CITIZEN = "citizen", _("群众")
    SYSTEM = "system", _("系统")


# The sides a member of staff acts on: the centre where the request is, the lead unit on the
# requests it leads, a co-unit (协办单位) on its own part of the requests it co-handles.
STAFF_SIDES = frozenset({Side.CENTRE, Side.UNIT, Side.CO_UNIT})


# The table, as data: each row is a step of the shared engine (``banshi.workflow.engine.Step``);
# the action is also the permission ("workorder.<action>"); a target of None leaves the status
# as it is (an event on the timeline only). The guards and after-effects that go with each row
# are attached in ``services.workflow`` (``LIFECYCLE``); ``manage.py workflow_table workorder``
# prints the whole of it (docs/workflows.md).
_t = Step
S = Status
TRANSITIONS: dict[str, Step] = {
    t.action: t
    for t in [
        _t("answer", gettext_noop("直接答复"), {S.RECEIVED}, S.ANSWERED, Side.CENTRE),
        _t(
            "invalidate",
            gettext_noop("不予受理"),
            {S.RECEIVED, S.PENDING_DISPATCH},
            S.INVALID,
            Side.CENTRE,
        ),
        _t("merge", gettext_noop("并单"), {S.RECEIVED, S.PENDING_DISPATCH}, S.MERGED, Side.CENTRE),
        _t("queue", gettext_noop("转待派单"), {S.RECEIVED}, S.PENDING_DISPATCH, Side.CENTRE),
        _t(
            "dispatch",
            gettext_noop("派单"),
            {S.RECEIVED, S.PENDING_DISPATCH},
            S.DISPATCHED,
            Side.CENTRE,
        ),
        _t("sign", gettext_noop("签收"), {S.DISPATCHED}, S.SIGNED, Side.UNIT),
        _t(
            "request_return",
            gettext_noop("申请退单"),
            {S.DISPATCHED, S.SIGNED},
            S.RETURN_REQUESTED,
            Side.UNIT,
        ),
        _t("redispatch", gettext_noop("改派"), {S.RETURN_REQUESTED}, S.DISPATCHED, Side.CENTRE),
        _t(
            "refuse_return",
            gettext_noop("退单审定（不予退回）"),
            {S.RETURN_REQUESTED},
            S.SIGNED,
            Side.CENTRE,
        ),
        _t("contact", gettext_noop("先行联系"), {S.SIGNED}, S.IN_PROGRESS, Side.UNIT),
        _t("request_extension", gettext_noop("申请延期"), {S.IN_PROGRESS}, None, Side.UNIT),
        _t(
            "approve_extension",
            gettext_noop("批准延期"),
            {S.IN_PROGRESS, S.REPLIED},
            None,
            Side.CENTRE,
        ),
        _t(
            "refuse_extension",
            gettext_noop("驳回延期"),
            {S.IN_PROGRESS, S.REPLIED},
            None,
            Side.CENTRE,
        ),
        _t("reply", gettext_noop("答复"), {S.IN_PROGRESS}, S.REPLIED, Side.UNIT),
        _t("audit_pass", gettext_noop("审核通过"), {S.REPLIED}, S.CALLBACK, Side.CENTRE),
        _t("audit_reject", gettext_noop("审核退回"), {S.REPLIED}, S.IN_PROGRESS, Side.CENTRE),
        _t("callback", gettext_noop("回访"), {S.CALLBACK}, S.CLOSED, Side.CENTRE),
        _t("rate", gettext_noop("群众评价"), {S.CALLBACK}, S.CLOSED, Side.CITIZEN),
        _t(
            "auto_rate", gettext_noop("逾期未评价视为基本满意"), {S.CALLBACK}, S.CLOSED, Side.SYSTEM
        ),
        _t("reopen", gettext_noop("重办"), {S.CALLBACK, S.CLOSED}, S.IN_PROGRESS, Side.CENTRE),
        _t("urge", gettext_noop("催办"), set(CLOCK_STATUSES), None, Side.CENTRE),
        _t("supervise", gettext_noop("督办"), set(CLOCK_STATUSES | {S.REPLIED}), None, Side.CENTRE),
        _t("instruct", gettext_noop("领导批示"), set(OPEN_STATUSES), None, Side.CENTRE),
        _t("appeal", gettext_noop("申诉"), {S.CLOSED}, None, Side.UNIT),
        # A co-unit's part: it signs for its share and sends its handling opinion (协办意见),
        # which the lead unit reads before replying. The request's own status does not move.
        _t("co_sign", gettext_noop("协办签收"), set(CLOCK_STATUSES), None, Side.CO_UNIT),
        _t("co_reply", gettext_noop("提交协办意见"), set(CLOCK_STATUSES), None, Side.CO_UNIT),
        _t("rule_appeal", gettext_noop("申诉审定"), {S.CLOSED}, None, Side.CENTRE),
        _t("note", gettext_noop("备注"), set(OPEN_STATUSES | FINAL_STATUSES), None, Side.CENTRE),
        _t("remind", gettext_noop("到期提醒"), set(CLOCK_STATUSES), None, Side.SYSTEM),
        _t(
            "mark_overdue",
            gettext_noop("超时"),
            set(CLOCK_STATUSES | {S.REPLIED}),
            None,
            Side.SYSTEM,
        ),
        _t("auto_urge", gettext_noop("自动催办"), set(CLOCK_STATUSES), None, Side.SYSTEM),
        _t("escalate", gettext_noop("超时通报"), set(CLOCK_STATUSES), None, Side.SYSTEM),
        _t("mark_hot", gettext_noop("标记热点"), set(HOT_STATUSES), None, Side.SYSTEM),
    ]
}
