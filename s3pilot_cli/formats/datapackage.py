"""A Frictionless Data Package: the registry's tables as CSV, described by `datapackage.json`.

`export --format datapackage -o NAME.zip` (or any `-o NAME.zip`) writes it, by
`write_datapackage`.

For open-data portals and pipelines (dataportal.se, data.europa.eu, CKAN, Zenodo): each table
with a Table Schema (types, formats, patterns, keys), and the package with its title, source,
date and licence (Data Package v1, `tabular-data-package`, which the current readers all take).

The package is one .zip file, `datapackage.json` at its root beside the CSV files, not a folder:
- one file can replace the old one atomically, as every file export does (`output.py`: built
  beside the target and renamed over it). A folder cannot: rename(2) will not replace a full
  folder, and two renames leave a moment with neither, or half of each;
- a portal takes one file as one upload, and `frictionless validate s3pilot.zip` reads it as
  it is.
The archive's entries carry a fixed date, so the same registry gives the same bytes.

The CSV files are written by the csv writer of `export --format csv`, from the same records
(`records.py`): clusters.csv is what `export --format csv` prints, regions.csv and contacts.csv
what `regions` and `contacts` print with `--format csv`. The lists (aliases, offers) are joined
with "; " there, as in every text format, and are their own tables here as well.

A table is one `Table` in TABLES; a new one is one more entry.
The fields' types and patterns come from `schema.py`'s declarations, the registry's own.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s3pilot_cli import records, schema
from s3pilot_cli.formats.delimited import write_csv
from s3pilot_cli.licences import DATA_LICENCE, programme_source
from s3pilot_cli.model import Registry
from s3pilot_cli.records import Records
from s3pilot_cli.textrules import LIST_SEPARATOR

DESCRIPTOR = "datapackage.json"
# Zip entries' date: the earliest a zip can hold, so that the bytes depend on the data alone.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Table:
    """One resource: its rows, and what its Table Schema says beyond the fields' types."""

    name: str
    title: str
    rows: Callable[[Registry], Records]
    primary_key: tuple[str, ...] = ()
    # (fields here, the table they point at, the fields there)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()


def _programme(registry: Registry) -> Records:
    """The programme as one row: its fields as columns (`records.program` has them as rows)."""
    pairs = records.program(registry).rows
    return Records(tuple(str(name) for name, _ in pairs), (tuple(value for _, value in pairs),))


TABLES = (
    Table("programme", "The programme", _programme),
    Table("contacts", "The programme's contacts at the agency", records.contacts),
    Table("regions", "Sweden's 21 län", records.regions, primary_key=("code",)),
    Table(
        "region_aliases",
        "Other names of the regions, one a row",
        lambda r: records.aliases("region_code", ((x.code, x.aliases) for x in r.regions)),
        primary_key=("region_code", "position"),
        foreign_keys=((("region_code",), "regions", ("code",)),),
    ),
    Table(
        "region_s3_areas",
        "The regions' smart specialisation areas, in the region's own words, one a row",
        lambda r: records.aliases("region_code", ((x.code, x.s3_areas) for x in r.regions)),
        primary_key=("region_code", "position"),
        foreign_keys=((("region_code",), "regions", ("code",)),),
    ),
    Table(
        "clusters",
        "The clusters, in the programme's order",
        lambda registry: records.clusters(registry, registry.clusters),
        primary_key=("id",),
        foreign_keys=((("region_code",), "regions", ("code",)),),
    ),
    Table(
        "cluster_aliases",
        "Other names of the clusters, one a row",
        lambda r: records.aliases("cluster_id", ((x.id, x.aliases) for x in r.clusters)),
        primary_key=("cluster_id", "position"),
        foreign_keys=((("cluster_id",), "clusters", ("id",)),),
    ),
    Table(
        "sources",
        "The clusters' sources: a page, the fields it supports, the day it was read",
        lambda registry: records.sources(registry.clusters),
        primary_key=("cluster_id", "position"),
        foreign_keys=((("cluster_id",), "clusters", ("id",)),),
    ),
    Table(
        "events",
        "Dated events of the programme (no cluster_id) and of the clusters, each with its page",
        records.events,
        primary_key=("position",),
        foreign_keys=((("cluster_id",), "clusters", ("id",)),),
    ),
)


# --- Table Schema ----------------------------------------------------------------------------


def _declared(field: schema.Field) -> dict[str, Any]:
    """A registry field's Table Schema field, from its declaration in `schema.py`."""
    out: dict[str, Any] = {"name": field.name, "type": "string"}
    constraints: dict[str, Any] = {}
    if field.kind is schema.FieldKind.COUNT:
        out["type"] = "integer"
        constraints["minimum"] = 0
    elif field.kind is schema.FieldKind.YEAR:
        out["type"] = "integer"
        constraints["minimum"], constraints["maximum"] = schema.YEARS
    elif field.kind is schema.FieldKind.SOURCES:
        out["description"] = (
            f"the URLs of its sources, joined with {LIST_SEPARATOR!r} (the sources resource"
            " has each with its fields and date)"
        )
    elif field.kind is schema.FieldKind.TEXTS:
        out["description"] = f"a list, its items joined with {LIST_SEPARATOR!r}"
    elif field.name in ("source_url", "website", "url", "later_url", "eccp_url", "s3_url"):
        out["format"] = "uri"
    elif field.kind is schema.FieldKind.DATE:
        out["type"] = "date"
    elif field.pattern is not None:
        # Table Schema's patterns are XML Schema's, which have groups but no (?:…)
        constraints["pattern"] = field.pattern.pattern.replace("(?:", "(")
    if field.required and field.kind is not schema.FieldKind.TEXTS:
        constraints["required"] = True
    if constraints:
        out["constraints"] = constraints
    return out


