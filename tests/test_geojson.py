"""The GeoJSON of the län, read back by shapely, geojson-pydantic and GDAL/OGR (pyogrio), and
its packaged outlines held to the SVG map's."""

import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import INTEROP

pytest.importorskip("numpy", reason=f"numpy {INTEROP}")
pytest.importorskip("pyogrio", reason=f"pyogrio {INTEROP}")
pytest.importorskip("pyproj", reason=f"pyproj {INTEROP}")
pytest.importorskip("shapely", reason=f"shapely {INTEROP}")
pytest.importorskip("geojson_pydantic", reason=f"geojson_pydantic {INTEROP}")

import numpy as np
import pyogrio.raw
import pyproj
import shapely
from geojson_pydantic import Feature, FeatureCollection, MultiPolygon
from shapely.geometry import shape

from s3pilot_cli import registry
from s3pilot_cli.errors import RegistryError
from s3pilot_cli.formats.geojson import render
from s3pilot_cli.licences import DATA_LICENCE
from s3pilot_cli.lookup import find_regions
from s3pilot_cli.model import Registry
from tests.conftest import BUNDLED, MINIMAL, ROOT, Cli

MAP_OUTLINES = ROOT / "s3pilot_cli" / "outlines.json"
WGS84_OUTLINES = ROOT / "s3pilot_cli" / "outlines_wgs84.json"

# From the registry file itself, not from s3pilot's reading of it.
TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))


def clusters_of(*codes: str) -> list[str]:
    return [c["id"] for c in TOML["clusters"] if c["region"] in codes]


LAN_OF_REGION = {region["code"]: region["lan_code"] for region in TOML["regions"]}
CLUSTERS_OF_LAN = Counter(LAN_OF_REGION[cluster["region"]] for cluster in TOML["clusters"])

# Sweden's extreme points: Smygehuk 55° 20' N, Treriksröset 69° 04' N, the Koster islands
# 10° 58' E, Kataja (Haparanda) 24° 10' E; padded by the simplification's 1.2 km.
SWEDEN = shapely.box(10.9, 55.3, 24.2, 69.1)


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render(registry.read(BUNDLED)))
    return document


def geometries(document: dict[str, Any]) -> dict[str, shapely.Geometry]:
    return {f["properties"]["lan_code"]: shape(f["geometry"]) for f in document["features"]}


# --- The packaged outlines -------------------------------------------------------------------


def test_the_wgs84_outlines_are_the_maps_reprojected_ring_for_ring() -> None:
    """Same län, same rings in the same order, same vertices: each SWEREF 99 TM vertex of the
    map, projected by PROJ, is within 1e-5° of the GeoJSON's (which rounds to 5 decimals)."""
    svg = json.loads(MAP_OUTLINES.read_text(encoding="utf-8"))
    wgs84 = json.loads(WGS84_OUTLINES.read_text(encoding="utf-8"))
    features = {f["properties"]["lan_code"]: f for f in wgs84["features"]}
    assert sorted(features) == sorted(svg["lan"])
    to_degrees = pyproj.Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    for code, entry in svg["lan"].items():
        rings = [ring for part in features[code]["geometry"]["coordinates"] for ring in part]
        assert len(rings) == len(entry["rings"]), code
        for flat, ring in zip(entry["rings"], rings, strict=True):
            xy = np.array(flat, dtype=float).reshape(-1, 2) * svg["unit_m"]
            expected = np.column_stack(to_degrees.transform(xy[:, 0], xy[:, 1]))
            got = np.array(ring)
            assert (got[0] == got[-1]).all(), f"{code}: a ring is not closed"
            got = got[:-1]
            assert len(got) == len(expected), code
            if np.abs(got - expected).max() > 1e-5:  # the same ring, the other way round
                got = np.concatenate([got[:1], got[:0:-1]])
            assert np.abs(got - expected).max() <= 1e-5, code


def test_the_wgs84_outlines_are_canonical_rounded_and_name_their_source() -> None:
    text = WGS84_OUTLINES.read_text(encoding="utf-8")
    assert len(text.encode()) <= 70_000
    document = json.loads(text)
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert text == canonical + "\n"
    decimals = re.findall(r"-?\d+\.(\d+)", re.sub(r'"[^"]*"', "", text))
    assert decimals
    assert max(len(d) for d in decimals) == 5
    assert "Statistics Sweden" in document["source"]
    assert document["licence"].startswith("CC0")


# --- RFC 7946, read by shapely ---------------------------------------------------------------


