"""`export --format datapackage` and `--format geojson` as a user runs them, and the data
licence in every export that can carry it, each read back by its own reader (frictionless,
shapely and geojson-pydantic, openpyxl, sqlite3, resvg)."""

import inspect
import io
import json
import re
import sqlite3
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import openpyxl
import pytest
import resvg_py
import shapely
from geojson_pydantic import FeatureCollection
from PIL import Image
from shapely.geometry import shape

from s3pilot_cli import formats
from s3pilot_cli.errors import ExitCode
from s3pilot_cli.formats import FORMATS, Format
from s3pilot_cli.licences import DATA_LICENCE, DATA_STATEMENT
from tests.conftest import BUNDLED, MINIMAL, Cli, installed_command

# From the registry file itself, not from s3pilot's reading of it.
TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
SVG = "{http://www.w3.org/2000/svg}"
# Sweden's extreme points (Smygehuk, Treriksröset, Koster, Kataja), padded by 1.2 km.
SWEDEN = shapely.box(10.9, 55.3, 24.2, 69.1)


def clusters_of(*codes: str) -> list[str]:
    return [c["id"] for c in TOML["clusters"] if c["region"] in codes]


# --- The formats table -----------------------------------------------------------------------


def test_the_file_name_chooses_both_formats() -> None:
    assert formats.EXTENSIONS[".zip"] is Format.DATAPACKAGE
    assert formats.EXTENSIONS[".geojson"] is Format.GEOJSON
    assert {Format.DATAPACKAGE, Format.GEOJSON} <= set(formats.EXPORT_FORMATS)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_row_loads_its_writers(fmt: Format) -> None:
    """A row's loaders import their modules and give a function (mypy checks its shape)."""
    spec = FORMATS[fmt]
    for writes in (spec.writer, *spec.options.values()):
        assert inspect.isfunction(writes.load()), fmt


def test_an_option_has_its_own_writer_write() -> None:
    csv = FORMATS[Format.CSV]
    assert formats.tools(Format.CSV, excel=True).writer is csv.options["excel"]
    assert formats.tools(Format.CSV, excel=False).writer is csv.writer


# --- The data package ------------------------------------------------------------------------


