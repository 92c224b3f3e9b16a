"""Which units may be given work located at a place: the one routing rule, used by the request
pages (the dispatcher's quick picks) and by the 实事项目 ledger (who a project, a 现场办公
decision or a 整改 item may be given to).

A unit can take work at all when its level is dispatchable (``DISPATCHABLE_LEVELS``: territorial
units from the district down, functional units, parks, stationed units). Of those, a place — a
community, a street, a district — is served by:

- the units on its own chain up the tree (its community, street and district) and the units
  below it;
- the functional units attached to that chain, with the units under them: 市城管局 and
  长沙水业集团 sit under 长沙市 and serve every district and street of the city (and 长沙供水有限公司
  under the water group with them); a district's own bureaux serve that district's streets.

A sibling district, its streets and its bureaux do not serve the place, and neither do parks or
stationed units elsewhere.

The request pages and the dispatch assistant (``insight``) also ask who may *send* work there:
``receivers(user, place)`` and ``may_receive`` add the dispatcher's own ``workorder.dispatch``
subtree to the rule. The dispatch service itself enforces only that the unit can lead at all
(``may_lead``) and the dispatcher's scope, so a dispatcher may still correct a wrong location by
hand.
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
DISPATCH_ACTION = "workorder.dispatch"


def may_lead(unit: OrgUnit) -> bool:
    """Whether a unit of this level can lead (主办) or co-handle (协办) a request at all."""
    return unit.level in DISPATCHABLE_LEVELS


def serving_units(place: OrgUnit, *, below: bool = True) -> QuerySet[OrgUnit]:
    """The active units that may be given work at ``place`` (see the module's rule). With
    ``below=False`` the units under the place are left out: its chain and the bureaux only."""
    chain = [*place.ancestor_paths, place.path]
    # Unscoped, like the result below: who serves a place is the routing rule, the same for
    # every asker; the asker's own reach is applied by ``receivers`` and ``may_receive``.
    bureaux = (
        OrgUnit.objects.unscoped()
        .filter(level=Level.FUNCTIONAL, parent__path__in=chain, is_active=True)
        .values_list("path", flat=True)
    )
    condition = Q(path__in=chain)
    if below:
        condition |= Q(path__startswith=place.path)
    for path in bureaux:
        condition |= Q(path__startswith=path)
    # Unscoped: the routing rule (see above).
    return OrgUnit.objects.unscoped().filter(
        condition, level__in=DISPATCHABLE_LEVELS, is_active=True
    )


def serves(unit: OrgUnit, place: OrgUnit) -> bool:
    return serving_units(place).filter(pk=unit.pk).exists()


def dispatch_paths(user: Any) -> list[str] | None:
    """The subtrees ``user`` may dispatch into; ``None`` for everywhere. ``user=None`` is the
    system (commands, jobs)."""
    if user is None:
        return None
    return scope_paths(user, DISPATCH_ACTION)


def may_receive(
    unit: OrgUnit, place: OrgUnit, paths: list[str] | None, serving: set[int] | None = None
) -> bool:
    """The whole rule for one unit, with the dispatcher's granted subtree paths already resolved
    (``None`` means everywhere: a superuser, or the system acting for itself). ``serving``: the
    pks of ``serving_units(place)`` when the caller asks about many units at one place."""
    if not unit.is_active or not may_lead(unit):
        return False
    if not (unit.pk in serving if serving is not None else serves(unit, place)):
        return False
    return paths is None or any(unit.path.startswith(p) for p in paths)


def receivers(user: Any, place: OrgUnit) -> QuerySet[OrgUnit]:
    """The units ``user`` may send a request located at ``place`` to: its chain and the bureaux
    serving it, within the dispatcher's subtree."""
    units = serving_units(place, below=False)
    paths = dispatch_paths(user)
    if paths is None:
        return units
    return units.filter(pk__in=OrgUnit.objects.within_paths(paths).values("pk"))
