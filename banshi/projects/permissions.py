"""Who may do what to a project.

A project is run from its org unit's subtree. Its 牵头单位 (often a functional unit outside that
subtree, e.g. 市城管局 for a 芙蓉区 project) may view it, report on it and confirm it; a 配合单位
may view it. Out of sight answers 404, in sight but without the right answers 403.
"""

from __future__ import annotations

from typing import Any

from banshi.core.errors import NotFound, PermissionDenied
from banshi.core.scoping import path_allowed
from banshi.projects.models import VIA_LEAD_UNIT, Project


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
