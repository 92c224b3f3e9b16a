"""Coverage (households with an open link ÷ households) and visit completion (households visited
within their class's interval ÷ households) on the hand-built grid of conftest.py."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from banshi.accounts.roles import Role
from banshi.grid import selectors
from banshi.grid.services import link_create, visit_rule_set


def _by_name(rows: list[selectors.Figures]) -> dict[str, tuple[int, int, int]]:
    return {r.unit.name: (r.households, r.linked, r.visited) for r in rows if r.unit}


def test_coverage_and_completion_per_micro_grid_and_branch(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    rows = selectors.figures_by(worker, g.tree.branch)
    assert _by_name(rows) == {"第1党员微网格": (2, 1, 1), "第2党员微网格": (2, 1, 1)}
    total = selectors.figures_total(worker, g.tree.datang)
    assert (total.households, total.linked, total.visited) == (4, 2, 2)
    assert total.coverage == 0.5 and total.completion == 0.5


def test_rollup_by_level_from_the_city_counts_each_community_once(g: Any, cast: Any) -> None:
    analyst = cast.make(Role.ANALYST, g.tree.city)
    communities = _by_name(selectors.figures_by(analyst, g.tree.city, "community"))
    assert communities == {"新大塘社区": (4, 2, 2), "石燕湖村": (1, 0, 0)}
    districts = _by_name(selectors.figures_by(analyst, g.tree.city, "district"))
    assert districts == {"开福区": (4, 2, 2), "雨花区": (1, 0, 0)}


def test_figures_follow_the_viewer_scope(g: Any, cast: Any) -> None:
    kaifu = cast.make(Role.SUPERVISOR, g.tree.kaifu)
    assert _by_name(selectors.figures_by(kaifu, g.tree.city, "district")) == {"开福区": (4, 2, 2)}


def test_a_new_link_and_a_stricter_rule_move_the_figures(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    link_create(actor=worker, member=g.m1, household=g.h4)
    visit_rule_set(actor=None, household_class="ordinary", interval_days=7)
    total = selectors.figures_total(worker, g.tree.datang)
    # h4 is now linked; h1's visit 10 days ago no longer keeps a 7-day rule.
    assert (total.households, total.linked, total.visited) == (4, 3, 1)


def test_unlinked_households_are_the_ones_coverage_misses(g: Any, cast: Any) -> None:
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    unlinked = selectors.households_under(worker, g.tree.datang, unlinked=True)
    assert {h.pk for h in unlinked} == {g.h2.pk, g.h4.pk}
    overdue = selectors.households_under(worker, g.tree.datang, overdue=True)
    assert {h.pk for h in overdue} == {g.h2.pk, g.h3.pk}


def test_visits_due_per_member(g: Any, cast: Any) -> None:
    due = selectors.member_visits_due(g.m2)
    assert [(d.household.pk, d.due, d.overdue) for d in due] == [(g.h3.pk, None, True)]
    m1 = selectors.member_visits_due(g.m1)
    assert [(d.household.pk, d.overdue) for d in m1] == [(g.h1.pk, False)]
    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    counts = {
        m.name: (m.linked, m.overdue) for m in selectors.members_with_due(worker, g.tree.datang)
    }
    assert counts == {"陈建华": (1, 0), "黄丽娟": (1, 1)}


def test_the_figures_api_answers_from_three_queries(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.LEADER, g.tree.kaifu))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/orgunits/{g.tree.branch.pk}/grid-figures")
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["households"] == 4 and body["total"]["coverage"] == 0.5
    assert [r["unit_name"] for r in body["rows"]] == ["第1党员微网格", "第2党员微网格"]
    grouped = [q for q in queries.captured_queries if "grid_household" in q["sql"]]
    assert len(grouped) == 2  # the total and the rows, each one grouped query
    bad = client.get(f"/api/v1/orgunits/{g.tree.branch.pk}/grid-figures?level=planet")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_level"
