"""Subtree scoping for every domain queryset (NetBox's RestrictedQuerySet, on a materialized path).

A model whose manager is built from ``ScopedQuerySet`` names, as a class attribute ``scope_path_field``: the lookup that
reaches the org-tree ``path`` its rows belong to (``"path"`` on OrgUnit, ``"org_unit__path"``
elsewhere). ``for_user(user, action)`` keeps the rows under a node where the user holds a role that
grants ``action``; with no such grant it returns nothing (fail closed). Reaching every row without a
user is spelled ``.unscoped()`` so a reviewer can grep for it.

The grants themselves live in ``banshi.accounts``, above this module; accounts registers its
resolver here when the app registry is ready, which keeps the dependency one-way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Self

from django.db import models
from django.db.models import Q

# (user, action) -> None for "everything" (superuser) or the list of subtree paths granted.
ScopeResolver = Callable[[Any, str], list[str] | None]
_resolver: ScopeResolver | None = None


def register_scope_resolver(resolver: ScopeResolver) -> None:
    global _resolver
    _resolver = resolver


def scope_paths(user: Any, action: str) -> list[str] | None:
    if _resolver is None:  # pragma: no cover - accounts is always installed
        raise RuntimeError("没有注册权限解析器")
    return _resolver(user, action)


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths already covered by an ancestor path, so the SQL stays short."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


class ScopedQuerySet(models.QuerySet):
    def _scope_field(self) -> str:
        return getattr(self.model, "scope_path_field", "org_unit__path")

    def for_user(self, user: Any, action: str, *more_actions: str) -> Self:
        """Rows under a node where ``user`` holds ``action`` (or any of ``more_actions``)."""
        paths: list[str] = []
        for name in (action, *more_actions):
            granted = scope_paths(user, name)
            if granted is None:
                return self.all()
            paths.extend(granted)
        return self.within_paths(paths)

    def within_paths(self, paths: Iterable[str]) -> Self:
        paths = minimal_paths(paths)
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{self._scope_field()}__startswith": path})
        return self.filter(condition)

    def unscoped(self) -> Self:
        """Every row, on purpose: for services, jobs and commands that act for the system."""
        return self.all()


def path_allowed(user: Any, action: str, path: str) -> bool:
    """Whether ``user`` holds ``action`` on the node at ``path`` (or one of its ancestors)."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    return any(path.startswith(p) for p in paths)
