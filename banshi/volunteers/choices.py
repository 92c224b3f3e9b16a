"""Statuses of volunteer activities, sign-ups and hours, and the activity's transition table.

The table is data on the shared workflow engine (``banshi.workflow.engine``); the guards that
check each step live in ``lifecycle.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from banshi.orgtree.choices import Level
from banshi.workflow.engine import SYSTEM_SIDE, Step


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    RECRUITING = "recruiting", _("招募中")
    RUNNING = "running", _("进行中")
    ENDED = "ended", _("已结束")
    CONFIRMED = "confirmed", _("时长已确认")
    ARCHIVED = "archived", _("已归档")
    CANCELLED = "cancelled", _("已取消")


class Side(models.TextChoices):
    ORGANISER = "organiser", _("组织方")
    REVIEWER = "reviewer", _("审核方")
    SYSTEM = SYSTEM_SIDE, _("系统")


class SignUpStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已录用")
    REJECTED = "rejected", _("未录用")
    WITHDRAWN = "withdrawn", _("已退出")


class HoursStatus(models.TextChoices):
    NONE = "none", _("未签退")
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISPUTED = "disputed", _("有异议")


class Purpose(models.TextChoices):
    CHECK_IN = "in", _("签到")
    CHECK_OUT = "out", _("签退")


S = Status
OPEN = {S.DRAFT, S.REVIEW, S.RECRUITING, S.RUNNING}
# Sign-ups are taken while recruiting and, for late-comers, while the activity runs.
SIGNUP_OPEN = {S.RECRUITING, S.RUNNING}
# Check-in and check-out happen while the activity runs (the organiser starts it on site).
ON_SITE = {S.RUNNING}
# Hours may be confirmed, disputed and corrected once the activity has ended.
HOURS_OPEN = {S.ENDED}

# Who may run an activity: a community (its 邻里中心) or a party branch (a residential estate's).
ORGANISER_LEVELS = frozenset({Level.COMMUNITY, Level.BRANCH})

ORGANISE = "volunteer.organise"
REVIEW = "volunteer.review"
CONFIRM = "volunteer.confirm"

TRANSITIONS = {
    s.action: s
    for s in [
        Step(
            "submit",
            gettext_noop("提交审核"),
            {S.DRAFT},
            S.REVIEW,
            Side.ORGANISER,
            permission=ORGANISE,
        ),
        Step(
            "approve",
            gettext_noop("审核通过并发布招募"),
            {S.REVIEW},
            S.RECRUITING,
            Side.REVIEWER,
            permission=REVIEW,
        ),
        Step(
            "return",
            gettext_noop("退回修改"),
            {S.REVIEW},
            S.DRAFT,
            Side.REVIEWER,
            permission=REVIEW,
        ),
        Step(
            "start",
            gettext_noop("开始活动"),
            {S.RECRUITING},
            S.RUNNING,
            Side.ORGANISER,
            permission=ORGANISE,
        ),
        Step(
            "end",
            gettext_noop("结束活动"),
            {S.RUNNING},
            S.ENDED,
            Side.ORGANISER,
            permission=ORGANISE,
        ),
        Step(
            "confirm_hours",
            gettext_noop("完成时长确认"),
            {S.ENDED},
            S.CONFIRMED,
            Side.ORGANISER,
            permission=CONFIRM,
        ),
        Step(
            "archive",
            gettext_noop("归档"),
            {S.CONFIRMED},
            S.ARCHIVED,
            Side.ORGANISER,
            permission=ORGANISE,
        ),
        Step(
            "cancel",
            gettext_noop("取消活动"),
            OPEN,
            S.CANCELLED,
            Side.ORGANISER,
            permission=ORGANISE,
        ),
    ]
}
