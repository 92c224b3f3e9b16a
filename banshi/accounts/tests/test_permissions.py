"""For every action: allowed for each role that grants it, denied for one that does not, and 404
for a granting role whose grant sits on the sibling district.

Each action has a probe that performs it for real through the API or a page, so the test proves the
wiring, not just the resolver table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import ACTIONS, Role
from banshi.audit.services import record_change, snapshot
from banshi.core.errors import NotFound, PermissionDenied
from banshi.grid.services import household_create

Probe = Callable[[Client, Any, Any], int]


def _probe_orgunit_view(client: Client, tree: Any, user: Any) -> int:
    return client.get(f"/api/v1/orgunits/{tree.datang.pk}").status_code


def _probe_orgunit_manage(client: Client, tree: Any, user: Any) -> int:
    return client.patch(
        f"/api/v1/orgunits/{tree.datang.pk}",
        {"name": "新大塘社区（改）"},
        content_type="application/json",
    ).status_code


def _probe_user_view(client: Client, tree: Any, user: Any) -> int:
    return client.get(f"/api/v1/users/{tree.subject.pk}").status_code


def _probe_user_manage(client: Client, tree: Any, user: Any) -> int:
    return client.post(
        "/api/v1/users",
        {
            "mobile": "13700001111",
            "name": "新同事",
            "org_unit_id": tree.datang.pk,
            "password": "Abcdefg123",
        },
        content_type="application/json",
    ).status_code


def _probe_user_grant(client: Client, tree: Any, user: Any) -> int:
    return client.post(
        f"/api/v1/users/{tree.subject.pk}/roles",
        {"role": "grid_member", "org_unit_id": tree.datang.pk},
        content_type="application/json",
    ).status_code


def _probe_pii_view(client: Client, tree: Any, user: Any) -> int:
    # Every pii.view role may reveal the caller of a request it can see. (A resident needs
    # household.view as well, which dispatchers and operators do not hold: grid/tests.)
    from banshi.workorders.models import Category
    from banshi.workorders.services import SubmitInput, submit

    order, _ = submit(
        actor=None,
        data=SubmitInput(
            channel="web",
            kind="complaint",
            category_id=Category.objects.get(code="010301").pk,
            content="探针：道路破损",
            address="新大塘社区",
            caller_name="张秀英",
            caller_phone="13812345678",
            org_unit=tree.datang,
        ),
    )
    return client.post(f"/api/v1/workorders/{order.pk}/reveal-phone").status_code


def _probe_audit_view(client: Client, tree: Any, user: Any) -> int:
    response = client.get("/audit/")
    if response.status_code != 200:
        return response.status_code
    # Scoped: the record about 新大塘社区 shows only when the viewer's subtree holds it.
    return 200 if "审计探针" in response.content.decode() else 404


def _probe_household_view(client: Client, tree: Any, user: Any) -> int:
    return client.get(f"/grid/households/?unit={tree.datang.pk}").status_code


def _probe_household_manage(client: Client, tree: Any, user: Any) -> int:
    try:
        household_create(actor=user, grid=tree.grid, label="9栋9单元909室", address="建湘路9号")
    except NotFound:
        return 404
    except PermissionDenied:
        return 403
    return 201


PROBES: dict[str, Probe] = {
    "orgunit.view": _probe_orgunit_view,
    "orgunit.manage": _probe_orgunit_manage,
    "user.view": _probe_user_view,
    "user.manage": _probe_user_manage,
    "user.grant": _probe_user_grant,
    "pii.view": _probe_pii_view,
    "audit.view": _probe_audit_view,
    "household.view": _probe_household_view,
    "household.manage": _probe_household_manage,
}


FOUNDATION_PREFIXES = ("orgunit.", "user.", "pii.", "audit.", "household.")


def test_every_foundation_action_has_a_probe() -> None:
    # Domain apps (requests, projects …) prove their own actions in their own test files.
    assert set(PROBES) == {a for a in ACTIONS if a.startswith(FOUNDATION_PREFIXES)}


def _cases() -> list[tuple[str, Role]]:
    return [(action, role) for action in PROBES for role in sorted(ACTIONS[action][1])]


@pytest.fixture
def scene(tree: Any, cast: Any) -> Any:
    tree.subject = cast.make(None, tree.datang, name="被管理人")
    record_change(
        actor=None, action="test.probe", obj=tree.datang, before=None, after={"note": "审计探针"}
    )
    # The record's repr is the unit name; put the marker where the page shows it.
    from banshi.audit.models import ChangeRecord

    ChangeRecord.objects.filter(action="test.probe").update(object_repr="审计探针")
    return tree


@pytest.mark.parametrize(("action", "role"), _cases())
def test_action_allowed_for_granting_role(
    scene: Any, cast: Any, client: Client, action: str, role: Role
) -> None:
    user = cast.make(role, scene.kaifu)
    client.force_login(user)
    assert PROBES[action](client, scene, user) in {200, 201, 204}


@pytest.mark.parametrize("action", list(PROBES))
def test_action_denied_for_role_without_it(
    scene: Any, cast: Any, client: Client, action: str
) -> None:
    granting = ACTIONS[action][1]
    others = [r for r in Role if r not in granting]
    # An action every staff role holds is denied to a user with no grant at all.
    user = cast.make(others[0] if others else None, scene.kaifu)
    client.force_login(user)
    assert PROBES[action](client, scene, user) in {403, 404}


@pytest.mark.parametrize(("action", "role"), _cases())
def test_action_not_found_from_sibling_district(
    scene: Any, cast: Any, client: Client, action: str, role: Role
) -> None:
    user = cast.make(role, scene.yuhua)
    client.force_login(user)
    assert PROBES[action](client, scene, user) == 404


def test_anonymous_user_gets_401_from_api(scene: Any, client: Client) -> None:
    response = client.get(f"/api/v1/orgunits/{scene.datang.pk}")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_expired_grant_gives_nothing(scene: Any, cast: Any, client: Client) -> None:
    import datetime

    from django.utils import timezone

    from banshi.accounts.models import RoleAssignment

    user = cast.make(Role.ORG_ADMIN, scene.kaifu)
    RoleAssignment.objects.filter(user=user).update(
        valid_from=timezone.now() - datetime.timedelta(days=10),
        valid_until=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(user)
    assert client.get(f"/api/v1/orgunits/{scene.datang.pk}").status_code == 404


def test_revoked_grant_takes_effect_at_once(scene: Any, cast: Any, client: Client) -> None:
    from banshi.accounts.models import RoleAssignment
    from banshi.accounts.services import role_revoke

    admin = cast.make(Role.ORG_ADMIN, scene.city)
    user = cast.make(Role.SUPERVISOR, scene.kaifu)
    client.force_login(user)
    assert client.get(f"/api/v1/orgunits/{scene.datang.pk}").status_code == 200
    role_revoke(actor=admin, assignment=RoleAssignment.objects.get(user=user))
    assert client.get(f"/api/v1/orgunits/{scene.datang.pk}").status_code == 404


def test_district_admin_cannot_move_unit_into_sibling_district(
    scene: Any, cast: Any, client: Client
) -> None:
    user = cast.make(Role.ORG_ADMIN, scene.kaifu)
    client.force_login(user)
    response = client.post(
        f"/api/v1/orgunits/{scene.xiufeng.pk}/move",
        {"new_parent_id": scene.yuhua.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    scene.xiufeng.refresh_from_db()
    assert scene.xiufeng.parent_id == scene.kaifu.pk
    assert snapshot(scene.xiufeng)["path"].startswith(scene.kaifu.path)
