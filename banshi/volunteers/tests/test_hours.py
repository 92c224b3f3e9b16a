"""The hours rules at their edges: midnight, the 8 h cap, overlaps, half hours."""

from __future__ import annotations

import datetime

import pytest

from banshi.volunteers import hours
from banshi.volunteers.tests.conftest import local

pytestmark = pytest.mark.django_db


def test_only_whole_half_hours_count() -> None:
    assert hours.credit_minutes([(local(2026, 3, 5, 9), local(2026, 3, 5, 10, 29))]) == 60
    assert hours.credit_minutes([(local(2026, 3, 5, 9), local(2026, 3, 5, 10, 30))]) == 90
    assert hours.credit_minutes([(local(2026, 3, 5, 9), local(2026, 3, 5, 9, 29))]) == 0


def test_a_day_counts_at_most_eight_hours() -> None:
    assert hours.credit_minutes([(local(2026, 3, 5, 7), local(2026, 3, 5, 18))]) == 480
    assert hours.credit_minutes([(local(2026, 3, 5, 8), local(2026, 3, 5, 16))]) == 480


def test_overlapping_activities_are_never_counted_twice() -> None:
    morning = (local(2026, 3, 5, 9), local(2026, 3, 5, 11))
    overlapping = (local(2026, 3, 5, 10), local(2026, 3, 5, 12))
    inside = (local(2026, 3, 5, 9, 30), local(2026, 3, 5, 10, 30))
    assert hours.credit_minutes([morning, overlapping, inside]) == 180
    # Back to back is not an overlap.
    assert hours.credit_minutes([morning, (local(2026, 3, 5, 11), local(2026, 3, 5, 12))]) == 180


def test_crossing_midnight_is_split_between_the_days() -> None:
    night = (local(2026, 3, 5, 20), local(2026, 3, 6, 6))
    days = hours.per_day([night])
    assert sorted(days) == [datetime.date(2026, 3, 5), datetime.date(2026, 3, 6)]
    # 4 h before midnight, 6 h after: each day under its own cap.
    assert hours.credit_minutes([night]) == 600
    # 23:45–00:15 is a quarter hour on each day: nothing whole on either.
    assert hours.credit_minutes([(local(2026, 3, 5, 23, 45), local(2026, 3, 6, 0, 15))]) == 0
    # The cap is per day: 22:00–next day 10:00 is 2 h + 8 h (capped from 10 h).
    assert hours.credit_minutes([(local(2026, 3, 5, 22), local(2026, 3, 7, 0))]) == 120 + 480


def test_the_cap_applies_to_the_union_of_a_days_activities() -> None:
    a = (local(2026, 3, 5, 7), local(2026, 3, 5, 12))
    b = (local(2026, 3, 5, 13), local(2026, 3, 5, 19))
    assert hours.credit_minutes([a, b]) == 480


def test_allocation_credits_each_sign_up_what_it_adds() -> None:
    a = (local(2026, 3, 5, 9), local(2026, 3, 5, 11))
    b = (local(2026, 3, 5, 10), local(2026, 3, 5, 12))
    credits = hours.allocate([(1, a), (2, b)])
    assert credits == {1: 120, 2: 60}
    assert sum(credits.values()) == hours.credit_minutes([a, b])


def test_stars_follow_the_configured_thresholds(settings) -> None:  # type: ignore[no-untyped-def]
    assert [hours.stars_for(h * 60) for h in (0, 99, 100, 299, 300, 1500, 4000)] == [
        0,
        0,
        1,
        1,
        2,
        5,
        5,
    ]
    settings.VOLUNTEER_STAR_HOURS = (10, 20, 30, 40, 50)
    assert hours.stars_for(25 * 60) == 2
    assert hours.next_star(25 * 60) == 30
