"""When an in-service member's registration is next to be confirmed, and where it stands.

A registration is confirmed every ``PARTY_CONFIRM_MONTHS`` months (six by default) counted from
the last confirmation (or the registration day). It is *due* from ``PARTY_CONFIRM_NOTICE_DAYS``
before that day up to and including the day, and *overdue* from the day after."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings

OK, DUE, OVERDUE = "ok", "due", "overdue"


def confirm_months() -> int:
    return int(getattr(settings, "PARTY_CONFIRM_MONTHS", 6))


def notice_days() -> int:
    return int(getattr(settings, "PARTY_CONFIRM_NOTICE_DAYS", 30))


def yearly_hours() -> int:
    return int(getattr(settings, "PARTY_YEARLY_HOURS", 50))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (31 Aug + 6 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(registration: Any) -> datetime.date:
    base = registration.confirmed_on or registration.registered_on
    return add_months(base, confirm_months())


def standing(registration: Any, today: datetime.date) -> str:
    due = next_due(registration)
    if today > due:
        return OVERDUE
    if today >= due - datetime.timedelta(days=notice_days()):
        return DUE
    return OK
