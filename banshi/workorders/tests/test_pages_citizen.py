"""The citizen's pages: submit (one request per form token), bad input refused in Chinese with
nothing written, tracking with the same 404 for any wrong number or proof, and rating."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from banshi.core.errors import ValidationFailed
from banshi.workorders.choices import Channel, Side, Status
from banshi.workorders.models import Attachment, Event, WorkOrder

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TOKEN = "t" * 32


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _form(leaf: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "token": TOKEN,
        "kind": "complaint",
        "category": str(leaf.pk),
        "title": "",
        "content": "建湘路1号门前路面塌陷，雨天积水，行人绕行。",
        "address": "开福区秀峰街道新大塘社区建湘路1号",
        "latitude": "28.213400",
        "longitude": "112.985100",
        "caller_name": "张秀英",
        "caller_phone": "13812345678",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_submission_page_renders_the_category_tree_and_a_fresh_token(
    client: Client, tree: Any, leaf: Any
) -> None:
    response = client.get("/ask/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "我要反映问题" in text and 'id="category-tree"' in text and "道路破损" in text
    token = re.search(r'name="token" value="([^"]+)"', text)
    assert token and len(token.group(1)) >= 16
    again = re.search(r'name="token" value="([^"]+)"', client.get("/ask/").content.decode())
    assert again and again.group(1) != token.group(1)


def test_a_citizen_submits_and_sees_the_tracking_number_and_code(
    client: Client, tree: Any, leaf: Any
) -> None:
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post("/ask/", {**_form(leaf), "photos": [photo]})
    assert response.status_code == 302 and response["Location"] == "/ask/done/"
    order = WorkOrder.objects.get()
    assert order.channel == Channel.WEB and order.status == Status.RECEIVED
    assert order.latitude is not None and str(order.latitude) == "28.213400"
    assert order.submission_key == f"web:{TOKEN}"
    assert Attachment.objects.filter(order=order, stage="intake").count() == 1
    done = client.get("/ask/done/").content.decode()
    assert order.number in done and order.tracking_code in done


def test_a_double_submit_with_the_same_token_creates_one_request(
    client: Client, tree: Any, leaf: Any
) -> None:
    first = client.post("/ask/", _form(leaf))
    second = client.post("/ask/", _form(leaf))
    assert first.status_code == second.status_code == 302
    assert WorkOrder.objects.count() == 1
    order = WorkOrder.objects.get()
    assert order.number in client.get("/ask/done/").content.decode()
    # Another browser replaying the same token with other content gets a conflict, not the order.
    other = Client()
    response = other.post("/ask/", _form(leaf, content="完全不同的内容，想借用别人的令牌"))
    assert response.status_code == 409 and order.number not in response.content.decode()
    assert WorkOrder.objects.count() == 1


def _token(response: Any) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found
    return found.group(1)


def test_a_refused_form_keeps_its_token_unless_the_token_itself_was_refused(
    client: Client, tree: Any, leaf: Any, monkeypatch: Any
) -> None:
    """So a corrected form is still the same submission. Decided on the error's code, so a
    reworded (or translated) message changes nothing."""
    kept = client.post("/ask/", _form(leaf, content=""))
    assert kept.status_code == 400 and _token(kept) == TOKEN
    refused = client.post("/ask/", _form(leaf, token="short"))
    assert refused.status_code == 400 and _token(refused) not in {"short", TOKEN}

    def reworded(value: object) -> str:
        raise ValidationFailed("The form has expired", code="invalid_form_token")

    monkeypatch.setattr("banshi.workorders.views.citizen.clean_token", reworded)
    expired = client.post("/ask/", _form(leaf))
    assert expired.status_code == 400 and _token(expired) != TOKEN
    assert WorkOrder.objects.count() == 0


def test_an_anonymous_request_needs_no_phone_and_is_tracked_by_its_code(
    client: Client, tree: Any, leaf: Any
) -> None:
    response = client.post(
        "/ask/", _form(leaf, anonymous="on", caller_phone="13812345678", caller_name="张三")
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    assert order.caller_phone == "" and order.caller_name == ""
    page = client.post("/ask/track/", {"number": order.number, "proof": order.tracking_code})
    assert page.status_code == 200 and "已受理" in page.content.decode()


BIG = 10 * 1024 * 1024 + 1


@pytest.mark.parametrize(
    ("overrides", "files", "status", "message"),
    [
        ({}, [("a.jpg", b"just text, not a photo")], 400, "类型不支持"),
        ({}, [("big.png", PNG + b"\x00" * BIG)], 400, "超过10MB"),
        ({}, [(f"p{i}.png", PNG) for i in range(4)], 400, "照片最多3张"),
        ({"content": ""}, [], 400, "诉求内容不能为空"),
        ({"address": "", "latitude": "", "longitude": ""}, [], 400, "请提供诉求地点"),
        ({"latitude": "48.8566", "longitude": "2.3522"}, [], 400, "不在中国境内"),
        ({"latitude": "28.2", "longitude": ""}, [], 400, "经度和纬度须同时提供"),
        ({"caller_phone": "12345"}, [], 400, "联系电话格式不正确"),
        ({"caller_phone": ""}, [], 400, "请填写手机号，或勾选匿名提交"),
        ({"content": "路面\x00塌陷"}, [], 400, "非法字符"),
        ({"content": "长" * (1024 * 1024)}, [], 400, "不能超过4000个字符"),
        ({"category": "99999999"}, [], 400, "诉求分类不存在"),
        ({"category": "no-such-code"}, [], 400, "诉求分类不存在"),
        ({"kind": "rumour"}, [], 400, "诉求类型"),
        ({"token": "short"}, [], 400, "表单已失效"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    client: Client,
    tree: Any,
    leaf: Any,
    overrides: dict[str, Any],
    files: list[tuple[str, bytes]],
    status: int,
    message: str,
) -> None:
    data = _form(leaf, **overrides)
    if files:
        data["photos"] = [SimpleUploadedFile(name, body) for name, body in files]
    response = client.post("/ask/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert WorkOrder.objects.count() == 0 and Attachment.objects.count() == 0
    assert Event.objects.count() == 0


def test_a_category_that_is_not_a_leaf_is_refused(client: Client, tree: Any, leaf: Any) -> None:
    response = client.post("/ask/", _form(leaf, category=str(leaf.parent_id)))
    assert response.status_code == 400 and "请选择到第三级分类" in response.content.decode()
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize(
    ("number", "proof"),
    [("20261116999999", "5678"), (None, "0000"), (None, "WRONGCODE"), ("abc", "5678"), ("", "")],
)
def test_a_wrong_number_or_proof_is_the_same_404(
    client: Client, orders: Any, number: str | None, proof: str
) -> None:
    order = orders.submit()
    response = client.post("/ask/track/", {"number": number or order.number, "proof": proof})
    assert response.status_code == 404
    text = response.content.decode()
    assert "工单编号或验证信息不正确" in text and order.title not in text


def test_tracking_shows_status_lead_unit_and_only_the_public_timeline(
    client: Client, orders: Any, tree: Any
) -> None:
    order = orders.at("in_progress")
    response = client.post("/ask/track/", {"number": order.number, "proof": "5678"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "办理中" in text and "秀峰街道" in text
    assert "已转交秀峰街道办理" in text and "承办单位已与您联系" in text
    assert "已电话联系" not in text  # the unit's own note is not public
    assert 'id="rate-form"' not in text


def test_the_citizen_rates_at_callback_time(client: Client, orders: Any) -> None:
    order = orders.at("callback")
    page = client.post("/ask/track/", {"number": order.number, "proof": order.tracking_code})
    assert 'id="rate-form"' in page.content.decode()
    bad = client.post(
        "/ask/track/rate/",
        {"number": order.number, "proof": "5678", "resolution": "maybe", "satisfaction": "x"},
    )
    assert bad.status_code == 400 and "解决情况" in bad.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).status == Status.CALLBACK
    wrong = client.post(
        "/ask/track/rate/",
        {
            "number": order.number,
            "proof": "0000",
            "resolution": "solved",
            "satisfaction": "satisfied",
        },
    )
    assert wrong.status_code == 404
    response = client.post(
        "/ask/track/rate/",
        {
            "number": order.number,
            "proof": "5678",
            "resolution": "solved",
            "satisfaction": "satisfied",
            "comment": "修得很快，谢谢！",
        },
    )
    assert response.status_code == 200
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.CLOSED and fresh.rated_by == Side.CITIZEN
    assert fresh.rating_comment == "修得很快，谢谢！"
    assert "感谢您的评价" in response.content.decode()
    again = client.post(
        "/ask/track/rate/",
        {
            "number": order.number,
            "proof": "5678",
            "resolution": "unsolved",
            "satisfaction": "dissatisfied",
        },
    )
    assert again.status_code == 400 and "不能群众评价" in again.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).satisfaction == "satisfied"


def test_done_without_a_submission_goes_back_to_the_form(client: Client, tree: Any) -> None:
    assert client.get("/ask/done/")["Location"] == "/ask/"


def test_the_district_outlines_are_served_for_the_map(client: Client, tree: Any) -> None:
    response = client.get("/ask/districts.geojson")
    assert response.status_code == 200
    assert b"FeatureCollection" in b"".join(response.streaming_content)


def test_the_login_page_links_citizens_to_the_submission_page(client: Client, tree: Any) -> None:
    assert "群众提交诉求、查询进度" in client.get("/accounts/login/").content.decode()
