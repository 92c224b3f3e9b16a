"""Statuses of a unit's 双报到 registration and its transition table on the shared workflow
engine (``banshi.workflow.engine``); the guards live in ``services/lifecycle.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from banshi.orgtree.choices import Level
from banshi.workflow.engine import Step

VIEW = "party.view"
REGISTER = "party.register"
ACCEPT = "party.accept"

# A unit's party organisation: an organ (职能部门), a stationed unit (驻区单位), a park, or one of
# their branches. It reports to a community (社区/村).
REPORTING_LEVELS = frozenset({Level.FUNCTIONAL, Level.STATIONED, Level.PARK, Level.BRANCH})


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待社区接收")
    ACCEPTED = "accepted", _("已报到")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class Side(models.TextChoices):
    UNIT = "unit", _("报到单位")
    COMMUNITY = "community", _("社区")


S = Status

TRANSITIONS = {
    s.action: s
    for s in [
        Step(
            "accept",
            gettext_noop("接收报到"),
            {S.SUBMITTED},
            S.ACCEPTED,
            Side.COMMUNITY,
            permission=ACCEPT,
        ),
        Step(
            "return",
            gettext_noop("退回报到"),
            {S.SUBMITTED},
            S.RETURNED,
            Side.COMMUNITY,
            permission=ACCEPT,
        ),
        Step(
            "resubmit",
            gettext_noop("重新提交"),
            {S.RETURNED},
            S.SUBMITTED,
            Side.UNIT,
            permission=REGISTER,
        ),
        Step(
            "withdraw",
            gettext_noop("撤回报到"),
            {S.SUBMITTED, S.RETURNED, S.ACCEPTED},
            S.WITHDRAWN,
            Side.UNIT,
            permission=REGISTER,
        ),
    ]
}

# A unit may hold one registration with a community that is not withdrawn.
LIVE = (S.SUBMITTED, S.ACCEPTED, S.RETURNED)
