"""Working days on the Chinese calendar: 国庆, 春节, 调休 Saturdays, and admin overrides."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from banshi.core.calendar import (
    TZ,
    add_hours,
    add_working_days,
    forget_overrides,
    is_workday,
    working_days_between,
)
from banshi.core.models import CalendarOverride


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, mi, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh_overrides(db: Any) -> Any:
    forget_overrides()
    yield
    forget_overrides()


def test_national_day_week_is_skipped() -> None:
    # 2026: 10-01..10-07 off (Oct 3-4 weekend), 9-30 (Wed) a working day.
    assert add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 8, 10)
    assert add_working_days(at(2026, 9, 30, 10), 2) == at(2026, 10, 9, 10)


def test_a_make_up_saturday_counts_as_a_working_day() -> None:
    # 2026-10-10 is a Saturday worked in lieu of the holiday.
    assert is_workday(datetime.date(2026, 10, 10))
    assert add_working_days(at(2026, 10, 9, 15), 1) == at(2026, 10, 10, 15)
    # 2026-09-20 is a Sunday worked; 2026-09-25 a Friday off.
    assert add_working_days(at(2026, 9, 19, 9), 1) == at(2026, 9, 21, 0)


def test_spring_festival_is_skipped() -> None:
    # 2026: 02-14 (Sat) worked; 02-15..02-23 off.
    assert is_workday(datetime.date(2026, 2, 14))
    assert add_working_days(at(2026, 2, 13, 11), 2) == at(2026, 2, 24, 11)
    assert add_working_days(at(2026, 2, 14, 11), 1) == at(2026, 2, 24, 11)


def test_a_request_on_a_rest_day_counts_from_the_next_working_day() -> None:
    # Saturday 2026-11-28 → one working day ends at the end of Monday 11-30.
    assert add_working_days(at(2026, 11, 28, 10), 1) == at(2026, 12, 1, 0)
    assert add_working_days(at(2026, 11, 28, 10), 0) == at(2026, 11, 30, 0)


def test_admin_override_wins_over_the_library_and_covers_unknown_years() -> None:
    # 2027 is beyond the library; weekdays are assumed until the schedule is entered.
    assert is_workday(datetime.date(2027, 2, 8))  # a Monday
    CalendarOverride.objects.create(date=datetime.date(2027, 2, 8), is_workday=False, name="春节")
    forget_overrides()
    assert not is_workday(datetime.date(2027, 2, 8))
    assert add_working_days(at(2027, 2, 5, 9), 1) == at(2027, 2, 9, 9)


def test_working_days_between_and_natural_hours() -> None:
    assert working_days_between(at(2026, 9, 30), at(2026, 10, 9)) == 2
    assert working_days_between(at(2026, 10, 9), at(2026, 10, 9)) == 0
    assert add_hours(at(2026, 10, 1, 23), 2) == at(2026, 10, 2, 1)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(datetime.datetime(2026, 1, 5, 9), 1)
