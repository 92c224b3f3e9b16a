"""Tree services and selectors: create, rename, move with descendants, refusals."""

from __future__ import annotations

from typing import Any

import pytest

from banshi.accounts.roles import Role
from banshi.audit.models import ChangeRecord
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.orgtree import selectors
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit, segment_for
from banshi.orgtree.services import (
    NewUnit,
    orgunit_create,
    orgunit_move,
    orgunit_rename,
    orgunits_bulk_create,
)


def test_path_is_parent_path_plus_own_segment(tree: Any) -> None:
    assert tree.datang.path == tree.xiufeng.path + segment_for(tree.datang.pk)
    assert tree.datang.depth == tree.xiufeng.depth + 1
    assert tree.datang.ancestor_paths == [
        tree.province.path,
        tree.city.path,
        tree.kaifu.path,
        tree.xiufeng.path,
    ]


def test_moving_a_street_carries_its_whole_subtree(tree: Any) -> None:
    household_unit = tree.household.org_unit
    old_depth = household_unit.depth
    orgunit_move(actor=None, unit=tree.xiufeng, new_parent=tree.yuhua)
    for unit in (tree.xiufeng, tree.datang, tree.branch, tree.grid, household_unit):
        unit.refresh_from_db()
        assert unit.path.startswith(tree.yuhua.path)
    assert tree.xiufeng.parent_id == tree.yuhua.pk
    assert household_unit.depth == old_depth
    assert not OrgUnit.objects.filter(path__startswith=tree.kaifu.path, name="新大塘社区").exists()
    assert (
        ChangeRecord.objects.filter(action="orgunit.move", object_id=str(tree.xiufeng.pk)).count()
        == 1
    )


def test_moving_changes_depth_of_descendants_when_levels_differ(tree: Any) -> None:
    # A micro-grid may sit under a community or a branch: moving it up one level shifts depths.
    household_unit = tree.household.org_unit
    before = household_unit.depth
    orgunit_move(actor=None, unit=tree.grid, new_parent=tree.datang)
    household_unit.refresh_from_db()
    tree.grid.refresh_from_db()
    assert household_unit.depth == before - 1
    assert tree.grid.depth == tree.datang.depth + 1
    assert household_unit.path == tree.grid.path + segment_for(household_unit.pk)


