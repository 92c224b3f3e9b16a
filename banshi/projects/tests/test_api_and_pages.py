"""The REST API and the pages: scoped, audited, bad input answered in Chinese with a 4xx."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.tests.spreadsheets import PAYLOADS, formulas
from banshi.projects import excel, services
from banshi.projects.choices import Status
from banshi.projects.models import Attachment, Project
from banshi.projects.tests.conftest import Scene, png, xlsx

API = "/api/v1/projects"
TODAY = timezone.localdate()


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _payload(scene: Scene, **kw: Any) -> dict[str, Any]:
    body = {
        "org_unit_id": scene.tree.xiufeng.pk,
        "lead_unit_id": scene.tree.xiufeng.pk,
        "lead_leader_id": scene.leader.pk,
        "name": "秀峰街道公厕改造",
        "source": "visit",
        "field": "toilets",
        "target": "改造公厕",
        "target_quantity": "3",
        "target_unit": "座",
        "handling_type": "deadline",
        "start_date": str(TODAY),
        "deadline": str(TODAY + datetime.timedelta(days=60)),
        "milestones": [
            {
                "name": "完工",
                "planned_date": str(TODAY + datetime.timedelta(days=50)),
                "weight": 100,
            }
        ],
    }
    body.update(kw)
    return body


def test_api_creates_and_walks_a_project_with_change_records(scene: Scene, client: Client) -> None:
    login(client, scene.admin)
    response = client.post(API, _payload(scene), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    pid = body["id"]
    assert (
        body["status"] == "collected"
        and body["colour"] == "none"
        and body["milestones"][0]["weight"] == 100
    )
    assert (
        client.post(
            f"{API}/{pid}/transitions", {"action": "screen"}, content_type="application/json"
        ).json()["status"]
        == "screened"
    )
    assert (
        client.post(
            f"{API}/{pid}/lists", {"list_id": scene.city_list.pk}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{API}/{pid}/transitions", {"action": "approve"}, content_type="application/json"
        ).json()["status"]
        == "approved"
    )
    events = client.get(f"{API}/{pid}/events").json()
    assert [e["action"] for e in events] == ["create", "screen", "list", "approve"]
    assert ChangeRecord.objects.filter(
        object_id=str(pid), action="project.approve", actor=scene.admin
    ).exists()
    listed = client.get(API, {"status": "approved"}).json()
    assert [p["id"] for p in listed] == [pid]


def test_api_refuses_the_wrong_role_and_hides_the_sibling_district(
    scene: Scene, client: Client
) -> None:
    project = scene.project(Status.SCREENED)
    login(client, scene.supervisor)
    denied = client.post(
        f"{API}/{project.pk}/transitions",
        {"action": "cancel", "note": "x"},
        content_type="application/json",
    )
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    outsider = login(Client(), scene.yuhua[Role.ORG_ADMIN])
    hidden = outsider.post(
        f"{API}/{project.pk}/transitions",
        {"action": "cancel", "note": "x"},
        content_type="application/json",
    )
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert outsider.get(f"{API}/{project.pk}").status_code == 404
    assert outsider.get(API).json() == []


@pytest.mark.parametrize(
    "pid", ["abc", "0", "-1", "9223372036854775808", "99999999999999999999999", "1e3"]
)
def test_malformed_and_oversized_ids_are_404(scene: Scene, client: Client, pid: str) -> None:
    login(client, scene.admin)
    assert client.get(f"{API}/{pid}").status_code == 404
    assert client.post(f"{API}/reports/{pid}/submit").status_code == 404
    assert client.get(f"/projects/{pid}/").status_code == 404


def test_ids_beyond_64_bits_in_bodies_are_404(scene: Scene, client: Client) -> None:
    login(client, scene.admin)
    response = client.post(
        API, _payload(scene, lead_unit_id=2**64), content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"deadline": "2020-01-01"}, 400, "完成时限不能早于开始时间"),
        ({"target_quantity": "-1"}, 400, "负数"),
        ({"name": "公厕\u0000改造"}, 400, "NUL"),
        ({"name": "长" * 6000}, 400, ""),
        (
            {"milestones": [{"name": "完工", "planned_date": "2099-01-01", "weight": 100}]},
            400,
            "不在项目开始时间",
        ),
        ({"start_date": "not a date"}, 400, ""),
    ],
)
def test_bad_project_input_is_a_chinese_4xx_and_nothing_is_saved(
    scene: Scene, client: Client, change: dict[str, Any], status: int, text: str
) -> None:
    login(client, scene.admin)
    response = client.post(API, _payload(scene, **change), content_type="application/json")
    assert response.status_code == status
    assert text in response.json()["detail"] and response.json()["detail"]
    assert not Project.objects.exists()


def test_api_upload_checks_type_and_size(scene: Scene, client: Client, settings: Any) -> None:
    project = scene.project(Status.IN_PROGRESS)
    login(client, scene.handler)
    ok = client.post(f"{API}/{project.pk}/attachments", {"kind": "progress_photo", "file": png()})
    assert ok.status_code == 201, ok.content
    fake = io.BytesIO(b"<html>not a photo</html>")
    fake.name = "photo.jpg"
    bad = client.post(f"{API}/{project.pk}/attachments", {"kind": "progress_photo", "file": fake})
    assert bad.status_code == 415 and "类型不支持" in bad.json()["detail"]
    settings.PROJECTS_MAX_UPLOAD_BYTES = 10
    big = client.post(f"{API}/{project.pk}/attachments", {"kind": "evidence", "file": png()})
    assert big.status_code == 413 and "MB" in big.json()["detail"]
    assert Attachment.objects.count() == 1


def test_api_reports_and_review(scene: Scene, client: Client) -> None:
    project = scene.project(Status.IN_PROGRESS)
    handler = login(Client(), scene.handler)
    created = handler.post(
        f"{API}/{project.pk}/reports",
        {
            "report_date": str(TODAY),
            "text": "完成一半",
            "percent": 50,
            "funds_spent": "10",
            "submit": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    rid = created.json()["id"]
    assert (
        handler.post(
            f"{API}/reports/{rid}/review", {"approve": True}, content_type="application/json"
        ).status_code
        == 403
    )
    supervisor = login(Client(), scene.supervisor)
    assert (
        supervisor.post(
            f"{API}/reports/{rid}/review", {"approve": True}, content_type="application/json"
        ).json()["status"]
        == "approved"
    )
    assert supervisor.get(f"{API}/{project.pk}").json()["progress_percent"] == 50


def test_pages_render_for_a_viewer(scene: Scene, client: Client) -> None:
    project = scene.project(
        Status.IN_PROGRESS, milestones=[services.MilestoneIn("完工", TODAY, 100)]
    )
    login(client, scene.analyst)
    for url in [
        "/projects/",
        "/projects/board/",
        "/projects/leader/",
        "/projects/lists/",
        "/projects/links/",
        f"/projects/{project.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    ledger = client.get(
        "/projects/",
        {
            "colour": "yellow",
            "status": "in_progress",
            "level": "district",
            "list": scene.city_list.pk,
            "leader": scene.leader.pk,
            "field": "utilities",
            "unit": scene.tree.xiufeng.pk,
        },
    ).content.decode()
    assert project.name in ledger
    assert project.name not in client.get("/projects/", {"colour": "green"}).content.decode()
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "echarts.min.js" in detail and "chart-data" in detail
    assert client.get("/projects/new/").status_code == 403
    assert client.get("/projects/cadence/").status_code == 200
    assert (
        login(Client(), scene.yuhua[Role.ANALYST]).get(f"/projects/{project.pk}/").status_code
        == 404
    )


def test_ledger_export_is_the_ledger_layout(scene: Scene, client: Client) -> None:
    scene.project(Status.IN_PROGRESS)
    login(client, scene.analyst)
    response = client.get("/projects/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["台账"]
    assert [c.value for c in sheet[2]] == [c for c, _ in excel.LEDGER_COLUMNS]
    assert sheet["C3"].value == "新大塘社区自来水改造"


def test_page_import_shows_errors_row_by_row(scene: Scene, client: Client) -> None:
    login(client, scene.admin)
    bad = [
        "",
        "缺数量",
        "430105016",
        "",
        "群众点单",
        "梯位",
        "加装电梯",
        "",
        "台",
        "",
        "限期办",
        "",
        "430105016",
        "",
        "",
        "",
        "2026-03-01",
        "2026-10-31",
        0,
        "",
    ]
    response = client.post("/projects/import/", {"file": xlsx([excel.IMPORT_COLUMNS, bad])})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第2行" in page and "目标数量不能为空" in page and "未导入任何数据" in page
    assert not Project.objects.exists()


def test_page_action_errors_are_4xx_with_the_reason(scene: Scene, client: Client) -> None:
    project = scene.project(Status.IN_PROGRESS)
    login(client, scene.handler)
    response = client.post(
        f"/projects/{project.pk}/transition/", {"action": "claim", "note": "完工"}
    )
    assert response.status_code == 400 and "100%" in response.content.decode()
    response = client.post(
        f"/projects/{project.pk}/reports/",
        {"report_date": str(TODAY), "text": "x", "percent": "120", "funds_spent": "1"},
    )
    assert response.status_code == 400 and "0到100" in response.content.decode()


def test_public_page_shows_published_projects_without_personal_data(
    scene: Scene, client: Client
) -> None:
    project = scene.project(Status.CLOSED)
    assert client.get(f"/public/projects/{project.pk}/").status_code == 404
    services.project_publish(actor=scene.supervisor, project=project)
    page = client.get(f"/public/projects/{project.pk}/").content.decode()
    assert project.name in page and "满意率" in page
    for private in (
        scene.leader.name,
        project.responsible_person,
        scene.handler.mobile,
        scene.leader.mobile,
    ):
        assert private not in page
    assert project.name in client.get("/public/projects/").content.decode()


def test_ledger_export_writes_text_that_looks_like_a_formula_as_text(
    scene: Scene, client: Client
) -> None:
    """Issue 8.3: a project's texts come from many hands; none may become a live formula."""
    link, plus, minus, at, wide = PAYLOADS
    scene.project(
        Status.IN_PROGRESS,
        name=link,
        target=plus,
        measures=minus,
        responsible_person=at,
        responsible_title=wide,
    )
    response = login(client, scene.analyst).get("/projects/export.xlsx")
    assert response.status_code == 200
    assert formulas(response.content) == []
    sheet = load_workbook(io.BytesIO(response.content))["台账"]
    row = {header: cell.value for (header, _), cell in zip(excel.LEDGER_COLUMNS, sheet[3])}
    assert (row["项目名称"], row["目标任务"], row["主要措施"], row["责任人"]) == (
        link,
        plus,
        minus,
        at,
    )
    assert row["目标数量"] == 326 and row["计划资金（万元）"] == 85  # numbers stay numbers
    assert formulas(excel.import_template()) == []
