"""GeoReport v2 conformance: one test per numbered rule of docs/open311.md (R01…), in both
formats where the format matters. The rule number is in each test's name."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.utils import timezone

from banshi.open311.models import SubmittedRequest
from banshi.open311.tests.conftest import BASE, FORMATS, KAIFU_POINT
from banshi.open311.tests.helpers import drive, other_channel

pytestmark = pytest.mark.django_db

W3C_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@FORMATS
def test_rule_01_utf8_and_xml_declaration(o311: Any, fmt: str) -> None:
    reply = o311.get("services", fmt)
    assert "charset=utf-8" in reply.content_type
    text = reply.body.decode("utf-8")
    assert "城市管理" in text
    if fmt == "xml":
        assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')


@FORMATS
def test_rule_02_content_types(o311: Any, fmt: str) -> None:
    expected = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
    for path in ["discovery", "services", "services/010301", "requests"]:
        assert o311.get(path, fmt).content_type == expected[fmt]
    assert o311.get("services/nope", fmt).content_type == expected[fmt]


def test_rule_03_format_by_suffix_and_unsupported_suffix_is_400(o311: Any) -> None:
    assert o311.get("services", "xml").root == "services"
    assert isinstance(o311.get("services", "json").data, list)
    reply = o311.get("services", "csv")
    assert reply.status == 400 and reply.content_type.startswith("text/xml")
    assert reply.errors()[0]["code"] == "400"


@FORMATS
def test_rule_04_discovery_document(o311: Any, fmt: str) -> None:
    reply = o311.get("discovery", fmt)
    assert reply.status == 200
    data = reply.data
    assert isinstance(data, dict)
    if fmt == "xml":
        assert reply.root == "discovery"
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}


@FORMATS
def test_rule_05_discovery_type_and_formats(o311: Any, fmt: str) -> None:
    endpoint = o311.get("discovery", fmt).data["endpoints"][0]
    assert endpoint["type"] in {"production", "test"}
    assert endpoint["formats"] == ["text/xml", "application/json"]


@FORMATS
def test_rule_06_service_list_shape(o311: Any, fmt: str) -> None:
    reply = o311.get("services", fmt)
    if fmt == "xml":
        assert reply.root == "services"
        assert {e.tag for e in ET.fromstring(reply.body)} == {"service"}
    services = reply.data
    assert isinstance(services, list) and len(services) >= 10
    road = next(s for s in services if s["service_code"] == "010301")
    assert set(road) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert road["service_name"] == "道路破损"
    assert road["group"] == "城市管理"
    assert "市政设施" in road["keywords"]


@FORMATS
def test_rule_07_metadata_and_type(o311: Any, fmt: str) -> None:
    services = {s["service_code"]: s for s in o311.get("services", fmt).data}
    true, false = (True, False) if fmt == "json" else ("true", "false")
    assert services["010302"]["metadata"] == true  # 井盖: has attributes
    assert services["010101"]["metadata"] == false  # 占道经营: none
    assert {s["type"] for s in services.values()} <= {"realtime", "batch", "blackbox"}


@FORMATS
def test_rule_08_jurisdiction_optional_unknown_is_404(o311: Any, fmt: str) -> None:
    assert o311.get("services", fmt).status == 200
    for name in ["4301", "长沙市", "changsha", "CHANGSHA", "changsha.gov.cn"]:
        assert o311.get("services", fmt, jurisdiction_id=name).status == 200
    reply = o311.get("services", fmt, jurisdiction_id="sfgov.org")
    assert reply.status == 404
    assert "jurisdiction_id" in reply.errors()[0]["description"]


@FORMATS
def test_rule_09_service_definition_shape(o311: Any, fmt: str) -> None:
    reply = o311.get("services/010302", fmt)
    assert reply.status == 200
    data = reply.data
    assert isinstance(data, dict)
    if fmt == "xml":
        assert reply.root == "service_definition"
    assert data["service_code"] == "010302"
    first = data["attributes"][0]
    assert set(first) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }
    assert first["values"][0] == {"key": "water", "name": "供水"}


@FORMATS
def test_rule_10_every_datatype_is_published(o311: Any, fmt: str) -> None:
    seen = set()
    for code in ["010301", "010302", "010303"]:
        for attr in o311.get(f"services/{code}", fmt).data["attributes"]:
            seen.add(attr["datatype"])
            if attr["datatype"].endswith("valuelist"):
                assert attr["values"]
    assert seen == {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


@FORMATS
def test_rule_11_attribute_order_positive_unique_sorted(o311: Any, fmt: str) -> None:
    orders = [int(a["order"]) for a in o311.get("services/010302", fmt).data["attributes"]]
    assert orders == sorted(orders) and len(set(orders)) == len(orders) and min(orders) >= 1


@FORMATS
def test_rule_12_unknown_service_definition_is_404(o311: Any, fmt: str) -> None:
    reply = o311.get("services/999999", fmt)
    assert reply.status == 404 and reply.errors()[0]["description"].startswith("service_code")
    # A category that exists but is not published is not a service either.
    assert o311.get("services/010102", fmt).status == 404


@FORMATS
def test_rule_13_post_needs_a_valid_api_key(o311: Any, fmt: str) -> None:
    base = {"service_code": "010301", "description": "路面破损", **KAIFU_POINT}
    missing = o311.post(fmt, key=None, **base)
    assert missing.status == 403 and missing.errors()[0]["code"] in (403, "403")
    wrong = o311.post(fmt, key="not-a-key", **base)
    assert wrong.status == 403


@FORMATS
def test_rule_14_post_result_shape(o311: Any, fmt: str) -> None:
    reply = o311.post(
        fmt, service_code="010301", description="路面破损", account_id="acc-9", **KAIFU_POINT
    )
    assert reply.status == 200
    if fmt == "xml":
        assert reply.root == "service_requests"
    item = reply.data[0]
    assert set(item) == {"service_request_id", "service_notice", "account_id"}
    assert item["account_id"] == "acc-9"
    assert "15个工作日" in item["service_notice"]
    if fmt == "json":
        assert isinstance(item["service_request_id"], str)  # E13


def test_rule_15_id_and_token_are_not_both_returned(o311: Any) -> None:
    item = o311.post("json", service_code="010301", description="路面破损", **KAIFU_POINT).data[0]
    assert "service_request_id" in item and "token" not in item


@FORMATS
def test_rule_16_service_code_missing_400_unknown_404(o311: Any, fmt: str) -> None:
    assert o311.post(fmt, description="x", **KAIFU_POINT).status == 400
    assert o311.post(fmt, service_code="999999", description="x", **KAIFU_POINT).status == 404


@FORMATS
def test_rule_17_a_full_location_is_required(o311: Any, fmt: str) -> None:
    assert o311.post(fmt, service_code="010301", description="x").status == 400
    assert o311.post(fmt, service_code="010301", description="x", lat="28.255").status == 400
    assert (
        o311.post(
            fmt,
            service_code="010301",
            description="a",
            address_string="开福区秀峰街道新大塘社区建湘路",
        ).status
        == 200
    )
    assert (
        o311.post(fmt, service_code="010301", description="b", address_id="430105016005").status
        == 200
    )
    assert o311.post(fmt, service_code="010301", description="c", address_id="999").status == 400


@FORMATS
def test_rule_18_lat_long_are_wgs84_and_in_range(o311: Any, fmt: str) -> None:
    for lat, lon in [
        ("91", "112.9"),
        ("28.2", "181"),
        ("abc", "112.9"),
        ("nan", "112.9"),
        ("39.9", "116.4"),
    ]:
        reply = o311.post(fmt, service_code="010301", description="x", lat=lat, long=lon)
        assert reply.status == 400, (lat, lon)
    rid = o311.submit(fmt, lat="28.255", long="112.985")
    item = o311.get(f"requests/{rid}", "json").data[0]
    assert (item["lat"], item["long"]) == (28.255, 112.985)


@FORMATS
def test_rule_19_attributes_follow_the_definition(o311: Any, fmt: str) -> None:
    base = {"service_code": "010302", "description": "井盖缺失", **KAIFU_POINT}
    assert o311.post(fmt, **base).status == 400  # COVER_TYPE is required
    ok = o311.post(
        fmt,
        **base,
        **{
            "attribute[COVER_TYPE]": "sewage",
            "attribute[HAZARD][]": ["open", "sunk"],
            "attribute[SEEN_AT]": "2026-11-16T08:30:00+08:00",
        },
    )
    assert ok.status == 200
    bad = [
        {"attribute[COVER_TYPE]": "gold"},
        {"attribute[COVER_TYPE]": ["water", "power"]},
        {"attribute[COVER_TYPE]": "water", "attribute[HAZARD][]": ["open", "lava"]},
        {"attribute[COVER_TYPE]": "water", "attribute[SEEN_AT]": "yesterday"},
        {"attribute[COVER_TYPE]": "water", "attribute[NOPE]": "1"},
    ]
    for extra in bad:
        assert o311.post(fmt, **base, **extra).status == 400, extra
    road = {"service_code": "010301", "description": "路面", **KAIFU_POINT}
    assert o311.post(fmt, **road, **{"attribute[AREA]": "three"}).status == 400
    assert o311.post(fmt, **road, **{"attribute[LANE]": "第一\n第二"}).status == 400
    lamp = {"service_code": "010303", "description": "路灯", **KAIFU_POINT}
    assert (
        o311.post(
            fmt, **lamp, **{"attribute[POLE_NO]": "KF-0012", "attribute[DETAIL]": "第一行\n第二行"}
        ).status
        == 200
    )


@FORMATS
def test_rule_20_description_up_to_4000_characters(o311: Any, fmt: str) -> None:
    assert (
        o311.post(fmt, service_code="010301", description="坑" * 4000, **KAIFU_POINT).status == 200
    )
    reply = o311.post(fmt, service_code="010301", description="坑" * 4001, **KAIFU_POINT)
    assert reply.status == 400 and "4000" in reply.errors()[0]["description"]


def test_rule_21_form_encoded_utf8_round_trips(o311: Any) -> None:
    rid = o311.submit("xml", description="湘江路 第3号 “井盖” ☂ <b>&")
    reply = o311.get(f"requests/{rid}", "xml")
    assert reply.data[0]["description"] == "湘江路 第3号 “井盖” ☂ <b>&"


@FORMATS
def test_rule_22_empty_parameters_count_as_absent(o311: Any, fmt: str) -> None:
    reply = o311.post(
        fmt,
        service_code="010301",
        description="空参数",
        email="",
        media_url="",
        address_id="",
        jurisdiction_id="",
        **KAIFU_POINT,
    )
    assert reply.status == 200
    listing = o311.get(
        "requests", fmt, service_code="", status="", start_date="", jurisdiction_id=""
    )
    assert listing.status == 200 and len(listing.data) == 1


@FORMATS
def test_rule_23_tokens_resolve_to_the_request(o311: Any, fmt: str) -> None:
    reply = o311.post(fmt, service_code="010301", description="令牌", **KAIFU_POINT)
    token = reply.headers["X-Open311-Token"]
    resolved = o311.get(f"tokens/{token}", fmt)
    assert resolved.status == 200
    if fmt == "xml":
        assert resolved.root == "service_requests"
    item = resolved.data[0]
    assert str(item["service_request_id"]) == str(reply.data[0]["service_request_id"])
    assert item["token"] == token
    assert o311.get("tokens/deadbeef", fmt).status == 404


@FORMATS
def test_rule_24_request_fields(o311: Any, fmt: str) -> None:
    o311.submit(fmt)
    reply = o311.get("requests", fmt)
    if fmt == "xml":
        assert reply.root == "service_requests"
        request = ET.fromstring(reply.body)[0]
        assert request.tag == "request"
        assert [child.tag for child in request] == REQUEST_FIELDS
    else:
        assert list(reply.data[0]) == REQUEST_FIELDS


@FORMATS
def test_rule_25_status_is_open_or_closed(o311: Any, fmt: str, tree: Any, cast: Any) -> None:
    boss = cast.superuser(tree.city)
    open_id = o311.submit(fmt, description="开着的")
    closed_id = o311.submit(fmt, description="要办结的")
    drive(SubmittedRequest.objects.get(order_id=closed_id).order, boss, tree.xiufeng, "closed")
    status = {int(r["service_request_id"]): r["status"] for r in o311.get("requests", fmt).data}
    assert status == {open_id: "open", closed_id: "closed"}


@FORMATS
def test_rule_26_ids_override_every_other_argument(o311: Any, fmt: str) -> None:
    first = o311.submit(fmt, description="一")
    second = o311.submit(
        fmt, description="二", service_code="010303", **{"attribute[POLE_NO]": "A1"}
    )
    reply = o311.get(
        "requests",
        fmt,
        service_request_id=f"{first},{second},999999",
        service_code="010302",
        status="closed",
        start_date="2001-01-01T00:00:00Z",
        end_date="2001-01-02T00:00:00Z",
    )
    assert sorted(int(r["service_request_id"]) for r in reply.data) == sorted([first, second])
    assert o311.get("requests", fmt, service_request_id="12,abc").status == 400


@FORMATS
def test_rule_27_service_code_filter_comma_delimited(o311: Any, fmt: str) -> None:
    road = o311.submit(fmt, description="路")
    lamp = o311.submit(fmt, description="灯", service_code="010303", **{"attribute[POLE_NO]": "A1"})
    o311.submit(fmt, description="水", service_code="040101")

    def ids(**p: str) -> list[int]:
        return sorted(int(r["service_request_id"]) for r in o311.get("requests", fmt, **p).data)

    assert ids(service_code="010301") == [road]
    assert ids(service_code="010301,010303") == sorted([road, lamp])
    assert o311.get("requests", fmt, service_code="999999").status == 404


@FORMATS
def test_rule_28_status_filter(o311: Any, fmt: str, tree: Any, cast: Any) -> None:
    boss = cast.superuser(tree.city)
    open_id = o311.submit(fmt, description="开")
    closed_id = o311.submit(fmt, description="关")
    drive(SubmittedRequest.objects.get(order_id=closed_id).order, boss, tree.xiufeng, "closed")

    def ids(s: str) -> list[int]:
        return sorted(
            int(r["service_request_id"]) for r in o311.get("requests", fmt, status=s).data
        )

    assert ids("open") == [open_id]
    assert ids("closed") == [closed_id]
    assert ids("open,closed") == sorted([open_id, closed_id])
    assert o311.get("requests", fmt, status="pending").status == 400


@FORMATS
def test_rule_29_dates_are_w3c_with_a_timezone(o311: Any, fmt: str) -> None:
    rid = o311.submit(fmt)
    now = timezone.localtime()
    start = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    assert [
        int(r["service_request_id"]) for r in o311.get("requests", fmt, start_date=start).data
    ] == [rid]
    utc = (now - datetime.timedelta(days=1)).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(o311.get("requests", fmt, start_date=utc).data) == 1
    for bad in [
        "2026-11-01",
        "2026-11-01T00:00:00",
        "2026-13-01T00:00:00Z",
        "yesterday",
        "2026-11-01T00:00:00+0800",
    ]:
        reply = o311.get("requests", fmt, start_date=bad)
        assert reply.status == 400, bad
        assert "start_date" in reply.errors()[0]["description"]
    assert o311.get("requests", fmt, end_date="2026-11-01T25:00:00Z").status == 400


@FORMATS
def test_rule_30_range_may_not_span_more_than_90_days(o311: Any, fmt: str) -> None:
    reply = o311.get(
        "requests",
        fmt,
        start_date="2026-01-01T00:00:00+08:00",
        end_date="2026-05-01T00:00:00+08:00",
    )
    assert reply.status == 400 and "90" in reply.errors()[0]["description"]
    ok = o311.get(
        "requests",
        fmt,
        start_date="2026-01-01T00:00:00+08:00",
        end_date="2026-03-31T00:00:00+08:00",
    )
    assert ok.status == 200


@FORMATS
def test_rule_31_default_window_is_the_last_90_days(o311: Any, fmt: str, tree: Any) -> None:
    recent = o311.submit(fmt)
    old = other_channel(tree, now=timezone.now() - datetime.timedelta(days=120))
    ids = [int(r["service_request_id"]) for r in o311.get("requests", fmt).data]
    assert ids == [recent]
    start = (timezone.localtime() - datetime.timedelta(days=125)).strftime(
        "%Y-%m-%dT%H:%M:%S+08:00"
    )
    assert [
        int(r["service_request_id"]) for r in o311.get("requests", fmt, start_date=start).data
    ] == [old.pk]


def test_rule_32_at_most_1000_requests(o311: Any, tree: Any, monkeypatch: Any) -> None:
    from banshi.open311 import selectors, views

    monkeypatch.setattr(selectors, "MAX_RESULTS", 3)
    for i in range(5):
        other_channel(tree, content=f"第{i}个坑")
    reply = o311.get("requests", "json")
    assert len(reply.data) == 3
    assert reply.headers["X-Total-Count"] == "5"
    assert views.selectors.MAX_RESULTS == 3


@FORMATS
def test_rule_33_datetimes_carry_the_offset(o311: Any, fmt: str, tree: Any, cast: Any) -> None:
    rid = o311.submit(fmt)
    drive(
        SubmittedRequest.objects.get(order_id=rid).order,
        cast.superuser(tree.city),
        tree.xiufeng,
        "dispatched",
    )
    item = o311.get(f"requests/{rid}", fmt).data[0]
    for field in ["requested_datetime", "updated_datetime", "expected_datetime"]:
        assert W3C_OFFSET.match(item[field]), (field, item[field])
    assert W3C_OFFSET.match(o311.get("discovery", fmt).data["changeset"])


@FORMATS
def test_rule_34_closed_requests_updated_when_closed(
    o311: Any, fmt: str, tree: Any, cast: Any
) -> None:
    rid = o311.submit(fmt)
    order = SubmittedRequest.objects.get(order_id=rid).order
    later = timezone.now() + datetime.timedelta(days=3)
    closed = drive(order, cast.superuser(tree.city), tree.xiufeng, "closed", now=later)
    item = o311.get(f"requests/{rid}", fmt).data[0]
    assert item["status"] == "closed"
    assert (
        item["updated_datetime"]
        == timezone.localtime(closed.closed_at).replace(microsecond=0).isoformat()
    )
    assert item["status_notes"]


@FORMATS
def test_rule_35_one_request_by_id(o311: Any, fmt: str) -> None:
    rid = o311.submit(fmt)
    reply = o311.get(f"requests/{rid}", fmt)
    if fmt == "xml":
        assert reply.root == "service_requests"
    assert len(reply.data) == 1 and int(reply.data[0]["service_request_id"]) == rid
    for missing in ["999999", "abc", "9" * 40, "-1"]:
        assert o311.get(f"requests/{missing}", fmt).status == 404


@FORMATS
def test_rule_36_error_list_shape(o311: Any, fmt: str) -> None:
    reply = o311.get("services/999999", fmt)
    if fmt == "xml":
        root = ET.fromstring(reply.body)
        assert root.tag == "errors"
        assert [c.tag for c in root] == ["error"]
        assert [c.tag for c in root[0]] == ["code", "description"]
    else:
        assert isinstance(reply.data, list)
        assert set(reply.data[0]) == {"code", "description"}
        assert reply.data[0]["code"] == 404


@FORMATS
def test_rule_37_http_status_404_403_400(o311: Any, fmt: str) -> None:
    assert o311.get("nothing-here", fmt).status == 404
    assert o311.post(fmt, key="bad", service_code="010301").status == 403
    assert o311.get("requests", fmt, status="maybe").status == 400
    assert o311.client.delete(f"{BASE}/services.{fmt}").status_code == 400


@FORMATS
def test_rule_38_schemaless_xml_without_namespaces(o311: Any, fmt: str) -> None:
    o311.submit(fmt)
    for path in ["discovery", "services", "services/010302", "requests"]:
        body = o311.get(path, "xml").body.decode()
        assert "xmlns" not in body


@FORMATS
def test_rule_39_discovery_urls_end_in_discovery_format(client: Any, fmt: str) -> None:
    for url in [f"/open311/discovery.{fmt}", f"/open311/v2/discovery.{fmt}"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "text/xml" if fmt == "xml" else "application/json"
        )
