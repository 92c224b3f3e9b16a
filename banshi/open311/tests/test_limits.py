"""Abuse limits on Open311 POSTs: an address that keeps posting without a valid api_key gets 429
in Open311's own error format (JSON and XML) instead of 403; a valid key is never refused for its
address; the phone limit applies to what an application relays; a retry keeps its answer."""

from __future__ import annotations

from typing import Any

import pytest

from banshi.workorders.models import WorkOrder

from .conftest import FORMATS, KAIFU_POINT, Open311


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.PUBLIC_INTAKE_LIMITS = True
    settings.PUBLIC_INTAKE_RATE_PER_ADDRESS = "3/h"
    settings.PUBLIC_INTAKE_RATE_PER_PHONE = "2/h"


def _report(**extra: Any) -> dict[str, Any]:
    return {"service_code": "010301", "description": "建湘路口道路破损", **KAIFU_POINT, **extra}


@FORMATS
def test_posts_without_a_valid_key_are_refused_429_once_over_the_address_limit(
    o311: Open311, fmt: str
) -> None:
    for key in [None, "wrong-key", None]:
        reply = o311.post(fmt, key=key, **_report())
        assert reply.status == 403
    reply = o311.post(fmt, key=None, **_report())
    assert reply.status == 429
    (error,) = reply.errors()
    assert int(error["code"]) == 429 and "提交过于频繁" in error["description"]
    assert reply.headers["Retry-After"] == "3600"
    assert WorkOrder.objects.count() == 0


def test_the_keyless_limit_is_per_address(o311: Open311) -> None:
    for _ in range(3):
        assert o311.post("json", key=None, **_report()).status == 403
    assert o311.post("json", key=None, **_report()).status == 429
    o311.client.defaults["REMOTE_ADDR"] = "10.0.0.2"
    assert o311.post("json", key=None, **_report()).status == 403


def test_a_valid_key_is_not_refused_for_its_address(o311: Open311) -> None:
    for _ in range(4):
        o311.post("json", key=None, **_report())
    # The application shares the abuser's address, and its key still works, many times over.
    ids = [o311.submit(description=f"第{n}处路面破损") for n in range(5)]
    assert len(set(ids)) == 5


def test_an_applications_reports_are_limited_per_phone(o311: Open311) -> None:
    for n in range(2):
        o311.submit(phone="13812345678", description=f"第{n}处路面破损")
    reply = o311.post("json", **_report(phone="13812345678", description="第三处路面破损"))
    assert reply.status == 429
    (error,) = reply.errors()
    assert "同一手机号每小时最多2次" in error["description"]
    assert WorkOrder.objects.count() == 2


def test_a_retry_with_the_same_key_keeps_its_answer_over_the_limit(o311: Open311) -> None:
    headers = {"Idempotency-Key": "app-retry-1"}
    first = o311.post("json", headers=headers, **_report(phone="13812345678"))
    assert first.status == 200
    o311.submit(phone="13812345678", description="另一处路面破损")
    again = o311.post("json", headers=headers, **_report(phone="13812345678"))
    assert again.status == 200
    assert again.data[0]["service_request_id"] == first.data[0]["service_request_id"]
    assert WorkOrder.objects.count() == 2
