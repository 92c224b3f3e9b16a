"""The routing rule: which units serve a place. The request page's quick picks and the 实事项目
ledger's assignments both ask it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create
from banshi.workorders.routing import serves, serving_units

pytestmark = pytest.mark.django_db


def _functional(parent: Any, name: str, code: str) -> Any:
    return orgunit_create(actor=None, parent=parent, level=Level.FUNCTIONAL, name=name, code=code)


def test_a_place_is_served_by_its_chain_what_lies_below_and_the_bureaux_above(tree: Any) -> None:
    water = _functional(tree.city, "长沙水业集团", "4301F03")
    supply = _functional(water, "长沙供水有限公司", "4301F0301")
    kaifu_bureau = _functional(tree.kaifu, "开福区城市管理和综合执法局", "430105F01")
    yuhua_bureau = _functional(tree.yuhua, "雨花区城市管理和综合执法局", "430111F01")
    at_datang = set(serving_units(tree.datang))
    assert {tree.datang, tree.xiufeng, tree.kaifu} <= at_datang  # its own chain
    assert {tree.city_bureau, water, supply, kaifu_bureau} <= at_datang  # bureaux above it
    assert not {tree.xinhe, tree.xinhe_comm, tree.yuhua, tree.tiaoma, yuhua_bureau} & at_datang
    assert not {tree.city, tree.province, tree.branch, tree.grid} & at_datang  # not dispatchable
    at_kaifu = set(serving_units(tree.kaifu))
    assert {tree.xiufeng, tree.xinhe, tree.datang, tree.xinhe_comm, water} <= at_kaifu
    assert not {tree.yuhua, tree.tiaoma, yuhua_bureau} & at_kaifu
    assert set(serving_units(tree.kaifu, below=False)) == {
        tree.kaifu,
        tree.city_bureau,
        water,
        supply,
        kaifu_bureau,
    }
    assert serves(water, tree.tiaoma) and not serves(kaifu_bureau, tree.tiaoma)


def test_an_inactive_unit_serves_nowhere(tree: Any) -> None:
    water = _functional(tree.city, "长沙水业集团", "4301F03")
    water.is_active = False
    water.save(update_fields=["is_active"])
    assert not serves(water, tree.kaifu)


def test_the_dispatch_form_offers_the_city_bureaux_serving_the_place(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.submit()  # located in 新大塘社区
    water = _functional(tree.city, "长沙水业集团", "4301F03")
    client.force_login(cast.make(Role.DISPATCHER, tree.city))
    page = client.get(f"/workorders/{order.pk}/").content.decode()
    for name in ("新大塘社区", "秀峰街道", "开福区", "长沙水业集团", tree.city_bureau.name):
        assert f'data-pick-name="{name}"' in page
    assert 'data-pick-name="新河街道"' not in page and 'data-pick-name="雨花区"' not in page
    assert page.index('data-pick-name="秀峰街道"') < page.index(f'data-pick-name="{water.name}"')
