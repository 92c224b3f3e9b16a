"""One light everywhere: the ledger, the leader page, the board, the project page, the API, the
Excel export and the cadence reports all show the colour ``lag.compute_lag`` gives, and the
reports compute it as of their period's end (the 季调度 of a past quarter shows that quarter)."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from banshi.core.choices import Colour
from banshi.projects import reports
from banshi.projects.choices import Status
from banshi.projects.models import (
    Milestone,
    ProgressReport,
    Project,
    ProjectEvent,
    SupervisionNotice,
)
from banshi.projects.tests.conftest import TODAY, Scene

pytestmark = pytest.mark.django_db


def _done_but_late(scene: Scene) -> Project:
    """推进中, approved progress 100%, deadline three days ago, never claimed."""
    project = scene.project(
        Status.IN_PROGRESS,
        start_date=TODAY - datetime.timedelta(days=60),
        deadline=TODAY - datetime.timedelta(days=3),
    )
    scene.complete(project)
    project.refresh_from_db()
    assert project.progress_percent == 100 and project.status == Status.IN_PROGRESS
    return project


def test_a_finished_project_past_its_deadline_is_red_on_every_page(
    scene: Scene, client: Client
) -> None:
    project = _done_but_late(scene)
    reason = f"已超过完成时限（{project.deadline:%Y-%m-%d}）3天，进度已达100%但尚未申请销号"
    client.force_login(scene.leader)
    ledger = client.get(reverse("projects:ledger")).content.decode()
    assert f'data-number="{project.number}" data-colour="red"' in ledger
    assert reason in ledger
    leader = client.get(reverse("projects:leader")).content.decode()
    assert f'<td title="{reason}"><i class="light red">' in leader
    board = client.get(reverse("projects:board"), {"year": TODAY.year}).content.decode()
    assert re.search(rf'data-number="{project.number}" data-colour="red"', board)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-colour="red"' in page and reason in page
    api = client.get(f"/api/v1/projects/{project.pk}").json()
    assert api["colour"] == "red" and reason in api["lag_reason"]
    export = client.get(reverse("projects:export"))
    sheet = load_workbook(io.BytesIO(export.content))["台账"]
    header = [c.value for c in sheet[2]]
    row = [c.value for c in sheet[3]]
    assert row[header.index("预警")] == "红" and reason in row[header.index("预警原因")]
    # And the 月督办 goes to it for the same reason the pages show.
    laggards = reports.monthly_laggards(TODAY)
    assert [p.pk for p in laggards] == [project.pk]
    assert reason in laggards[0].lag.reason  # type: ignore[attr-defined]


def test_the_rules_page_shows_the_table(scene: Scene, client: Client) -> None:
    client.force_login(scene.analyst)
    page = client.get(reverse("projects:lag_colours")).content.decode()
    assert 'id="lag-rules"' in page and "验收销号已超过时限" in page and "暂缓实施" in page
    client.force_login(scene.cast.make(None, scene.tree.kaifu))
    assert client.get(reverse("projects:lag_colours")).status_code in (403, 404)


def test_weekly_and_monthly_reports_word_reasons_as_of_their_day(scene: Scene) -> None:
    project = _done_but_late(scene)
    now = timezone.now()
    weekly = reports.weekly(now, "W")
    assert f"截至{TODAY:%Y年%m月%d日}" in weekly.heading
    late = weekly.tables[0]["rows"]
    assert late[0][:2] == [project.number, project.name] and late[0][3] == "红"
    monthly = reports.monthly(now, "M", [])
    assert f"截至{TODAY:%Y年%m月%d日}" in monthly.heading
    assert [p.pk for p in monthly.projects] == [project.pk]


# --- 季调度 of a past quarter ---------------------------------------------------------------------


def _shift(project: Project, days: int) -> None:
    """Move a project's whole story ``days`` earlier (a test-only time machine)."""
    delta = datetime.timedelta(days=days)
    p = Project.objects.get(pk=project.pk)
    for column in (
        "created_at",
        "start_date",
        "deadline",
        "started_on",
        "last_approved_report_on",
        "status_changed_at",
        "leader_confirmed_at",
        "unit_confirmed_at",
    ):
        value = getattr(p, column)
        if value is not None:
            Project.objects.filter(pk=p.pk).update(**{column: value - delta})
    for event in ProjectEvent.objects.filter(project=p):
        ProjectEvent.objects.filter(pk=event.pk).update(at=event.at - delta)
    for m in Milestone.objects.filter(project=p):
        Milestone.objects.filter(pk=m.pk).update(planned_date=m.planned_date - delta)
    for r in ProgressReport.objects.filter(project=p):
        ProgressReport.objects.filter(pk=r.pk).update(
            report_date=r.report_date - delta,
            reviewed_at=r.reviewed_at - delta if r.reviewed_at else None,
        )


