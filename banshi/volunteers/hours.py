"""The hours rules of volunteer service, as pure functions.

Only the time between check-in and check-out counts (travel is never on the clock). A volunteer's
time on one calendar day (Asia/Shanghai) is the union of their intervals that day, so two
overlapping activities are never counted twice; an interval crossing midnight is split between
the two days. Each day counts at most ``VOLUNTEER_DAILY_CAP_MINUTES`` (8 h) and is rounded down to
whole half hours."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

Interval = tuple[datetime.datetime, datetime.datetime]

UNIT_MINUTES = 30


def daily_cap() -> int:
    return int(getattr(settings, "VOLUNTEER_DAILY_CAP_MINUTES", 480))


def star_thresholds() -> tuple[int, ...]:
    """Hours at which a volunteer reaches one to five stars (settings, 100/300/600/1000/1500)."""
    return tuple(getattr(settings, "VOLUNTEER_STAR_HOURS", (100, 300, 600, 1000, 1500)))


def stars_for(minutes: int) -> int:
    return sum(1 for hours in star_thresholds() if minutes >= hours * 60)


def next_star(minutes: int) -> int | None:
    """Hours needed for the next star, or None at the top."""
    for hours in star_thresholds():
        if minutes < hours * 60:
            return hours
    return None


def split_by_day(
    start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.date, Interval]]:
    """The interval cut at each local midnight."""
    tz = timezone.get_default_timezone()
    start, end = start.astimezone(tz), end.astimezone(tz)
    parts = []
    while start < end:
        midnight = datetime.datetime.combine(
            start.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
        )
        cut = min(end, midnight)
        parts.append((start.date(), (start, cut)))
        start = cut
    return parts


def union_seconds(intervals: Iterable[Interval]) -> int:
    total = 0
    current: Interval | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += int((current[1] - current[0]).total_seconds())
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        total += int((current[1] - current[0]).total_seconds())
    return total


def per_day(intervals: Iterable[Interval]) -> dict[datetime.date, list[Interval]]:
    days: dict[datetime.date, list[Interval]] = defaultdict(list)
    for start, end in intervals:
        for day, part in split_by_day(start, end):
            days[day].append(part)
    return days


def day_credit(seconds: int) -> int:
    """Minutes credited for one day's served seconds: capped, then whole half hours."""
    minutes = min(seconds // 60, daily_cap())
    return minutes // UNIT_MINUTES * UNIT_MINUTES


def credit_minutes(intervals: Iterable[Interval]) -> int:
    """All the minutes a set of check-in/check-out intervals earns under the rules."""
    return sum(day_credit(union_seconds(parts)) for parts in per_day(intervals).values())


def longest_day_minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    """The most minutes one interval puts on a single day (for refusing a correction over the cap)."""
    return max(
        (int((e - s).total_seconds()) // 60 for _, (s, e) in split_by_day(start, end)), default=0
    )


def allocate(ordered: list[tuple[int, Interval]]) -> dict[int, int]:
    """Credited minutes per sign-up, in the order they were confirmed: each gets what it adds to
    the volunteer's total, so the credits always sum to ``credit_minutes`` of all of them."""
    result: dict[int, int] = {}
    seen: list[Interval] = []
    total = 0
    for key, interval in ordered:
        seen.append(interval)
        now_total = credit_minutes(seen)
        result[key] = now_total - total
        total = now_total
    return result
