"""Abuse limits on anonymous intake: the public API and the citizen form refuse a client address
or a phone number over its limit with 429 (the API's {"code","detail"}, a Chinese message on the
form), never refuse or count a replay of an acknowledged submission, and can be switched off."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from banshi.core.models import ThrottleEvent
from banshi.workorders.models import WorkOrder

URL = "/api/v1/public/requests"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.PUBLIC_INTAKE_LIMITS = True
    settings.PUBLIC_INTAKE_RATE_PER_ADDRESS = "3/h"
    settings.PUBLIC_INTAKE_RATE_PER_PHONE = "2/h"
    settings.TRUSTED_PROXY_COUNT = 0


def _body(n: int, phone: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "complaint",
        "category_id": "010301",
        "content": f"建湘路{n}号路面破损，行人易摔倒。",
        "address": "开福区秀峰街道新大塘社区建湘路",
    }
    if phone:
        body["caller_phone"] = phone
    return body


def _post(
    client: Client, n: int, *, phone: str | None = None, address: str = "127.0.0.1", **extra: Any
) -> Any:
    return client.post(
        URL,
        json.dumps(_body(n, phone)),
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def test_an_address_over_its_limit_gets_429_with_the_stable_error_body(
    client: Client, tree: Any
) -> None:
    for n in range(3):
        assert _post(client, n).status_code == 201
    response = _post(client, 3)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert "同一网络地址每小时最多3次" in body["detail"]
    assert response["Retry-After"] == "3600"
    assert WorkOrder.objects.count() == 3
    assert _post(client, 4, address="10.0.0.2").status_code == 201  # another address is free


def test_a_phone_over_its_limit_gets_429_from_any_address(client: Client, tree: Any) -> None:
    phone = "13812345678"
    assert _post(client, 0, phone=phone, address="10.0.0.1").status_code == 201
    assert _post(client, 1, phone=phone, address="10.0.0.2").status_code == 201
    response = _post(client, 2, phone=phone, address="10.0.0.3")
    assert response.status_code == 429 and "同一手机号每小时最多2次" in response.json()["detail"]
    assert _post(client, 3, phone="13912345678", address="10.0.0.3").status_code == 201


def test_a_replay_of_an_acknowledged_submission_is_never_refused_nor_counted(
    client: Client, tree: Any
) -> None:
    first = _post(client, 0, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201
    for _ in range(5):  # a flaky network retrying the same submission
        again = _post(client, 0, HTTP_IDEMPOTENCY_KEY="retry-1")
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert _post(client, 1).status_code == 201
    assert _post(client, 2).status_code == 201
    assert _post(client, 3).status_code == 429
    # Over the limit now, and the acknowledged request's retry still gets its answer.
    late = _post(client, 0, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert late.status_code == 200 and late.json()["id"] == first.json()["id"]


def test_refused_input_does_not_use_up_the_limit(client: Client, tree: Any) -> None:
    for _ in range(5):
        bad = client.post(URL, json.dumps({"kind": "complaint"}), content_type="application/json")
        assert bad.status_code == 400
    assert _post(client, 0).status_code == 201


def test_the_limits_can_be_switched_off(client: Client, tree: Any, settings: Any) -> None:
    settings.PUBLIC_INTAKE_LIMITS = False
    for n in range(6):
        assert _post(client, n, phone="13812345678").status_code == 201
    assert ThrottleEvent.objects.count() == 0


def test_an_empty_rate_means_no_limit_of_that_kind(
    client: Client, tree: Any, settings: Any
) -> None:
    settings.PUBLIC_INTAKE_RATE_PER_ADDRESS = ""
    for n in range(5):
        assert _post(client, n, phone=f"1381234567{n}").status_code == 201


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(
    client: Client, tree: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # The client tries to hide behind a forged first hop; the proxy's own entry (the last) wins.
    for n in range(3):
        forwarded = f"198.51.100.{n}, 203.0.113.7"
        assert _post(client, n, HTTP_X_FORWARDED_FOR=forwarded).status_code == 201
    refused = _post(client, 3, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    assert refused.status_code == 429
    other = _post(client, 4, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 201


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(
    client: Client, tree: Any
) -> None:
    for n in range(3):
        assert _post(client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 201
    assert _post(client, 3, HTTP_X_FORWARDED_FOR="198.51.100.50").status_code == 429


def _form(leaf: Any, token: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "token": token,
        "kind": "complaint",
        "category": str(leaf.pk),
        "content": f"建湘路门前路面塌陷，雨天积水（{token[:4]}）。",
        "address": "开福区秀峰街道新大塘社区建湘路1号",
        "anonymous": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_citizen_form_refuses_in_chinese_over_the_limit_and_keeps_replays(
    client: Client, tree: Any, leaf: Any
) -> None:
    tokens = [c * 32 for c in "abcd"]
    for token in tokens[:3]:
        response = client.post("/ask/", _form(leaf, token))
        assert response.status_code == 302 and response["Location"] == "/ask/done/"
    response = client.post("/ask/", _form(leaf, tokens[3]))
    assert response.status_code == 429
    text = response.content.decode()
    assert "提交过于频繁：同一网络地址每小时最多3次" in text and "12345" in text
    assert 'name="content"' in text and "雨天积水" in text  # the form keeps what was typed
    assert response["Retry-After"] == "3600"
    assert WorkOrder.objects.count() == 3
    # The first form sent again (a double click, a reload) still lands on its request.
    again = client.post("/ask/", _form(leaf, tokens[0]))
    assert again.status_code == 302 and WorkOrder.objects.count() == 3


def test_the_citizen_form_limits_a_phone(client: Client, tree: Any, leaf: Any) -> None:
    for i, token in enumerate(["e" * 32, "f" * 32]):
        response = client.post(
            "/ask/",
            _form(leaf, token, anonymous=None, caller_phone="13812345678"),
            REMOTE_ADDR=f"10.0.1.{i}",
        )
        assert response.status_code == 302
    response = client.post(
        "/ask/",
        _form(leaf, "g" * 32, anonymous=None, caller_phone="13812345678"),
        REMOTE_ADDR="10.0.1.9",
    )
    assert response.status_code == 429 and "同一手机号每小时最多2次" in response.content.decode()


def test_a_malformed_rate_setting_stops_the_start(settings: Any) -> None:
    settings.PUBLIC_INTAKE_RATE_PER_PHONE = "twenty an hour"
    with pytest.raises(SystemCheckError, match="PUBLIC_INTAKE_RATE_PER_PHONE"):
        call_command("check")
