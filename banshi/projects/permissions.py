"""Who may do what to a project.

A project is run from its org unit's subtree. Its 牵头单位 (often a functional unit outside that
subtree, e.g. 市城管局 for a 芙蓉区 project) may view it, report on it and confirm it; a 配合单位
may view it. Out of sight answers 404, in sight but without the right answers 403.
"""

from __future__ import annotations

from typing import Any

from banshi.core.errors import NotFound, PermissionDenied
from banshi.core.scoping import path_allowed, scope_paths
from banshi.projects.models import VIA_LEAD_UNIT, Project, SupervisedItem


def project_paths(project: Project, action: str) -> list[str]:
    paths = [project.org_unit.path]
    if action in VIA_LEAD_UNIT:
        paths.append(project.lead_unit.path)
    if action == "project.view":
        paths.extend(unit.path for unit in project.co_units.all())
    return paths


def can_project(user: Any, action: str, project: Project) -> bool:
    if user is None:
        return False
    return any(path_allowed(user, action, path) for path in project_paths(project, action))


def require_project(user: Any, action: str, project: Project) -> None:
    """NotFound when the project is out of the user's sight, PermissionDenied when in sight but
    ``action`` is not theirs. ``user=None`` is the system (seeding, the scheduler)."""
    if user is None:
        return
    if can_project(user, action, project):
        return
    if not can_project(user, "project.view", project):
        raise NotFound()
    raise PermissionDenied()


def require_unit_action(user: Any, action: str, unit: Any, *, view_action: str) -> None:
    """The same 404/403 rule for objects that hang off an org unit (items, meetings, links)."""
    if user is None or path_allowed(user, action, unit.path):
        return
    if not path_allowed(user, view_action, unit.path):
        raise NotFound()
    raise PermissionDenied()


def acts_for_unit(user: Any, action: str, unit: Any) -> bool:
    """Whether ``user`` holds ``action`` granted on ``unit`` itself: the unit's own people (its
    承办人, the ones its messages go to), not those of a unit above it."""
    if user is None:
        return False
    paths = scope_paths(user, action)
    return paths is None or unit.path in paths


def can_complete_item(user: Any, item: SupervisedItem) -> bool:
    """A supervised item (整改 or 议定事项) is reported done by its owner unit's own 承办人, or by
    a 督查员 whose scope covers the item (its owner unit, its project or its meeting's place).
    A 承办人 of another unit, even one above the owner, may not close it for them."""
    if user is None:
        return False
    if acts_for_unit(user, "project.report", item.owner_unit):
        return True
    places = [item.owner_unit.path]
    if item.meeting_id is not None:
        places.append(item.meeting.org_unit.path)  # type: ignore[union-attr]
    if any(path_allowed(user, "project.supervise", path) for path in places):
        return True
    return item.project is not None and can_project(user, "project.supervise", item.project)
