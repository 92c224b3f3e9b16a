"""Links between projects and citizen requests: a project made from ticked requests (scope, all or
nothing), linking and unlinking later, the project on the citizen's tracking page, the SMS to
linked citizens on 销号 (their evaluation is in test_survey.py), the recurrence counts and the
高频诉求 clusters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.calendar import TZ
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.notify.models import Message
from banshi.projects import linking, services
from banshi.projects.choices import Status
from banshi.projects.models import Project, ProjectEvent, ProjectWorkOrder
from banshi.projects.tests.conftest import Scene, data
from banshi.workorders.models import Category, WorkOrder
from banshi.workorders.services import SubmitInput, submit

pytestmark = pytest.mark.django_db

WATER = "水压不足"


def leaf(name: str) -> Category:
    return Category.objects.get(name=name, level=3)


def order(
    unit: Any,
    *,
    category: str = WATER,
    phone: str = "13812345678",
    at: datetime.datetime | None = None,
    title: str = "",
) -> WorkOrder:
    made, _ = submit(
        actor=None,
        data=SubmitInput(
            channel="web",
            kind="complaint",
            category_id=leaf(category).pk,
            title=title,
            content=f"{unit.name}自来水水压不足，高层住户白天经常没水，希望尽快解决。",
            address=f"长沙市{unit.name}",
            caller_name="张秀英",
            caller_phone=phone,
            org_unit=unit,
        ),
        now=at or timezone.now(),
    )
    return made


def post_data(**overrides: Any) -> dict[str, Any]:
    from banshi.orgtree.models import OrgUnit

    values = {
        "org_unit": OrgUnit.objects.get(code="430105016005").pk,  # as the pickers post them
        "lead_unit": OrgUnit.objects.get(code="430105016").pk,
        "name": "新大塘社区水压不足问题集中整治",
        "source": "hotline_cluster",
        "field": "utilities",
        "target": "解决新大塘社区12345热线集中反映的水压不足问题",
        "target_quantity": "3",
        "target_unit": "件",
        "handling_type": "deadline",
        "start_date": timezone.localdate().isoformat(),
        "deadline": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "funds_planned": "0",
    }
    values.update(overrides)
    return values


# --- A project from ticked requests ----------------------------------------------------------------


def test_the_create_page_is_prefilled_from_the_ticked_requests(scene: Scene, client: Any) -> None:
    orders = [order(scene.tree.datang) for _ in range(2)] + [order(scene.tree.grid)]
    client.force_login(scene.admin)
    response = client.get(reverse("projects:from_requests"), {"orders": [o.pk for o in orders]})
    assert response.status_code == 200
    values = response.context["values"]
    # The lowest common unit of 新大塘社区 and a grid inside it is the community.
    assert values["org_unit"] == str(scene.tree.datang.pk)
    assert response.context["picked"].org_unit == scene.tree.datang  # shown in the picker
    assert values["name"] == "新大塘社区水压不足问题集中整治"
    assert values["field"] == "utilities"
    assert values["source"] == "hotline_cluster"
    assert values["target_quantity"] == 3
    for o in orders:
        assert o.number in response.content.decode()


def test_creating_from_requests_links_each_with_an_event_and_a_change_record(
    scene: Scene, client: Any
) -> None:
    orders = [order(scene.tree.datang) for _ in range(3)]
    client.force_login(scene.admin)
    response = client.post(
        reverse("projects:from_requests"), {**post_data(), "orders": [o.pk for o in orders]}
    )
    assert response.status_code == 302
    project = Project.objects.get(name="新大塘社区水压不足问题集中整治")
    assert project.status == Status.COLLECTED
    assert project.source == "hotline_cluster"
    assert set(project.order_links.values_list("order_id", flat=True)) == {o.pk for o in orders}
    assert ProjectEvent.objects.filter(project=project, action="link_order").count() == 3
    assert ChangeRecord.objects.filter(action="project.link_order").count() == 3


def test_a_request_outside_the_users_subtree_is_404_and_nothing_is_written(
    scene: Scene, client: Any
) -> None:
    mine = order(scene.tree.datang)
    theirs = order(scene.tree.shiyanhu)  # 雨花区
    client.force_login(scene.admin)  # 开福区
    before = Project.objects.count()
    response = client.post(
        reverse("projects:from_requests"), {**post_data(), "orders": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 404
    assert Project.objects.count() == before
    assert not ProjectWorkOrder.objects.exists()
    assert client.get(reverse("projects:from_requests"), {"orders": [theirs.pk]}).status_code == 404


def test_a_user_who_may_not_collect_projects_is_refused(scene: Scene, client: Any) -> None:
    o = order(scene.tree.datang)
    client.force_login(scene.handler)  # 承办人: sees requests, does not collect projects
    response = client.get(reverse("projects:from_requests"), {"orders": [o.pk]})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.project_create_from_orders(
            actor=scene.handler,
            orders=[o],
            org_unit=scene.tree.xiufeng,
            lead_unit=scene.tree.xiufeng,
            data=data(),
        )


def test_a_failing_create_leaves_neither_project_nor_links(scene: Scene) -> None:
    orders = [order(scene.tree.datang) for _ in range(2)]
    bad = data(deadline=timezone.localdate() - datetime.timedelta(days=400))
    with pytest.raises(ValidationFailed):
        services.project_create_from_orders(
            actor=scene.admin,
            orders=orders,
            org_unit=scene.tree.datang,
            lead_unit=scene.tree.xiufeng,
            data=bad,
        )
    assert not Project.objects.exists()
    assert not ProjectWorkOrder.objects.exists()


def test_the_form_rerenders_with_the_reason_when_a_field_is_wrong(
    scene: Scene, client: Any
) -> None:
    o = order(scene.tree.datang)
    client.force_login(scene.admin)
    response = client.post(
        reverse("projects:from_requests"),
        {**post_data(target_quantity="-1"), "orders": [o.pk]},
    )
    assert response.status_code == 400
    assert not Project.objects.exists()
    assert not ProjectWorkOrder.objects.exists()


# --- Linking and unlinking later -------------------------------------------------------------------


def test_more_requests_are_linked_and_unlinked_from_the_project_page(
    scene: Scene, client: Any
) -> None:
    project = scene.project()
    first, second = order(scene.tree.datang), order(scene.tree.datang)
    client.force_login(scene.admin)
    url = reverse("projects:link_orders", args=[project.pk])
    assert client.post(url, {"orders": f"{first.number}\n{second.number}"}).status_code == 302
    assert project.order_links.count() == 2
    # Linking the same request twice is refused, and nothing else of that call is kept.
    third = order(scene.tree.datang)
    response = client.post(url, {"orders": f"{third.number},{first.number}"})
    assert response.status_code == 400
    assert project.order_links.count() == 2
    unlink = reverse("projects:unlink_order", args=[project.pk, first.pk])
    assert client.post(unlink).status_code == 302
    assert list(project.order_links.values_list("order_id", flat=True)) == [second.pk]
    assert ChangeRecord.objects.filter(action="project.unlink_order").count() == 1
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert second.number in page and "关联更多工单" in page


def test_linking_a_request_out_of_sight_is_404(scene: Scene, client: Any) -> None:
    project = scene.project()
    theirs = order(scene.tree.shiyanhu)
    client.force_login(scene.admin)
    response = client.post(
        reverse("projects:link_orders", args=[project.pk]), {"orders": theirs.number}
    )
    assert response.status_code == 404
    assert not project.order_links.exists()


def test_a_viewer_without_the_right_cannot_link(scene: Scene) -> None:
    project = scene.project()
    o = order(scene.tree.datang)
    with pytest.raises(PermissionDenied):
        services.orders_link(actor=scene.analyst, project=project, orders=[o])
    with pytest.raises(NotFound):  # the sibling district does not even see the project
        services.orders_link(actor=scene.yuhua[Role.ORG_ADMIN], project=project, orders=[o])


# --- The API ------------------------------------------------------------------------------------------


def test_the_api_creates_links_lists_unlinks_and_counts(scene: Scene, client: Any) -> None:
    orders = [order(scene.tree.datang) for _ in range(2)]
    client.force_login(scene.admin)
    body = {
        "org_unit_id": scene.tree.datang.pk,
        "lead_unit_id": scene.tree.xiufeng.pk,
        "name": "新大塘社区供水改造",
        "source": "hotline_cluster",
        "field": "utilities",
        "target": "解决水压不足",
        "target_quantity": "2",
        "target_unit": "件",
        "handling_type": "deadline",
        "start_date": timezone.localdate().isoformat(),
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "order_ids": [str(orders[0].pk), orders[1].number],
    }
    response = client.post("/api/v1/projects/from-requests", body, content_type="application/json")
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    listed = client.get(f"/api/v1/projects/{pid}/requests").json()
    assert {row["number"] for row in listed["requests"]} == {o.number for o in orders}
    assert listed["hidden_count"] == 0 and listed["hidden_note"] == ""
    assert "caller_phone" not in listed["requests"][0]
    extra = order(scene.tree.datang)
    response = client.post(
        f"/api/v1/projects/{pid}/requests",
        {"order_ids": [extra.number]},
        content_type="application/json",
    )
    assert response.status_code == 201 and len(response.json()["requests"]) == 3
    assert client.delete(f"/api/v1/projects/{pid}/requests/{extra.pk}").status_code == 204
    stats = client.get(f"/api/v1/projects/{pid}/recurrence?months=3").json()
    assert stats["categories"] == ["水电气 › 供水 › 水压不足"]
    assert sum(m["count"] for m in stats["months"]) == 3  # the extra one still recurred there
    theirs = order(scene.tree.shiyanhu)
    response = client.post(
        f"/api/v1/projects/{pid}/requests",
        {"order_ids": [theirs.number]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/projects/{pid}/requests/x").status_code in (404, 405)


# --- The citizen's tracking page ----------------------------------------------------------------------


def test_the_tracking_page_shows_the_project_of_a_linked_request(scene: Scene, client: Any) -> None:
    project = scene.project(Status.IN_PROGRESS)
    o = order(scene.tree.datang)
    services.orders_link(actor=scene.admin, project=project, orders=[o])
    Project.objects.filter(pk=project.pk).update(progress_percent=40)
    response = client.post(reverse("public:track"), {"number": o.number, "proof": "5678"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "您的诉求已纳入实事项目" in page
    assert project.name in page and "推进中" in page and "40%" in page
    # An unlinked request shows no project panel.
    other = order(scene.tree.datang)
    page = client.post(reverse("public:track"), {"number": other.number, "proof": "5678"})
    assert "已纳入实事项目" not in page.content.decode()


def test_the_tracking_page_links_to_the_public_page_once_published(
    scene: Scene, client: Any
) -> None:
    project = scene.project(Status.CLOSED)
    services.project_publish(actor=scene.supervisor, project=project)
    o = order(scene.tree.datang)
    services.orders_link(actor=scene.admin, project=project, orders=[o])
    page = client.post(reverse("public:track"), {"number": o.number, "proof": "5678"})
    text = page.content.decode()
    assert reverse("projects_public:detail", args=[project.pk]) in text
    assert "评价该项目" in text


# --- 销号: the linked citizens are told, once ---------------------------------------------------------


def test_closing_the_project_texts_each_linked_citizen_once(scene: Scene) -> None:
    project = scene.project(Status.VERIFIED)
    with_phone = order(scene.tree.datang, phone="13900001111")
    anonymous = order(scene.tree.datang, phone="")
    services.orders_link(actor=scene.admin, project=project, orders=[with_phone, anonymous])
    # Linked while the evaluation is open: the citizen with a mobile is invited at once.
    invites = Message.objects.filter(template="projects.survey_invite")
    assert [m.address for m in invites] == ["13900001111"]
    scene.evaluate(project, satisfied=10)
    project = services.project_transition(actor=scene.supervisor, project=project, action="close")
    sms = Message.objects.filter(template="projects.linked_closed")
    assert sms.count() == 1
    message = sms.get()
    assert message.address == "13900001111"
    assert with_phone.number in message.body and project.name in message.body
    # Not answered yet: the message carries a fresh one-time link.
    assert "/public/projects/invite/" in message.body
    # Running the notification again (a retried job, a second close path) sends nothing new.
    assert services.invite_linked_citizens(project, occasion="closed") == 0
    assert sms.count() == 1


def test_nothing_is_sent_when_the_close_is_refused(scene: Scene) -> None:
    project = scene.project(Status.VERIFIED)
    services.orders_link(actor=scene.admin, project=project, orders=[order(scene.tree.datang)])
    with pytest.raises(ValidationFailed):  # too few evaluations
        services.project_transition(actor=scene.supervisor, project=project, action="close")
    assert not Message.objects.filter(template="projects.linked_closed").exists()


# --- Recurrence before and after ----------------------------------------------------------------------


def _at(year: int, month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=TZ)


def test_recurrence_counts_the_category_in_the_subtree_month_by_month(scene: Scene) -> None:
    project = services.project_create(
        actor=None,
        org_unit=scene.tree.xiufeng,
        lead_unit=scene.tree.xiufeng,
        data=data(start_date="2026-03-01", deadline="2026-05-31"),
    )
    Project.objects.filter(pk=project.pk).update(closed_at=_at(2026, 5, 20))
    project.refresh_from_db()
    # Before the start (Jan: 2, Feb: 3), during (Mar: 1), after 销号 (Jun: 1, Aug: 0 → none).
    linked = order(scene.tree.datang, at=_at(2026, 1, 5))
    order(scene.tree.datang, at=_at(2026, 1, 25))
    for day in (1, 2, 3):
        order(scene.tree.grid, at=_at(2026, 2, day))
    order(scene.tree.datang, at=_at(2026, 3, 15))
    order(scene.tree.datang, at=_at(2026, 6, 2))
    # Not counted: another category, another street, before the window.
    order(scene.tree.datang, category="停电", at=_at(2026, 2, 5))
    order(scene.tree.xinhe_comm, at=_at(2026, 2, 5))
    order(scene.tree.datang, at=_at(2025, 11, 30))
    services.orders_link(actor=None, project=project, orders=[linked])

    result = linking.recurrence(project, months=3, today=datetime.date(2026, 7, 15))
    assert result is not None
    rows = [(m.label, m.phase, m.count) for m in result.months]
    assert rows == [
        ("2025-12", "before", 0),
        ("2026-01", "before", 2),
        ("2026-02", "before", 3),
        ("2026-03", "during", 1),
        ("2026-04", "during", 0),
        ("2026-05", "during", 0),
        ("2026-06", "after", 1),
        ("2026-07", "after", 0),  # up to today, not three months
    ]
    assert result.before_total == 5 and result.before_average == pytest.approx(1.7)
    assert result.after_total == 1 and result.after_average == pytest.approx(0.5)
    assert result.categories == ["水电气 › 供水 › 水压不足"]


def test_recurrence_is_none_without_linked_requests(scene: Scene) -> None:
    assert linking.recurrence(scene.project()) is None


# --- 高频诉求 clusters on the request list ---------------------------------------------------------------


def test_the_cluster_panel_lists_three_or_more_in_one_street_within_scope(
    scene: Scene, client: Any
) -> None:
    cluster = [order(scene.tree.datang), order(scene.tree.grid), order(scene.tree.datang)]
    order(scene.tree.xinhe_comm)  # same category, another street: 1, not a cluster
    order(scene.tree.xinhe_comm)
    for _ in range(3):
        order(scene.tree.shiyanhu)  # a cluster in 雨花区, out of 开福区's sight
    old = order(scene.tree.datang, at=timezone.now() - datetime.timedelta(days=40))

    found = linking.clusters(scene.admin)
    assert [(c.category.name, c.street.name, c.count) for c in found] == [(WATER, "秀峰街道", 3)]
    assert set(found[0].order_ids) == {o.pk for o in cluster}
    assert old.pk not in found[0].order_ids

    client.force_login(scene.admin)
    page = client.get(reverse("workorders:list")).content.decode()
    assert "高频诉求" in page and "选中这些工单" in page and "转为实事项目" in page
    # The one-click link narrows the list to the cluster with its requests ticked.
    picked = client.get(found[0].pick_url).content.decode()
    for o in cluster:
        assert f'value="{o.pk}" form="select-form" checked' in picked

    # Once turned into a project, the cluster is no longer flagged.
    services.project_create_from_orders(
        actor=scene.admin,
        orders=cluster,
        org_unit=scene.tree.datang,
        lead_unit=scene.tree.xiufeng,
        data=data(),
    )
    assert linking.clusters(scene.admin) == []


def test_the_list_has_no_selection_for_users_who_may_not_collect(scene: Scene, client: Any) -> None:
    order(scene.tree.datang)
    client.force_login(scene.handler)
    page = client.get(reverse("workorders:list")).content.decode()
    assert "转为实事项目" not in page and "高频诉求" not in page
    assert 'name="orders"' not in page


# --- Demo data --------------------------------------------------------------------------------------


def test_demo_links_match_category_and_place_once_and_tolerate_none(scene: Scene) -> None:
    from banshi.projects.demo import link_demo_requests

    assert link_demo_requests() == 0  # no article project, no requests: nothing, no error
    project = services.project_create(
        actor=None,
        org_unit=scene.tree.xiufeng,  # 430105016, like 大塘社区自来水改造
        lead_unit=scene.tree.xiufeng,
        data=data(),
        number="CS2021-005",
    )
    water = [order(scene.tree.datang), order(scene.tree.grid, category="停水")]
    order(scene.tree.datang, category="停电")  # another category
    order(scene.tree.xinhe_comm)  # another street
    assert link_demo_requests() == 2
    assert set(project.order_links.values_list("order_id", flat=True)) == {o.pk for o in water}
    assert link_demo_requests() == 0
