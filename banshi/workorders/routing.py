"""Which units may receive a request: the routing rule, in one place.

A request is dispatched to a unit that can lead one (a district, street, community, functional
unit, park or stationed unit — never a party branch, grid or household) and that the dispatcher
holds ``workorder.dispatch`` on. A territorial unit (district, street, community) only serves the
place it covers, so for a request located at ``place`` it must be that place or one of its
ancestors; functional units, parks and stationed units serve wherever they are dispatched to
(国网长沙供电公司 handles 停电 city-wide although it sits under 芙蓉区).

The dispatch service enforces the first two (a dispatcher may still override a wrong location by
hand); the dispatch pages' quick picks and the dispatch assistant (``insight``) offer only units
that satisfy all three.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from banshi.core.scoping import scope_paths
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit

DISPATCHABLE_LEVELS = frozenset(
    {
        Level.DISTRICT,
        Level.STREET,
        Level.COMMUNITY,
        Level.FUNCTIONAL,
        Level.PARK,
        Level.STATIONED,
    }
)
TERRITORIAL_LEVELS = frozenset({Level.DISTRICT, Level.STREET, Level.COMMUNITY})
DISPATCH_ACTION = "workorder.dispatch"


def may_lead(unit: OrgUnit) -> bool:
    """Whether a unit of this level can lead (主办) or co-handle (协办) a request at all."""
    return unit.level in DISPATCHABLE_LEVELS


def serves(unit: OrgUnit, place: OrgUnit) -> bool:
    """Whether ``unit`` covers a request located at ``place``."""
    if unit.level in TERRITORIAL_LEVELS:
        return place.path.startswith(unit.path)
    return True


def may_receive(unit: OrgUnit, place: OrgUnit, paths: list[str] | None) -> bool:
    """The whole rule for one unit, with the dispatcher's granted subtree paths already resolved
    (``None`` means everywhere: a superuser, or the system acting for itself)."""
    if not unit.is_active or not may_lead(unit) or not serves(unit, place):
        return False
    return paths is None or any(unit.path.startswith(p) for p in paths)


def dispatch_paths(user: Any) -> list[str] | None:
    """The subtrees ``user`` may dispatch into; ``None`` for everywhere. ``user=None`` is the
    system (commands, jobs)."""
    if user is None:
        return None
    return scope_paths(user, DISPATCH_ACTION)


def receivers(user: Any, place: OrgUnit) -> QuerySet[OrgUnit]:
    """The units ``user`` may send a request located at ``place`` to."""
    units = OrgUnit.objects.filter(is_active=True, level__in=DISPATCHABLE_LEVELS).filter(
        Q(level__in=TERRITORIAL_LEVELS, path__in=[*place.ancestor_paths, place.path])
        | ~Q(level__in=TERRITORIAL_LEVELS)
    )
    paths = dispatch_paths(user)
    if paths is None:
        return units
    return units.within_paths(paths)
