"""Who may do what to a project.

Which units a project belongs to for which action (its org unit, its 牵头单位, its 配合单位) is
declared once, in ``Project.scope``; ``can`` and ``Project.objects.for_user`` both read it. Out of
sight answers 404, in sight but without the right answers 403.
"""

from __future__ import annotations

from typing import Any

from banshi.core.errors import NotFound, PermissionDenied
from banshi.core.permissions import can, require
from banshi.core.scoping import path_allowed, scope_paths
from banshi.projects.models import Project, SupervisedItem


def can_project(user: Any, action: str, project: Project) -> bool:
    """``can`` on a project; ``user=None`` (the system) is not a person and may not."""
    return user is not None and can(user, action, project)


def require_project(user: Any, action: str, project: Project) -> None:
    """NotFound when the project is out of the user's sight, PermissionDenied when in sight but
    ``action`` is not theirs. ``user=None`` is the system (seeding, the scheduler)."""
    if user is not None:
        require(user, action, project, view_action="project.view")


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