def _by_name(fields: tuple[schema.Field, ...]) -> dict[str, schema.Field]:
    return {field.name: field for field in fields}


_PROGRAM = _by_name(schema.PROGRAM)
_REGION = _by_name(schema.REGION)
_CLUSTER = _by_name(schema.CLUSTER)
_CONTACT = _by_name(schema.CONTACT)
_SOURCE = _by_name(schema.SOURCE)
_EVENT = _by_name(schema.EVENT)
_NAME = schema.Field("name")

# Each table's columns, as the registry field they hold (renamed where the column's name
# differs); the columns no registry field holds are declared after them.
_SOURCES: dict[str, dict[str, schema.Field]] = {
    "programme": _PROGRAM,
    "contacts": {"name": _CONTACT["name"], "phone": _CONTACT["phone"]},
    "regions": {**_REGION, "clusters": schema.Field("clusters", schema.FieldKind.COUNT)},
    "region_aliases": {
        "region_code": _REGION["code"],
        "name": _NAME,
    },
    "clusters": {
        **_CLUSTER,
        "region": _REGION["name"],
        "region_code": _REGION["code"],
        "lan_code": _REGION["lan_code"],
        "county": _REGION["county"],
        "nuts3": _REGION["nuts3"],
        "region_body": _REGION["body"],
    },
    "cluster_aliases": {"cluster_id": _CLUSTER["id"], "name": _NAME},
    "region_s3_areas": {"region_code": _REGION["code"], "name": _NAME},
    "sources": {"cluster_id": _CLUSTER["id"], **_SOURCE},
    # the programme's events have none
    "events": {"cluster_id": _CLUSTER["id"]._replace(required=False), **_EVENT},
}
_DERIVED: dict[str, dict[str, Any]] = {
    "position": {
        "type": "integer",
        "description": "the row's place in its owner's list (an event's among all), from 1",
        "constraints": {"required": True, "minimum": 1},
    },
    "organization": {"type": "string", "constraints": {"required": True}},
    "period": {"type": "string", "description": "the years the programme ran: 2018-2021"},
    "phone_e164": {
        "type": "string",
        "description": "the phone number in international form",
        "constraints": {"required": True, "pattern": r"\+[0-9]+"},
    },
    "email": {"type": "string", "format": "email", "constraints": {"required": True}},
    "last_seen": {
        "type": "string",
        "description": "the date of its latest event: YYYY, YYYY-MM or YYYY-MM-DD",
        "constraints": {"pattern": schema.EVENT_DATE.pattern.replace("(?:", "(")},
    },
}


def table_schema(table: Table, fields: tuple[str, ...]) -> dict[str, Any]:
    """The Table Schema of `table`, whose rows have these `fields`."""
    declared = _SOURCES[table.name]
    described = []
    for name in fields:
        if name in declared:
            described.append({**_declared(declared[name]), "name": name})
        else:
            described.append({"name": name, **_DERIVED[name]})
    out: dict[str, Any] = {"fields": described, "missingValues": [""]}
    if table.primary_key:
        out["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        out["foreignKeys"] = [
            {"fields": list(here), "reference": {"resource": other, "fields": list(there)}}
            for here, other, there in table.foreign_keys
        ]
    return out


# --- The package -----------------------------------------------------------------------------


def csv_bytes(data: Records) -> bytes:
    """The rows as `export --format csv` writes them, in UTF-8."""
    text = io.StringIO(newline="")
    write_csv(text, data)
    return text.getvalue().encode("utf-8")


def files(registry: Registry) -> dict[str, bytes]:
    """Every file of the package by its name in it: the CSV files, then `datapackage.json`."""
    out: dict[str, bytes] = {}
    resources = []
    for table in TABLES:
        data = table.rows(registry)
        path = f"{table.name}.csv"
        out[path] = csv_bytes(data)
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(out[path]),
                "hash": "sha256:" + hashlib.sha256(out[path]).hexdigest(),
                "schema": table_schema(table, data.fields),
            }
        )
    out[DESCRIPTOR] = (
        json.dumps(descriptor(registry, resources), ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
    return out


def descriptor(registry: Registry, resources: list[dict[str, Any]]) -> dict[str, Any]:
    """`datapackage.json`: the package's metadata and its resources."""
    program = registry.program
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "s3pilot",
        "title": f"{program.name}: the clusters of {program.agency}'s programme",
        "description": (
            f"{program.summary_en} The {len(registry.clusters)} clusters with their regions"
            " (Sweden's län), and the programme's contacts; compiled by s3pilot."
        ),
        "homepage": program.source_url,
        "licenses": [DATA_LICENCE.described()],
        "sources": [
            programme_source(program),
            {"title": "The clusters' pages: the sources resource, one row a page"},
            {"title": "The events' pages: the url of each row of the events resource"},
            {"title": "The regions' strategies: s3_url and s3_licence of the regions resource"},
        ],
        "contributors": [{"title": "the s3pilot authors", "role": "author"}],
    }
    if program.checked:
        # The date the facts were last checked against their sources: the date of the data.
        package["date"] = program.checked
    package["resources"] = resources
    return package


def write_datapackage(path: Path, registry: Registry) -> None:
    """Write the package as a zip file at `path`, a new or temporary file nobody reads yet
    (the caller renames it over the target, as `output.atomic_path` does)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(registry).items():
            entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content)
