"""The Chinese working-day calendar: statutory holidays and 调休 make-up workdays.

Whether a date is a working day is answered, in order, by:
1. an admin-entered ``CalendarOverride`` row (so next year's official schedule, published by the
   State Council each November, can be entered before the library knows it);
2. the ``chinese-calendar`` package, for the years it covers;
3. Monday to Friday, for years nobody has entered yet.

Time limits counted in working days keep the clock time: N working days after Friday 15:00 is
the Nth following working day at 15:00. A start on a non-working day counts from 00:00 of the
next working day, so one working day after a Saturday is the end of Monday.
"""

from __future__ import annotations

import datetime
import threading
import time
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
_CACHE_SECONDS = 60
_lock = threading.Lock()
_cache: dict[str, object] = {"at": 0.0, "days": {}}


def _overrides() -> dict[datetime.date, bool]:
    with _lock:
        if time.monotonic() - float(_cache["at"]) > _CACHE_SECONDS:  # type: ignore[arg-type]
            from banshi.core.models import CalendarOverride

            _cache["days"] = dict(CalendarOverride.objects.values_list("date", "is_workday"))
            _cache["at"] = time.monotonic()
        return _cache["days"]  # type: ignore[return-value]


def forget_overrides() -> None:
    """Drop the cached overrides (after an edit, and between tests)."""
    with _lock:
        _cache["at"] = 0.0


def is_workday(day: datetime.date) -> bool:
    override = _overrides().get(day)
    if override is not None:
        return override
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def holiday_name(day: datetime.date) -> str | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return name if on_holiday and name else None


def local(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("需要带时区的时间")
    return moment.astimezone(TZ)


def next_workday(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """``days`` working days after ``start`` (see the module docstring for the rule)."""
    if days < 0:
        raise ValueError("工作日数不能为负")
    moment = local(start)
    day = moment.date()
    if is_workday(day):
        for _ in range(days):
            day = next_workday(day)
        return datetime.datetime.combine(day, moment.time(), tzinfo=TZ)
    if days == 0:
        return datetime.datetime.combine(next_workday(day), datetime.time(0), tzinfo=TZ)
    # Received on a rest day: the first working day counts whole, so the limit ends at the
    # midnight that closes the Nth working day.
    day = next_workday(day)
    for _ in range(days - 1):
        day = next_workday(day)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=TZ)


def add_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    """Natural hours, for urgent limits (紧急/特急)."""
    return local(start) + datetime.timedelta(hours=hours)


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """Whole working days from ``start`` to ``end`` (0 when ``end`` is not later)."""
    a, b = local(start).date(), local(end).date()
    if b <= a:
        return 0
    count = 0
    day = a
    while day < b:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
