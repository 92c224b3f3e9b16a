"""``Project.scope`` is the one rule of whose a project is (its org unit for everything, its 牵头单位
for viewing, reporting and leading, a 配合单位 for viewing only): the ledger list and the object
check are both read from it and agree for every user and action."""

from __future__ import annotations

from typing import Any

from banshi.accounts.roles import ACTIONS, Role
from banshi.core.permissions import can
from banshi.core.scoping import paths_of
from banshi.projects import services
from banshi.projects.models import Project

from .conftest import Scene, data

PROJECT_ACTIONS = sorted(a for a in ACTIONS if a.startswith("project."))


def _projects(scene: Scene) -> list[Project]:
    tree = scene.tree
    own = scene.project()
    bureau_led = services.project_create(
        actor=None,
        org_unit=tree.tiaoma,
        lead_unit=tree.city_bureau,
        data=data(name="跳马镇污水管网改造"),
        lead_leader=None,
    )
    co_handled = services.project_create(
        actor=None,
        org_unit=tree.tiaoma,
        lead_unit=tree.tiaoma,
        data=data(name="石燕湖村道路硬化"),
        lead_leader=None,
    )
    co_handled.co_units.add(tree.xinhe)
    return [own, bureau_led, co_handled]


def test_the_ledger_and_the_object_check_agree_for_every_user_and_action(
    scene: Scene, tree: Any, cast: Any
) -> None:
    projects = _projects(scene)
    people = [
        scene.admin,
        scene.handler,
        scene.supervisor,
        *scene.yuhua.values(),
        cast.make(Role.HANDLER, tree.city_bureau),
        cast.make(Role.LEADER, tree.city_bureau),
        cast.make(Role.HANDLER, tree.xinhe),
    ]
    compared = 0
    for user in people:
        for action in PROJECT_ACTIONS:
            listed = set(Project.objects.for_user(user, action).values_list("pk", flat=True))
            checked = {p.pk for p in projects if can(user, action, p)}
            assert listed == checked, (user.name, action)
            compared += len(listed)
    assert compared > 0


def test_a_lead_unit_reports_and_a_co_unit_only_views(scene: Scene, tree: Any, cast: Any) -> None:
    _, bureau_led, co_handled = _projects(scene)
    assert tree.city_bureau.path in paths_of(bureau_led, "project.report")
    assert tree.city_bureau.path not in paths_of(bureau_led, "project.manage")
    assert tree.xinhe.path in paths_of(co_handled, "project.view")
    assert tree.xinhe.path not in paths_of(co_handled, "project.report")
    xinhe = cast.make(Role.HANDLER, tree.xinhe)
    assert can(xinhe, "project.view", co_handled) and not can(xinhe, "project.report", co_handled)