def _quarter(day: datetime.date) -> tuple[str, datetime.date]:
    """The quarter before the one ``day`` is in, and its last day."""
    first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    end = first - datetime.timedelta(days=1)
    return f"{end.year}-Q{(end.month - 1) // 3 + 1}", end


def test_a_quarterly_pack_shows_its_quarter_not_today(scene: Scene) -> None:
    period, end = _quarter(TODAY)
    assert reports.quarter_end(period) == end
    # A project that was 推进中 in the quarter (started 30 days before its end, 60 days to go,
    # nothing approved: yellow then) and that was finished and closed after the quarter.
    then = scene.project(Status.IN_PROGRESS, name="三季度在推项目")
    _shift(then, (TODAY - end).days + 10)  # its story so far happened by 10 days before the end
    then.refresh_from_db()
    then = scene.step(then, Status.CLAIMED)
    then = scene.step(then, Status.VERIFIED)
    then = scene.step(then, Status.CLOSED)
    # A project created after the quarter is not in its pack.
    scene.project(Status.IN_PROGRESS, name="四季度新项目")
    now = timezone.now()
    report = reports.quarterly(now, period)
    assert f"截至{end:%Y年%m月%d日}" in report.heading
    assert report.summary["立项项目"] == 1
    assert report.summary["已销号"] == 0 and report.summary["完成率"] == "0.0%"
    (row,) = report.projects
    assert row.pk == then.pk and row.status == Status.IN_PROGRESS and row.progress_percent == 0
    lag = row.lag  # type: ignore[attr-defined]
    assert lag.as_of == end and lag.colour == Colour.YELLOW and lag.stale
    assert re.search(r"已审核进度0%，计划应达\d+%", lag.reason)
    laggards = report.tables[2]["rows"]
    assert [r[0] for r in laggards] == [then.number]
    # Today the same project is closed, and the pages say so.
    assert Project.objects.get(pk=then.pk).status == Status.CLOSED
    # Nothing was written by the reconstruction.
    assert not SupervisionNotice.objects.exists()


def test_quarter_ends() -> None:
    assert reports.quarter_end("2026-Q1") == datetime.date(2026, 3, 31)
    assert reports.quarter_end("2026-Q3") == datetime.date(2026, 9, 30)
    assert reports.quarter_end("2025-Q4") == datetime.date(2025, 12, 31)


def test_a_quarter_still_running_is_reported_as_of_today(scene: Scene, settings: Any) -> None:
    scene.project(Status.IN_PROGRESS)
    period = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    report = reports.quarterly(timezone.now(), period)
    assert f"截至{TODAY:%Y年%m月%d日}" in report.heading
    assert report.summary["立项项目"] == 1


def test_the_ledger_of_a_past_day_undoes_what_happened_after_it(scene: Scene) -> None:
    from banshi.projects import services
    from banshi.projects.history import ledger_as_of
    from banshi.projects.services import MilestoneIn

    yesterday = TODAY - datetime.timedelta(days=1)
    node = TODAY + datetime.timedelta(days=5)
    project = scene.project(Status.IN_PROGRESS, milestones=[MilestoneIn("管网铺设", node, 100)])
    _shift(project, 10)  # started ten days ago
    project.refresh_from_db()
    old_deadline = project.deadline
    milestone = project.milestones.get()
    report = services.report_create(
        actor=scene.handler,
        project=project,
        report_date=TODAY,
        text="管网铺设完成",
        percent=60,
        funds_spent="40",
        milestone_ids=[milestone.pk],
        submit=True,
        today=TODAY,
    )
    services.report_review(actor=scene.supervisor, report=report, approve=True)
    change = services.deadline_change_request(
        actor=scene.handler,
        project=project,
        new_deadline=old_deadline + datetime.timedelta(days=30),
        reason="雨季停工",
    )
    services.deadline_change_decide(actor=scene.admin, change=change, approve=True)
    now = Project.objects.prefetch_related("milestones").get(pk=project.pk)
    assert now.progress_percent == 60 and now.deadline != old_deadline
    (then,) = ledger_as_of([now], yesterday)
    assert then.status == Status.IN_PROGRESS and then.progress_percent == 0
    assert then.deadline == old_deadline and then.last_approved_report_on is None
    assert [m.completed_on for m in then.milestones_as_of] == [None]  # type: ignore[attr-defined]
    # Nothing was changed in the database, and today is today.
    assert Project.objects.get(pk=project.pk).progress_percent == 60
    assert ledger_as_of([now], TODAY) == [now]
    # Before it was created, it is not there.
    assert ledger_as_of([now], TODAY - datetime.timedelta(days=400)) == []
