"""The API's contract: one error body, fixed statuses, bad input never a 500, a pinned OpenAPI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.orgtree.models import OrgUnit

SNAPSHOT = Path(__file__).with_name("openapi.json")


def test_openapi_matches_the_committed_snapshot(client: Client, db: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    current = response.json()
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(
            json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == committed, (
        "OpenAPI 已变化：确认后用 UPDATE_OPENAPI_SNAPSHOT=1 make test 更新快照"
    )


def test_docs_page_is_served_without_a_cdn(client: Client, db: Any) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg" not in html


@pytest.fixture
def admin_client(tree: Any, cast: Any, client: Client) -> Client:
    client.force_login(cast.make(Role.ORG_ADMIN, tree.kaifu))
    return client


@pytest.mark.parametrize(
    "unit_id",
    [
        "abc",
        "-1",
        "0",
        "1.5",
        "9223372036854775808",
        "99999999999999999999999",
        "%00",
        "1e3",
        "%C2%B2",  # ² — str.isdigit() is true, int() raises
        "%E2%91%A0",  # ①
        "%EF%BC%93",  # full-width ３
    ],
)
def test_malformed_or_out_of_range_ids_answer_404_with_the_error_body(
    admin_client: Client, unit_id: str
) -> None:
    response = admin_client.get(f"/api/v1/orgunits/{unit_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"]


@pytest.mark.parametrize("ref", ["%C2%B3", "%E2%91%A0", "%EF%BC%91%EF%BC%92"])
def test_unicode_digit_ids_and_cursors_are_404_on_requests_and_projects(
    admin_client: Client, ref: str
) -> None:
    for url in (
        f"/api/v1/workorders/{ref}",
        f"/api/v1/workorders?cursor={ref}",
        f"/api/v1/projects/{ref}",
        f"/api/v1/users/{ref}",
    ):
        response = admin_client.get(url)
        assert response.status_code == 404, (url, response.content[:200])
        assert response.json()["code"] == "not_found"


def test_a_category_id_of_unicode_digits_is_an_unknown_category(client: Client, tree: Any) -> None:
    response = client.post(
        "/api/v1/public/requests",
        {"kind": "help", "category_id": "²", "content": "路灯不亮", "address": "建湘路"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "unknown_category"


@pytest.mark.parametrize(
    "dates",
    [
        {"received_from": "0001-01-01", "received_to": "9999-12-31"},
        {"received_from": "9999-12-31"},
        {"received_to": "0001-01-01"},
    ],
)
def test_request_list_dates_at_the_ends_of_the_calendar_are_no_error(
    admin_client: Client, dates: dict[str, str]
) -> None:
    response = admin_client.get("/api/v1/workorders", dates)
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []


def test_largest_64_bit_id_is_simply_not_found(admin_client: Client) -> None:
    response = admin_client.get("/api/v1/orgunits/9223372036854775807")
    assert response.status_code == 404


def test_ids_in_json_bodies_beyond_64_bits_are_refused(admin_client: Client, tree: Any) -> None:
    response = admin_client.post(
        f"/api/v1/orgunits/{tree.xiufeng.pk}/move",
        {"new_parent_id": 2**64},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_and_mistyped_fields_give_400_in_chinese(admin_client: Client) -> None:
    response = admin_client.post(
        "/api/v1/orgunits", {"level": "street"}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "缺少必填项" in body["detail"]
    response = admin_client.post(
        "/api/v1/orgunits",
        {"parent_id": "x", "level": "street", "name": "n"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_invalid_json_gives_400(admin_client: Client) -> None:
    response = admin_client.post("/api/v1/orgunits", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("name", "code"),
    [("坏\x00名字", "invalid_character"), ("长" * 5000, "too_long"), ("   ", "required")],
)
def test_bad_text_is_refused_and_nothing_is_written(
    admin_client: Client, tree: Any, name: str, code: str
) -> None:
    before = OrgUnit.objects.count()
    response = admin_client.post(
        "/api/v1/orgunits",
        {"parent_id": tree.xiufeng.pk, "level": "community", "name": name},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert OrgUnit.objects.count() == before


def test_create_rename_and_move_through_the_api(admin_client: Client, tree: Any) -> None:
    response = admin_client.post(
        "/api/v1/orgunits",
        {
            "parent_id": tree.xiufeng.pk,
            "level": "community",
            "name": "新社区",
            "code": "430105016099",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    unit_id = response.json()["id"]
    assert (
        admin_client.patch(
            f"/api/v1/orgunits/{unit_id}", {"name": "湘江社区"}, content_type="application/json"
        ).json()["name"]
        == "湘江社区"
    )
    moved = admin_client.post(
        f"/api/v1/orgunits/{unit_id}/move",
        {"new_parent_id": tree.xinhe.pk},
        content_type="application/json",
    )
    # An administrative adjustment keeps the statistical code until the bureau issues a new one.
    assert moved.status_code == 200
    assert moved.json()["parent_id"] == tree.xinhe.pk
    assert moved.json()["path"].startswith(tree.xinhe.path)


def test_children_and_search_endpoints(admin_client: Client, tree: Any) -> None:
    kids = admin_client.get(f"/api/v1/orgunits/{tree.kaifu.pk}/children").json()
    assert [k["name"] for k in kids] == ["新河街道", "秀峰街道"]
    assert {k["name"]: k["household_count"] for k in kids}["秀峰街道"] == 1
    found = admin_client.get("/api/v1/orgunits/search", {"q": "大塘"}).json()
    assert "新大塘社区" in [u["name"] for u in found]
    assert admin_client.get("/api/v1/orgunits/search", {"q": "石燕湖"}).json() == []
    detail = admin_client.get(f"/api/v1/orgunits/{tree.datang.pk}").json()
    assert [a["name"] for a in detail["ancestors"]] == ["开福区", "秀峰街道"]


def test_me_lists_roles_and_actions(admin_client: Client) -> None:
    me = admin_client.get("/api/v1/me").json()
    assert me["roles"][0]["role"] == "org_admin"
    assert "orgunit.manage" in me["actions"]
    assert "*" in me["mobile_masked"]


def test_token_auth_round_trip(tree: Any, cast: Any, client: Client) -> None:
    user = cast.make(Role.SUPERVISOR, tree.kaifu)
    response = client.post(
        "/api/v1/auth/token",
        {"mobile": user.mobile, "password": "Passw0rd!x", "name": "脚本"},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    other = Client()
    me = other.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["id"] == user.pk
    assert other.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_token_endpoint_refuses_bad_credentials_and_throttles(
    tree: Any, cast: Any, client: Client, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    user = cast.make(Role.SUPERVISOR, tree.kaifu)
    for _ in range(3):
        response = client.post(
            "/api/v1/auth/token",
            {"mobile": user.mobile, "password": "nope"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_credentials"
    response = client.post(
        "/api/v1/auth/token",
        {"mobile": user.mobile, "password": "Passw0rd!x"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_session_writes_need_csrf(tree: Any, cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.make(Role.ORG_ADMIN, tree.kaifu))
    response = client.patch(
        f"/api/v1/orgunits/{tree.datang.pk}", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in {401, 403}
    tree.datang.refresh_from_db()
    assert tree.datang.name == "新大塘社区"


def test_a_signed_in_session_without_a_csrf_token_is_refused_in_chinese(
    tree: Any, cast: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.make(Role.ORG_ADMIN, tree.kaifu))
    response = client.post(
        "/api/v1/orgunits",
        {"parent_id": tree.xiufeng.pk, "level": "community", "name": "新社区"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_unauthenticated_writes_answer_401_not_a_csrf_403(tree: Any, method: str) -> None:
    client = Client(enforce_csrf_checks=True)
    url = {
        "post": "/api/v1/orgunits",
        "patch": f"/api/v1/orgunits/{tree.datang.pk}",
        "delete": "/api/v1/roles/1",
    }[method]
    response = getattr(client, method)(url, {"name": "x"}, content_type="application/json")
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "not_authenticated"


def test_an_unsupported_method_answers_405_with_the_error_body(admin_client: Client) -> None:
    response = admin_client.delete("/api/v1/workorders")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "method_not_allowed"
    assert "DELETE" in response.json()["detail"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v1/workorders%0A", "/api/", "/api/v1/orgunits/1/x/y"]
)
def test_unknown_api_paths_answer_404_with_the_error_body(
    client: Client, db: Any, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/workorders/1/actions/reply/upload", "files"),
        ("/api/v1/projects/1/attachments", "file"),
    ],
)
@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\x00"],
)
def test_multipart_without_a_usable_boundary_is_a_400(
    tree: Any, cast: Any, client: Client, url: str, field: str, content_type: str
) -> None:
    client.force_login(cast.superuser(tree.city))
    response = client.generic("POST", url, b"--x\r\nbroken", content_type=content_type)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "malformed_request"


def test_every_schema_class_has_its_own_name(db: Any) -> None:
    """OpenAPI names components by class name: two classes of one name silently become one
    (the request detail was documented with the project's event shape)."""
    from ninja import Schema

    import banshi.api.main  # noqa: F401  (every router and its schemas imported)

    seen: dict[str, set[str]] = {}

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("banshi."):
                seen.setdefault(sub.__name__, set()).add(f"{sub.__module__}.{sub.__qualname__}")
            walk(sub)

    walk(Schema)
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_openapi_documents_each_events_shape_and_the_error_answers(client: Client, db: Any) -> None:
    document = client.get("/api/openapi.json").json()
    components = document["components"]["schemas"]
    detail = components["OrderDetailOut"]["properties"]
    assert detail["events"]["items"]["$ref"].endswith("/WorkOrderEventOut")
    assert detail["attachments"]["items"]["$ref"].endswith("/WorkOrderAttachmentOut")
    assert "side" in components["WorkOrderEventOut"]["properties"]
    assert "actor_name" in components["ProjectEventOut"]["properties"]
    assert set(components["ErrorOut"]["required"]) == {"code", "detail"}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            expected = {"400", "404"}
            expected |= {"401", "403"} if operation.get("security") else {"429"}
            if method in {"post", "patch", "put", "delete"}:
                expected |= {"409"}
            assert expected <= set(operation["responses"]), (method, path)
            for code in expected:
                answer = operation["responses"][code]["$ref"].rsplit("/", 1)[-1]
                content = document["components"]["responses"][answer]["content"]
                ref = content["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}
