"""Recounting the stored figures of micro-grids (``GridTally``).

Each grid service calls ``tally_refresh`` for the grids it touched, inside its own transaction.
The recount first locks the grid's tally row (``select_for_update``), so two writers to one grid
recount one after the other: under PostgreSQL's READ COMMITTED the second one's count, a new
statement after the first committed, sees both changes. (SQLite runs one writer at a time.)

What changes with time alone — a link that starts or ends today, a visit that falls out of its
interval — is recounted by the ``grid.tally`` job once a day, which also fills tallies for grids
that have none yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from banshi.grid.models import GridTally, Household, HouseholdLink
from banshi.grid.selectors import active_links, visited_in_time


def count_grids(
    grid_ids: Iterable[int] | None, now: datetime.datetime
) -> dict[int, tuple[int, int, int]]:
    """(households, linked, visited in time) per grid, live from the register: one grouped
    query (``None``: every grid)."""
    today = timezone.localdate(now)
    # Correlated to the households counted below: every open link of those.
    linked = HouseholdLink.objects.unscoped().filter(active_links(today), household=OuterRef("pk"))
    # The system's count of the whole register (or of the grids named): no viewer, no scope.
    households = Household.objects.unscoped().filter(archived_at=None)
    if grid_ids is not None:
        households = households.filter(grid_id__in=list(grid_ids))
    rows = (
        households.values("grid_id")
        .annotate(
            total=Count("id"),
            linked=Count("id", filter=Q(Exists(linked))),
            visited=Count("id", filter=visited_in_time(now)),
        )
        .order_by()
    )
    return {r["grid_id"]: (r["total"], r["linked"], r["visited"]) for r in rows}


@transaction.atomic
def tally_refresh(
    grid_ids: Iterable[int] | None = None, *, now: datetime.datetime | None = None
) -> int:
    """Recount the named grids (``None``: every grid with households or a tally); returns how
    many tallies were written."""
    now = now or timezone.now()
    if grid_ids is not None:
        ids = sorted({int(i) for i in grid_ids if i})
        if not ids:
            return 0
        for grid_id in ids:
            GridTally.objects.get_or_create(grid_id=grid_id, defaults={"refreshed_at": now})
        # Lock in id order, so two writers touching the same two grids cannot deadlock.
        list(GridTally.objects.select_for_update().filter(grid_id__in=ids).order_by("grid_id"))
        counts = count_grids(ids, now)
    else:
        counts = count_grids(None, now)
        # The system's recount: grids that lost their last household keep a zero row.
        ids = sorted(set(counts) | set(GridTally.objects.values_list("grid_id", flat=True)))
        for grid_id in set(counts) - set(GridTally.objects.values_list("grid_id", flat=True)):
            GridTally.objects.get_or_create(grid_id=grid_id, defaults={"refreshed_at": now})
    for grid_id in ids:
        households, linked, visited = counts.get(grid_id, (0, 0, 0))
        GridTally.objects.filter(grid_id=grid_id).update(
            households=households, linked=linked, visited=visited, refreshed_at=now
        )
    return len(ids)


def tally_job(now: datetime.datetime) -> int:
    """Once a day (the first tick after local midnight, or when a grid has no tally yet)."""
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # Deciding whether the day's recount is due looks at every tally: the job acts for the system.
    stale = GridTally.objects.unscoped().filter(refreshed_at__lt=start_of_day).exists()
    # The same: does any grid with households still lack a tally?
    missing = (
        Household.objects.unscoped()
        .filter(archived_at=None)
        .exclude(grid__grid_tally__isnull=False)
        .exists()
    )
    if not (stale or missing):
        return 0
    return tally_refresh(None, now=now)
