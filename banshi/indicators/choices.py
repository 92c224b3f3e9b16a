"""The indicator vocabulary and the period report's lifecycle table (its guards are in
``services/lifecycle.py``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from banshi.workflow.engine import Step


class Kind(models.TextChoices):
    FLOW = "flow", _("增量（按季累加）")
    STOCK = "stock", _("存量（取最新）")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送待审核")
    APPROVED = "approved", _("已审核锁定")
    RETURNED = "returned", _("已退回")


class Side(models.TextChoices):
    UNIT = "unit", _("填报单位")
    REVIEWER = "reviewer", _("上级审核单位")


# The quarter 0 report of a year holds the year's targets; quarters 1–4 hold the actuals.
TARGET_QUARTER = 0
QUARTERS = (1, 2, 3, 4)

S = Status
REPORT = "indicator.report"
APPROVE = "indicator.approve"

TRANSITIONS: dict[str, Step] = {
    t.action: t
    for t in [
        Step(
            "submit",
            gettext_noop("报送"),
            {S.DRAFT, S.RETURNED},
            S.SUBMITTED,
            Side.UNIT,
            permission=REPORT,
        ),
        Step(
            "approve",
            gettext_noop("审核通过并锁定"),
            {S.SUBMITTED},
            S.APPROVED,
            Side.REVIEWER,
            permission=APPROVE,
        ),
        Step(
            "return",
            gettext_noop("退回修改"),
            {S.SUBMITTED},
            S.RETURNED,
            Side.REVIEWER,
            permission=APPROVE,
        ),
    ]
}
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Counted in the roll-ups: only what the level above has approved.
COUNTED = S.APPROVED


def period_label(year: int, quarter: int) -> str:
    if quarter == TARGET_QUARTER:
        return str(gettext("%(year)s年度目标") % {"year": year})
    return str(gettext("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter})
