"""Coordinates: WGS84 is stored; GCJ-02 (高德、腾讯) and BD-09 (百度) points from Chinese map SDKs are
converted on the way in. The inverse transforms are iterative, accurate to well under a metre."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from banshi.core.errors import ValidationFailed

_A = 6378245.0
_EE = 0.00669342162296594323
# A generous box around the People's Republic; the GCJ-02 offset applies only inside it.
CHINA_LAT = (3.8, 53.6)
CHINA_LON = (73.4, 135.1)


def in_china(lon: float, lat: float) -> bool:
    return CHINA_LON[0] <= lon <= CHINA_LON[1] and CHINA_LAT[0] <= lat <= CHINA_LAT[1]


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if not in_china(lon, lat):
        return lon, lat
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert by fixed-point iteration: find the WGS84 point whose GCJ-02 image is the input."""
    x, y = lon, lat
    for _ in range(30):
        gx, gy = wgs84_to_gcj02(x, y)
        dx, dy = gx - lon, gy - lat
        x, y = x - dx, y - dy
        if abs(dx) < 1e-9 and abs(dy) < 1e-9:
            break
    return x, y


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    x_pi = math.pi * 3000.0 / 180.0
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * x_pi)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * x_pi)
    return z * math.cos(theta), z * math.sin(theta)


def to_wgs84(lon: float, lat: float, system: str) -> tuple[float, float]:
    system = (system or "wgs84").lower()
    if system == "wgs84":
        return lon, lat
    if system == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if system == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    raise ValidationFailed("坐标系只能是 wgs84、gcj02 或 bd09", code="invalid_coordinate_system")


def parse_point(
    lat: object, lon: object, *, system: str = "wgs84", require_china: bool = True
) -> tuple[Decimal, Decimal] | None:
    """Validate a latitude/longitude pair (both or neither) and return WGS84 decimals."""
    if lat in (None, "") and lon in (None, ""):
        return None
    if lat in (None, "") or lon in (None, ""):
        raise ValidationFailed("经度和纬度须同时提供", code="invalid_location")
    try:
        flat, flon = float(str(lat)), float(str(lon))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("经纬度必须是数字", code="invalid_location") from exc
    if (
        not (math.isfinite(flat) and math.isfinite(flon))
        or not (-90 <= flat <= 90)
        or not (-180 <= flon <= 180)
    ):
        raise ValidationFailed("经纬度超出有效范围", code="invalid_location")
    flon, flat = to_wgs84(flon, flat, system)
    if require_china and not in_china(flon, flat):
        raise ValidationFailed("位置不在中国境内，请核对经纬度", code="location_outside_china")
    try:
        return Decimal(f"{flat:.6f}"), Decimal(f"{flon:.6f}")
    except InvalidOperation as exc:  # pragma: no cover - finite floats always format
        raise ValidationFailed("经纬度格式不正确", code="invalid_location") from exc


EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points (haversine): a geofence check,
    accurate to well under a metre at the few hundred metres it is used for."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
