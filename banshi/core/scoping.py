"""Subtree scoping for every domain model (NetBox's RestrictedQuerySet, on a materialized path).

A scoped model states once, in a ``scope = Scope(...)`` class attribute, which org-tree paths a row
belongs to: the lookups that reach a ``path`` column (``"org_unit__path"``, ``"lead_unit__path"``,
``"co_unit_links__unit__path"`` …), each for every action or only for some. That one declaration
yields both sides of every scope question:

- SQL: ``ScopedQuerySet.for_user(user, action)`` keeps the rows that reach a node where the user
  holds a role granting ``action``; with no such grant it returns nothing (fail closed).
  ``within_paths(paths)`` is the same filter for explicit paths.
- Python: ``paths_of(obj, action)`` reads the same lookups off one object, and
  ``banshi.core.permissions.can(user, action, obj)`` compares them with the grants.

A lookup that crosses a to-many relation (co-handling units) becomes an ``EXISTS`` subquery, so a
row never appears twice. Reaching every row without a user is spelled ``.unscoped()`` so a
reviewer can grep for it (tests/test_architecture_scope.py keeps it so).

The grants themselves live in ``banshi.accounts``, above this module; accounts registers its
resolver here when the app registry is ready, which keeps the dependency one-way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, Self

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, Q

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


def _under(lookup: str, paths: list[str]) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


@dataclass(frozen=True)
class Via:
    """One way a row reaches the org tree: ``lookup`` ends at a ``path`` column; ``actions`` are
    the actions it counts for (None: every action); ``name`` lets a caller ask for this way only
    (a unit's queue of the requests it leads)."""

    lookup: str
    actions: frozenset[str] | None = None
    name: str = ""

    def counts_for(self, action: str | None) -> bool:
        if self.actions is None:
            return True
        return action is not None and action in self.actions


class Scope:
    """Where the rows of one model belong in the org tree. The first way is the row's home (its
    own org unit): it counts for every action and is the path the audit log files changes under.

        scope = Scope(
            "org_unit__path",
            Via("lead_unit__path", actions=frozenset({"project.view", "project.lead"})),
            Via("co_units__path", actions=frozenset({"project.view"})),
        )
    """

    model: type[models.Model]

    def __init__(self, home: str, *more: str | Via) -> None:
        self.ways = (Via(home, name="home"), *(Via(w) if isinstance(w, str) else w for w in more))

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.model = cls
        setattr(cls, name, self)

    def _ways(self, action: str | None, via: Collection[str] | None) -> list[Via]:
        if isinstance(via, str):
            via = (via,)
        if via is not None:
            return [w for w in self.ways if w.name in via]
        return [w for w in self.ways if w.counts_for(action)]

    # --- SQL ------------------------------------------------------------------------------------

    def q(
        self,
        paths: Iterable[str] | None,
        action: str | None = None,
        *,
        via: Collection[str] | None = None,
        **part: Any,
    ) -> Q | None:
        """The filter for rows reaching a node under ``paths`` (None: reaching any node) for
        ``action``; None when nothing can match. ``part`` filters the row of a to-many way (the
        co-unit's own part of a request, e.g. ``signed_at=None``)."""
        wanted = None if paths is None else minimal_paths(paths)
        if wanted == []:
            return None
        condition = Q()
        for way in self._ways(action, via):
            condition |= self._way_q(way, wanted, part)
        return condition or None

    def _way_q(self, way: Via, paths: list[str] | None, part: dict[str, Any]) -> Q:
        head, _, rest = way.lookup.partition("__")
        # A reverse foreign key (ManyToOneRel) or a forward many-to-many field: both to-many.
        field: Any = self.model._meta.get_field(head)
        rows: models.QuerySet[Any]
        if field.one_to_many:  # EXISTS over the related rows
            related = field.related_model
            rows = related._base_manager.filter(**{field.field.name: OuterRef("pk")}, **part)
        elif field.many_to_many:  # EXISTS over the through table
            through = field.remote_field.through
            rows = through._base_manager.filter(**{field.m2m_field_name(): OuterRef("pk")}, **part)
            rest = f"{field.m2m_reverse_field_name()}__{rest}"
        else:
            if part:
                raise ImproperlyConfigured(f"{way.lookup} 不是一对多关系，不能按 part 过滤")
            if paths is None:
                return Q(**{f"{way.lookup}__isnull": False})
            return _under(way.lookup, paths)
        if paths is not None:
            rows = rows.filter(_under(rest, paths))
        return Q(Exists(rows))

    # --- Python ---------------------------------------------------------------------------------

    def paths_of(
        self, obj: models.Model, action: str | None = None, *, via: Collection[str] | None = None
    ) -> list[str]:
        """The paths ``obj`` reaches for ``action``, read through the same lookups as ``q``."""
        paths: list[str] = []
        for way in self._ways(action, via):
            paths.extend(_follow(obj, way.lookup.split("__")))
        return [p for p in paths if p]

    def home_path(self, obj: models.Model) -> str:
        found = _follow(obj, self.ways[0].lookup.split("__"))
        return found[0] if found else ""


def _follow(obj: Any, parts: list[str]) -> list[str]:
    """Walk ``parts`` from ``obj`` like the ORM would: through foreign keys and to-many managers
    (one query per manager, its foreign keys joined in; a prefetched manager costs none)."""
    if obj is None:
        return []
    if not parts:
        return [obj] if isinstance(obj, str) else []
    value = getattr(obj, parts[0])
    rest = parts[1:]
    if isinstance(value, models.Manager):
        rows = value.all()
        joins = "__".join(rest[:-1])
        if joins and rows._result_cache is None:  # type: ignore[attr-defined]
            rows = rows.select_related(joins)
        return [path for row in rows for path in _follow(row, rest)]
    return _follow(value, rest)


def scope_of(model: type[models.Model] | models.Model) -> Scope | None:
    scope = getattr(model, "scope", None)
    return scope if isinstance(scope, Scope) else None


def paths_of(obj: Any, action: str | None = None) -> list[str]:
    """The org paths ``obj`` belongs to for ``action``: by its model's ``Scope`` when it has one,
    else by an ``org_path`` property (objects that hang off a scoped one, e.g. a milestone)."""
    scope = scope_of(obj)
    if scope is not None:
        return scope.paths_of(obj, action)
    path = getattr(obj, "org_path", None)
    return [path] if isinstance(path, str) and path else []


def home_path(obj: Any) -> str:
    """The one path an object is filed under (its own org unit), for the audit log."""
    scope = scope_of(obj)
    if scope is not None:
        return scope.home_path(obj)
    path = getattr(obj, "org_path", None)
    return str(path or "")


class ScopedQuerySet(models.QuerySet):
    def _scope(self) -> Scope:
        scope = scope_of(self.model)
        if scope is None:
            raise ImproperlyConfigured(f"{self.model.__name__} 没有声明 scope = Scope(...)")
        return scope

    def for_user(
        self,
        user: Any,
        action: str,
        *more_actions: str,
        via: Collection[str] | None = None,
        **part: Any,
    ) -> Self:
        """Rows that reach a node where ``user`` holds ``action`` (or any of ``more_actions``),
        through the ways the model's ``Scope`` declares for that action (or only those named in
        ``via``)."""
        scope = self._scope()
        narrowed = via is not None or bool(part)
        condition = Q()
        for name in (action, *more_actions):
            granted = scope_paths(user, name)
            if granted is None and not narrowed:
                return self.all()
            found = scope.q(granted, name, via=via, **part)
            if found is not None:
                condition |= found
        return self.filter(condition) if condition else self.none()

    def within_paths(
        self,
        paths: Iterable[str] | None,
        action: str | None = None,
        *,
        via: Collection[str] | None = None,
        **part: Any,
    ) -> Self:
        """Rows that reach a node under ``paths`` (None: any node) through the ways counting for
        ``action`` (None: the ways counting for every action)."""
        condition = self._scope().q(paths, action, via=via, **part)
        return self.filter(condition) if condition is not None else self.none()

    def unscoped(self) -> Self:
        """Every row, on purpose: for services, jobs and commands that act for the system."""
        return self.all()


def path_allowed(user: Any, action: str, path: str) -> bool:
    """Whether ``user`` holds ``action`` on the node at ``path`` (or one of its ancestors)."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    return any(path.startswith(p) for p in paths)
