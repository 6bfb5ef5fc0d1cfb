"""`focus_sv`, a cluster's focus in Swedish, is a field like any other: `--fields`, every record
format, SQLite and its full-text index, the workbook, the data package, the GeoJSON; and
`note`, the registry's word to a person, travels with it."""

import csv
import io
import json
import sqlite3
import tomllib
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, Cli

TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
FOCUS_SV = {c["id"]: c.get("focus_sv") for c in TOML["clusters"]}
NOTES = {c["id"]: c.get("note") for c in TOML["clusters"]}


def test_fields_picks_it(cli: Cli) -> None:
    out = cli("list", "--fields", "id,focus_sv", "--region", "Värmland", "--format", "plain")
    assert out.stdout == "compare\tIT och telekom\npaper-province\tskogsbaserad bioekonomi\n"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_every_record_format_carries_it_and_the_note(cli: Cli, fmt: str) -> None:
    text = cli("export", "--format", fmt).stdout
    if fmt == "json":
        rows = json.loads(text)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    assert {row["id"]: row["focus_sv"] or None for row in rows} == FOCUS_SV
    assert {row["id"]: row["note"] or None for row in rows} == NOTES


def test_sqlite_searches_it(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        found = db.execute(
            "SELECT id FROM clusters WHERE rowid IN"
            " (SELECT rowid FROM clusters_fts WHERE clusters_fts MATCH 'bioekonomi')"
        ).fetchall()
        assert found == [("paper-province",)]
        row = db.execute("SELECT focus_sv, note FROM cluster_records WHERE id = 'techtank'")
        assert row.fetchone() == (FOCUS_SV["techtank"], None)


def test_the_workbook_has_the_column(cli: Cli, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the workbook is read with openpyxl")
    target = tmp_path / "s3pilot.xlsx"
    cli("export", "-o", str(target))
    rows = list(openpyxl.load_workbook(target)["Clusters"].iter_rows(values_only=True))
    column = rows[0].index("focus_sv")
    assert {row[0]: row[column] for row in rows[1:]} == FOCUS_SV


def test_the_data_package_declares_it(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "s3pilot.zip"
    cli("export", "-o", str(target))
    with zipfile.ZipFile(target) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        rows = list(csv.DictReader(io.StringIO(archive.read("clusters.csv").decode("utf-8"))))
    (clusters,) = [r for r in descriptor["resources"] if r["name"] == "clusters"]
    declared = {field["name"]: field for field in clusters["schema"]["fields"]}
    assert declared["focus_sv"]["type"] == "string"
    assert declared["note"]["type"] == "string"
    assert rows[12]["focus_sv"] == "skogsbaserad bioekonomi"


def test_the_geojson_lists_it_per_lan(cli: Cli) -> None:
    features = json.loads(cli("export", "--format", "geojson").stdout)["features"]
    (varmland,) = [f for f in features if f["properties"]["code"] == "SE-S"]
    properties = varmland["properties"]
    assert properties["cluster_ids"] == ["compare", "paper-province"]
    assert properties["cluster_focus_sv"] == ["IT och telekom", "skogsbaserad bioekonomi"]
    assert properties["cluster_focus"] == ["IT and telecom", "forest bioeconomy"]
