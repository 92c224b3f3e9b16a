"""The one permission resolver.

``scope_paths_for(user, action)`` answers with the subtree paths where the user holds an active
role that grants ``action`` (None: everywhere, for superusers; empty: nowhere, for anonymous and
inactive users). ``ScopedQuerySet.for_user`` turns it into SQL and ``banshi.core.permissions.can``
into a yes or no for one object; both reach it through the registry in ``banshi.core.scoping``.
"""

from __future__ import annotations

from typing import Any

from banshi.accounts.roles import roles_for
from banshi.accounts.selectors import active_assignments

_CACHE_ATTR = "_banshi_grants"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, path) of the user's active grants, cached on the user object for one request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = list(active_assignments(user).values_list("role", "org_unit__path"))
    setattr(user, _CACHE_ATTR, rows)
    return rows


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths_for(user: Any, action: str) -> list[str] | None:
    roles = roles_for(action)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    return [path for role, path in _grants(user) if role in roles]
