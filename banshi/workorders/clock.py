"""Due times and lights of a request, from the time-limit rules and the working-day calendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banshi.core.calendar import add_hours, add_working_days
from banshi.core.choices import Colour
from banshi.workorders.choices import CLOCK_STATUSES, Kind, Status, Urgency
from banshi.workorders.models import TimeLimitRule, WorkOrder

WORKDAYS = TimeLimitRule.Unit.WORKDAYS
HOURS = TimeLimitRule.Unit.HOURS

# DOMAIN.md §4 defaults: sign within 1 working day (urgent 2 h, critical 30 min); first contact
# within 24 h; close 咨询 2, 求助/建议 10, 投诉/举报 15 working days; urgent and critical shorter.
_CLOSE_NORMAL = {
    Kind.CONSULT: 2,
    Kind.HELP: 10,
    Kind.SUGGESTION: 10,
    Kind.COMPLAINT: 15,
    Kind.REPORT: 15,
}
DEFAULT_RULES: dict[
    tuple[str, str], tuple[tuple[Decimal, str], tuple[Decimal, str], tuple[Decimal, str]]
] = {}
for _kind, _days in _CLOSE_NORMAL.items():
    DEFAULT_RULES[(_kind, Urgency.NORMAL)] = (
        (Decimal(1), WORKDAYS),
        (Decimal(24), HOURS),
        (Decimal(_days), WORKDAYS),
    )
    DEFAULT_RULES[(_kind, Urgency.URGENT)] = (
        (Decimal(2), HOURS),
        (Decimal(4), HOURS),
        (Decimal(min(_days, 5)), WORKDAYS),
    )
    DEFAULT_RULES[(_kind, Urgency.CRITICAL)] = (
        (Decimal("0.5"), HOURS),
        (Decimal(2), HOURS),
        (Decimal(24), HOURS),
    )

# The blue light comes on when this share of the closing window is left.
NEAR_SHARE = Decimal("0.25")

# The colours a request's clock shows (filters list them in this order), and what each means for
# a request. Off the clock a request has ``Colour.NONE``, which pages leave blank.
LIGHTS = (Colour.GREEN, Colour.BLUE, Colour.YELLOW, Colour.RED)
LIGHT_LABELS: dict[str, Any] = {
    Colour.GREEN: _("正常"),
    Colour.BLUE: _("临期"),
    Colour.YELLOW: _("滞后"),
    Colour.RED: _("超时"),
    Colour.NONE: _("无"),
}


@dataclass(frozen=True)
class Limits:
    sign: tuple[Decimal, str]
    contact: tuple[Decimal, str]
    close: tuple[Decimal, str]


def limits_for(kind: str, urgency: str, org_level: str = "") -> Limits:
    rules = {
        r.org_level: r
        for r in TimeLimitRule.objects.filter(
            kind=kind, urgency=urgency, org_level__in=[org_level, ""]
        )
    }
    rule = rules.get(org_level) or rules.get("")
    if rule is not None:
        return Limits(
            (rule.sign_amount, rule.sign_unit),
            (rule.contact_amount, rule.contact_unit),
            (rule.close_amount, rule.close_unit),
        )
    sign, contact, close = DEFAULT_RULES[(kind, urgency)]
    return Limits(sign, contact, close)


def after(start: datetime.datetime, limit: tuple[Decimal, str]) -> datetime.datetime:
    amount, unit = limit
    if unit == HOURS:
        return add_hours(start, float(amount))
    whole = int(amount)
    result = add_working_days(start, whole)
    if amount != whole:  # a half working day: 4 natural hours of the next working day
        result = add_hours(result, float((amount - whole) * 8))
    return result


def near_due(start: datetime.datetime, close_due: datetime.datetime) -> datetime.datetime:
    window = close_due - start
    return close_due - window * float(NEAR_SHARE)


def light_of(order: WorkOrder, now: datetime.datetime) -> str:
    """Red: past the closing limit. Yellow: a step (signing, first contact) is late. Blue: inside
    the last quarter of the closing window. Green: on time. None for orders off the clock."""
    if order.status not in CLOCK_STATUSES or order.close_due is None:
        return Colour.NONE
    if now > order.close_due:
        return Colour.RED
    if (order.signed_at is None and order.sign_due and now > order.sign_due) or (
        order.contacted_at is None and order.contact_due and now > order.contact_due
    ):
        return Colour.YELLOW
    if order.near_due_at and now >= order.near_due_at:
        return Colour.BLUE
    return Colour.GREEN


def light_q(light: str, now: datetime.datetime) -> Q:
    """The same rule as ``light_of`` as a filter, for lists and queues."""
    clock = Q(status__in=CLOCK_STATUSES, close_due__isnull=False)
    red = Q(close_due__lt=now)
    yellow = (Q(signed_at__isnull=True) & Q(sign_due__lt=now)) | (
        Q(contacted_at__isnull=True) & Q(contact_due__lt=now)
    )
    blue = Q(near_due_at__lte=now)
    if light == Colour.RED:
        return clock & red
    if light == Colour.YELLOW:
        return clock & ~red & yellow
    if light == Colour.BLUE:
        return clock & ~red & ~yellow & blue
    if light == Colour.GREEN:
        return clock & ~red & ~yellow & ~blue
    raise ValueError(light)


def remaining_text(order: WorkOrder, now: datetime.datetime) -> str:
    """A countdown for unit pages, in the page's language: 剩余 2天3小时 / 超时 5小时."""
    if order.close_due is None or order.status not in CLOCK_STATUSES | {Status.REPLIED}:
        return ""
    delta = order.close_due - now
    late = delta.total_seconds() < 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    minutes = (rest % 3600) // 60
    if days:
        span = gettext("%(days)s天%(hours)s小时") % {"days": days, "hours": hours}
    elif hours:
        span = gettext("%(hours)s小时%(minutes)s分") % {"hours": hours, "minutes": minutes}
    else:
        span = gettext("%(minutes)s分钟") % {"minutes": minutes}
    if late:
        return gettext("超时 %(span)s") % {"span": span}
    return gettext("剩余 %(span)s") % {"span": span}
