"""One light everywhere: the ledger, the leader page, the board, the project page, the API, the
Excel export and the cadence reports all show the colour ``lag.compute_lag`` gives."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from banshi.projects import reports
from banshi.projects.choices import Status
from banshi.projects.models import (
    Project,
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
