"""The assistant's and 未诉先办's actions: allowed for each role that grants them, denied for the
others, and 404 (or nothing of theirs) from the sibling district."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import ACTIONS, Role
from banshi.insight import services
from banshi.insight.models import Proposal

from .conftest import NOW

ADDRESS = "开福区秀峰街道新大塘社区"
INSIGHT_ACTIONS = ["dispatch.suggest", "insight.view", "insight.review"]


def test_every_action_of_this_app_is_proven_here() -> None:
    assert {a for a in ACTIONS if a.startswith(("dispatch.", "insight."))} == set(INSIGHT_ACTIONS)


@pytest.fixture
def proposal(requests_: Any) -> Proposal:
    for d in (1, 4, 8):
        requests_.submit("010303", content="路灯不亮", now=NOW - datetime.timedelta(days=d))
    services.proposals_detect(NOW)
    return Proposal.objects.get()


def _suggest(client: Client) -> Any:
    return client.post(
        "/api/v1/dispatch/suggest",
        {"content": "小区路灯坏了一个月", "address": ADDRESS},
        content_type="application/json",
    )


def _cases(action: str) -> list[Role]:
    return sorted(ACTIONS[action][1])


@pytest.mark.parametrize("role", _cases("dispatch.suggest"))
def test_suggestions_for_each_granting_role(
    client: Client, cast: Any, tree: Any, model: Any, role: Role
) -> None:
    client.force_login(cast.make(role, tree.kaifu))
    response = _suggest(client)
    assert response.status_code == 200
    assert response.json()["units"]  # 秀峰街道 / 开福区 lie in their subtree


@pytest.mark.parametrize("role", [r for r in Role if r not in ACTIONS["dispatch.suggest"][1]])
def test_suggestions_denied_to_other_roles(
    client: Client, cast: Any, tree: Any, role: Role
) -> None:
    client.force_login(cast.make(role, tree.kaifu))
    assert _suggest(client).status_code == 403


@pytest.mark.parametrize("role", _cases("dispatch.suggest"))
def test_suggestions_from_the_sibling_district_offer_none_of_its_units(
    client: Client, cast: Any, tree: Any, model: Any, role: Role
) -> None:
    client.force_login(cast.make(role, tree.yuhua))
    body = _suggest(client).json()
    assert all(u["id"] not in {tree.xiufeng.pk, tree.kaifu.pk} for u in body["units"])


@pytest.mark.parametrize("role", _cases("insight.view"))
def test_viewing_allowed_for_each_granting_role(
    client: Client, cast: Any, tree: Any, proposal: Proposal, role: Role
) -> None:
    client.force_login(cast.make(role, tree.kaifu))
    assert client.get(f"/insight/proposals/{proposal.pk}/").status_code == 200
    assert client.get("/insight/").status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r not in ACTIONS["insight.view"][1]])
def test_viewing_denied_to_other_roles(
    client: Client, cast: Any, tree: Any, proposal: Proposal, role: Role
) -> None:
    client.force_login(cast.make(role, tree.kaifu))
    assert client.get(f"/insight/proposals/{proposal.pk}/").status_code in {403, 404}
    assert client.get("/insight/").status_code == 403


@pytest.mark.parametrize("role", _cases("insight.view"))
def test_viewing_from_the_sibling_district_is_not_found(
    client: Client, cast: Any, tree: Any, proposal: Proposal, role: Role
) -> None:
    client.force_login(cast.make(role, tree.yuhua))
    assert client.get(f"/insight/proposals/{proposal.pk}/").status_code == 404


@pytest.mark.parametrize("role", _cases("insight.review"))
def test_reviewing_allowed_for_each_granting_role(
    client: Client, cast: Any, tree: Any, proposal: Proposal, role: Role
) -> None:
    client.force_login(cast.make(role, tree.kaifu))
    url = f"/insight/proposals/{proposal.pk}/dismiss/"
    assert client.post(url, {"reason": "已处理"}).status_code == 302


@pytest.mark.parametrize("role", [r for r in Role if r not in ACTIONS["insight.review"][1]])
def test_reviewing_denied_to_other_roles(
    client: Client, cast: Any, tree: Any, proposal: Proposal, role: Role
) -> None:
    client.force_login(cast.make(role, tree.kaifu))
    url = f"/insight/proposals/{proposal.pk}/dismiss/"
    assert client.post(url, {"reason": "已处理"}).status_code in {403, 404}
    assert Proposal.objects.get(pk=proposal.pk).status == "open"


@pytest.mark.parametrize("role", _cases("insight.review"))
def test_reviewing_from_the_sibling_district_is_not_found(
    client: Client, cast: Any, tree: Any, proposal: Proposal, role: Role
) -> None:
    client.force_login(cast.make(role, tree.yuhua))
    url = f"/insight/proposals/{proposal.pk}/dismiss/"
    assert client.post(url, {"reason": "已处理"}).status_code == 404
