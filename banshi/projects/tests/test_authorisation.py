"""Authorisation gaps found by reading the code (issue 8, defect 9): who may close a supervised
item, what a viewer learns about linked requests out of their scope, the leader look-up by id and
the Excel import's list names. Each: allowed, denied, and out of the subtree (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.core.errors import NotFound, PermissionDenied
from banshi.projects import services
from banshi.projects.choices import ItemStatus, Status
from banshi.projects.models import SupervisedItem
from banshi.projects.tests.conftest import TODAY, Scene

pytestmark = pytest.mark.django_db

API = "/api/v1/projects"


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def rectification(scene: Scene, owner: Any) -> SupervisedItem:
    """A 整改 item raised by the leader's inspection of the 秀峰街道 project, owned by ``owner``."""
    project = scene.project(Status.IN_PROGRESS)
    inspection = services.inspection_record(
        actor=scene.leader,
        project=project,
        inspected_at=timezone.now(),
        place="新大塘社区3栋",
        findings="管道接口渗漏",
        purpose="routine",
        passed=False,
        rectifications=[services.ItemIn("修复渗漏接口", owner, TODAY, "")],
    )
    return inspection.items.get()


# --- Closing a supervised item --------------------------------------------------------------------


def test_only_the_owner_units_own_handler_closes_its_rectification(scene: Scene) -> None:
    item = rectification(scene, scene.tree.datang)  # 新大塘社区, below the 秀峰街道 handler
    datang_handler = scene.cast.make(Role.HANDLER, scene.tree.datang, name="新大塘承办人")
    kaifu_handler = scene.cast.make(Role.HANDLER, scene.tree.kaifu, name="开福区承办人")
    # The project's own 承办人 (秀峰街道) sees the item, but it is another unit's work.
    with pytest.raises(PermissionDenied, match="责任单位"):
        services.item_complete(actor=scene.handler, item=item, note="已修复")
    # A district handler above the owner may not close it for them either.
    with pytest.raises(PermissionDenied):
        services.item_complete(actor=kaifu_handler, item=item, note="已修复")
    with pytest.raises(NotFound):
        services.item_complete(actor=scene.yuhua[Role.HANDLER], item=item, note="已修复")
    services.item_complete(actor=datang_handler, item=item, note="已修复")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.done_by == datang_handler


def test_a_handler_cannot_close_an_item_assigned_to_the_leaders_unit(scene: Scene) -> None:
    item = rectification(scene, scene.tree.kaifu)  # given to 开福区 itself, the leader's unit
    with pytest.raises(PermissionDenied):
        services.item_complete(actor=scene.handler, item=item, note="已完成")
    assert SupervisedItem.objects.get(pk=item.pk).status == ItemStatus.OPEN


def test_a_supervisor_in_scope_may_close_any_item_of_the_project(scene: Scene) -> None:
    item = rectification(scene, scene.tree.datang)
    with pytest.raises(NotFound):
        services.item_complete(actor=scene.yuhua[Role.SUPERVISOR], item=item, note="核实")
    services.item_complete(actor=scene.supervisor, item=item, note="现场核实已修复")
    assert SupervisedItem.objects.get(pk=item.pk).status == ItemStatus.DONE


