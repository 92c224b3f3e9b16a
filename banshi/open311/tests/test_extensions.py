"""Banshi's mapping and the extensions (docs/open311.md E01…): extensions=true, paging with
counts, updated_after/before, photo upload, Chinese map coordinates, POST parameters in the
query string, idempotent retries, application areas, privacy and the updates feed."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from banshi.core.geo import wgs84_to_gcj02
from banshi.open311.models import SubmittedRequest
from banshi.open311.services import application_create
from banshi.open311.tests.conftest import (
    BASE,
    FORMATS,
    KAIFU_POINT,
    PNG,
    YUHUA_POINT,
    Open311,
    png,
)
from banshi.open311.tests.helpers import drive, other_channel
from banshi.workorders.models import Attachment, WorkOrder

pytestmark = pytest.mark.django_db


def _order(rid: int) -> WorkOrder:
    return WorkOrder.objects.get(pk=rid)


@FORMATS
def test_ext_01_extensions_add_state_due_times_light_units_timeline(
    o311: Any, fmt: str, tree: Any, cast: Any
) -> None:
    rid = o311.submit(fmt, **{"attribute[AREA]": "2"})
    boss = cast.superuser(tree.city)
    from banshi.workorders.services import transition

    order = transition(
        actor=boss,
        order=_order(rid),
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk, "co_units": [tree.city_bureau.pk]},
    )
    plain = o311.get(f"requests/{rid}", fmt).data[0]
    assert "extended_attributes" not in plain
    assert plain["agency_responsible"] == "秀峰街道"
    extra = o311.get(f"requests/{rid}", fmt, extensions="true").data[0]["extended_attributes"]
    assert extra["state"] == "dispatched" and extra["state_label"] == "已派单"
    assert extra["close_due"] and extra["sign_due"]
    assert extra["light"] == "green"
    assert extra["lead_unit"] == "秀峰街道"
    assert extra["number"] == order.number
    types = [e["type"] for e in extra["timeline"]]
    assert types[0] == "receive" and "dispatch_public" in types
    assert str(extra["attributes"][0]["value"]) == "2"
    listed = o311.get("requests", fmt, extensions="true").data[0]
    assert "extended_attributes" in listed
    assert o311.get("requests", fmt, extensions="perhaps").status == 400


def test_ext_01b_co_units_listed(o311: Any, tree: Any, cast: Any) -> None:
    from banshi.workorders.models import WorkOrderCoUnit

    rid = o311.submit()
    WorkOrderCoUnit.objects.create(order=_order(rid), unit=tree.city_bureau)
    extra = o311.get(f"requests/{rid}", "json", extensions="true").data[0]["extended_attributes"]
    assert extra["co_units"] == ["长沙市城市管理和综合执法局"]


@FORMATS
def test_ext_02_paging_with_counts(o311: Any, fmt: str, tree: Any) -> None:
    ids = sorted((other_channel(tree, content=f"第{i}处").pk for i in range(5)), reverse=True)
    first = o311.get("requests", fmt, page_size="2")
    assert [int(r["service_request_id"]) for r in first.data] == ids[:2]
    assert first.headers["X-Total-Count"] == "5" and first.headers["X-Total-Pages"] == "3"
    third = o311.get("requests", fmt, page_size="2", page="3")
    assert [int(r["service_request_id"]) for r in third.data] == ids[4:]
    assert o311.get("requests", fmt, page_size="1001").status == 400
    assert o311.get("requests", fmt, page="0").status == 400


@FORMATS
def test_ext_03_updated_after_and_before(o311: Any, fmt: str, tree: Any, cast: Any) -> None:
    boss = cast.superuser(tree.city)
    start = timezone.now()
    quiet = other_channel(tree, now=start - datetime.timedelta(days=2))
    busy = other_channel(tree, now=start - datetime.timedelta(days=2))
    drive(busy, boss, tree.xiufeng, "dispatched", now=start - datetime.timedelta(hours=1))
    cut = (
        (start - datetime.timedelta(days=1)).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    after = [
        int(r["service_request_id"]) for r in o311.get("requests", fmt, updated_after=cut).data
    ]
    before = [
        int(r["service_request_id"]) for r in o311.get("requests", fmt, updated_before=cut).data
    ]
    assert after == [busy.pk] and before == [quiet.pk]
    assert o311.get("requests", fmt, updated_after="2026-11-01").status == 400


@FORMATS
def test_ext_04_photo_upload_and_media_url(o311: Any, fmt: str) -> None:
    reply = o311.post(fmt, service_code="010301", description="带照片", media=png(), **KAIFU_POINT)
    assert reply.status == 200, reply.body
    rid = int(reply.data[0]["service_request_id"])
    assert Attachment.objects.filter(order_id=rid, content_type="image/png").count() == 1
    media = o311.get(f"requests/{rid}", fmt).data[0]["media_url"]
    assert media.startswith("http://testserver/open311/v2/media/")
    photo = o311.client.get(urlsplit(media).path)
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == PNG


@FORMATS
def test_ext_04b_bad_media_refused(o311: Any, fmt: str, settings: Any) -> None:
    import io

    pdf = io.BytesIO(b"%PDF-1.4 not a photo")
    pdf.name = "a.pdf"
    text = io.BytesIO(b"hello")
    text.name = "a.png"
    big = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 + 1))
    big.name = "big.png"
    for upload in [pdf, text, big]:
        reply = o311.post(
            fmt, service_code="010301", description="坏附件", media=upload, **KAIFU_POINT
        )
        assert reply.status == 400, upload.name
    wrong_field = o311.post(
        fmt, service_code="010301", description="字段", photo=png(), **KAIFU_POINT
    )
    assert wrong_field.status == 400
    assert WorkOrder.objects.count() == 0


def test_ext_04c_client_media_url_is_echoed(o311: Any) -> None:
    rid = o311.submit(media_url="https://img.example.cn/a.jpg")
    assert (
        o311.get(f"requests/{rid}", "json").data[0]["media_url"] == "https://img.example.cn/a.jpg"
    )
    assert (
        o311.post(
            "json",
            service_code="010301",
            description="x",
            media_url="javascript:alert(1)",
            **KAIFU_POINT,
        ).status
        == 400
    )


@FORMATS
def test_ext_05_chinese_map_coordinates_are_converted(o311: Any, fmt: str) -> None:
    lon, lat = wgs84_to_gcj02(112.985, 28.255)
    rid = o311.submit(fmt, lat=f"{lat:.7f}", long=f"{lon:.7f}", coordinate_system="gcj02")
    item = o311.get(f"requests/{rid}", "json").data[0]
    assert abs(item["lat"] - 28.255) < 1e-5 and abs(item["long"] - 112.985) < 1e-5
    assert (
        o311.post(
            fmt, service_code="010301", description="x", coordinate_system="mars", **KAIFU_POINT
        ).status
        == 400
    )


@FORMATS
def test_ext_06_api_key_and_jurisdiction_in_the_query_string(o311: Any, fmt: str) -> None:
    reply = o311.post(
        fmt,
        key=None,
        query=f"api_key={o311.key}&jurisdiction_id=4301",
        service_code="010301",
        description="查询串",
        **KAIFU_POINT,
    )
    assert reply.status == 200
    unknown = o311.post(
        fmt,
        key=None,
        query=f"api_key={o311.key}&jurisdiction_id=beijing",
        service_code="010301",
        description="x",
        **KAIFU_POINT,
    )
    assert unknown.status == 404


@FORMATS
def test_ext_07_retries_do_not_create_a_second_request(o311: Any, fmt: str) -> None:
    payload = {"service_code": "010301", "description": "重试", "device_id": "dev-1", **KAIFU_POINT}
    first = o311.post(fmt, **payload)
    again = o311.post(fmt, **payload)
    assert first.data[0]["service_request_id"] == again.data[0]["service_request_id"]
    assert first.headers["X-Open311-Token"] == again.headers["X-Open311-Token"]
    changed = o311.post(fmt, **{**payload, "description": "另一件事"})
    assert changed.data[0]["service_request_id"] != first.data[0]["service_request_id"]
    # With an explicit key: same key, same request; same key with other content is refused.
    keyed = o311.post(
        fmt, headers={"Idempotency-Key": "k-42"}, **{**payload, "description": "带键"}
    )
    keyed_again = o311.post(
        fmt, headers={"Idempotency-Key": "k-42"}, **{**payload, "description": "带键"}
    )
    assert keyed.data[0]["service_request_id"] == keyed_again.data[0]["service_request_id"]
    assert (
        o311.post(
            fmt, headers={"Idempotency-Key": "k-42"}, **{**payload, "description": "变了"}
        ).status
        == 400
    )
    assert (
        o311.post(fmt, idempotency_key="k-43", **{**payload, "description": "参数键"}).status == 200
    )
    assert WorkOrder.objects.count() == 4


def test_ext_07b_retry_window_expires(o311: Any) -> None:
    payload = {"service_code": "010301", "description": "十分钟后再报", **KAIFU_POINT}
    first = int(o311.post("json", **payload).data[0]["service_request_id"])
    SubmittedRequest.objects.filter(order_id=first).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    WorkOrder.objects.filter(pk=first).update(submission_key="expired")
    second = int(o311.post("json", **payload).data[0]["service_request_id"])
    assert second != first


@FORMATS
def test_ext_08_application_area(client: Any, fmt: str, tree: Any, services: None) -> None:
    _, key = application_create(actor=None, name="开福区应用", org_unit=tree.kaifu)
    kaifu = Open311(client, key)
    assert kaifu.post(fmt, service_code="010301", description="区内", **KAIFU_POINT).status == 200
    outside = kaifu.post(fmt, service_code="010301", description="区外", **YUHUA_POINT)
    assert outside.status == 403 and "开福区" in outside.errors()[0]["description"]
    vague = kaifu.post(
        fmt, service_code="010301", description="只写了长沙", address_string="长沙市某处"
    )
    assert vague.status == 200
    assert _order(int(vague.data[0]["service_request_id"])).org_unit == tree.kaifu


@FORMATS
def test_ext_09_inactive_application_is_refused(o311: Any, fmt: str) -> None:
    from banshi.open311.models import Application
    from banshi.open311.services import application_deactivate

    application_deactivate(actor=None, application=Application.objects.get(name="测试应用"))
    assert o311.post(fmt, service_code="010301", description="x", **KAIFU_POINT).status == 403


@FORMATS
def test_ext_10_caller_details_never_in_a_get(o311: Any, fmt: str, tree: Any, cast: Any) -> None:
    secret = {
        "first_name": "秀英",
        "last_name": "张",
        "phone": "13812345678",
        "email": "zhang@example.cn",
        "device_id": "dev-secret",
        "account_id": "acct-secret",
    }
    rid = o311.submit(
        fmt, description="我是张秀英，电话13812345678，邮箱zhang@example.cn", **secret
    )
    order = _order(rid)
    assert order.caller_name == "张秀英" and order.caller_phone == "13812345678"
    drive(order, cast.superuser(tree.city), tree.xiufeng, "closed")
    bodies = [
        o311.get("requests", f, extensions="true").body.decode()
        + o311.get(f"requests/{rid}", f, extensions="true").body.decode()
        + o311.get("servicerequestupdates", f).body.decode()
        for f in ["xml", "json"]
    ]
    for body in bodies:
        for value in ["13812345678", "张秀英", "zhang@example.cn", "dev-secret", "acct-secret"]:
            assert value not in body


def test_ext_10b_confidential_and_unpublished_requests_are_not_listed(o311: Any, tree: Any) -> None:
    hidden = other_channel(tree, confidential=True)
    unpublished = other_channel(tree, code="010102")
    shown = other_channel(tree)
    ids = [int(r["service_request_id"]) for r in o311.get("requests", "json").data]
    assert ids == [shown.pk]
    assert o311.get(f"requests/{hidden.pk}", "json").status == 404
    assert o311.get(f"requests/{unpublished.pk}", "json").status == 404


@FORMATS
def test_ext_11_request_updates_feed(o311: Any, fmt: str, tree: Any, cast: Any) -> None:
    rid = o311.submit(fmt)
    later_on = timezone.now() + datetime.timedelta(hours=1)
    drive(_order(rid), cast.superuser(tree.city), tree.xiufeng, "closed", now=later_on)
    reply = o311.get(
        "servicerequestupdates",
        fmt,
        end_date=(later_on + datetime.timedelta(minutes=1)).isoformat(),
    )
    assert reply.status == 200
    if fmt == "xml":
        assert reply.root == "service_request_updates"
    updates = reply.data
    assert {str(u["service_request_id"]) for u in updates} == {str(rid)}
    assert set(updates[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }
    assert updates[0]["status"] == "open" and updates[-1]["status"] == "closed"
    last = updates[-1]["updated_datetime"]
    later = o311.get("servicerequestupdates", fmt, start_date=last).data
    assert later and updates[0]["update_id"] not in {u["update_id"] for u in later}
    assert {u["updated_datetime"] for u in later} == {last}
    assert o311.get("servicerequestupdates", fmt, start_date="2026-11-01").status == 400


def test_ext_12_kind_and_channel_of_an_open311_request(o311: Any) -> None:
    rid = o311.submit(first_name="秀英", last_name="张")
    order = _order(rid)
    assert (order.channel, order.kind) == ("open311", "help")
    assert order.open311_app == "测试应用"
    assert order.caller_name == "张秀英"
    assert SubmittedRequest.objects.get(order=order).application.name == "测试应用"


def test_ext_13_json_ids_and_tokens_are_strings_coordinates_numbers_absent_null(
    o311: Any, tree: Any, cast: Any
) -> None:
    posted = o311.post(
        "json", service_code="010301", description="路面破损", extensions="true", **KAIFU_POINT
    ).data[0]
    rid, token = posted["service_request_id"], posted["token"]
    assert isinstance(rid, str) and rid.isascii() and rid.isdigit()
    assert isinstance(token, str)
    drive(_order(int(rid)), cast.superuser(tree.city), tree.xiufeng, "dispatched")
    one = json.loads(o311.get(f"requests/{rid}", "json").body)[0]
    listed = json.loads(o311.get("requests", "json").body)[0]
    for raw in (one, listed):
        assert raw["service_request_id"] == rid
        assert isinstance(raw["service_code"], str) and isinstance(raw["address_id"], str)
        assert isinstance(raw["lat"], float) and isinstance(raw["long"], float)
        assert raw["zipcode"] is None and raw["media_url"] is None
    resolved = json.loads(o311.get(f"tokens/{token}", "json").body)[0]
    assert resolved == {"service_request_id": rid, "token": token}
    updates = json.loads(o311.get("servicerequestupdates", "json").body)
    assert updates and all(isinstance(u["update_id"], str) for u in updates)
    assert {u["service_request_id"] for u in updates} == {rid}
    services = json.loads(o311.get("services", "json").body)
    assert all(isinstance(s["service_code"], str) for s in services)


def test_ext_15_media_url_is_a_signed_expiring_link_to_that_photo_only(
    o311: Any, tree: Any, monkeypatch: Any
) -> None:
    reply = o311.post(
        "json", service_code="010301", description="带照片", media=png(), **KAIFU_POINT
    )
    rid = reply.data[0]["service_request_id"]
    photo_id = Attachment.objects.get(order_id=rid).pk
    path = urlsplit(o311.get(f"requests/{rid}", "json").data[0]["media_url"]).path
    photo = o311.client.get(path)
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert photo["Content-Disposition"] == f'inline; filename="{rid}-{photo_id}.png"'
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(photo.streaming_content) == PNG
    assert o311.client.post(path).status_code == 400

    def refused(url: str) -> None:
        response = o311.client.get(url)
        assert response.status_code == 404, url
        assert b"<errors>" in response.content

    # Tampered: any changed character, or another id under the same signature.
    last = path[-1]
    refused(path[:-1] + ("A" if last != "A" else "B"))
    signed = path.rsplit("/", 1)[-1]
    refused(path.replace(signed, f"{int(rid) + 1}.{photo_id}" + signed[signed.index(":") :]))
    refused(f"{BASE}/media/{rid}.{photo_id}")
    # Expired: the same link eight days later.
    import django.core.signing as signing

    later = signing.time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing, "time", type("Later", (), {"time": staticmethod(lambda: later)}))
    refused(path)
    monkeypatch.undo()
    assert o311.client.get(path).status_code == 200
    # A request made confidential since no longer shows its photo, even by a fresh link.
    WorkOrder.objects.filter(pk=rid).update(caller_confidential=True)
    refused(path)


def test_ext_15b_photos_from_other_channels_get_no_link(o311: Any, tree: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = other_channel(tree, files=[SimpleUploadedFile("p.png", PNG)])
    assert Attachment.objects.filter(order=order).count() == 1
    assert o311.get(f"requests/{order.pk}", "json").data[0]["media_url"] is None


def test_ext_14_root_shows_discovery(client: Any, tree: Any) -> None:
    response = client.get(f"{BASE}/")
    assert response.status_code == 200 and b"<discovery>" in response.content
