"""Resolving where a request is: an org unit (community or street) from what the caller gave.

In order: a unit the caller or operator chose; the longest community or street name found in
the address text (within the district the point falls in, when there is a point); the district the
point falls in; else the city. The result is always a unit, so every request has a place in the
tree and therefore a scope.
"""

from __future__ import annotations

import time

from banshi.orgtree.choices import Level
from banshi.orgtree.geo import district_code_at
from banshi.orgtree.models import OrgUnit

CITY_CODE = "4301"


CACHE_SECONDS = 300
_cache: dict[str, object] = {"at": -CACHE_SECONDS, "rows": ()}


def _named_units() -> tuple[tuple[str, int, str], ...]:
    """(name, id, path) of streets and communities, longest names first; cached per process for
    a few minutes, so a renamed or new community is picked up without a restart."""
    if time.monotonic() - float(_cache["at"]) > CACHE_SECONDS:  # type: ignore[arg-type]
        rows = OrgUnit.objects.filter(level__in=[Level.STREET, Level.COMMUNITY]).values_list(
            "name", "pk", "path"
        )
        _cache["rows"] = tuple(
            sorted(((n, pk, p) for n, pk, p in rows if len(n) >= 3), key=lambda r: -len(r[0]))
        )
        _cache["at"] = time.monotonic()
    return _cache["rows"]  # type: ignore[return-value]


def forget_cache() -> None:
    _cache["at"] = -CACHE_SECONDS


def resolve_unit(
    *,
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
    chosen: OrgUnit | None = None,
) -> OrgUnit:
    if chosen is not None:
        return chosen
    district = None
    if lon is not None and lat is not None:
        code = district_code_at(lon, lat)
        if code:
            district = OrgUnit.objects.filter(code=code).first()
    if address:
        for name, pk, path in _named_units():
            if name in address and (district is None or path.startswith(district.path)):
                unit = OrgUnit.objects.filter(pk=pk).first()
                if unit is not None:
                    return unit
    if district is not None:
        return district
    city = OrgUnit.objects.filter(code=CITY_CODE).first()
    if city is None:
        city = OrgUnit.objects.filter(level=Level.CITY).order_by("pk").first()
    if city is None:
        raise OrgUnit.DoesNotExist("组织架构中没有城市节点，请先导入区划")
    return city