def test_the_api_and_the_page_refuse_another_units_handler(scene: Scene, client: Client) -> None:
    item = rectification(scene, scene.tree.datang)
    handler = login(Client(), scene.handler)
    response = handler.post(
        f"{API}/items/{item.pk}/complete", {"note": "已修复"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    page = handler.get(f"/projects/{item.project_id}/").content.decode()
    assert "修复渗漏接口" in page
    assert f"/projects/items/{item.pk}/complete/" not in page  # no 办结 button for them
    assert handler.post(f"/projects/items/{item.pk}/complete/", {"note": "x"}).status_code == 403
    outsider = login(Client(), scene.yuhua[Role.HANDLER])
    assert outsider.post(f"/projects/items/{item.pk}/complete/", {"note": "x"}).status_code == 404
    owner = login(client, scene.cast.make(Role.HANDLER, scene.tree.datang, name="新大塘承办人"))
    response = owner.post(
        f"{API}/items/{item.pk}/complete", {"note": "已修复"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"


# --- Linked requests outside the viewer's scope ------------------------------------------------


def linked_across_districts(scene: Scene) -> tuple[Any, Any, Any]:
    """The 秀峰街道 project with two requests linked by a city admin: one in 新大塘社区 and one
    in 雨花区's 石燕湖村, which a 开福区 viewer may not read."""
    from banshi.projects.tests.test_links import order

    project = scene.project(Status.IN_PROGRESS)
    mine = order(scene.tree.datang, title="新大塘社区水压不足")
    theirs = order(scene.tree.shiyanhu, category="停电", title="石燕湖村停电三天")
    city_admin = scene.cast.make(Role.ORG_ADMIN, scene.tree.city, name="市管理员")
    services.orders_link(actor=city_admin, project=project, orders=[mine, theirs])
    return project, mine, theirs


def test_the_project_page_shows_only_requests_in_scope_and_counts_the_rest(
    scene: Scene, client: Client
) -> None:
    project, mine, theirs = linked_across_districts(scene)
    page = login(client, scene.analyst).get(f"/projects/{project.pk}/").content.decode()
    assert mine.number in page and "新大塘社区水压不足" in page
    assert theirs.number not in page
    assert "石燕湖村停电三天" not in page and "石燕湖村" not in page
    assert "停电" not in page  # not even its category, in the recurrence panel
    assert "另有 1 件不在您的管辖范围内" in page
    assert "关联群众诉求（2件）" in page
    city = login(Client(), scene.cast.make(Role.ANALYST, scene.tree.city, name="市分析员"))
    page = city.get(f"/projects/{project.pk}/").content.decode()
    assert theirs.number in page and "不在您的管辖范围内" not in page
    outsider = login(Client(), scene.yuhua[Role.ANALYST])
    assert outsider.get(f"/projects/{project.pk}/").status_code == 404


def test_the_api_lists_only_requests_in_scope_with_an_honest_count(
    scene: Scene, client: Client
) -> None:
    project, mine, theirs = linked_across_districts(scene)
    body = login(client, scene.analyst).get(f"{API}/{project.pk}/requests").json()
    assert [row["number"] for row in body["requests"]] == [mine.number]
    assert body["hidden_count"] == 1
    assert body["hidden_note"] == "另有 1 件不在您的管辖范围内"
    assert theirs.number not in str(body) and "石燕湖村" not in str(body)
    stats = client.get(f"{API}/{project.pk}/recurrence?months=3").json()
    assert stats["categories"] == ["水电气 › 供水 › 水压不足"]  # not 停电, the hidden one's
    outsider = login(Client(), scene.yuhua[Role.ANALYST])
    assert outsider.get(f"{API}/{project.pk}/requests").status_code == 404


# --- The leader look-up by id -------------------------------------------------------------------


def project_body(scene: Scene, **overrides: Any) -> dict[str, Any]:
    from banshi.projects.tests.test_api_and_pages import _payload

    return _payload(scene, **overrides)


def test_a_leader_id_out_of_scope_answers_exactly_like_a_missing_one(
    scene: Scene, client: Client
) -> None:
    login(client, scene.admin)
    answers = []
    for leader_id in (
        987654,  # nobody
        scene.handler.pk,  # exists, not a leader
        scene.yuhua[Role.LEADER].pk,  # a leader, but of the sibling district
    ):
        response = client.post(
            API, project_body(scene, lead_leader_id=leader_id), content_type="application/json"
        )
        answers.append((response.status_code, response.json()))
    assert answers[0][0] == 404
    assert answers[0] == answers[1] == answers[2]
    assert scene.handler.name not in str(answers) and "雨花" not in str(answers)
    created = client.post(API, project_body(scene), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["lead_leader_name"] == scene.leader.name


def test_the_link_api_does_not_tell_existing_users_from_missing_ones(
    scene: Scene, client: Client
) -> None:
    login(client, scene.admin)

    def link(leader_id: int) -> Any:
        body = {"leader_id": leader_id, "kind": "street", "org_unit_id": scene.tree.xiufeng.pk}
        return client.post(f"{API}/links", body, content_type="application/json")

    missing, handler, sibling = (
        link(987654),
        link(scene.handler.pk),
        link(scene.yuhua[Role.LEADER].pk),
    )
    assert missing.status_code == handler.status_code == sibling.status_code == 404
    assert missing.json() == handler.json() == sibling.json()
    assert link(scene.leader.pk).status_code == 201


# --- The Excel import's list names ---------------------------------------------------------------


def import_with_list(scene: Scene, list_name: str) -> Any:
    from banshi.projects import excel
    from banshi.projects.tests.conftest import xlsx
    from banshi.projects.tests.test_cadence_excel_evaluation import IMPORT_ROW

    row = list(IMPORT_ROW)
    row[3] = list_name
    return excel.import_ledger(actor=scene.admin, uploaded=xlsx([excel.IMPORT_COLUMNS, row]))


def test_the_import_does_not_reveal_lists_outside_the_importers_scope(scene: Scene) -> None:
    # 雨花区 keeps a list of the same name as 开福区's (another year's batch) and one of its own.
    for name in ("开福区为民办实事清单", "雨花区重点民生实事清单"):
        services.list_create(
            actor=scene.yuhua[Role.ORG_ADMIN],
            org_unit=scene.tree.yuhua,
            name=name,
            level="district",
            year=2025,
        )
    theirs = import_with_list(scene, "雨花区重点民生实事清单")
    nowhere = import_with_list(scene, "从未有过的清单")
    assert not theirs.ok and not nowhere.ok
    assert theirs.errors[0].message == nowhere.errors[0].message.replace(
        "从未有过的清单", "雨花区重点民生实事清单"
    )
    # The same-named list elsewhere neither blocks nor shows: the importer's own list is used.
    result = import_with_list(scene, "开福区为民办实事清单")
    assert result.ok, result.errors
    assert result.created[0].lists.get() == scene.city_list
