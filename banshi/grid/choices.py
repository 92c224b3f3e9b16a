"""The 民情台账 item's states and its transition table (run by ``banshi.workflow.engine``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from banshi.workflow.engine import Step


class LedgerStatus(models.TextChoices):
    OPEN = "open", _("待办结")
    CLOSED = "closed", _("已办结")


# Who takes a ledger step: the grid (a grid member or community worker holding grid.visit).
GRID_SIDE = "grid"

S = LedgerStatus
TRANSITIONS = {
    s.action: s
    for s in [
        Step(
            "close",
            gettext_noop("办结销号"),
            {S.OPEN},
            S.CLOSED,
            GRID_SIDE,
            permission="grid.visit",
        ),
        Step(
            "reopen",
            gettext_noop("重新打开"),
            {S.CLOSED},
            S.OPEN,
            GRID_SIDE,
            permission="grid.visit",
        ),
    ]
}
