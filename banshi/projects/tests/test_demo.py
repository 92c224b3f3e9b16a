"""The demo ledger: the article's 2021 lists of 8, 28 and 176 projects (nested, not copied), all
销号 in 2021 with histories dated then; a live year with every colour, state and report; units doing
their own kind of work; distinct real-place names; and seeding twice adds nothing."""

from __future__ import annotations

import csv
import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from banshi.core.choices import Colour
from banshi.demo.seed import seed_accounts, seed_grids
from banshi.orgtree.importer import DEFAULT_FILES, import_units
from banshi.projects.choices import CadenceKind, ListLevel, Status
from banshi.projects.demo import (
    EXTRA_ACCOUNTS,
    UNIT_FIELDS,
    ledger_year,
    plans_2021,
    plans_live,
    seed_projects,
)
from banshi.projects.demo import plans as demo_plans
from banshi.projects.lag import compute_lag
from banshi.projects.models import CadenceRun, ListEntry, Project, ProjectEvent, ProjectList

TERRITORIAL = {"city", "district", "street", "community", "park"}


def _levels() -> dict[str, str]:
    levels = {}
    for path in DEFAULT_FILES:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            levels.update({row["code"]: row["level"] for row in csv.DictReader(handle)})
    return levels


def test_every_demo_project_is_led_by_a_unit_whose_job_covers_its_field() -> None:
    levels = _levels()
    plans = plans_2021() + plans_live(timezone.localdate())
    assert len(plans) > 200
    wrong = []
    for plan in plans:
        level = levels[plan.lead]
        if level in TERRITORIAL:
            continue  # a district, street or park government may lead anything in its area
        if plan.field not in UNIT_FIELDS.get(plan.lead, frozenset()):
            wrong.append((plan.number, plan.name, plan.lead, plan.field))
    assert wrong == []
    # The check has teeth: the old demo's pairings are refused.
    assert "market_stalls" not in UNIT_FIELDS["4301F06"]  # 教育局 does not regulate stalls
    assert "hospital_beds" not in UNIT_FIELDS["4301F04"]  # 住建局 does not add hospital beds


def test_demo_names_are_distinct_real_places_and_numbers_carry_the_lists_year() -> None:
    today = timezone.localdate()
    plans = plans_2021() + plans_live(today)
    names = [p.name for p in plans]
    assert len(names) == len(set(names))
    assert not [n for n in names if re.search(r"（\d+）$", n)]  # no counters to tell them apart
    assert all(p.person[0] and p.person[1] for p in plans)  # a named 责任人 with a title
    assert {p.number[:7] for p in plans_2021()} == {"CS2021-"}
    assert {p.number[:7] for p in plans_live(today)} == {f"CS{ledger_year(today)}-"}
    assert len({p.number for p in plans}) == len(plans)
    for plan in plans_2021():
        deadline = plan.start + datetime.timedelta(days=plan.days)
        assert plan.start.year == 2021 and deadline <= datetime.date(2021, 12, 31), plan.number
    assert all(p.state in {"closed", "published"} for p in plans_2021())
    assert len(demo_plans.POOL) >= len(plans) - len(demo_plans.article_plans()) - 2


@pytest.mark.django_db
def test_seed_projects_builds_the_article_ledger_once(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    import_units()
    seed_accounts()
    seed_grids()
    started = timezone.now()
    first = seed_projects()
    total = Project.objects.count()
    assert f"新建{total}个（共{total}个演示项目" in first
    article = ProjectList.objects.filter(year=2021).exclude(level=ListLevel.DISTRICT)
    assert {pl.level: pl.entries.count() for pl in article} == {
        ListLevel.PROVINCE_COMMITTEE: 8,
        ListLevel.CITY_COMMITTEE: 28,
        ListLevel.CITY: 176,
    }
    province = set(
        ListEntry.objects.filter(
            project_list__level=ListLevel.PROVINCE_COMMITTEE, project_list__year=2021
        ).values_list("project_id", flat=True)
    )
    city = set(
        ListEntry.objects.filter(
            project_list__level=ListLevel.CITY, project_list__year=2021
        ).values_list("project_id", flat=True)
    )
    assert province <= city  # the same projects, not copies
    # Every list holds numbers of its own year.
    for entry in ListEntry.objects.select_related("project", "project_list"):
        assert entry.project.number.startswith(f"CS{entry.project_list.year}-"), entry.project
    # 2021 is done, as the article reports, and its history is dated in 2021.
    old = Project.objects.filter(number__startswith="CS2021-")
    assert set(old.values_list("status", flat=True)) == {Status.CLOSED}
    assert Project.objects.get(number="CS2021-001").published_at.year == 2021  # type: ignore[union-attr]
    old_events = ProjectEvent.objects.filter(project__in=old)
    assert {e.at.year for e in old_events} == {2021}
    # The live year: histories spread over the past months, not stamped at load time.
    live = Project.objects.exclude(number__startswith="CS2021-")
    live_events = ProjectEvent.objects.filter(project__in=live)
    loaded_now = live_events.filter(at__gte=started).count()
    assert loaded_now < live_events.count() * 0.1
    assert len({timezone.localdate(e.at) for e in live_events}) > 30
    today = timezone.localdate()
    colours = {compute_lag(p, today).colour for p in live.prefetch_related("milestones")}
    assert {Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN, Colour.DONE} <= colours
    stale = [p for p in live.filter(status=Status.IN_PROGRESS) if compute_lag(p, today).stale]
    assert stale
    assert set(CadenceRun.objects.values_list("kind", flat=True)) == set(CadenceKind.values)
    statuses = set(live.values_list("status", flat=True))
    assert {
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.CLAIMED,
        Status.VERIFIED,
        Status.CLOSED,
        Status.DEFERRED,
    } <= statuses
    # Seeded rows, not just plans, pair units with their own work, and name a real 责任人.
    for project in Project.objects.select_related("lead_unit"):
        unit = project.lead_unit
        assert unit.level in TERRITORIAL or project.field in UNIT_FIELDS[unit.code], project
        assert project.responsible_person not in {"", "项目责任人"}

    count = Project.objects.count()
    second = seed_projects()
    assert "新建0个" in second and "新建演示账号0个" in second and "生成报表0份" in second
    assert Project.objects.count() == count
    assert len(EXTRA_ACCOUNTS) == 12


@pytest.mark.django_db
def test_a_database_of_the_earlier_demo_is_left_alone(tree: Any) -> None:
    from banshi.projects import services
    from banshi.projects.tests.conftest import data

    services.project_create(
        actor=None,
        org_unit=tree.city,
        lead_unit=tree.city_bureau,
        number="CS2021-195",
        data=data(name="长沙市城市管理和综合执法局规范提质农贸市场摊位350个（96）"),
    )
    message = seed_projects()
    assert "旧版演示数据" in message
    assert Project.objects.count() == 1 and not ProjectList.objects.exists()
