"""POST /api/v1/dispatch/suggest: who may ask, what bad input answers, and which units come back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.insight import engine
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create

URL = "/api/v1/dispatch/suggest"
WATER = "我们小区从早上七点开始停水，到现在还没来水，也没看到停水通知"
DATANG = "开福区秀峰街道新大塘社区建湘路"


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def water(tree: Any) -> Any:
    return orgunit_create(
        actor=None, parent=tree.city, level=Level.FUNCTIONAL, name="长沙水业集团", code="4301F03"
    )


@pytest.fixture
def history(model: Any, requests_: Any, tree: Any, water: Any) -> Any:
    """Five 停水 requests at 新大塘社区 led by the water company, and three led — against the
    routing rule — by a street of another district."""
    for i in range(5):
        requests_.dispatched("040101", water, content=f"小区停水了第{i}次")
    for i in range(3):
        requests_.dispatched("040101", tree.tiaoma, content=f"整栋楼没有水{i}")
    engine.forget()  # the routing counts are held for minutes; these tests want them now
    return tree


def test_an_anonymous_caller_is_told_to_log_in(client: Client, db: Any) -> None:
    response = _post(client, {"content": WATER})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_role_without_the_right_is_refused(client: Client, cast: Any, tree: Any) -> None:
    client.force_login(cast.make(Role.HANDLER, tree.kaifu))
    response = _post(client, {"content": WATER})
    assert response.status_code == 403
    assert set(response.json()) == {"code", "detail"}


def test_a_dispatcher_gets_ranked_categories_and_units_with_reasons(
    client: Client, cast: Any, history: Any, water: Any
) -> None:
    client.force_login(cast.make(Role.DISPATCHER, history.city))
    response = _post(client, {"content": WATER, "address": DATANG})
    assert response.status_code == 200
    body = response.json()
    assert body["model_version"] == 1
    assert body["low_confidence"] is False
    assert body["place"]["name"] == "新大塘社区"
    categories = body["categories"]
    assert len(categories) >= 5
    assert categories[0] == {
        "path": "水电气/供水/停水",
        "code": "040101",
        "id": categories[0]["id"],
        "score": categories[0]["score"],
    }
    scores = [c["score"] for c in categories]
    assert scores == sorted(scores, reverse=True)
    units = body["units"]
    assert units[0]["id"] == water.pk
    assert units[0]["reason"] == "近90天新大塘社区同类诉求（停水）由长沙水业集团办理 5 次"
    # 跳马镇 (雨花区) led three of them, but a street never serves a place outside it.
    assert history.tiaoma.pk not in {u["id"] for u in units}
    assert history.xiufeng.pk in {u["id"] for u in units}


def test_units_stay_inside_the_dispatchers_own_subtree(
    client: Client, cast: Any, history: Any, water: Any
) -> None:
    client.force_login(cast.make(Role.DISPATCHER, history.kaifu))
    units = _post(client, {"content": WATER, "address": DATANG}).json()["units"]
    ids = {u["id"] for u in units}
    assert water.pk not in ids  # a city company: beyond a district dispatcher
    assert ids <= {history.xiufeng.pk, history.kaifu.pk, history.datang.pk}
    assert units[0]["reason"] == "诉求所在街道/乡镇（属地管理）"


def test_a_grid_member_who_cannot_dispatch_sees_units_of_their_own_subtree_only(
    client: Client, cast: Any, history: Any
) -> None:
    client.force_login(cast.make(Role.GRID_MEMBER, history.datang))
    body = _post(client, {"content": WATER, "address": DATANG}).json()
    assert body["categories"][0]["code"] == "040101"
    assert {u["id"] for u in body["units"]} <= {history.datang.pk}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"content": ""}, "required"),
        ({"content": "   "}, "required"),
        ({"content": "停水" * 2001}, "too_long"),
        ({"content": WATER, "address": "路" * 201}, "too_long"),
        ({"content": "停水\x00了"}, "invalid_character"),
        ({"content": WATER, "latitude": "北纬", "longitude": 112.9}, "invalid"),
        ({"content": WATER, "latitude": 28.2}, "invalid_location"),
        ({"content": WATER, "latitude": 39.9, "longitude": 116.4}, "location_outside_city"),
        ({"content": WATER, "latitude": 95, "longitude": 112.9}, "invalid_location"),
        ({"title": "停水"}, "invalid"),
        ({"content": 12345}, "invalid"),
    ],
)
def test_bad_input_answers_4xx_with_the_stable_body(
    client: Client, cast: Any, tree: Any, body: dict[str, Any], code: str
) -> None:
    client.force_login(cast.make(Role.OPERATOR, tree.city))
    response = _post(client, body)
    assert 400 <= response.status_code < 500
    assert response.json()["code"] == code
    assert set(response.json()) == {"code", "detail"}


def test_a_body_that_is_not_json_answers_400(client: Client, cast: Any, tree: Any) -> None:
    client.force_login(cast.make(Role.OPERATOR, tree.city))
    response = client.post(URL, "{停水", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "detail"}


def test_text_in_another_language_is_a_low_confidence_suggestion(
    client: Client, cast: Any, model: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.OPERATOR, tree.city))
    response = _post(client, {"content": "The water has been off since this morning."})
    assert response.status_code == 200
    body = response.json()
    assert body["low_confidence"] is True
    assert "中文过少" in body["notes"][0]
    assert body["units"] == []  # no place given


def test_a_point_inside_the_city_finds_the_place(
    client: Client, cast: Any, model: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.DISPATCHER, tree.city))
    # 开福区 (秀峰街道 area), WGS84
    body = _post(client, {"content": WATER, "latitude": 28.2365, "longitude": 112.9865}).json()
    assert body["place"]["name"] == "开福区"
    assert tree.kaifu.pk in {u["id"] for u in body["units"]}


def test_city_wide_history_speaks_only_for_city_wide_departments(
    client: Client, cast: Any, model: Any, requests_: Any, tree: Any, water: Any
) -> None:
    from banshi.workorders.services import transition

    park = orgunit_create(
        actor=None, parent=tree.city, level=Level.PARK, name="湖南湘江新区", code="4301P01"
    )
    # 停水 in 雨花区 led by the water company three times and by the park three times.
    for unit in (water, water, water, park, park, park):
        order = requests_.submit("040101", content="村里停水了", org_unit=tree.shiyanhu, address="")
        transition(
            actor=requests_.boss, order=order, action="dispatch", data={"lead_unit": unit.pk}
        )
    engine.forget()
    client.force_login(cast.make(Role.DISPATCHER, tree.city))
    units = _post(client, {"content": WATER, "address": DATANG}).json()["units"]
    ids = [u["id"] for u in units]
    assert ids[0] == water.pk  # a city department: its city-wide record counts in 开福区
    assert "长沙市" in units[0]["reason"]
    assert park.pk not in ids  # the park has no record in 开福区