def test_export_to_a_zip_writes_a_valid_package(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.zip"
    run = cli("export", "-o", str(target))
    assert (run.stdout, run.stderr) == ("", "")
    report = frictionless.validate(str(target))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["clusters"] == len(TOML["clusters"])
    assert rows["regions"] == len(TOML["regions"])
    with zipfile.ZipFile(target) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["licenses"][0]["name"] == DATA_LICENCE.name


def test_region_keeps_those_clusters_and_every_region(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "dalarna.zip"
    cli("export", "--format", "datapackage", "--region", "Dalarna", "-o", str(target))
    report = frictionless.validate(str(target))  # the foreign keys to regions hold too
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with zipfile.ZipFile(target) as archive:
        clusters = archive.read("clusters.csv").decode("utf-8")
        regions = archive.read("regions.csv").decode("utf-8")
    assert clusters == cli("export", "--format", "csv", "--region", "Dalarna").stdout
    assert [line.split(",")[0] for line in clusters.splitlines()[1:]] == clusters_of("SE-W")
    assert len(regions.splitlines()) == 1 + len(TOML["regions"])


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_the_package_is_never_text_for_a_pipe(cli: Cli, output: list[str]) -> None:
    run = cli("export", "--format", "datapackage", *output, exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: --format datapackage writes a file, not text for a terminal or a"
        " pipe; name the file with -o, e.g. -o s3pilot.zip\n"
    )


def test_the_installed_command_and_the_frictionless_command(tmp_path: Path) -> None:
    """As a shell script would: `s3pilot export -o s3pilot.zip && frictionless validate`."""
    done = subprocess.run(
        [installed_command(), "export", "-o", "s3pilot.zip"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    checked = subprocess.run(
        [Path(sys.executable).parent / "frictionless", "validate", "--json", "s3pilot.zip"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert json.loads(checked.stdout)["valid"] is True, checked.stdout[:2000]


# --- GeoJSON ---------------------------------------------------------------------------------


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


def test_region_keeps_those_lan(cli: Cli) -> None:
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


# --- The licence in the other exports --------------------------------------------------------


def test_the_statement_names_the_licence() -> None:
    assert DATA_LICENCE.name in DATA_STATEMENT
    assert DATA_LICENCE.path in DATA_STATEMENT


def test_the_workbook_carries_the_licence(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.xlsx"
    cli("export", "-o", str(target))
    workbook = openpyxl.load_workbook(target)
    custom = {p.name: p.value for p in workbook.custom_doc_props.props}
    assert custom["License"] == DATA_STATEMENT


def test_the_database_carries_the_licence(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        assert db.execute("SELECT license FROM program").fetchall() == [(DATA_STATEMENT,)]


@pytest.mark.parametrize("registry", [BUNDLED, MINIMAL], ids=["bundled", "minimal"])
def test_the_map_footer_ends_with_the_licence_drawn_whole(cli: Cli, registry: Path) -> None:
    svg = cli("--registry", str(registry), "map").stdout
    root = ET.fromstring(svg)  # noqa: S314 (s3pilot's own output, in a test)
    sources = root.find(f"{SVG}g[@id='sources']")
    assert sources is not None
    last = list(sources)[-1]
    assert last.text == DATA_STATEMENT
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=1))
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    width = int(root.attrib["width"])
    assert pixels.shape[1] == width
    # The statement's row of text: ink in it, and none within 12 px of the right edge.
    baseline = int(float(last.attrib["y"]))
    band = pixels[baseline - 11 : baseline + 3]
    ink = band.max(axis=2) < 200
    assert ink[:, : width // 2].any(), "the statement is drawn"
    assert not ink[:, width - 12 :].any(), "the statement reaches the right edge"


# --- The contract in the README --------------------------------------------------------------

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
WRITTEN_BY = {
    formats.FormatKind.VIEW: "record commands",
    formats.FormatKind.RECORDS: "record commands, `export`",
    formats.FormatKind.CONTACTS: "`contacts`",
    formats.FormatKind.REGISTRY: "`export`",
}


def test_the_readme_formats_table_is_the_formats_table() -> None:
    """Format, who writes it, the `-o` names and binary, row for row as FORMATS has them."""
    rows = re.findall(r"^  \| `([a-z-]+)` \|(.*)\|$", README, re.M)
    shown = [(fmt, *(cell.strip() for cell in rest.split("|")[:3])) for fmt, rest in rows]
    expected = []
    for fmt, spec in FORMATS.items():
        by = WRITTEN_BY[spec.kind] + (", `info`" if fmt in formats.INFO_FORMATS else "")
        names = " ".join(f"`{extension}`" for extension in spec.extensions)
        expected.append((str(fmt), by, names, "yes" if spec.binary else ""))
    assert shown == expected


# The resources of the data package and their columns, as the README's contract lists them.
RESOURCES = {
    "programme": [
        *("name", "agency", "summary", "summary_en", "applications", "selected", "offers"),
        *("source_url", "email_pattern", "checked", "call_opened", "kickoff", "first_year"),
        *("last_year", "later_url", "later_selected", "later_period", "sources", "period"),
    ],
    "contacts": ["name", "organization", "phone", "phone_e164", "email"],
    "regions": ["code", "lan_code", "name", "county", "nuts3", "body", "aliases", "clusters"],
    "region_aliases": ["region_code", "position", "name"],
    "clusters": [
        *("id", "name", "region", "region_code", "lan_code", "county", "nuts3", "region_body"),
        *("city", "website", "focus", "aliases", "now_called", "founded", "founded_note"),
        *("kind", "label", "sources"),
    ],
    "cluster_aliases": ["cluster_id", "position", "name"],
    "sources": ["cluster_id", "position", "url", "fields", "read"],
}


def test_the_package_has_the_resources_and_columns_of_the_contract(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "s3pilot.zip"
    cli("export", "-o", str(target))
    package = frictionless.Package(str(target))
    read = {resource.name: resource.schema.field_names for resource in package.resources}
    assert read == RESOURCES
    for name, columns in RESOURCES.items():
        assert f"`{name}`" in README
        with zipfile.ZipFile(target) as archive:
            header = archive.read(f"{name}.csv").decode("utf-8").splitlines()[0]
        assert header.split(",") == columns


def test_the_geojson_properties_are_those_of_the_contract(cli: Cli) -> None:
    regions = json.loads(cli("regions", "--format", "json").stdout)
    for feature in json.loads(cli("export", "--format", "geojson").stdout)["features"]:
        assert list(feature["properties"]) == [*regions[0], "cluster_ids", "cluster_names"]
