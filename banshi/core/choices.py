"""The vocabulary more than one domain app speaks: one concept, one enum, one stored spelling.

Requests (接诉即办), projects (实事项目) and the rankings built on both rate satisfaction and show
warning colours; before these lived here each app had its own copy and the copies drifted
("dissatisfied" vs "not", ``Light`` vs ``Colour``). What each value means in a context — the
words a request's list or a project's ledger puts beside a colour — stays with that context as a
small label mapping over these values (``workorders.clock.LIGHT_LABELS``,
``projects.lag.COLOUR_LABELS``). docs/glossary.md maps the Chinese terms to these names.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    """How satisfied a person is with how their problem was handled (满意度): a citizen's rating
    of a request at callback (回访), a resident's evaluation of a project before 销号.
    满意率 = (满意 + 基本满意) ÷ rated."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


# Spellings accepted on input and read as the value beside them, so clients written before the two
# enums became one keep working: project evaluations (API, survey pages) took "not" for 不满意.
# Nothing is ever stored or answered in an alias.
SATISFACTION_ALIASES: dict[str, str] = {"not": Satisfaction.DISSATISFIED}


def satisfaction_value(value: object) -> object:
    """``value`` with an old spelling (``SATISFACTION_ALIASES``) replaced by the current one;
    anything else unchanged, for the caller's own parsing and error message."""
    if isinstance(value, str):
        return SATISFACTION_ALIASES.get(value.strip(), value)
    return value


class Colour(models.TextChoices):
    """The warning colour (预警颜色, a request's 灯色), always computed, never typed: a request's
    from its time limits (``workorders.clock.light_of``), a project's from plan and approved
    progress (``projects.lag.compute_lag``). Requests use green to red and none; projects all."""

    GREEN = "green", _("绿")
    BLUE = "blue", _("蓝")
    YELLOW = "yellow", _("黄")
    RED = "red", _("红")
    PAUSED = "paused", _("灰")
    DONE = "done", _("完成")
    NONE = "none", _("无")
