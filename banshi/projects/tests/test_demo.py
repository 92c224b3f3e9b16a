"""The demo data: the three lists hold 8, 28 and 176 projects (nested, not copied), every colour
and every report shows, and seeding twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from banshi.demo.seed import seed_accounts, seed_grids
from banshi.orgtree.importer import import_units
from banshi.projects.choices import CadenceKind, Colour, ListLevel, Status
from banshi.projects.demo import EXTRA_ACCOUNTS, seed_projects
from banshi.projects.lag import compute_lag
from banshi.projects.models import CadenceRun, ListEntry, Project, ProjectList


@pytest.mark.django_db
def test_seed_projects_builds_the_article_ledger_once(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    import_units()
    seed_accounts()
    seed_grids()
    first = seed_projects()
    assert "新建177个（共177个演示项目" in first
    sizes = {
        pl.level: pl.entries.count() for pl in ProjectList.objects.exclude(level=ListLevel.DISTRICT)
    }
    assert sizes == {
        ListLevel.PROVINCE_COMMITTEE: 8,
        ListLevel.CITY_COMMITTEE: 28,
        ListLevel.CITY: 176,
    }
    province = set(
        ListEntry.objects.filter(project_list__level=ListLevel.PROVINCE_COMMITTEE).values_list(
            "project_id", flat=True
        )
    )
    city = set(
        ListEntry.objects.filter(project_list__level=ListLevel.CITY).values_list(
            "project_id", flat=True
        )
    )
    assert province <= city  # the same projects, not copies
    today = timezone.localdate()
    colours = {compute_lag(p, today).colour for p in Project.objects.prefetch_related("milestones")}
    assert {Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN, Colour.DONE} <= colours
    stale = [
        p for p in Project.objects.filter(status=Status.IN_PROGRESS) if compute_lag(p, today).stale
    ]
    assert stale
    assert Project.objects.get(number="CS2021-001").published_at is not None
    assert set(CadenceRun.objects.values_list("kind", flat=True)) == set(CadenceKind.values)
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.CLAIMED,
        Status.VERIFIED,
        Status.CLOSED,
        Status.DEFERRED,
    } <= statuses

    count = Project.objects.count()
    second = seed_projects()
    assert "新建0个" in second and "新建演示账号0个" in second and "生成报表0份" in second
    assert Project.objects.count() == count
    assert len(EXTRA_ACCOUNTS) == 12
