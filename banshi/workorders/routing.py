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
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit

DISPATCHABLE_LEVELS = {
    Level.DISTRICT,
    Level.STREET,
    Level.COMMUNITY,
    Level.FUNCTIONAL,
    Level.PARK,
    Level.STATIONED,
}


def serving_units(place: OrgUnit, *, below: bool = True) -> QuerySet[OrgUnit]:
    """The active units that may be given work at ``place`` (see the module's rule). With
    ``below=False`` the units under the place are left out: its chain and the bureaux only."""
    chain = [*place.ancestor_paths, place.path]
    bureaux = OrgUnit.objects.filter(
        level=Level.FUNCTIONAL, parent__path__in=chain, is_active=True
    ).values_list("path", flat=True)
    condition = Q(path__in=chain)
    if below:
        condition |= Q(path__startswith=place.path)
    for path in bureaux:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.unscoped().filter(
        condition, level__in=DISPATCHABLE_LEVELS, is_active=True
    )


def serves(unit: OrgUnit, place: OrgUnit) -> bool:
    return serving_units(place).filter(pk=unit.pk).exists()
