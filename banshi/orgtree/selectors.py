"""Reads of the organisation tree, always through the acting user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from banshi.core.errors import NotFound
from banshi.core.scoping import minimal_paths, scope_paths
from banshi.core.validation import is_digits, parse_id
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit

VIEW = "orgunit.view"


def visible_units(user: Any, action: str = VIEW) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.for_user(user, action)


def get_unit(user: Any, unit_id: object, action: str = VIEW) -> OrgUnit:
    """The unit, or NotFound when it does not exist or lies outside the user's subtree."""
    pk = parse_id(unit_id, field="组织编号")
    unit = visible_units(user, action).filter(pk=pk).first()
    if unit is None:
        raise NotFound()
    return unit


def root_units(user: Any) -> QuerySet[OrgUnit]:
    """The top nodes the user can see: the tree's roots for a superuser, else each granted node."""
    paths = scope_paths(user, VIEW)
    if paths is None:
        return OrgUnit.objects.filter(parent__isnull=True)
    return OrgUnit.objects.filter(path__in=minimal_paths(paths))


def with_counts(queryset: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """Annotate each unit with its number of children and of households anywhere below it."""
    households = (
        OrgUnit.objects.filter(path__startswith=OuterRef("path"), level=Level.HOUSEHOLD)
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        child_count=Count("children", distinct=True),
        household_count=Coalesce(Subquery(households, output_field=IntegerField()), 0),
    )


def children(user: Any, unit: OrgUnit) -> QuerySet[OrgUnit]:
    return with_counts(visible_units(user).filter(parent=unit)).order_by("code", "name", "pk")


def subtree(user: Any, unit: OrgUnit) -> QuerySet[OrgUnit]:
    return visible_units(user).filter(path__startswith=unit.path)


def ancestors(user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """Ancestors from the root down, limited to what the user may see (their breadcrumb)."""
    units = visible_units(user).filter(path__in=unit.ancestor_paths)
    return sorted(units, key=lambda u: u.depth)


def search(
    user: Any, query: str, *, under: OrgUnit | None = None, limit: int = 50
) -> QuerySet[OrgUnit]:
    """Units whose name contains ``query`` or whose code starts with it."""
    query = query.strip()
    qs = visible_units(user)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    if not query:
        return qs.none()
    condition = Q(name__icontains=query)
    if is_digits(query):
        condition |= Q(code__startswith=query)
    return qs.filter(condition).order_by("depth", "code", "name")[:limit]


# --- the tree's shape, for the system -----------------------------------------------------------
# Jobs, detection, reports, the geocoder and the Open311 adapter look units up with no user to
# scope by. What they read is the tree's shape (names, codes, levels, paths), which holds no
# personal data and is the same for everyone; the rows hanging off it stay scoped.


def _tree() -> QuerySet[OrgUnit]:
    # Unscoped on purpose: the tree's shape, read by the system (see the section comment).
    return OrgUnit.objects.unscoped()


def unit_at(path: str) -> OrgUnit | None:
    """The unit at exactly ``path``."""
    return _tree().filter(path=path).first() if path else None


def units_at(paths: Any, *, levels: Any = None) -> dict[str, OrgUnit]:
    """The units at ``paths`` (of ``levels``, when given), by path."""
    qs = _tree().filter(path__in=list(paths))
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    return {u.path: u for u in qs}


def units_by_id(ids: Any) -> dict[int, OrgUnit]:
    return _tree().in_bulk(list(ids))


def unit_by_code(code: str, *, levels: Any = None) -> OrgUnit | None:
    """The unit with the division code ``code`` (of ``levels``, when given)."""
    qs = _tree().filter(code=code)
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    return qs.first()


def units_of_levels(levels: Any) -> QuerySet[OrgUnit]:
    return _tree().filter(level__in=list(levels))
