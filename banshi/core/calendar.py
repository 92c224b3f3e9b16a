"""The Chinese working-day calendar: statutory holidays and 调休 make-up workdays.

Whether a date is a working day is answered, in order, by:
1. an admin-entered ``CalendarOverride`` row (so next year's official schedule, published by the
   State Council each November, can be entered before the library knows it);
2. the ``chinese-calendar`` package, for the years it covers;
3. Monday to Friday, for years nobody has entered yet. That guess is wrong around every holiday,
   so it is logged as a warning (once per year per process) and ``unknown_years`` tells the admin
   banner which coming years still need the State Council's notice (docs/operations.md).

Time limits counted in working days keep the clock time: N working days after Friday 15:00 is
the Nth following working day at 15:00. A start on a non-working day counts from 00:00 of the
next working day, so one working day after a Saturday is the end of Monday.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
_CACHE_SECONDS = 60
# How far ahead deadlines reach: the longest closing limit (15 working days) plus the longest
# extension (30 working days) is about nine weeks, so from early November on the coming year's
# schedule is needed.
LOOKAHEAD_DAYS = 60
logger = logging.getLogger("banshi.calendar")
_lock = threading.Lock()
_cache: dict[str, object] = {"at": 0.0, "days": {}, "years": frozenset()}
_warned: set[int] = set()


def _overrides() -> dict[datetime.date, bool]:
    with _lock:
        if time.monotonic() - float(_cache["at"]) > _CACHE_SECONDS:  # type: ignore[arg-type]
            from banshi.core.models import CalendarOverride

            days = dict(CalendarOverride.objects.values_list("date", "is_workday"))
            _cache["days"] = days
            _cache["years"] = frozenset(day.year for day in days)
            _cache["at"] = time.monotonic()
        return _cache["days"]  # type: ignore[return-value]


def _override_years() -> frozenset[int]:
    _overrides()
    return _cache["years"]  # type: ignore[return-value]


def forget_overrides() -> None:
    """Drop the cached overrides (after an edit, and between tests), and with them the record of
    which unknown years were already warned about."""
    with _lock:
        _cache["at"] = 0.0
        _warned.clear()


def library_knows(year: int) -> bool:
    """Whether the ``chinese-calendar`` package has the State Council's schedule for ``year``."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def year_known(year: int) -> bool:
    """The year's holidays are known: the package has them, or an admin entered overrides."""
    return library_knows(year) or year in _override_years()


def unknown_years(today: datetime.date, lookahead_days: int = LOOKAHEAD_DAYS) -> list[int]:
    """The years from ``today`` to ``lookahead_days`` later whose schedule nobody has entered."""
    years = range(today.year, (today + datetime.timedelta(days=lookahead_days)).year + 1)
    return [year for year in years if not year_known(year)]


def _guess(day: datetime.date) -> bool:
    """Monday to Friday, for a day of a year nobody has entered; warns once per year."""
    if day.year not in _override_years() and day.year not in _warned:
        with _lock:
            first = day.year not in _warned
            _warned.add(day.year)
        if first:
            logger.warning(
                "%s 年法定节假日安排尚未录入（chinese-calendar 没有该年数据，也没有管理员录入的"
                "工作日历调整），时限按周一至周五计算；请在管理后台录入国务院办公厅的放假通知",
                day.year,
            )
    return day.weekday() < 5


def is_workday(day: datetime.date) -> bool:
    override = _overrides().get(day)
    if override is not None:
        return override
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return _guess(day)


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
