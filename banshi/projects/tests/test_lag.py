"""The warning colour at its edges. ``today`` is passed in; nothing is monkeypatched."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from banshi.projects.choices import Colour, Status
from banshi.projects.lag import compute_lag, planned_percent

D = datetime.date
START, DEADLINE = D(2026, 3, 1), D(2026, 5, 30)


def project(**kw: Any) -> Any:
    values = {
        "status": Status.IN_PROGRESS,
        "start_date": START,
        "deadline": DEADLINE,
        "progress_percent": 0,
        "last_approved_report_on": None,
        "started_on": START,
        "claimed_at": None,
    }
    values.update(kw)
    return SimpleNamespace(**values)


def ms(
    name: str, day: datetime.date, weight: int, done: datetime.date | None = None, seq: int = 1
) -> Any:
    return SimpleNamespace(name=name, planned_date=day, weight=weight, completed_on=done, seq=seq)


@pytest.fixture(autouse=True)
def _rules(settings: Any) -> None:
    settings.PROJECTS_NEAR_DAYS = 7
    settings.PROJECTS_STALE_DAYS = 7
    settings.PROJECTS_PACE_TOLERANCE = 5


def test_plan_without_milestones_is_a_straight_line() -> None:
    assert planned_percent(START, DEADLINE, [], START) == 0
    assert planned_percent(START, DEADLINE, [], D(2026, 4, 15)) == pytest.approx(50.0)
    assert planned_percent(START, DEADLINE, [], DEADLINE) == 100


def test_plan_runs_through_the_milestones_cumulative_weights() -> None:
    plan = [ms("设计", D(2026, 3, 11), 20), ms("施工", D(2026, 5, 10), 80, seq=2)]
    assert planned_percent(START, DEADLINE, plan, D(2026, 3, 11)) == pytest.approx(20.0)
    assert planned_percent(START, DEADLINE, plan, D(2026, 3, 6)) == pytest.approx(10.0)
    assert planned_percent(START, DEADLINE, plan, D(2026, 5, 10)) == pytest.approx(100.0)
    assert planned_percent(START, DEADLINE, plan, D(2026, 5, 20)) == pytest.approx(100.0)


def test_on_pace_far_from_any_date_is_green() -> None:
    lag = compute_lag(
        project(progress_percent=50, last_approved_report_on=D(2026, 4, 14)), D(2026, 4, 15), []
    )
    assert lag.colour == Colour.GREEN and not lag.stale


def test_trailing_by_exactly_the_tolerance_is_still_green_and_one_more_point_is_yellow() -> None:
    today = D(2026, 4, 15)  # planned 50%
    assert compute_lag(project(progress_percent=45), today, []).colour == Colour.GREEN
    lag = compute_lag(project(progress_percent=44), today, [])
    assert lag.colour == Colour.YELLOW
    assert "计划应达50%" in lag.reason


def test_a_milestone_due_today_is_blue_and_the_day_after_it_is_red() -> None:
    milestone = ms("主体完工", D(2026, 4, 15), 100)
    on_pace = project(progress_percent=100)
    assert compute_lag(on_pace, D(2026, 4, 15), [milestone]).colour == Colour.BLUE
    lag = compute_lag(on_pace, D(2026, 4, 16), [milestone])
    assert lag.colour == Colour.RED
    assert "主体完工" in lag.reason


def test_blue_begins_exactly_near_days_before_the_next_date() -> None:
    milestone = ms("节点", D(2026, 4, 22), 50)
    p = project(progress_percent=100)
    assert compute_lag(p, D(2026, 4, 15), [milestone]).colour == Colour.BLUE  # 7 days
    assert compute_lag(p, D(2026, 4, 14), [milestone]).colour == Colour.GREEN  # 8 days


def test_a_completed_milestone_no_longer_counts_as_missed() -> None:
    milestone = ms("设计", D(2026, 3, 20), 30, done=D(2026, 3, 25))
    lag = compute_lag(project(progress_percent=40), D(2026, 4, 1), [milestone])
    assert lag.colour != Colour.RED


def test_the_day_after_the_deadline_is_red_but_the_deadline_itself_is_not() -> None:
    done_on_time = project(progress_percent=99)
    assert (
        compute_lag(done_on_time, DEADLINE, []).colour == Colour.BLUE
    )  # due today, within tolerance
    lag = compute_lag(done_on_time, DEADLINE + datetime.timedelta(days=1), [])
    assert lag.colour == Colour.RED and "已超过完成时限1天" in lag.reason


def test_stale_after_more_than_seven_days_without_an_approved_report() -> None:
    p = project(progress_percent=50, last_approved_report_on=D(2026, 4, 8))
    assert not compute_lag(p, D(2026, 4, 15), []).stale  # 7 days
    assert compute_lag(p, D(2026, 4, 16), []).stale  # 8 days
    fresh = project(progress_percent=0, last_approved_report_on=None, started_on=D(2026, 4, 10))
    assert not compute_lag(fresh, D(2026, 4, 15), []).stale


def test_closed_and_not_yet_approved_projects_have_no_warning() -> None:
    assert compute_lag(project(status=Status.CLOSED), D(2026, 7, 1), []).colour == Colour.DONE
    assert compute_lag(project(status=Status.COLLECTED), D(2026, 7, 1), []).colour == Colour.NONE


def test_a_claimed_project_is_judged_on_its_claim_day() -> None:
    from django.utils import timezone

    claimed = timezone.make_aware(datetime.datetime(2026, 5, 20, 10))
    p = project(status=Status.CLAIMED, progress_percent=100, claimed_at=claimed)
    assert compute_lag(p, D(2026, 6, 30), []).colour in {Colour.GREEN, Colour.BLUE}
    assert not compute_lag(p, D(2026, 6, 30), []).stale
