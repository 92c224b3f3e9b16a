"""Assignment across the tree (issue 8, defect 10): work at a place may be given to any unit the
routing rule lets serve that place, so the article's 五位书记 case can be recorded — a 开福区 联点
leader's 现场办公 decisions go to 长沙水业集团 (a city unit) and to a street of the district; the
water group's 承办人 sees and closes its decision; an unrelated district gets 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.core.errors import ValidationFailed
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create
from banshi.projects import services
from banshi.projects.choices import ItemStatus, Status
from banshi.projects.models import Meeting, SupervisedItem
from banshi.projects.tests.conftest import TODAY, Scene

pytestmark = pytest.mark.django_db

API = "/api/v1/projects"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def water_group(scene: Scene) -> Any:
    return orgunit_create(
        actor=None,
        parent=scene.tree.city,
        level=Level.FUNCTIONAL,
        name="长沙水业集团",
        code="4301F03",
    )


def meeting_body(scene: Scene, *owners: Any) -> dict[str, Any]:
    return {
        "org_unit_id": scene.tree.kaifu.pk,
        "held_at": (timezone.now() - datetime.timedelta(hours=3)).isoformat(),
        "place": "开福区政府三楼会议室",
        "topic": "新大塘片区供水保障现场办公会",
        "decisions": [
            {
                "content": f"{owner.name}：十日内完成片区管网改造方案",
                "owner_unit_id": owner.pk,
                "due_date": str(TODAY + datetime.timedelta(days=10)),
                "owner_person": "",
            }
            for owner in owners
        ],
    }


def test_a_district_leader_gives_decisions_to_the_city_water_group_and_a_street(
    scene: Scene,
) -> None:
    water = water_group(scene)
    water_handler = scene.cast.make(Role.HANDLER, water, name="孙玉兰")
    leader = login(scene.leader)  # 开福区 联点 leader: cannot even see the water group's node
    response = leader.post(
        f"{API}/meetings",
        meeting_body(scene, water, scene.tree.xiufeng),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert {i.owner_unit for i in meeting.items.all()} == {water, scene.tree.xiufeng}
    item = meeting.items.get(owner_unit=water)

    # The water group's handler sees the decision, and only the water group's…
    handler = login(water_handler)
    listed = handler.get(f"{API}/items").json()
    assert [row["id"] for row in listed] == [item.pk]
    assert listed[0]["may_complete"] is True and listed[0]["owner_unit_name"] == "长沙水业集团"
    page = handler.get("/projects/items/").content.decode()
    assert "长沙水业集团：十日内完成片区管网改造方案" in page
    assert "秀峰街道：十日内" not in page
    assert "新大塘片区供水保障现场办公会" in page
    # …and works it from its list.
    done = handler.post(
        f"/projects/items/{item.pk}/complete/", {"note": "方案已报区政府", "back": "items"}
    )
    assert done.status_code == 302 and done["Location"] == "/projects/items/"
    assert SupervisedItem.objects.get(pk=item.pk).status == ItemStatus.DONE
    # The street's decision is the street's: the water group cannot touch it.
    street_item = meeting.items.get(owner_unit=scene.tree.xiufeng)
    assert (
        handler.post(f"{API}/items/{street_item.pk}/complete", {"note": "x"}, "application/json")
    ).status_code == 404
    services.item_complete(actor=scene.handler, item=street_item, note="已完成入户摸底")

    # An unrelated district sees neither item.
    outsider = login(scene.yuhua[Role.HANDLER])
    assert outsider.get(f"{API}/items").json() == []
    assert "十日内完成" not in outsider.get("/projects/items/").content.decode()
    assert (
        outsider.post(f"{API}/items/{item.pk}/complete", {"note": "x"}, "application/json")
    ).status_code == 404
    assert outsider.post(f"/projects/items/{item.pk}/complete/", {"note": "x"}).status_code == 404


def test_a_unit_that_does_not_serve_the_place_answers_like_a_missing_one(scene: Scene) -> None:
    leader = login(scene.leader)
    sibling = leader.post(
        f"{API}/meetings", meeting_body(scene, scene.tree.tiaoma), content_type="application/json"
    )
    body = meeting_body(scene, scene.tree.xiufeng)
    body["decisions"][0]["owner_unit_id"] = 987654
    missing = leader.post(f"{API}/meetings", body, content_type="application/json")
    assert sibling.status_code == missing.status_code == 404
    assert sibling.json() == missing.json()
    assert "不负责开福区" in sibling.json()["detail"]
    assert not Meeting.objects.exists()
    # The service holds the rule for every caller, not only the API.
    with pytest.raises(ValidationFailed, match="不负责开福区"):
        services.meeting_create(
            actor=scene.leader,
            org_unit=scene.tree.kaifu,
            held_at=timezone.now(),
            place="x",
            topic="x",
            decisions=[services.ItemIn("x", scene.tree.tiaoma, TODAY, "")],
        )


def test_an_inspection_may_give_a_rectification_to_the_city_water_group(scene: Scene) -> None:
    water = water_group(scene)
    project = scene.project(Status.IN_PROGRESS)
    response = login(scene.supervisor).post(
        f"{API}/{project.pk}/inspections",
        {
            "inspected_at": timezone.now().isoformat(),
            "place": "新大塘社区3栋",
            "findings": "主管渗漏",
            "purpose": "routine",
            "passed": False,
            "rectifications": [
                {"content": "更换主管", "owner_unit_id": water.pk, "due_date": str(TODAY)}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["owner_unit_name"] == "长沙水业集团"


def test_a_city_bureau_may_lead_a_district_project_but_a_sibling_district_may_not(
    scene: Scene,
) -> None:
    from banshi.projects.tests.test_api_and_pages import _payload

    admin = login(scene.admin)
    bureau = scene.tree.city_bureau
    created = admin.post(
        API,
        _payload(scene, lead_unit_id=bureau.pk, co_unit_ids=[scene.tree.datang.pk]),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["lead_unit_name"] == bureau.name
    refused = admin.post(
        API, _payload(scene, co_unit_ids=[scene.tree.tiaoma.pk]), content_type="application/json"
    )
    assert refused.status_code == 404
    assert refused.json()["detail"] == "配合单位不存在或不负责秀峰街道的工作"
