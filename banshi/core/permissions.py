"""``can`` and ``require``: the questions every view and service asks.

The answer comes from the one resolver in ``banshi.accounts.permissions`` (registered through
``banshi.core.scoping``): does the user hold, on the object's org node or an ancestor of it, an
active role that grants the action? Objects tell their node through an ``org_path`` property.
"""

from __future__ import annotations

from typing import Any

from banshi.core.errors import NotFound, PermissionDenied
from banshi.core.scoping import scope_paths


def object_paths(obj: Any) -> list[str]:
    """The org paths an object belongs to: ``org_paths`` when it belongs to several (a request
    located in one district and handled by a city bureau), else its one ``org_path``."""
    paths = getattr(obj, "org_paths", None)
    if paths is not None:
        return [p for p in paths if p]
    path = getattr(obj, "org_path", None)
    return [path] if isinstance(path, str) and path else []


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj`` (or anywhere, when ``obj`` is None)."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    if obj is None:
        return bool(paths)
    return any(path.startswith(p) for path in object_paths(obj) for p in paths)


def require(user: Any, action: str, obj: Any = None, *, view_action: str = "orgunit.view") -> None:
    """Raise NotFound if ``obj`` lies outside everything the user can see, else PermissionDenied
    if the user cannot do ``action`` on it."""
    if can(user, action, obj):
        return
    if obj is not None and not can(user, view_action, obj):
        raise NotFound()
    raise PermissionDenied()
