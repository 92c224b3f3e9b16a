"""Working days on the Chinese calendar: 国庆, 春节, 调休 Saturdays, and admin overrides."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest

from banshi.core.calendar import (
    TZ,
    add_hours,
    add_working_days,
    forget_overrides,
    is_workday,
    unknown_years,
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


# --- years nobody has entered -----------------------------------------------------------------
# 2040 and 2041: years the chinese-calendar package will not know for a long time.


def _warnings(caplog: Any) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "banshi.calendar"]


def test_an_unknown_year_counts_monday_to_friday_and_warns_once(caplog: Any) -> None:
    caplog.set_level(logging.WARNING, logger="banshi.calendar")
    # 2040-01-06 is a Friday: five working days later is the next Friday.
    assert add_working_days(at(2040, 1, 6, 10), 5) == at(2040, 1, 13, 10)
    assert add_working_days(at(2040, 2, 1, 10), 10) == at(2040, 2, 15, 10)
    assert not is_workday(datetime.date(2040, 1, 7))
    messages = _warnings(caplog)
    assert len(messages) == 1
    assert "2040 年法定节假日安排尚未录入" in messages[0] and "周一至周五" in messages[0]
    add_working_days(at(2041, 1, 2, 10), 1)
    assert len(_warnings(caplog)) == 2 and "2041 年" in _warnings(caplog)[1]


def test_a_year_with_overrides_is_not_warned_about(caplog: Any) -> None:
    caplog.set_level(logging.WARNING, logger="banshi.calendar")
    CalendarOverride.objects.create(date=datetime.date(2040, 2, 13), is_workday=False, name="春节")
    forget_overrides()
    assert add_working_days(at(2040, 2, 10, 10), 3) == at(2040, 2, 16, 10)
    assert _warnings(caplog) == []


def test_known_years_are_not_warned_about(caplog: Any) -> None:
    caplog.set_level(logging.WARNING, logger="banshi.calendar")
    add_working_days(at(2026, 9, 30, 10), 5)
    assert _warnings(caplog) == []


def test_unknown_years_look_ahead_about_nine_weeks() -> None:
    assert unknown_years(datetime.date(2026, 6, 1)) == []
    assert unknown_years(datetime.date(2040, 6, 1)) == [2040]
    assert unknown_years(datetime.date(2040, 12, 2)) == [2040, 2041]
    CalendarOverride.objects.create(date=datetime.date(2041, 1, 1), is_workday=False, name="元旦")
    forget_overrides()
    assert unknown_years(datetime.date(2040, 12, 2)) == [2040]


@pytest.fixture
def december_2040(monkeypatch: Any) -> None:
    from banshi.core import context_processors

    monkeypatch.setattr(context_processors, "_today", lambda: datetime.date(2040, 12, 2))


BANNER = (
    "2041 年法定节假日安排尚未录入，时限按周一至周五计算；请在管理后台录入国务院办公厅的放假通知"
)


def test_admins_see_the_banner_with_the_link_and_handlers_do_not(
    december_2040: None, tree: Any, cast: Any
) -> None:
    from django.test import Client

    from banshi.accounts.roles import Role

    boss = Client()
    boss.force_login(cast.superuser(tree.city))
    page = boss.get("/").content.decode()
    assert BANNER in page and 'id="calendar-notice-2041"' in page
    assert 'href="/admin/core/calendaroverride/"' in page
    admin = Client()
    admin.force_login(cast.make(Role.ORG_ADMIN, tree.kaifu))
    page = admin.get("/workorders/").content.decode()
    assert BANNER in page and "须由系统管理员在管理后台录入" in page
    handler = Client()
    handler.force_login(cast.make(Role.HANDLER, tree.xiufeng))
    page = handler.get("/workorders/").content.decode()
    assert "法定节假日安排尚未录入" not in page


def test_the_banner_is_gone_once_the_year_is_entered(
    december_2040: None, tree: Any, cast: Any
) -> None:
    from django.test import Client

    boss = Client()
    boss.force_login(cast.superuser(tree.city))
    for day, workday, name in [
        (datetime.date(2040, 12, 31), False, "元旦"),
        (datetime.date(2041, 1, 1), False, "元旦"),
        (datetime.date(2041, 2, 2), True, "春节调休上班"),
    ]:
        response = boss.post(
            "/admin/core/calendaroverride/add/",
            {"date": day.isoformat(), "is_workday": "on" if workday else "", "name": name},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    page = boss.get("/").content.decode()
    assert "法定节假日安排尚未录入" not in page
    assert is_workday(datetime.date(2041, 2, 2)) and not is_workday(datetime.date(2041, 1, 1))
