"""The API: allowed, denied (403) and out of subtree (404); bad input a Chinese 4xx with a stable
code and nothing written; ETag / If-Match on the values people edit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from banshi.indicators.models import Entry, Indicator, Report
from banshi.indicators.tests.conftest import approved

pytestmark = pytest.mark.django_db
BASE = "/api/v1/indicators"


def post(client: Any, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def put(client: Any, url: str, body: Any, **headers: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def test_enter_submit_approve_over_the_api(client: Any, tree: Any, people: Any) -> None:
    client.force_login(people.kaifu_handler)
    r = post(client, f"{BASE}/reports", {"org_unit_id": tree.kaifu.pk, "year": 2026, "quarter": 1})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    r = client.get(f"{BASE}/reports/{rid}")
    tag = r["ETag"]
    r = put(client, f"{BASE}/reports/{rid}/values", {"values": {"xuewei": 1200}}, HTTP_IF_MATCH=tag)
    assert r.status_code == 200 and r.json()["values"] == {"xuewei": "1200.00"}
    r = put(client, f"{BASE}/reports/{rid}/values", {"values": {"xuewei": 1}}, HTTP_IF_MATCH=tag)
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    r = post(client, f"{BASE}/reports/{rid}/transition", {"action": "submit"})
    assert r.json()["status"] == "submitted"
    r = post(client, f"{BASE}/reports/{rid}/transition", {"action": "approve"})
    assert r.status_code == 403 and r.json()["code"] == "not_reviewer"

    client.force_login(people.city_supervisor)
    r = post(client, f"{BASE}/reports/{rid}/transition", {"action": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "approved"

    r = client.get(f"{BASE}/figures", {"unit_id": tree.city.pk, "year": 2026, "quarter": 1})
    kaifu = next(row for row in r.json()["rows"] if row["name"] == "开福区")
    xuewei = next(f for f in kaifu["figures"] if f["indicator"] == "xuewei")
    assert xuewei["actual"] == "1200.00"


def test_out_of_subtree_is_404(client: Any, tree: Any, people: Any) -> None:
    report = approved(tree.kaifu, 2026, 1, {"xuewei": 5})
    client.force_login(people.yuhua_admin)
    assert client.get(f"{BASE}/reports/{report.pk}").status_code == 404
    assert client.get(f"{BASE}/figures", {"unit_id": tree.kaifu.pk}).status_code == 404
    r = post(client, f"{BASE}/reports", {"org_unit_id": tree.kaifu.pk, "year": 2026, "quarter": 2})
    assert r.status_code == 404
    r = post(
        client,
        f"{BASE}/reports/{report.pk}/corrections",
        {"indicator": "xuewei", "value": 9, "reason": "x"},
    )
    assert r.status_code == 404
    assert client.get(f"{BASE}/reports").json() == []
    assert Entry.objects.get().value == 5


def test_bad_input_is_a_chinese_4xx_and_writes_nothing(client: Any, tree: Any, people: Any) -> None:
    client.force_login(people.kaifu_admin)
    rid = post(
        client, f"{BASE}/reports", {"org_unit_id": tree.kaifu.pk, "year": 2026, "quarter": 1}
    ).json()["id"]
    cases = [
        ({"values": {"tanwei": -1}}, "negative_value"),
        ({"values": {"xuewei": "一千"}}, "invalid_value"),
        ({"values": {"nosuch": 1}}, "unknown_indicator"),
    ]
    for body, code in cases:
        r = put(client, f"{BASE}/reports/{rid}/values", body)
        assert r.status_code == 400 and r.json()["code"] == code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])
    r = post(
        client, f"{BASE}/reports", {"org_unit_id": tree.xiufeng.pk, "year": 2026, "quarter": 1}
    )
    assert r.status_code == 400 and r.json()["code"] == "not_owner_level"
    r = post(client, f"{BASE}/reports", {"org_unit_id": tree.kaifu.pk, "year": 2026, "quarter": 7})
    assert 400 <= r.status_code < 500
    assert client.get(f"{BASE}/figures", {"quarter": 9}).status_code == 400
    assert client.get(f"{BASE}/reports/abc").status_code == 404
    r = post(
        client, f"{BASE}/definitions", {"code": "x", "name": "x", "unit": "个", "kind": "flow"}
    )
    assert r.status_code == 403
    assert not Entry.objects.exists()
    assert Report.objects.count() == 1
    assert Indicator.objects.filter(code="x").count() == 0


def test_locked_values_over_the_api(client: Any, tree: Any, people: Any) -> None:
    report = approved(tree.kaifu, 2026, 1, {"xuewei": 5})
    client.force_login(people.kaifu_admin)
    r = put(client, f"{BASE}/reports/{report.pk}/values", {"values": {"xuewei": 6}})
    assert r.status_code == 409 and r.json()["code"] == "report_locked"
    client.force_login(people.city_admin)
    r = post(
        client,
        f"{BASE}/reports/{report.pk}/corrections",
        {"indicator": "xuewei", "value": 6, "reason": "口径调整"},
    )
    assert r.status_code == 200 and r.json()["values"] == {"xuewei": "6.00"}


def test_completeness_and_export(client: Any, tree: Any, people: Any) -> None:
    approved(tree.kaifu, 2026, 1, {"xuewei": 5})
    client.force_login(people.city_admin)
    r = client.get(f"{BASE}/completeness", {"unit_id": tree.city.pk, "year": 2026, "quarter": 1})
    items = {i["name"]: i for i in r.json()["items"]}
    assert items["开福区"]["reported"] is True and items["雨花区"]["status"] == "missing"
    r = client.get(f"{BASE}/export", {"unit_id": tree.city.pk, "year": 2026, "quarter": 1})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.get(f"{BASE}/export", {"kind": "other"})
    assert r.status_code == 400
