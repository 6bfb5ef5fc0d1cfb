"""Sweden's län as GeoJSON (RFC 7946): one feature a län, with its clusters as properties.

`export --format geojson` (or `-o NAME.geojson`) writes it, by `write_geojson`.

For GIS and web maps (QGIS, Leaflet, geojson.io, DuckDB spatial): the shapes, and the counts
to style them by. The outlines are the map's, projected once to longitude/latitude by
`scripts/make_outlines.py` (which names their source and licence, and the rounding) and read by
`outlines.py`; so no geo library is needed here, only json.

The län are the features, not the clusters as points: the registry has no sourced coordinates
for the clusters' places, only their names.

Each feature's properties are the län's record as `regions --format json` gives it (`code` is
the ISO 3166-2 code, `lan_code` the länskod as text, `clusters` their number, `wikidata` its
item, `s3_areas` its strategy's areas) and then `cluster_ids`, `cluster_names`,
`cluster_focus` and `cluster_focus_sv` (null where the registry has none), in registry order.
A län the registry does not list keeps its outline, `lan_code` and `county`; its other fields
are null and it has no clusters. The
collection's top level carries, as foreign members, the title, the date of the data, its
licence and its sources.
"""

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any, TextIO

from s3pilot_cli.formats import Context
from s3pilot_cli.licences import DATA_LICENCE, programme_source
from s3pilot_cli.model import Cluster, Region, Registry
from s3pilot_cli.outlines import OUTLINES_WGS84_PATH, check_outlines, load_features
from s3pilot_cli.records import regions as region_records


def render(
    registry: Registry,
    keep: Collection[Region] | None = None,
    *,
    outlines_path: Path = OUTLINES_WGS84_PATH,
    origin: str = "the registry",
) -> str:
    """The FeatureCollection as text: every län, or only those of the regions in `keep`.

    `registry` holds the clusters to show (those of `--region`, if it was given); `origin`
    names the registry in an error message.
    """
    outlines = load_features(outlines_path)
    geometries = {f["properties"]["lan_code"]: f for f in outlines["features"]}
    check_outlines(registry, geometries, origin, drawing="GeoJSON")
    kept = None if keep is None else {region.lan_code for region in keep}
    records = region_records(registry)
    by_lan = {record["lan_code"]: record for record in records.objects()}
    features = []
    for code, outline in sorted(geometries.items()):
        if kept is not None and code not in kept:
            continue
        properties: dict[str, Any] = by_lan.get(code) or {
            **dict.fromkeys(records.fields),
            "lan_code": code,
            "county": outline["properties"]["name"],
            "clusters": 0,
        }
        members = registry.clusters_in(properties["code"]) if properties["code"] else ()
        properties |= _cluster_lists(members)
        features.append(
            {"type": "Feature", "properties": properties, "geometry": outline["geometry"]}
        )
    program = registry.program
    collection = {
        "type": "FeatureCollection",
        "name": "s3pilot_lan",  # GDAL/OGR's name for the layer
        "title": f"{program.name}: clusters by län",
        "date": program.checked,
        "license": DATA_LICENCE.described(),
        "sources": [
            programme_source(program),
            {"title": outlines["credit"], "license": outlines["licence"]},
        ],
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


# The properties a feature lists its clusters by, and what each takes of a cluster.
_CLUSTER_LISTS = {"cluster_ids": "id", "cluster_names": "name"}
_CLUSTER_LISTS |= {"cluster_focus": "focus", "cluster_focus_sv": "focus_sv"}


def _cluster_lists(members: Collection[Cluster]) -> dict[str, list[str | None]]:
    """Each of `_CLUSTER_LISTS`: the clusters' values, in registry order."""
    return {
        name: [getattr(cluster, field) for cluster in members]
        for name, field in _CLUSTER_LISTS.items()
    }


def write_geojson(out: TextIO, registry: Registry, context: Context) -> None:
    """The export's writer: `render` to `out`, the län of the regions --region named."""
    out.write(render(registry, context.keep, origin=context.origin))
