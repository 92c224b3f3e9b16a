"""Every grid action, performed for real through the API: allowed for each role that grants it
(granted on the district), refused for a role that does not, and 404 for a granting role whose
grant sits on the sibling district. The register's own writes (edit, move, archive, import) are
``household.manage``; tags and visit rules (``grid.configure``) are the city's."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from banshi.accounts.roles import ACTIONS, Role

Probe = Callable[[Client, Any], int]


def _json(client: Client, method: str, url: str, body: dict[str, Any]) -> int:
    return getattr(client, method)(url, body, content_type="application/json").status_code


def _import_file() -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["微网格", "门牌", "地址", "标签", "姓名"])
    book.active.append(["第1党员微网格", "9栋", "建湘路9号", "", "曾湘君"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


PROBES: dict[str, tuple[str, Probe]] = {
    "edit": (
        "household.manage",
        lambda c, g: _json(c, "patch", f"/api/v1/grid/households/{g.h1.pk}", {"tags": ["youfu"]}),
    ),
    "move": (
        "household.manage",
        lambda c, g: _json(
            c, "post", f"/api/v1/grid/households/{g.h1.pk}/move", {"grid_id": g.grid2.pk}
        ),
    ),
    "archive": (
        "household.manage",
        lambda c, g: _json(c, "post", f"/api/v1/grid/households/{g.h4.pk}/archive", {}),
    ),
    "import": (
        "household.manage",
        lambda c, g: (
            c.post(
                f"/api/v1/orgunits/{g.tree.datang.pk}/households/import", {"file": _import_file()}
            ).status_code
        ),
    ),
    "member": (
        "grid.manage",
        lambda c, g: _json(
            c,
            "post",
            "/api/v1/grid/party-members",
            {"org_unit_id": g.tree.branch.pk, "name": "蒋卫东", "kind": "mobile"},
        ),
    ),
    "link": (
        "grid.link",
        lambda c, g: _json(
            c, "post", "/api/v1/grid/links", {"member_id": g.m1.pk, "household_id": g.h4.pk}
        ),
    ),
    "visit": (
        "grid.visit",
        lambda c, g: _json(
            c,
            "post",
            f"/api/v1/grid/households/{g.h3.pk}/visits",
            {"visited_at": timezone.now().isoformat(), "findings": "一切正常"},
        ),
    ),
    "five": (
        "grid.visit",
        lambda c, g: _json(
            c,
            "post",
            f"/api/v1/grid/households/{g.h3.pk}/five",
            {"kind": "policy", "on": timezone.localdate().isoformat(), "note": "宣讲医保政策"},
        ),
    ),
    "stats": (
        "grid.stats",
        lambda c, g: c.get(f"/api/v1/orgunits/{g.tree.datang.pk}/grid-figures").status_code,
    ),
}


def _cases() -> list[tuple[str, Role]]:
    return [
        (name, role) for name, (action, _) in PROBES.items() for role in sorted(ACTIONS[action][1])
    ]


def test_every_grid_action_has_a_probe() -> None:
    grid_actions = {a for a in ACTIONS if a.startswith("grid.")} - {"grid.configure"}
    assert grid_actions <= {action for action, _ in PROBES.values()}


@pytest.mark.parametrize(("probe", "role"), _cases())
def test_allowed_for_granting_role(
    g: Any, cast: Any, client: Client, probe: str, role: Role
) -> None:
    client.force_login(cast.make(role, g.tree.kaifu))
    assert PROBES[probe][1](client, g) in {200, 201}


@pytest.mark.parametrize("probe", list(PROBES))
def test_denied_for_role_without_it(g: Any, cast: Any, client: Client, probe: str) -> None:
    granting = ACTIONS[PROBES[probe][0]][1]
    for role in [r for r in Role if r not in granting]:
        client.force_login(cast.make(role, g.tree.kaifu))
        assert PROBES[probe][1](client, g) in {403, 404}, role


@pytest.mark.parametrize(("probe", "role"), _cases())
def test_not_found_from_sibling_district(
    g: Any, cast: Any, client: Client, probe: str, role: Role
) -> None:
    client.force_login(cast.make(role, g.tree.yuhua))
    assert PROBES[probe][1](client, g) == 404


def test_the_ledger_closes_for_grid_visit_only_and_not_across_districts(
    g: Any, cast: Any, client: Client
) -> None:
    from banshi.grid.services import ledger_open

    item = ledger_open(actor=None, household=g.h1, content="楼道堆放杂物")
    url = f"/api/v1/grid/ledger/{item.pk}/close"
    client.force_login(cast.make(Role.SUPERVISOR, g.tree.kaifu))  # reads the register only
    assert _json(client, "post", url, {"result": "已清理"}) == 403
    client.force_login(cast.make(Role.GRID_MEMBER, g.tree.yuhua))
    assert _json(client, "post", url, {"result": "已清理"}) == 404
    client.force_login(cast.make(Role.GRID_MEMBER, g.tree.kaifu))
    assert _json(client, "post", url, {"result": "已清理"}) == 200


def test_tags_and_visit_rules_are_configured_at_the_city_only(
    g: Any, cast: Any, client: Client
) -> None:
    url = "/api/v1/grid/visit-rules/vulnerable"
    client.force_login(cast.make(Role.ORG_ADMIN, g.tree.city))
    assert _json(client, "put", url, {"interval_days": 15}) == 200
    assert (
        _json(client, "put", "/api/v1/grid/tags/shidu", {"name": "失独", "vulnerable": True}) == 200
    )
    client.force_login(cast.make(Role.ORG_ADMIN, g.tree.kaifu))
    assert _json(client, "put", url, {"interval_days": 10}) == 403
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.city))
    assert _json(client, "put", url, {"interval_days": 10}) == 403
    bad = client.put(url, {"interval_days": 0}, content_type="application/json")
    assert bad.status_code == 403
    client.force_login(cast.make(Role.ORG_ADMIN, g.tree.city))
    bad = client.put(url, {"interval_days": 0}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_interval"
