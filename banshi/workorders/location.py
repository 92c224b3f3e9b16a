"""Resolving where a request is: an org unit (community or street) from what the caller gave.

In order: a unit the caller or operator chose; the longest community or street name found in
the address text (within the district the point falls in, when there is a point); the district the
point falls in; else the city. The result is always a unit, so every request has a place in the
tree and therefore a scope.

Intake is the hottest path in the system, so the units it can resolve to (streets, communities,
districts, the city: a few thousand rows) are held per process for a few minutes rather than
queried per request; a renamed or new community is picked up after that.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from banshi.orgtree.choices import Level
from banshi.orgtree.geo import district_code_at
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import units_of_levels

CITY_CODE = "4301"
CACHE_SECONDS = 300


@dataclass
class _Places:
    at: float = -CACHE_SECONDS
    named: list[tuple[str, OrgUnit]] = field(default_factory=list)  # longest names first
    by_code: dict[str, OrgUnit] = field(default_factory=dict)
    city: OrgUnit | None = None


_places = _Places()


def _load() -> _Places:
    global _places
    if time.monotonic() - _places.at <= CACHE_SECONDS:
        return _places
    units = list(units_of_levels([Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY]))
    places = _Places(at=time.monotonic())
    places.named = sorted(
        (
            (u.name, u)
            for u in units
            if u.level in (Level.STREET, Level.COMMUNITY) and len(u.name) >= 3
        ),
        key=lambda row: -len(row[0]),
    )
    places.by_code = {u.code: u for u in units if u.code}
    cities = sorted((u for u in units if u.level == Level.CITY), key=lambda u: u.pk)
    places.city = places.by_code.get(CITY_CODE) or (cities[0] if cities else None)
    _places = places
    return places


def _longest_matches(places: _Places, address: str) -> list[OrgUnit]:
    """The places whose name is the longest one found in the address (several when two
    communities in different districts share that name)."""
    found: list[OrgUnit] = []
    length = 0
    for name, unit in places.named:
        if len(name) < length:
            break
        if name in address:
            found.append(unit)
            length = len(name)
    return found


def forget_cache() -> None:
    _places.at = -CACHE_SECONDS


def resolve_unit(
    *,
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
    chosen: OrgUnit | None = None,
) -> OrgUnit:
    if chosen is not None:
        return chosen
    places = _load()
    # The address names the place in most requests; the point-in-polygon test (the costlier
    # step) is only needed when no name, or more than one same-named place, matches.
    matches = _longest_matches(places, address) if address else []
    if len(matches) == 1:
        return matches[0]
    district = None
    if lon is not None and lat is not None:
        code = district_code_at(lon, lat)
        if code:
            district = places.by_code.get(code)
    if district is not None:
        inside = [u for u in matches if u.path.startswith(district.path)]
        if inside:
            return inside[0]
        if address:
            for name, unit in places.named:
                if name in address and unit.path.startswith(district.path):
                    return unit
        return district
    if matches:
        return matches[0]
    if places.city is None:
        raise OrgUnit.DoesNotExist("组织架构中没有城市节点，请先导入区划")
    return places.city
