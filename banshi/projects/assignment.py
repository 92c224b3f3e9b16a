"""Who work at a place may be given to: a project's 牵头单位 and 配合单位, a 现场办公 decision, a
整改 item. One rule, the request pages' routing rule (``workorders.routing``): the units that
serve the place. A district's 联点 leader can give a decision to 长沙水业集团, which serves the
whole city, as well as to the district's own streets; not to a sibling district's units.

Who may *read* the work afterwards is unchanged: the owner unit sees its items
(``SupervisedItem`` is scoped by its owner unit), the project's units see the project.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from banshi.core.errors import ValidationFailed
from banshi.orgtree.models import OrgUnit
from banshi.workorders.routing import serving_units


def assignable_units(place: OrgUnit, extra: Sequence[OrgUnit] = ()) -> QuerySet[OrgUnit]:
    """The units work at ``place`` may be given to, plus ``extra`` (a project's own units for
    its 整改 items, whatever their place)."""
    serving = serving_units(place)
    if not extra:
        return serving
    # Unscoped: who may be given work follows the routing rule, not the asker's sight.
    return OrgUnit.objects.unscoped().filter(
        Q(pk__in=serving.values("pk")) | Q(pk__in=[u.pk for u in extra])
    )


def check_assignable(
    units: Sequence[OrgUnit],
    place: OrgUnit,
    *,
    labels: Sequence[str],
    extra: Sequence[OrgUnit] = (),
) -> None:
    """Refuse, naming the field, the first unit that may not be given work at ``place``."""
    allowed = set(
        assignable_units(place, extra)
        .filter(pk__in=[u.pk for u in units])
        .values_list("pk", flat=True)
    )
    for unit, label in zip(units, labels, strict=True):
        if unit.pk not in allowed:
            raise ValidationFailed(
                f"{label}「{unit.name}」不负责{place.name}的工作，不能交办",
                code="unit_out_of_place",
            )