def test_every_lan_is_a_valid_polygon_inside_sweden(bundled: dict[str, Any]) -> None:
    polygons = geometries(bundled)
    assert sorted(polygons) == sorted(LAN_OF_REGION.values())
    for code, polygon in polygons.items():
        assert polygon.geom_type == "MultiPolygon", code
        assert polygon.is_valid, f"{code}: {shapely.is_valid_reason(polygon)}"
        assert SWEDEN.contains(polygon), code
    # Shared borders stay shared: no overlap, and Värmland and Dalarna meet along a line.
    assert shapely.coverage_is_valid(np.array(list(polygons.values())))
    border = shapely.intersection(polygons["17"], polygons["20"])
    assert border.length > 1.0  # degrees: about 150 km
    assert shapely.area(border) == 0


def test_the_coordinates_are_longitude_then_latitude(bundled: dict[str, Any]) -> None:
    """Malmö (55° 36' N 13° 00' E) is on Skåne's coast; Kiruna (67° 51' N 20° 13' E) is in
    Norrbotten, not Västerbotten."""
    polygons = geometries(bundled)
    assert polygons["12"].distance(shapely.Point(13.0, 55.6)) < 0.05
    kiruna = shapely.Point(20.22, 67.85)
    assert polygons["25"].contains(kiruna)
    assert not polygons["24"].contains(kiruna)


