"""Coverage (households with an open link ÷ households) and visit completion (households visited
within their class's interval ÷ households) on the hand-built grid of conftest.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


def test_the_figures_api_reads_stored_tallies_not_households(
    g: Any, cast: Any, client: Client
) -> None:
    client.force_login(cast.make(Role.LEADER, g.tree.kaifu))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/orgunits/{g.tree.branch.pk}/grid-figures")
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["households"] == 4 and body["total"]["coverage"] == 0.5
    assert [r["unit_name"] for r in body["rows"]] == ["第1党员微网格", "第2党员微网格"]
    assert not [q for q in queries.captured_queries if "grid_household" in q["sql"]]
    tallies = [q for q in queries.captured_queries if "grid_gridtally" in q["sql"]]
    assert len(tallies) == 2  # the total and the rows: one query each
    bad = client.get(f"/api/v1/orgunits/{g.tree.branch.pk}/grid-figures?level=planet")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_level"


def test_stored_tallies_equal_a_live_count_after_every_kind_of_write(g: Any, cast: Any) -> None:
    from banshi.grid.models import GridTally
    from banshi.grid.services import (
        household_archive,
        household_move,
        household_update,
        link_end,
        party_member_update,
        visit_record,
    )
    from banshi.grid.services.tally import count_grids

    def stored() -> dict[int, tuple[int, int, int]]:
        return {
            t.grid_id: (t.households, t.linked, t.visited)
            for t in GridTally.objects.all()
            if t.households
        }

    worker = cast.make(Role.COMMUNITY_WORKER, g.tree.datang)
    now = timezone.now()
    assert stored() == count_grids(None, now)
    household_update(actor=worker, household=g.h3, tags=["wubao"])
    visit_record(actor=worker, household=g.h3, visited_at=now)
    household_move(actor=worker, household=g.h4, grid=g.grid1)
    link_end(actor=worker, link=g.link_h1)
    party_member_update(actor=worker, member=g.m2, name=g.m2.name, kind=g.m2.kind, is_active=False)
    household_archive(actor=worker, household=g.h2)
    assert stored() == count_grids(None, timezone.now())


def test_the_daily_job_recounts_what_time_alone_changes(g: Any) -> None:
    from banshi.grid.models import GridTally
    from banshi.grid.services.tally import tally_job

    # A month on, h4's visit (20 days ago, vulnerable: every 30 days) is out of time.
    later = timezone.now() + datetime.timedelta(days=31)
    assert tally_job(later) > 0
    assert GridTally.objects.get(grid=g.grid2).visited == 0
    assert tally_job(later) == 0  # recounted today already
    GridTally.objects.filter(grid=g.grid2).delete()
    assert tally_job(later) > 0  # a grid without a tally gets one
    assert GridTally.objects.filter(grid=g.grid2).exists()
