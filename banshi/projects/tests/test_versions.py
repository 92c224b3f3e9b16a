"""Optimistic concurrency: one project edited from two sessions. Both open the form (or read the
API's ETag), both save; the first save stands, the second is a 409 ``stale_version`` with the
Chinese reason — never a lost update. A save that carries no version (an old client) is not
checked, and every write moves the version."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from banshi.core.errors import Conflict
from banshi.core.versions import STALE_VERSION
from banshi.projects import services
from banshi.projects.choices import Status
from banshi.projects.models import Project, ProjectEvent
from banshi.projects.tests.conftest import Scene

API = "/api/v1/projects"


def session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_version(client: Client, project: Project) -> str:
    """Open the edit form as a person would, and read the version it carries."""
    page = client.get(f"/projects/{project.pk}/edit/")
    assert page.status_code == 200
    found = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert found, "the edit form carries no version"
    return found.group(1)


def form_post(scene: Scene, project: Project, version: str, name: str) -> dict[str, Any]:
    return {
        "version": version,
        "lead_unit": scene.tree.xiufeng.pk,
        "lead_leader": scene.leader.pk,
        "name": name,
        "source": "visit",
        "field": "environment",
        "target": "提质背街小巷12条",
        "target_quantity": "12",
        "target_unit": "条",
        "handling_type": "deadline",
        "responsible_person": "王主任",
        "start_date": str(project.start_date),
        "deadline": str(project.deadline),
        "funds_planned": "30",
        "ms_name": ["完工验收"],
        "ms_date": [str(project.deadline)],
        "ms_weight": ["100"],
    }


def api_body(scene: Scene, project: Project, name: str) -> dict[str, Any]:
    return {
        "lead_unit_id": scene.tree.xiufeng.pk,
        "lead_leader_id": scene.leader.pk,
        "name": name,
        "source": "visit",
        "field": "toilets",
        "target": "改造公厕",
        "target_quantity": "3",
        "target_unit": "座",
        "handling_type": "deadline",
        "start_date": str(project.start_date),
        "deadline": str(project.deadline),
        "milestones": [{"name": "完工", "planned_date": str(project.deadline), "weight": 100}],
    }


def test_two_sessions_edit_one_project_on_the_page_and_the_second_is_refused(
    scene: Scene,
) -> None:
    project = scene.project(Status.COLLECTED)
    first, second = session(scene.admin), session(scene.leader)
    seen_first, seen_second = form_version(first, project), form_version(second, project)
    assert seen_first == seen_second == str(project.version)

    saved = first.post(
        f"/projects/{project.pk}/edit/", form_post(scene, project, seen_first, "第一位的名称")
    )
    assert saved.status_code == 302, saved.content.decode()
    refused = second.post(
        f"/projects/{project.pk}/edit/", form_post(scene, project, seen_second, "第二位的名称")
    )
    assert refused.status_code == 409
    assert STALE_VERSION in refused.content.decode()

    project.refresh_from_db()
    assert project.name == "第一位的名称"
    assert project.version == int(seen_first) + 1
    assert ProjectEvent.objects.filter(project=project, action="update").count() == 1
    # Reopened, the form carries the new version and the save goes through.
    again = form_version(second, project)
    assert again == str(project.version)
    saved = second.post(
        f"/projects/{project.pk}/edit/", form_post(scene, project, again, "第二位的名称")
    )
    assert saved.status_code == 302
    project.refresh_from_db()
    assert project.name == "第二位的名称"


def test_two_sessions_edit_one_project_through_the_api_and_the_second_is_refused(
    scene: Scene,
) -> None:
    project = scene.project(Status.COLLECTED)
    first, second = session(scene.admin), session(scene.leader)
    read_first = first.get(f"{API}/{project.pk}")
    read_second = second.get(f"{API}/{project.pk}")
    assert read_first["ETag"] == read_second["ETag"] == f'"{project.version}"'
    assert read_first.json()["version"] == project.version

    saved = first.patch(
        f"{API}/{project.pk}",
        api_body(scene, project, "第一位的名称"),
        content_type="application/json",
        headers={"If-Match": read_first["ETag"]},
    )
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == f'"{project.version + 1}"' and saved.json()["name"] == "第一位的名称"
    refused = second.patch(
        f"{API}/{project.pk}",
        api_body(scene, project, "第二位的名称"),
        content_type="application/json",
        headers={"If-Match": read_second["ETag"]},
    )
    assert refused.status_code == 409
    assert refused.json() == {"code": "stale_version", "detail": STALE_VERSION}
    project.refresh_from_db()
    assert project.name == "第一位的名称"

    # A transition on what the second session saw is refused the same way.
    stale = second.post(
        f"{API}/{project.pk}/transitions",
        {"action": "screen"},
        content_type="application/json",
        headers={"If-Match": read_second["ETag"]},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert Project.objects.get(pk=project.pk).status == Status.COLLECTED


def test_a_write_without_a_version_is_not_checked_but_moves_the_version(
    scene: Scene,
) -> None:
    project = scene.project(Status.COLLECTED)
    client = session(scene.admin)
    before = project.version
    old_client = client.patch(
        f"{API}/{project.pk}",
        api_body(scene, project, "旧客户端的修改"),
        content_type="application/json",
    )
    assert old_client.status_code == 200, old_client.content
    assert old_client.json()["version"] == before + 1
    post = form_post(scene, project, "", "旧表单的修改")
    assert client.post(f"/projects/{project.pk}/edit/", post).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.version) == ("旧表单的修改", before + 2)
    garbage = client.patch(
        f"{API}/{project.pk}",
        api_body(scene, project, "x"),
        content_type="application/json",
        headers={"If-Match": "not-a-version"},
    )
    assert garbage.status_code == 400 and garbage.json()["code"] == "invalid_version"


def test_the_project_page_transition_carries_the_version(scene: Scene) -> None:
    project = scene.project(Status.COLLECTED)
    first = session(scene.admin)
    page = first.get(f"/projects/{project.pk}/").content.decode()
    seen = re.search(
        r'name="action" value="screen"><input type="hidden" name="version" value="(\d+)"', page
    )
    assert seen
    # Someone edits the ledger meanwhile.
    services.project_update(
        actor=scene.leader,
        project=project,
        data=services.ProjectData(
            name="改过的名称",
            source="visit",
            field="toilets",
            target="改造公厕",
            target_quantity="3",
            target_unit="座",
            handling_type="deadline",
            start_date=project.start_date,
            deadline=project.deadline,
        ),
        lead_unit=scene.tree.xiufeng,
        lead_leader=scene.leader,
    )
    refused = first.post(
        f"/projects/{project.pk}/transition/",
        {"action": "screen", "version": seen.group(1)},
    )
    assert refused.status_code == 409 and STALE_VERSION in refused.content.decode()
    assert Project.objects.get(pk=project.pk).status == Status.COLLECTED


def test_every_write_moves_the_version_and_a_stale_service_call_is_refused(scene: Scene) -> None:
    project = scene.project(Status.SCREENED)
    version = project.version
    services.list_place(actor=None, project=project, project_list=scene.city_list)
    project = services.project_transition(
        actor=scene.admin, project=project, action="approve", expected_version=version
    )
    assert project.status == Status.APPROVED and project.version == version + 1
    with pytest.raises(Conflict) as info:
        services.project_transition(
            actor=scene.admin, project=project, action="assign", expected_version=version
        )
    assert info.value.code == "stale_version" and info.value.detail == STALE_VERSION
    assert Project.objects.get(pk=project.pk).status == Status.APPROVED


def test_a_progress_report_edited_twice_from_the_same_version_keeps_the_first(
    scene: Scene,
) -> None:
    project = scene.project(Status.IN_PROGRESS)
    report = services.report_create(
        actor=scene.handler,
        project=project,
        report_date=project.start_date,
        text="草稿",
        percent=10,
        funds_spent=1,
    )
    seen = report.version

    def edit(text: str) -> Any:
        return services.report_update(
            actor=scene.handler,
            report=report,
            report_date=project.start_date,
            text=text,
            percent=20,
            funds_spent=2,
            expected_version=seen,
        )

    assert edit("第一次修改").version == seen + 1
    with pytest.raises(Conflict) as info:
        edit("第二次修改")
    assert info.value.code == "stale_version"
    report.refresh_from_db()
    assert report.text == "第一次修改"
    # Submitting moves the version too, so a form opened before it is stale.
    services.report_submit(actor=scene.handler, report=report)
    report.refresh_from_db()
    assert report.version == seen + 2
