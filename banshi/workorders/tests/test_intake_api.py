"""Intake through the service and the API: idempotency, bad input, scope, tracking."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.errors import Conflict, ValidationFailed
from banshi.workorders.models import Attachment, Event, WorkOrder
from banshi.workorders.services import SubmitInput, submit, transition

from .conftest import NOW

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BODY = {
    "kind": "complaint",
    "category_id": "010301",
    "content": "建湘路路面破损，行人易摔倒。",
    "address": "开福区秀峰街道新大塘社区建湘路",
    "caller_phone": "13812345678",
    "caller_name": "张秀英",
}


def test_tracking_numbers_are_daily_sequences_and_unique(orders: Any) -> None:
    a, b = orders.submit(), orders.submit()
    assert a.number == "20261116000001" and b.number == "20261116000002"
    assert a.tracking_code != b.tracking_code and len(a.tracking_code) == 8


def test_address_resolves_to_the_community(orders: Any, tree: Any) -> None:
    order = orders.submit(org_unit=None, address="长沙市开福区新大塘社区建湘路12号")
    assert order.org_unit == tree.datang


def test_submission_writes_event_and_change_record(orders: Any) -> None:
    order = orders.submit()
    assert Event.objects.filter(order=order, action="receive", public=True).exists()
    assert ChangeRecord.objects.filter(action="workorder.receive", object_id=str(order.pk)).exists()


def test_idempotent_submission_returns_the_first_and_creates_nothing(tree: Any, leaf: Any) -> None:
    data = SubmitInput(
        channel="web",
        kind="help",
        category_id=leaf.pk,
        content="路灯不亮",
        address="新大塘社区",
        submission_key="k-1",
    )
    first, created = submit(actor=None, data=data, now=NOW)
    again, created_again = submit(actor=None, data=data, now=NOW)
    assert created and not created_again and first.pk == again.pk
    assert WorkOrder.objects.count() == 1
    data.content = "别的内容"
    with pytest.raises(Conflict):
        submit(actor=None, data=data, now=NOW)


def test_api_idempotency_key(client: Client, tree: Any) -> None:
    first = client.post(
        "/api/v1/public/requests",
        BODY,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    again = client.post(
        "/api/v1/public/requests",
        BODY,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"] and again.json()["created"] is False
    assert WorkOrder.objects.count() == 1
    bad = client.post(
        "/api/v1/public/requests",
        BODY,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="含中文",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_idempotency_key"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"category_id": "999999"}, "unknown_category"),
        ({"category_id": "01"}, "category_not_leaf"),
        ({"kind": "chat"}, "invalid_kind"),
        ({"content": ""}, "required"),
        ({"content": "长" * 4001}, "too_long"),
        ({"content": "x" * 1_000_000}, "too_long"),
        ({"content": "坏\x00内容"}, "invalid_character"),
        ({"caller_phone": "12345"}, "invalid_phone"),
        ({"caller_phone": "1381234567a"}, "invalid_phone"),
        ({"latitude": 51.5, "longitude": -0.12}, "location_outside_china"),
        ({"latitude": 95, "longitude": 112}, "invalid_location"),
        ({"latitude": 28.2}, "invalid_location"),
        ({"address": "", "latitude": None}, "location_required"),
        ({"channel": "phone"}, "invalid_channel"),
        (
            {"coordinate_system": "mars", "latitude": 28.2, "longitude": 112.9},
            "invalid_coordinate_system",
        ),
    ],
)
def test_bad_public_submissions_are_4xx_in_chinese_and_write_nothing(
    client: Client, tree: Any, change: dict[str, Any], code: str
) -> None:
    response = client.post(
        "/api/v1/public/requests", {**BODY, **change}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert WorkOrder.objects.count() == 0


def test_wrong_file_type_and_oversized_upload_are_refused(tree: Any, leaf: Any) -> None:
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg")
    data = SubmitInput(
        channel="web",
        kind="help",
        category_id=leaf.pk,
        content="x",
        address="新大塘社区",
        files=[exe],
    )
    with pytest.raises(ValidationFailed) as exc:
        submit(actor=None, data=data, now=NOW)
    assert exc.value.code == "bad_file_type"
    big = SimpleUploadedFile(
        "big.png", PNG + b"\x00" * (10 * 1024 * 1024), content_type="image/png"
    )
    data.files = [big]
    with pytest.raises(ValidationFailed) as exc:
        submit(actor=None, data=data, now=NOW)
    assert exc.value.code == "file_too_large"
    assert WorkOrder.objects.count() == 0 and Attachment.objects.count() == 0


def test_photo_is_stored_with_its_sniffed_type(
    tree: Any, leaf: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("现场.png", PNG, content_type="application/octet-stream")
    data = SubmitInput(
        channel="web",
        kind="help",
        category_id=leaf.pk,
        content="x",
        address="新大塘社区",
        files=[photo],
    )
    order, _ = submit(actor=None, data=data, now=NOW)
    attachment = order.attachments.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)


def test_staff_channels_need_a_staff_user(tree: Any, leaf: Any, cast: Any) -> None:
    data = SubmitInput(
        channel="phone", kind="help", category_id=leaf.pk, content="x", address="新大塘社区"
    )
    with pytest.raises(ValidationFailed, match="工作人员"):
        submit(actor=None, data=data, now=NOW)
    operator = cast.make(Role.OPERATOR, tree.kaifu)
    order, _ = submit(actor=operator, data=data, now=NOW)
    assert order.submitted_by == operator


def test_public_tracking_and_rating(client: Client, orders: Any) -> None:
    order = orders.at("callback")
    assert (
        client.get(f"/api/v1/public/requests/{order.number}", {"proof": "0000"}).status_code == 404
    )
    assert client.get("/api/v1/public/requests/not-a-number", {"proof": "5678"}).status_code == 404
    view = client.get(f"/api/v1/public/requests/{order.number}", {"proof": "5678"}).json()
    assert view["can_rate"] is True and view["timeline"]
    assert all("13812345678" not in e["note"] for e in view["timeline"])
    rated = client.post(
        f"/api/v1/public/requests/{order.number}/rating",
        {"proof": order.tracking_code, "resolution": "solved", "satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["status"] == "closed"
    again = client.post(
        f"/api/v1/public/requests/{order.number}/rating",
        {"proof": "5678", "resolution": "solved", "satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"


def test_staff_api_lists_filters_and_paginates_within_scope(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    for _ in range(3):
        orders.at("dispatched")
    orders.submit(org_unit=tree.shiyanhu, address="石燕湖村")
    client.force_login(cast.make(Role.DISPATCHER, tree.kaifu))
    page = client.get("/api/v1/workorders", {"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get("/api/v1/workorders", {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    # Dispatched 2026-11-16 and never signed: yellow (signing late) until the close limit passes.
    lit = client.get("/api/v1/workorders", {"status": "dispatched", "light": "yellow"}).json()[
        "items"
    ]
    assert len(lit) == 3 and {item["light"] for item in lit} == {"yellow"}
    assert client.get("/api/v1/workorders", {"light": "purple"}).status_code == 400
    assert client.get("/api/v1/workorders", {"status": "nope"}).status_code == 400
    yuhua_order = WorkOrder.objects.get(org_unit=tree.shiyanhu)
    assert client.get(f"/api/v1/workorders/{yuhua_order.pk}").status_code == 404


def test_staff_api_action_and_conflicting_state(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("received")
    client.force_login(cast.make(Role.DISPATCHER, tree.kaifu))
    url = f"/api/v1/workorders/{order.pk}/actions/dispatch"
    ok = client.post(url, {"data": {"lead_unit": tree.xiufeng.pk}}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "dispatched"
    again = client.post(
        url, {"data": {"lead_unit": tree.xiufeng.pk}}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"
    unknown = client.post(
        f"/api/v1/workorders/{order.pk}/actions/explode",
        {"data": {}},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    system = client.post(
        f"/api/v1/workorders/{order.pk}/actions/auto_rate",
        {"data": {}},
        content_type="application/json",
    )
    assert system.status_code == 400


def test_reply_with_evidence_through_multipart(
    client: Client, orders: Any, tree: Any, cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = orders.at("in_progress")
    client.force_login(cast.make(Role.HANDLER, tree.xiufeng))
    response = client.post(
        f"/api/v1/workorders/{order.pk}/actions/reply/upload",
        {"result": "已修补", "solved": "true", "files": [SimpleUploadedFile("after.png", PNG)]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "replied"
    assert response.json()["attachments"][0]["stage"] == "reply"


def test_caller_phone_is_masked_and_reveal_is_logged(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched")
    client.force_login(cast.make(Role.DISPATCHER, tree.kaifu))
    detail = client.get(f"/api/v1/workorders/{order.pk}").json()
    assert detail["caller_phone_masked"] == "138****5678"
    assert "13812345678" not in str(detail)
    revealed = client.post(f"/api/v1/workorders/{order.pk}/reveal-phone").json()
    assert revealed["caller_phone"] == "13812345678"
    assert (
        PersonalDataAccess.objects.filter(object_id=str(order.pk), fields=["caller_phone"]).count()
        == 1
    )
    client.force_login(cast.make(Role.HANDLER, tree.xiufeng))
    assert client.post(f"/api/v1/workorders/{order.pk}/reveal-phone").status_code == 403


def test_confidential_caller_is_hidden_from_the_handling_unit(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", confidential=True)
    client.force_login(cast.make(Role.HANDLER, tree.xiufeng))
    detail = client.get(f"/api/v1/workorders/{order.pk}").json()
    assert detail["caller_name"] == "保密" and detail["caller_phone_masked"] == "保密"


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_exactly_one_wins(tree: Any, cast: Any, leaf: Any) -> None:
    """Several threads sign the same order at once: one succeeds, the rest get a clear error."""
    if connection.vendor != "postgresql":
        pytest.skip("并发线程测试在 PostgreSQL 上运行（SQLite 内存测试库不支持多连接并发写）")
    boss = cast.superuser(tree.city)
    order, _ = submit(
        actor=None,
        data=SubmitInput(
            channel="web", kind="help", category_id=leaf.pk, content="并发", address="新大塘社区"
        ),
        now=NOW,
    )
    order = transition(
        actor=boss, order=order, action="dispatch", data={"lead_unit": tree.xiufeng.pk}, now=NOW
    )
    results: list[str] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        from django.db import connections

        try:
            barrier.wait()
            transition(actor=boss, order=order, action="sign", now=NOW)
            results.append("ok")
        except (Conflict, ValidationFailed) as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    assert set(results) - {"ok"} <= {"conflict", "invalid_transition"}
    assert Event.objects.filter(order=order, action="sign").count() == 1


def test_tracking_is_throttled_after_repeated_wrong_proofs(client: Client, orders: Any) -> None:
    order = orders.at("callback")
    url = f"/api/v1/public/requests/{order.number}"
    for _ in range(5):
        assert client.get(url, {"proof": "0000"}).status_code == 404
    # Even the right proof is refused now: the number is locked for the window.
    refused = client.get(url, {"proof": "5678"})
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"


def test_stored_timeline_text_is_chinese_whatever_the_page_language(orders: Any) -> None:
    from django.utils import translation

    with translation.override("en"):
        order = orders.submit()
    assert Event.objects.get(order=order, action="receive").note == "诉求已受理（网站）"


@pytest.mark.parametrize("proof", ["查询码", "\U000ff368J]°9", "５６７８"])
def test_a_non_ascii_proof_is_simply_wrong(client: Client, orders: Any, proof: str) -> None:
    order = orders.submit()
    url = f"/api/v1/public/requests/{order.number}"
    response = client.get(url, {"proof": proof})
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    rating = client.post(
        f"{url}/rating",
        {"proof": proof, "resolution": "solved", "satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert rating.status_code == 404
