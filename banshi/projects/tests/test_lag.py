"""The warning colour at its edges, for every state, from the one table (``lag.RULES``) that
docs/lag-colours.md is generated from. ``as_of`` is passed in; nothing is monkeypatched."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from banshi.core.choices import Colour
from banshi.projects.choices import Status
from banshi.projects.lag import RULES, colour_table_markdown, compute_lag, planned_percent

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
    assert lag.colour == Colour.RED and "已超过完成时限（2026-05-30）1天" in lag.reason


def test_stale_after_more_than_seven_days_without_an_approved_report() -> None:
    p = project(progress_percent=50, last_approved_report_on=D(2026, 4, 8))
    assert not compute_lag(p, D(2026, 4, 15), []).stale  # 7 days
    assert compute_lag(p, D(2026, 4, 16), []).stale  # 8 days
    fresh = project(progress_percent=0, last_approved_report_on=None, started_on=D(2026, 4, 10))
    assert not compute_lag(fresh, D(2026, 4, 15), []).stale


def test_closed_and_not_yet_approved_projects_have_no_warning() -> None:
    assert compute_lag(project(status=Status.CLOSED), D(2026, 7, 1), []).colour == Colour.DONE
    assert compute_lag(project(status=Status.COLLECTED), D(2026, 7, 1), []).colour == Colour.NONE


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


# --- The two cases from the report ---------------------------------------------------------------


def test_a_passed_milestone_is_worded_as_overdue_never_as_near() -> None:
    """Reported: "蓝（临近节点）2天后到达节点（2026-11-27）" shown on 12-02."""
    node = ms("管网铺设", D(2026, 11, 27), 100)
    p = project(
        start_date=D(2026, 10, 1),
        deadline=D(2026, 12, 31),
        progress_percent=100,
        last_approved_report_on=D(2026, 11, 24),
    )
    before = compute_lag(p, D(2026, 11, 25), [node])
    assert before.colour == Colour.BLUE
    assert before.reasons == ["2天后到达节点「管网铺设」（2026-11-27）"]
    after = compute_lag(p, D(2026, 12, 2), [node])
    assert after.colour == Colour.RED
    assert after.reasons[0] == "节点「管网铺设」（2026-11-27）已逾期5天未完成"
    assert "天后" not in after.reason
    # Claimed on 11-25 with the node still unmarked: judged on 12-02 as a 销号 application, in
    # words of 12-02, and the unmarked node is said plainly.
    claimed = project(
        status=Status.CLAIMED,
        start_date=D(2026, 10, 1),
        deadline=D(2026, 12, 31),
        progress_percent=100,
        claimed_at=_at(D(2026, 11, 25)),
    )
    lag = compute_lag(claimed, D(2026, 12, 2), [node])
    assert lag.colour == Colour.GREEN and lag.as_of == D(2026, 12, 2)
    assert lag.reasons == [
        "已于2026-11-25申请销号，待现场验收（验收销号时限2026-12-25）",
        "尚有1个节点未标记完成（最早2026-11-27），验收时请核实",
    ]
    assert "天后到达节点" not in lag.reason


def test_done_but_not_claimed_past_the_deadline_is_red_not_green() -> None:
    """Reported: 100% done, 推进中 past its deadline, green everywhere while the 督办 went out."""
    p = project(progress_percent=100, last_approved_report_on=D(2026, 5, 28))
    lag = compute_lag(p, DEADLINE + datetime.timedelta(days=3), [])
    assert lag.colour == Colour.RED and lag.lagging
    assert lag.reasons[0] == "已超过完成时限（2026-05-30）3天，进度已达100%但尚未申请销号"
    near = compute_lag(p, DEADLINE - datetime.timedelta(days=1), [])
    assert near.colour == Colour.BLUE
    assert near.reasons == ["进度已达100%，明天到达完成时限（2026-05-30），请及时申请销号"]


# --- Every state --------------------------------------------------------------------------------

STATE_COLOURS = {
    Status.COLLECTED: Colour.NONE,
    Status.SCREENED: Colour.NONE,
    Status.MERGED: Colour.NONE,
    Status.APPROVED: Colour.GREEN,
    Status.ASSIGNED: Colour.GREEN,
    Status.IN_PROGRESS: Colour.GREEN,
    Status.DEFERRED: Colour.PAUSED,
    Status.CLAIMED: Colour.GREEN,
    Status.VERIFIED: Colour.GREEN,
    Status.CLOSED: Colour.DONE,
    Status.CANCELLED: Colour.NONE,
}


@pytest.mark.parametrize("status", list(Status))
def test_every_state_has_a_row_and_a_colour(status: Status) -> None:
    assert any(status in rule.states for rule in RULES)
    on_plan = project(
        status=status,
        progress_percent=50,
        last_approved_report_on=D(2026, 4, 14),
        claimed_at=_at(D(2026, 4, 1)),
        verified_at=_at(D(2026, 4, 5)),
        closed_at=_at(D(2026, 4, 10)),
    )
    lag = compute_lag(on_plan, D(2026, 4, 15), [])
    assert lag.colour == STATE_COLOURS[status]
    assert lag.reasons and all(lag.reasons)


def test_not_approved_cancelled_and_merged_projects_say_why_they_have_no_light() -> None:
    day = D(2026, 7, 1)
    assert compute_lag(project(status=Status.SCREENED), day, []).reason == "尚未立项，不计预警"
    assert compute_lag(project(status=Status.CANCELLED), day, []).reason == "项目已取消，不计预警"
    assert "并入" in compute_lag(project(status=Status.MERGED), day, []).reason
    closed = project(status=Status.CLOSED, closed_at=_at(D(2026, 6, 1)))
    assert compute_lag(closed, day, []).reason == "已于2026-06-01销号"


def test_an_approved_project_not_yet_confirmed_runs_on_the_same_plan() -> None:
    late = project(status=Status.ASSIGNED, progress_percent=0)
    assert compute_lag(late, D(2026, 4, 15), []).colour == Colour.YELLOW
    assert not compute_lag(late, D(2026, 4, 15), []).stale  # only 推进中 is marked 未更新


def test_a_deferred_project_is_grey_and_says_when_its_deadline_passed() -> None:
    paused = project(status=Status.DEFERRED, progress_percent=10)
    lag = compute_lag(paused, D(2026, 4, 15), [ms("施工", D(2026, 4, 1), 100)])
    assert lag.colour == Colour.PAUSED and lag.reason == "暂缓实施中，不计进度预警"
    assert not lag.lagging
    late = compute_lag(paused, DEADLINE + datetime.timedelta(days=10), [])
    assert late.colour == Colour.PAUSED
    assert late.reason == "暂缓实施中；完成时限（2026-05-30）已过10天，恢复推进时须调整时限"


def test_sign_off_has_its_own_clock_green_then_blue_then_red(settings: Any) -> None:
    settings.PROJECTS_SIGNOFF_DAYS = 30
    claimed_on = D(2026, 5, 20)  # due 2026-06-19
    for status in (Status.CLAIMED, Status.VERIFIED):
        p = project(
            status=status,
            progress_percent=100,
            claimed_at=_at(claimed_on),
            verified_at=_at(D(2026, 5, 25)),
        )
        assert compute_lag(p, D(2026, 6, 11), []).colour == Colour.GREEN
        near = compute_lag(p, D(2026, 6, 12), [])
        assert near.colour == Colour.BLUE and near.reason == "7天后到达验收销号时限（2026-06-19）"
        assert compute_lag(p, D(2026, 6, 19), []).reason == "今天到达验收销号时限（2026-06-19）"
        overdue = compute_lag(p, D(2026, 6, 30), [])
        assert overdue.colour == Colour.RED and overdue.lagging
        assert overdue.reason == "验收销号已超过时限（2026-06-19）11天（2026-05-20申请销号）"
        assert not overdue.stale
    verified = project(
        status=Status.VERIFIED, claimed_at=_at(claimed_on), verified_at=_at(D(2026, 5, 25))
    )
    assert compute_lag(verified, D(2026, 5, 26), []).reason == (
        "已于2026-05-25验收通过，待群众评价后销号（验收销号时限2026-06-19）"
    )


def test_several_reasons_of_the_deciding_colour_are_all_given() -> None:
    plan = [ms("设计", D(2026, 3, 20), 30), ms("施工", D(2026, 4, 10), 70, seq=2)]
    lag = compute_lag(project(progress_percent=0), D(2026, 6, 2), plan)
    assert lag.colour == Colour.RED
    assert lag.reasons[:3] == [
        "已超过完成时限（2026-05-30）3天，已审核进度0%",
        "节点「设计」（2026-03-20）已逾期74天未完成",
        "节点「施工」（2026-04-10）已逾期53天未完成",
    ]
    assert not any("计划应达" in r for r in lag.reasons)  # yellow's reason does not join red


# --- The document is the table --------------------------------------------------------------------


def test_the_committed_document_is_generated_from_the_code_table() -> None:
    """docs/lag-colours.md must equal what ``lag_colours_doc`` writes from ``RULES``; after
    changing the rules run ``python manage.py lag_colours_doc``."""
    from banshi.projects.management.commands.lag_colours_doc import doc_path

    assert doc_path().read_text(encoding="utf-8") == colour_table_markdown()
    call_command("lag_colours_doc", "--check", stdout=io.StringIO())


def test_the_document_lists_every_state_and_every_colour() -> None:
    text = colour_table_markdown()
    for _value, label in Status.choices:
        assert str(label) in text
    for colour in Colour:
        assert str(colour.label) in text
    assert "{when}到达节点「{name}」（{date}）" in text
