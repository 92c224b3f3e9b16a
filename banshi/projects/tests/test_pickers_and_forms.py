"""The ledger forms choose units and people with the request pages' search picker (issue 8,
defect 10): the search endpoints offer only what the asker may choose there, and the forms post
the picked ids (repeated rows for several entries) — no codes or names typed by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create
from banshi.projects.choices import Status
from banshi.projects.models import LeaderLink, Meeting, Project, ProjectList
from banshi.projects.tests.conftest import TODAY, Scene

pytestmark = pytest.mark.django_db

UNITS = "/projects/pick/units/"
PEOPLE = "/projects/pick/people/"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def water(scene: Scene) -> Any:
    return orgunit_create(
        actor=None, parent=scene.tree.city, level=Level.FUNCTIONAL, name="长沙水业集团"
    )


def names(response: Any) -> str:
    assert response.status_code == 200, response.content
    return response.content.decode()


# --- The search endpoints --------------------------------------------------------------------


def test_the_assign_picker_offers_the_units_serving_the_place_and_nothing_else(
    scene: Scene,
) -> None:
    group = water(scene)
    leader = login(scene.leader)
    at_kaifu = {"for": "assign", "org_unit": scene.tree.kaifu.pk, "target": "item_unit"}
    assert f'data-pick-id="{group.pk}"' in names(leader.get(UNITS, {**at_kaifu, "q": "水业"}))
    assert "秀峰街道" in names(leader.get(UNITS, {**at_kaifu, "q": "街道"}))
    page = names(leader.get(UNITS, {**at_kaifu, "q": "跳马"}))
    assert "跳马镇" not in page and "没有找到" in page
    # Asking about a place the asker does not act at, or cannot see, is 404.
    assert leader.get(UNITS, {**at_kaifu, "org_unit": scene.tree.yuhua.pk}).status_code == 404
    handler = login(scene.yuhua[Role.HANDLER])
    assert handler.get(UNITS, at_kaifu).status_code == 404
    analyst = login(scene.analyst)  # sees 开福区 but gives no work there
    assert analyst.get(UNITS, at_kaifu).status_code == 404
    # Without a place picked yet the picker says what to do first.
    assert "请先选择" in names(leader.get(UNITS, {"for": "assign", "target": "item_unit"}))
    # Unknown purposes and targets are 404, never a 500.
    assert leader.get(UNITS, {"for": "x", "target": "item_unit"}).status_code == 404
    assert leader.get(UNITS, {**at_kaifu, "target": "<b>"}).status_code == 404
    assert leader.get(UNITS, {**at_kaifu, "org_unit": "9" * 30}).status_code == 404


def test_the_assign_picker_for_a_project_adds_the_projects_own_units(scene: Scene) -> None:
    group = water(scene)
    project = scene.project(Status.IN_PROGRESS)
    query = {"for": "assign", "project": project.pk, "target": "item_unit", "q": "水业"}
    assert f'data-pick-id="{group.pk}"' in names(login(scene.supervisor).get(UNITS, query))
    assert login(scene.yuhua[Role.SUPERVISOR]).get(UNITS, query).status_code == 404


def test_the_home_pickers_offer_only_where_the_asker_acts(scene: Scene) -> None:
    admin = login(scene.admin)  # 开福区 组织管理员: collects projects, owns lists, sets 联点
    page = names(admin.get(UNITS, {"for": "project", "target": "org_unit", "q": "街道"}))
    assert "秀峰街道" in page and "跳马镇" not in page
    page = names(admin.get(UNITS, {"for": "link", "target": "org_unit"}))
    assert "秀峰街道" in page and "开福区" in page and "雨花区" not in page
    assert "新大塘社区" not in names(
        admin.get(UNITS, {"for": "link", "target": "org_unit", "q": "新大塘"})
    )  # 联点 is to districts, parks and streets
    assert "开福区" in names(admin.get(UNITS, {"for": "list", "target": "org_unit"}))
    assert admin.get(UNITS, {"for": "meeting", "target": "org_unit"}).status_code == 403
    assert "开福区" in names(
        login(scene.leader).get(UNITS, {"for": "meeting", "target": "org_unit"})
    )
    assert (
        login(scene.handler).get(UNITS, {"for": "project", "target": "org_unit"}).status_code == 403
    )


def test_the_people_picker_offers_the_leaders_of_the_place_only(scene: Scene) -> None:
    city_leader = scene.cast.make(Role.LEADER, scene.tree.city, name="刘卫东")
    admin = login(scene.admin)
    query = {"for": "leader", "target": "lead_leader", "org_unit": scene.tree.xiufeng.pk}
    page = names(admin.get(PEOPLE, query))
    assert scene.leader.name in page and city_leader.name in page  # their grants reach 秀峰街道
    assert scene.yuhua[Role.LEADER].name not in page and scene.handler.name not in page
    assert admin.get(PEOPLE, {**query, "org_unit": scene.tree.tiaoma.pk}).status_code == 404
    assert login(scene.handler).get(PEOPLE, query).status_code == 404  # names no leaders
    assert "请先选择" in names(admin.get(PEOPLE, {"for": "leader", "target": "lead_leader"}))
    # The lead unit just picked may lie outside the asker's sight (a city bureau serving the
    # place); its leaders are offered too, a unit not serving the place is 404.
    director = scene.cast.make(Role.LEADER, scene.tree.city_bureau, name="城管局局长")
    page = names(admin.get(PEOPLE, {**query, "lead_unit": scene.tree.city_bureau.pk}))
    assert director.name in page and scene.leader.name in page
    assert admin.get(PEOPLE, {**query, "lead_unit": scene.tree.tiaoma.pk}).status_code == 404


# --- The forms post the picked ids ----------------------------------------------------------------


def project_post(scene: Scene, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "org_unit": scene.tree.xiufeng.pk,
        "lead_unit": scene.tree.city_bureau.pk,
        "co_units": [scene.tree.datang.pk, scene.tree.xiufeng.pk],
        "lead_leader": scene.leader.pk,
        "name": "秀峰街道背街小巷提质",
        "source": "visit",
        "field": "environment",
        "target": "提质背街小巷12条",
        "target_quantity": "12",
        "target_unit": "条",
        "handling_type": "deadline",
        "start_date": str(TODAY),
        "deadline": str(TODAY + datetime.timedelta(days=90)),
        "funds_planned": "30",
        "ms_name": ["完成设计", "", "完工验收"],
        "ms_date": [
            str(TODAY + datetime.timedelta(days=20)),
            "",
            str(TODAY + datetime.timedelta(days=90)),
        ],
        "ms_weight": ["30", "", "70"],
    }
    values.update(overrides)
    return values


def test_the_new_project_form_posts_picked_units_leader_and_milestone_rows(scene: Scene) -> None:
    admin = login(scene.admin)
    form = names(admin.get("/projects/new/"))
    assert "区划代码或全称" not in form and "|" not in form.split("<form", 1)[1]
    assert 'class="unitpicker" data-name="lead_unit"' in form
    assert 'data-name="co_units" data-multiple' in form
    assert 'data-name="lead_leader"' in form and 'name="ms_name"' in form
    response = admin.post("/projects/new/", project_post(scene))
    assert response.status_code == 302, response.content.decode()
    project = Project.objects.get(name="秀峰街道背街小巷提质")
    assert project.lead_unit == scene.tree.city_bureau  # a city bureau serves 秀峰街道
    assert set(project.co_units.all()) == {scene.tree.datang, scene.tree.xiufeng}
    assert project.lead_leader == scene.leader
    assert [(m.name, m.weight) for m in project.milestones.order_by("seq")] == [
        ("完成设计", 30),
        ("完工验收", 70),
    ]


def test_a_refused_project_form_keeps_the_valid_picks_and_names_the_problem(
    scene: Scene,
) -> None:
    admin = login(scene.admin)
    response = admin.post(
        "/projects/new/", project_post(scene, co_units=[scene.tree.datang.pk, scene.tree.tiaoma.pk])
    )
    assert response.status_code == 404
    page = response.content.decode()
    assert "配合单位不存在或不负责秀峰街道的工作" in page
    assert "跳马镇" not in page  # the unit it refused is not named back
    assert "新大塘社区" in page and scene.leader.name in page  # the valid picks stay
    assert 'value="完成设计"' in page
    assert not Project.objects.exists()
    missing = admin.post("/projects/new/", project_post(scene, lead_unit=""))
    assert missing.status_code == 400 and "请选择牵头单位" in missing.content.decode()
    stranger = admin.post("/projects/new/", project_post(scene, lead_leader=scene.handler.pk))
    assert stranger.status_code == 404 and scene.handler.name not in stranger.content.decode()


def test_the_edit_form_shows_the_picks_and_saves_new_ones(scene: Scene) -> None:
    project = scene.project(Status.COLLECTED)
    admin = login(scene.admin)
    form = names(admin.get(f"/projects/{project.pk}/edit/"))
    assert "秀峰街道" in form and scene.leader.name in form
    response = admin.post(
        f"/projects/{project.pk}/edit/",
        project_post(
            scene,
            lead_unit=scene.tree.xiufeng.pk,
            co_units=[scene.tree.city_bureau.pk],
            lead_leader="",
            start_date=str(project.start_date),
            deadline=str(project.deadline),
            ms_name=[],
            ms_date=[],
            ms_weight=[],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    project.refresh_from_db()
    assert list(project.co_units.all()) == [scene.tree.city_bureau]
    assert project.lead_leader is None


def test_the_meeting_form_gives_decisions_in_rows_to_picked_units(scene: Scene) -> None:
    group = water(scene)
    leader = login(scene.leader)
    form = names(leader.get("/projects/meetings/new/"))
    assert "区划代码或全称" not in form and "事项|" not in form
    assert 'data-name="item_unit"' in form and 'data-place-from="org_unit"' in form
    due = str(TODAY + datetime.timedelta(days=10))
    post = {
        "org_unit": scene.tree.kaifu.pk,
        "held_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "开福区政府三楼会议室",
        "topic": "新大塘片区供水保障现场办公会",
        "item_content": ["完成片区管网改造方案", "", "完成入户摸底"],
        "item_unit": [group.pk, "", scene.tree.xiufeng.pk],
        "item_due": [due, "", due],
        "item_person": ["孙玉兰", "", ""],
    }
    response = leader.post("/projects/meetings/new/", post)
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert {(i.content, i.owner_unit) for i in meeting.items.all()} == {
        ("完成片区管网改造方案", group),
        ("完成入户摸底", scene.tree.xiufeng),
    }
    refused = leader.post(
        "/projects/meetings/new/", {**post, "item_unit": ["", "", scene.tree.xiufeng.pk]}
    )
    assert refused.status_code == 400
    assert "请为第1个事项选择责任单位" in refused.content.decode()
    assert 'value="完成入户摸底"' in refused.content.decode()  # the rows come back
    assert Meeting.objects.count() == 1


def test_the_inspection_form_posts_rectification_rows(scene: Scene) -> None:
    group = water(scene)
    project = scene.project(Status.IN_PROGRESS)
    supervisor = login(scene.supervisor)
    page = names(supervisor.get(f"/projects/{project.pk}/"))
    assert "区划代码或全称" not in page and 'data-name="item_unit"' in page
    response = supervisor.post(
        f"/projects/{project.pk}/inspections/",
        {
            "purpose": "routine",
            "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "新大塘社区3栋",
            "findings": "主管渗漏",
            "item_content": ["更换主管"],
            "item_unit": [group.pk],
            "item_due": [str(TODAY + datetime.timedelta(days=5))],
            "item_person": [""],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert project.items.get().owner_unit == group


def test_the_links_form_posts_a_picked_leader_and_unit(scene: Scene) -> None:
    admin = login(scene.admin)
    page = names(admin.get("/projects/links/"))
    assert 'data-name="leader"' in page and "领导姓名" not in page
    body = {"kind": "street", "org_unit": scene.tree.xiufeng.pk, "leader": scene.leader.pk}
    assert admin.post("/projects/links/", body).status_code == 302
    assert LeaderLink.objects.get().leader == scene.leader
    refused = admin.post("/projects/links/", {**body, "leader": scene.handler.pk})
    missing = admin.post("/projects/links/", {**body, "leader": 987654})
    assert refused.status_code == missing.status_code == 404
    assert scene.handler.name not in refused.content.decode()
    project = scene.project(Status.IN_PROGRESS)
    linked = admin.post(
        "/projects/links/", {"kind": "project", "project": project.pk, "leader": scene.leader.pk}
    )
    assert linked.status_code == 302
    assert LeaderLink.objects.filter(project=project).exists()


def test_the_lists_form_posts_a_picked_unit(scene: Scene) -> None:
    admin = login(scene.admin)
    page = names(admin.get("/projects/lists/"))
    assert "所属单位编号" not in page and 'data-name="org_unit"' in page
    response = admin.post(
        "/projects/lists/",
        {"name": "秀峰街道为民办实事清单", "level": "street", "year": "2026", "org_unit": ""},
    )
    assert response.status_code == 400 and "请选择所属单位" in response.content.decode()
    body = {"name": "秀峰街道为民办实事清单", "level": "street", "year": "2026"}
    assert admin.post("/projects/lists/", {**body, "org_unit": scene.tree.xiufeng.pk}).status_code
    assert ProjectList.objects.get(name="秀峰街道为民办实事清单").org_unit == scene.tree.xiufeng
    assert (
        admin.post(
            "/projects/lists/", {**body, "name": "跳马镇清单", "org_unit": scene.tree.tiaoma.pk}
        ).status_code
        == 404
    )
