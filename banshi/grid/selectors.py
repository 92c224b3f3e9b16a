"""Reads of the household register."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from banshi.core.errors import NotFound
from banshi.core.validation import parse_id
from banshi.grid.models import Household, Resident
from banshi.orgtree.models import OrgUnit


def households_under(actor: Any, unit: OrgUnit) -> QuerySet[Household]:
    return (
        Household.objects.for_user(actor, "household.view")
        .filter(org_unit__path__startswith=unit.path)
        .select_related("org_unit")
        .prefetch_related(Prefetch("residents", queryset=Resident.objects.order_by("id")))
        .order_by("org_unit__path")
    )


def get_resident(actor: Any, resident_id: object) -> Resident:
    """A resident of a household the actor may read, else NotFound: ``pii.view`` alone (a
    dispatcher's, for callers) does not open the register."""
    pk = parse_id(resident_id, field="居民编号")
    resident = (
        Resident.objects.for_user(actor, "household.view")
        .select_related("household__org_unit")
        .filter(pk=pk)
        .first()
    )
    if resident is None:
        raise NotFound()
    return resident