def test_move_refuses_a_cycle(tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        orgunit_move(actor=None, unit=tree.kaifu, new_parent=tree.datang)
    assert exc.value.code == "cycle"
    with pytest.raises(ValidationFailed):
        orgunit_move(actor=None, unit=tree.kaifu, new_parent=tree.kaifu)
    tree.kaifu.refresh_from_db()
    assert tree.kaifu.parent_id == tree.city.pk


def test_move_refuses_a_level_violation(tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        orgunit_move(actor=None, unit=tree.datang, new_parent=tree.kaifu)
    assert exc.value.code == "level_violation"
    assert "社区/村不能设在区/县/县级市之下" in exc.value.detail


def test_create_refuses_bad_level_code_and_duplicates(tree: Any) -> None:
    with pytest.raises(ValidationFailed, match="不能设在"):
        orgunit_create(actor=None, parent=tree.city, level=Level.COMMUNITY, name="错层社区")
    with pytest.raises(ValidationFailed, match="9位数字"):
        orgunit_create(actor=None, parent=tree.kaifu, level=Level.STREET, name="新街道", code="12")
    with pytest.raises(ValidationFailed, match="与上级代码不一致"):
        orgunit_create(
            actor=None, parent=tree.kaifu, level=Level.STREET, name="新街道", code="430111999"
        )
    with pytest.raises(ValidationFailed, match="同名"):
        orgunit_create(actor=None, parent=tree.kaifu, level=Level.STREET, name="秀峰街道")
    with pytest.raises(ValidationFailed, match="NUL"):
        orgunit_create(actor=None, parent=tree.kaifu, level=Level.STREET, name="坏\x00名")
    with pytest.raises(ValidationFailed, match="100"):
        orgunit_create(actor=None, parent=tree.kaifu, level=Level.STREET, name="长" * 101)


def test_rename_is_recorded_with_before_and_after(tree: Any, cast: Any) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    orgunit_rename(actor=admin, unit=tree.datang, name="大塘社区")
    record = ChangeRecord.objects.get(action="orgunit.rename")
    assert record.actor == admin
    assert record.before["name"] == "新大塘社区"
    assert record.after["name"] == "大塘社区"
    assert record.scope_path == tree.datang.path


def test_street_admin_cannot_rename_the_district_above(tree: Any, cast: Any) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    with pytest.raises(NotFound):
        orgunit_rename(actor=admin, unit=tree.kaifu, name="改名")
    grid_member = cast.make(Role.GRID_MEMBER, tree.xiufeng)
    with pytest.raises(PermissionDenied):
        orgunit_rename(actor=grid_member, unit=tree.datang, name="改名")


def test_selectors_children_counts_and_ancestors(tree: Any, cast: Any) -> None:
    user = cast.make(Role.SUPERVISOR, tree.kaifu)
    kids = {u.name: u for u in selectors.children(user, tree.kaifu)}
    assert set(kids) == {"秀峰街道", "新河街道"}
    assert kids["秀峰街道"].child_count == 1
    assert kids["秀峰街道"].household_count == 1
    assert kids["新河街道"].household_count == 0
    # Ancestors above the grant are not shown to a district user.
    assert [u.name for u in selectors.ancestors(user, tree.datang)] == ["开福区", "秀峰街道"]


def test_search_by_name_and_code_stays_in_scope(tree: Any, cast: Any) -> None:
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    assert [u.name for u in selectors.search(user, "大塘")] == ["新大塘社区", "新大塘社区党支部"]
    assert [u.name for u in selectors.search(user, "430105016")] == ["秀峰街道", "新大塘社区"]
    assert list(selectors.search(user, "石燕湖")) == []
    assert list(selectors.search(user, "")) == []


def test_root_units_are_the_users_granted_nodes(tree: Any, cast: Any) -> None:
    user = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    assert list(selectors.root_units(user)) == [tree.xiufeng]
    superuser = cast.superuser(tree.city)
    assert list(selectors.root_units(superuser)) == [tree.province]


def test_segment_encoding_bounds() -> None:
    assert segment_for(1) == "000001"
    assert segment_for(36) == "000010"
    with pytest.raises(ValueError):
        segment_for(0)
    with pytest.raises(ValueError):
        segment_for(36**6)


def test_bulk_create_gives_each_unit_its_path_and_a_change_record(tree: Any, cast: Any) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.kaifu)
    made = orgunits_bulk_create(
        actor=admin,
        units=[
            NewUnit(parent=tree.xiufeng, level=Level.COMMUNITY, name="甲社区", code=None),
            NewUnit(parent=tree.xiufeng, level=Level.COMMUNITY, name="乙社区", code=None),
        ],
    )
    for unit in made:
        unit.refresh_from_db()
        assert unit.path == tree.xiufeng.path + segment_for(unit.pk)
        assert unit.depth == tree.xiufeng.depth + 1
    records = ChangeRecord.objects.filter(action="orgunit.import", actor=admin)
    assert sorted(records.values_list("object_id", flat=True)) == sorted(str(u.pk) for u in made)


def test_bulk_create_refuses_a_parent_outside_the_actors_subtree(tree: Any, cast: Any) -> None:
    admin = cast.make(Role.ORG_ADMIN, tree.xiufeng)
    with pytest.raises(NotFound):
        orgunits_bulk_create(
            actor=admin,
            units=[NewUnit(parent=tree.yuhua, level=Level.STREET, name="新街道", code=None)],
        )
    with pytest.raises(PermissionDenied):
        orgunits_bulk_create(
            actor=admin,
            units=[NewUnit(parent=None, level=Level.PROVINCE, name="某省", code=None)],
        )
    assert not OrgUnit.objects.filter(name__in=["新街道", "某省"]).exists()
