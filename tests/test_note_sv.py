"""`note_sv`, the registry's note in Swedish: a field of every record format and export, checked
by the JSON Schema, and what Swedish views and the Swedish web page show for `note`, unmarked."""

import json
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from s3pilot_cli import registry as registry_file
from s3pilot_cli.formats.html import render
from tests.conftest import BUNDLED, Cli

TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
INTERIOR = next(c for c in TOML["clusters"] if c["id"] == "interior-cluster")
SV = {"S3PILOT_LANG": "sv"}


def test_interior_cluster_has_its_note_in_swedish_too() -> None:
    assert INTERIOR["note_sv"].startswith("Programmet för upp klustret under Kronobergs län")
    assert "Vaggeryd" in INTERIOR["note_sv"]
    assert "Jönköpings län" in INTERIOR["note_sv"]


def test_a_swedish_view_shows_the_swedish_note_unmarked(cli: Cli) -> None:
    swedish = cli("show", "interior-cluster", "--format", "table", env={**SV, "COLUMNS": "200"})
    assert " ".join(INTERIOR["note_sv"].split()) in " ".join(swedish.stdout.split())
    assert "(på engelska)" not in swedish.stdout.split("Kommun")[0].split("Anmärkning")[1]
    english = cli("show", "interior-cluster", "--format", "table", env={"COLUMNS": "200"})
    assert " ".join(INTERIOR["note"].split()) in " ".join(english.stdout.split())
    listed = cli(
        "list", "--fields", "id,note", "--region", "Kronoberg", "--format", "table", env=SV
    )
    assert "Programmet för upp" in listed.stdout


def test_the_swedish_page_gives_the_swedish_note() -> None:
    loaded = registry_file.read(BUNDLED)
    assert INTERIOR["note_sv"] in render(loaded, lang="sv")
    assert INTERIOR["note"] in render(loaded)
    assert INTERIOR["note_sv"] not in render(loaded)


def test_every_machine_format_carries_it_as_a_field(cli: Cli, tmp_path: Path) -> None:
    shown = json.loads(cli("show", "interior-cluster", "--format", "json", env=SV).stdout)
    assert (shown["note"], shown["note_sv"]) == (INTERIOR["note"], INTERIOR["note_sv"])
    target = tmp_path / "s3pilot.db"
    cli("export", "-o", str(target))
    with closing(sqlite3.connect(target)) as db:
        row = db.execute("SELECT note, note_sv FROM cluster_records WHERE id = 'interior-cluster'")
        assert row.fetchone() == (INTERIOR["note"], INTERIOR["note_sv"])


def test_the_json_schema_declares_it() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="install jsonschema")
    schema = json.loads(
        (Path(__file__).parent.parent / "s3pilot_cli" / "clusters.schema.json").read_text()
    )
    jsonschema.validate(TOML, schema)
    wrong = {**TOML, "clusters": [{**INTERIOR, "note_sv": 1}, *TOML["clusters"][1:]]}
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'string'"):
        jsonschema.validate(wrong, schema)
