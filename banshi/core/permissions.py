"""``can`` and ``require``: the questions every view and service asks.

The answer comes from the one resolver in ``banshi.accounts.permissions`` (registered through
``banshi.core.scoping``): does the user hold, on one of the object's org nodes or an ancestor of
it, an active role that grants the action? The object's nodes for that action come from its
model's ``Scope`` declaration (``paths_of``), the same one its queryset's ``for_user`` filters by.
"""

from __future__ import annotations

from typing import Any

from banshi.core.errors import NotFound, PermissionDenied
from banshi.core.scoping import paths_of, scope_paths


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj`` (or anywhere, when ``obj`` is None)."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    if obj is None:
        return bool(paths)
    return any(path.startswith(p) for path in paths_of(obj, action) for p in paths)


def require(user: Any, action: str, obj: Any = None, *, view_action: str = "orgunit.view") -> None:
    """Raise NotFound if ``obj`` lies outside everything the user can see, else PermissionDenied
    if the user cannot do ``action`` on it."""
    if can(user, action, obj):
        return
    if obj is not None and not can(user, view_action, obj):
        raise NotFound()
    raise PermissionDenied()
