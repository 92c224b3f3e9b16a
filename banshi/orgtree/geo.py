"""Which Changsha district a WGS84 point lies in, from the shipped district outlines."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

OUTLINES = Path(__file__).resolve().parent / "data" / "changsha_districts.geojson"


@lru_cache(maxsize=1)
def district_outlines() -> list[
    tuple[str, list[list[list[float]]], tuple[float, float, float, float]]
]:
    """Every district polygon as (6-digit code, rings as [lon, lat] lists with the outer ring
    first, bounding box (min lon, min lat, max lon, max lat)); a district of several parts
    appears once per part."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    result = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            ring = polygon[0]
            xs = [p[0] for p in ring]
            ys = [p[1] for p in ring]
            result.append(
                (feature["properties"]["code"], polygon, (min(xs), min(ys), max(xs), max(ys)))
            )
    return result


def _inside(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def district_code_at(lon: float, lat: float) -> str | None:
    """The 6-digit code of the district containing the point, or None outside Changsha."""
    for code, polygon, (x0, y0, x1, y1) in district_outlines():
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        if _inside(lon, lat, polygon[0]) and not any(
            _inside(lon, lat, hole) for hole in polygon[1:]
        ):
            return code
    return None