def test_exterior_rings_run_counter_clockwise_and_holes_clockwise(
    bundled: dict[str, Any],
) -> None:
    holes = 0
    for feature in bundled["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            assert shapely.LinearRing(polygon[0]).is_ccw, feature["properties"]["lan_code"]
            for hole in polygon[1:]:
                assert not shapely.LinearRing(hole).is_ccw
                holes += 1
    assert holes > 0  # Vänern, Vättern, Siljan, Storsjön...: the rule is tested on real holes


def test_there_is_no_crs_member_and_the_top_level_names_licence_and_sources(
    bundled: dict[str, Any],
) -> None:
    assert bundled["type"] == "FeatureCollection"
    assert "crs" not in bundled
    assert bundled["license"] == {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": DATA_LICENCE.title,
    }
    assert bundled["date"] == TOML["program"]["checked"]
    paths = [source.get("path") for source in bundled["sources"]]
    assert TOML["program"]["source_url"] in paths
    assert any("Statistics Sweden" in source["title"] for source in bundled["sources"])


def test_a_geojson_validator_accepts_it(bundled: dict[str, Any]) -> None:
    model = FeatureCollection[Feature[MultiPolygon, dict[str, Any]]]
    collection = model.model_validate(bundled)
    assert len(collection.features) == 21


def test_gdal_reads_the_features_and_their_properties(tmp_path: Path) -> None:
    path = tmp_path / "lan.geojson"
    path.write_text(render(registry.read(BUNDLED)), encoding="utf-8")
    info = pyogrio.read_info(path)
    assert info["features"] == 21
    assert info["geometry_type"] == "MultiPolygon"
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84")
    meta, _, _, columns = pyogrio.raw.read(path)
    fields = list(meta["fields"])
    values = dict(zip(fields, columns, strict=True))
    assert list(values["lan_code"])[:2] == ["01", "03"]  # text, with its zero
    assert sum(int(n) for n in values["clusters"]) == 22


# --- The properties --------------------------------------------------------------------------


def test_each_lan_carries_its_codes_and_its_clusters(bundled: dict[str, Any]) -> None:
    by_lan = {f["properties"]["lan_code"]: f["properties"] for f in bundled["features"]}
    for region in TOML["regions"]:
        properties = by_lan[region["lan_code"]]
        assert properties["code"] == region["code"]
        assert properties["name"] == region["name"]
        assert properties["county"] == region["county"]
        members = [c for c in TOML["clusters"] if c["region"] == region["code"]]
        assert properties["clusters"] == len(members) == CLUSTERS_OF_LAN[region["lan_code"]]
        assert properties["cluster_ids"] == [c["id"] for c in members]
        assert properties["cluster_names"] == [c["name"] for c in members]
    assert by_lan["17"]["cluster_names"] == ["Compare", "Paper Province"]
    assert by_lan["01"]["code"] == "SE-AB"


def test_the_properties_are_the_regions_json_records_and_the_clusters(
    bundled: dict[str, Any], cli: Cli
) -> None:
    """The contract: `regions --format json`'s fields, then cluster_ids and cluster_names."""
    records = json.loads(cli("--registry", str(BUNDLED), "regions", "--format", "json").stdout)
    by_lan = {f["properties"]["lan_code"]: f["properties"] for f in bundled["features"]}
    for record in records:
        properties = by_lan[record["lan_code"]]
        assert list(properties) == [
            *record,
            *("cluster_ids", "cluster_names", "cluster_focus", "cluster_focus_sv"),
        ]
        assert {k: properties[k] for k in record} == record


def test_region_keeps_those_lan(bundled: dict[str, Any]) -> None:
    loaded = registry.read(BUNDLED)
    keep = find_regions(loaded, ["Värmland", "Uppsala"])
    codes = {region.code for region in keep}
    chosen = Registry(
        loaded.program,
        loaded.contacts,
        loaded.regions,
        tuple(c for c in loaded.clusters if c.region in codes),
    )
    document = json.loads(render(chosen, keep))
    by_lan = {f["properties"]["lan_code"]: f for f in document["features"]}
    assert sorted(by_lan) == ["03", "17"]
    assert by_lan["03"]["properties"]["clusters"] == 0  # Uppsala has none
    assert by_lan["17"]["properties"]["cluster_ids"] == ["compare", "paper-province"]
    whole = {f["properties"]["lan_code"]: f for f in bundled["features"]}
    assert by_lan["17"]["geometry"] == whole["17"]["geometry"]


def test_a_lan_the_registry_does_not_list_keeps_its_outline() -> None:
    document = json.loads(render(registry.read(MINIMAL)))
    by_lan = {f["properties"]["lan_code"]: f["properties"] for f in document["features"]}
    assert len(by_lan) == 21
    assert by_lan["01"]["code"] is None
    assert by_lan["01"]["county"] == "Stockholms län"
    assert by_lan["01"]["cluster_ids"] == []
    assert by_lan["17"]["clusters"] == 2


def test_a_region_without_an_outline_is_a_registry_error(tmp_path: Path) -> None:
    path = tmp_path / "clusters.toml"
    text = MINIMAL.read_text(encoding="utf-8").replace('lan_code = "03"', 'lan_code = "26"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=r"no outline for Uppsala \(SE-C, lan_code '26'\)"):
        render(registry.read(path), origin=str(path))


def test_the_same_registry_gives_the_same_text() -> None:
    assert render(registry.read(BUNDLED)) == render(registry.read(BUNDLED))


def test_no_geo_library_nor_the_map_is_imported_at_run_time() -> None:
    code = (
        "import sys; from s3pilot_cli import registry;"
        " from s3pilot_cli.formats.geojson import render;"
        "render(registry.read(registry.bundled_path()));"
        "print(sorted(m for m in ('pyproj', 'shapely', 'numpy', 's3pilot_cli.svgmap',"
        " 's3pilot_cli.map_labels') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout == "[]\n"


def features(text: str) -> dict[str, dict[str, Any]]:
    """The collection's features by länskod, once geojson-pydantic has found it valid."""
    FeatureCollection.model_validate_json(text)
    document = json.loads(text)
    return {f["properties"]["lan_code"]: f for f in document["features"]}


def test_geojson_on_stdout_is_every_lan_valid_and_in_sweden(cli: Cli) -> None:
    text = cli("export", "--format", "geojson").stdout
    by_lan = features(text)
    assert sorted(by_lan) == sorted(region["lan_code"] for region in TOML["regions"])
    for code, feature in by_lan.items():
        polygon = shape(feature["geometry"])
        assert polygon.is_valid, code
        assert SWEDEN.contains(polygon), code
    counts = {code: f["properties"]["clusters"] for code, f in by_lan.items()}
    assert sum(counts.values()) == len(TOML["clusters"])
    assert json.loads(text)["license"]["name"] == DATA_LICENCE.name


def test_a_geojson_file_name_chooses_it_and_holds_what_stdout_gets(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "karta.geojson"
    run = cli("export", "-o", str(target))
    assert (run.stdout, run.stderr) == ("", "")
    assert target.read_text(encoding="utf-8") == cli("export", "--format", "geojson").stdout


def test_export_region_keeps_those_lan(cli: Cli) -> None:
    run = cli("export", "--format", "geojson", "--region", "Värmland,Uppsala")
    by_lan = features(run.stdout)
    lan = {r["name"]: r["lan_code"] for r in TOML["regions"]}
    assert sorted(by_lan) == sorted([lan["Värmland"], lan["Uppsala"]])
    assert by_lan[lan["Värmland"]]["properties"]["cluster_ids"] == clusters_of("SE-S")
    # Uppsala has no cluster in the registry, and is kept all the same.
    assert by_lan[lan["Uppsala"]]["properties"]["cluster_ids"] == clusters_of("SE-C") == []


def test_a_region_without_an_outline_names_the_file_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "mine.toml"
    text = MINIMAL.read_text(encoding="utf-8").replace('lan_code = "03"', 'lan_code = "26"')
    path.write_text(text, encoding="utf-8")
    target = tmp_path / "karta.geojson"
    run = cli("--registry", str(path), "export", "-o", str(target), exit_code=4)
    assert run.stdout == ""
    assert run.stderr.startswith(f"s3pilot: error: {path}: GeoJSON has no outline for Uppsala")
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def test_the_geojson_properties_are_those_of_the_contract(cli: Cli) -> None:
    regions = json.loads(cli("regions", "--format", "json").stdout)
    for feature in json.loads(cli("export", "--format", "geojson").stdout)["features"]:
        assert list(feature["properties"]) == [
            *regions[0],
            *("cluster_ids", "cluster_names", "cluster_focus", "cluster_focus_sv"),
        ]
