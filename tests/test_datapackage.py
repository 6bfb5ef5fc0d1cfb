"""The Frictionless Data Package, read back by `frictionless` (the command and the library)."""

import datetime
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli import registry
from s3pilot_cli.errors import ExitCode, WriteError
from s3pilot_cli.formats import datapackage
from s3pilot_cli.formats.datapackage import write_datapackage
from s3pilot_cli.licences import DATA_LICENCE
from s3pilot_cli.model import Registry
from s3pilot_cli.output import atomic_path
from tests.conftest import BUNDLED, MINIMAL, Cli, installed_command, interop

# From the registry file itself, not from s3pilot's reading of it.
TOML = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))


def clusters_of(*codes: str) -> list[str]:
    return [c["id"] for c in TOML["clusters"] if c["region"] in codes]


ROWS = {
    "programme": 1,
    "contacts": len(TOML["contacts"]),
    "regions": len(TOML["regions"]),
    "region_aliases": sum(len(r.get("aliases", [])) for r in TOML["regions"]),
    "clusters": len(TOML["clusters"]),
    "cluster_aliases": sum(len(c.get("aliases", [])) for c in TOML["clusters"]),
    "region_s3_areas": sum(len(r.get("s3_areas", [])) for r in TOML["regions"]),
    "sources": sum(len(c.get("sources", [])) for c in TOML["clusters"]),
    "events": sum(len(e.get("events", [])) for e in [TOML["program"], *TOML["clusters"]]),
}
FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("package") / "s3pilot.zip"
    write_datapackage(path, registry.read(BUNDLED))
    return path


def validate(path: Path) -> dict[str, Any]:
    """`frictionless validate --json PATH`, as a shell would run it."""
    interop("frictionless")
    import subprocess

    done = subprocess.run(
        [FRICTIONLESS, "validate", "--json", path],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == (0 if report["valid"] else 1), done.stderr
    return report


def test_frictionless_finds_the_package_valid_with_every_row(package: Path) -> None:
    report = validate(package)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert {task["name"]: task["stats"]["rows"] for task in report["tasks"]} == ROWS
    assert ROWS["regions"] == 21
    assert ROWS["clusters"] == 22
    assert ROWS["cluster_aliases"] > 0  # the alias tables are tested on real rows
    assert ROWS["events"] >= 30
    assert ROWS["region_s3_areas"] > 0


def rewritten(package: Path, target: Path, name: str, old: str, new: str) -> Path:
    """A copy of the package with `old` replaced by `new` in one CSV file (and the file's size
    and hash left out of the descriptor, so that only the content is judged)."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as copy:
        descriptor = json.loads(source.read("datapackage.json"))
        for resource in descriptor["resources"]:
            del resource["bytes"], resource["hash"]
        copy.writestr("datapackage.json", json.dumps(descriptor))
        for entry in source.namelist():
            if entry != "datapackage.json":
                text = source.read(entry).decode()
                if entry == name:
                    assert old in text
                    text = text.replace(old, new)
                copy.writestr(entry, text)
    return target


@pytest.mark.parametrize(
    ("name", "old", "new", "error"),
    [
        # A cluster in a region the package does not have: the foreign key is checked.
        ("clusters.csv", ",SE-S,17,", ",SE-Q,17,", "foreign-key"),
        # An alias of no cluster.
        ("cluster_aliases.csv", "paper-province,", "no-such-cluster,", "foreign-key"),
        # A länskod of one digit: its pattern is checked.
        ("regions.csv", "SE-AB,01,", "SE-AB,1,", "constraint-error"),
        # Two regions with one code: the primary key is checked.
        ("regions.csv", "SE-C,03,", "SE-AB,03,", "primary-key"),
        # A date that is none.
        ("programme.csv", ",2026-11-27", ",27/11/2026", "type-error"),
    ],
)
def test_frictionless_catches_a_broken_package(
    package: Path, tmp_path: Path, name: str, old: str, new: str, error: str
) -> None:
    frictionless = interop("frictionless")
    broken = rewritten(package, tmp_path / "broken.zip", name, old, new)
    report = frictionless.validate(str(broken))  # the library the command runs, in-process
    assert not report.valid
    assert {found for (found,) in report.flatten(["type"])} == {error}


def test_a_reader_gets_codes_as_text_and_dates_as_dates(package: Path) -> None:
    frictionless = interop("frictionless")
    read = frictionless.Package(str(package))
    regions = read.get_table_resource("regions").read_rows()
    assert regions[0]["lan_code"] == "01"
    assert regions[0]["code"] == "SE-AB"
    clusters = read.get_table_resource("clusters").read_rows()
    stockholm = [row for row in clusters if row["region_code"] == "SE-AB"]
    assert stockholm
    assert {row["lan_code"] for row in stockholm} == {"01"}
    assert all(isinstance(row["lan_code"], str) and len(row["lan_code"]) == 2 for row in clusters)
    (programme,) = read.get_table_resource("programme").read_rows()
    assert programme["checked"] == datetime.date.fromisoformat(TOML["program"]["checked"])
    assert programme["applications"] == TOML["program"]["applications"]


def test_the_csv_files_are_what_the_csv_exports_print(package: Path, cli: Cli) -> None:
    with zipfile.ZipFile(package) as archive:
        for name, command in [
            ("clusters.csv", ["export", "--format", "csv"]),
            ("regions.csv", ["regions", "--format", "csv"]),
            ("contacts.csv", ["contacts", "--format", "csv"]),
        ]:
            shown = cli("--registry", str(BUNDLED), *command).stdout
            assert archive.read(name) == shown.encode("utf-8"), name


def test_the_descriptor_names_title_source_date_and_licence(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        assert archive.namelist()[-1] == "datapackage.json"
        descriptor = json.loads(archive.read("datapackage.json"))
    program = TOML["program"]
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["homepage"] == program["source_url"]
    assert program["source_url"] in [source.get("path") for source in descriptor["sources"]]
    assert descriptor["date"] == program["checked"]
    assert program["name"] in descriptor["title"]
    assert descriptor["licenses"] == [
        {
            "name": "CC0-1.0",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
            "title": DATA_LICENCE.title,
        }
    ]
    fields = {
        (resource["name"], field["name"]): field
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
    }
    assert fields["regions", "lan_code"]["type"] == "string"
    assert fields["regions", "lan_code"]["constraints"]["pattern"] == "[0-9]{2}"
    assert fields["clusters", "website"]["format"] == "uri"
    assert fields["programme", "checked"]["type"] == "date"
    assert fields["cluster_aliases", "position"]["type"] == "integer"


def test_the_same_registry_gives_the_same_bytes(tmp_path: Path) -> None:
    loaded = registry.read(BUNDLED)
    write_datapackage(tmp_path / "a.zip", loaded)
    write_datapackage(tmp_path / "b.zip", loaded)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_region_keeps_its_clusters_and_every_region(tmp_path: Path) -> None:
    """As the SQLite and xlsx exports: the chosen clusters, and all the regions they point at."""
    frictionless = interop("frictionless")
    loaded = registry.read(BUNDLED)
    chosen = tuple(c for c in loaded.clusters if c.region == "SE-S")
    path = tmp_path / "värmland.zip"
    write_datapackage(path, Registry(loaded.program, loaded.contacts, loaded.regions, chosen))
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["type", "note"])
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["clusters"] == 2
    assert rows["regions"] == 21


def test_a_registry_without_a_date_makes_a_valid_package_without_one(tmp_path: Path) -> None:
    frictionless = interop("frictionless")
    loaded = registry.read(MINIMAL)
    path = tmp_path / "minimal.zip"
    write_datapackage(path, loaded)
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["type", "note"])
    with zipfile.ZipFile(path) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    assert loaded.program.checked is None
    assert "date" not in descriptor


@pytest.fixture
def failing_zip(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the third file into the zip fails, as a full disk would make it."""
    calls = []
    real = zipfile.ZipFile.writestr

    def writestr(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)


def test_a_partial_package_never_replaces_a_whole_one(
    tmp_path: Path, package: Path, failing_zip: None
) -> None:
    target = tmp_path / "s3pilot.zip"
    target.write_bytes(package.read_bytes())
    with pytest.raises(WriteError, match="No space left"), atomic_path(target) as built:
        write_datapackage(built, registry.read(BUNDLED))
    assert target.read_bytes() == package.read_bytes()
    assert os.listdir(tmp_path) == ["s3pilot.zip"]  # no temporary file left behind


def test_every_table_has_a_schema_for_each_of_its_fields() -> None:
    """A new table (the clusters' sources, say) is one entry in TABLES, and its fields must be
    declared: this fails for a field no declaration covers."""
    loaded = registry.read(BUNDLED)
    for table in datapackage.TABLES:
        data = table.rows(loaded)
        described = datapackage.table_schema(table, data.fields)["fields"]
        assert [field["name"] for field in described] == list(data.fields)
        assert all(field["type"] in ("string", "integer", "date") for field in described)


def test_export_to_a_zip_writes_a_valid_package(cli: Cli, tmp_path: Path) -> None:
    frictionless = interop("frictionless")
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
    frictionless = interop("frictionless")
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


@pytest.mark.slow
def test_the_installed_command_and_the_frictionless_command(tmp_path: Path) -> None:
    """As a shell script would: `s3pilot export -o s3pilot.zip && frictionless validate`."""
    interop("frictionless")
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


# The resources of the data package and their columns (docs/contract.md's table is held to the
# package in tests/test_docs.py).
RESOURCES = {
    "programme": [
        *("name", "agency", "summary", "summary_en", "applications", "selected", "offers"),
        *("source_url", "email_pattern", "checked", "call_opened", "kickoff", "first_year"),
        *("last_year", "later_url", "later_selected", "later_period", "purpose", "purpose_en"),
        *("support_sek", "support_years", "cofinancing_pct", "members_about", "list_order"),
        *("sources", "period"),
    ],
    "contacts": ["name", "organization", "phone", "phone_e164", "email"],
    "regions": [
        *("code", "lan_code", "name", "county", "nuts3", "body", "aliases", "clusters"),
        *("wikidata", "s3_strategy", "s3_areas", "s3_url", "s3_licence"),
    ],
    "region_aliases": ["region_code", "position", "name"],
    "region_s3_areas": ["region_code", "position", "name"],
    "clusters": [
        *("id", "name", "region", "region_code", "lan_code", "county", "nuts3", "region_body"),
        *("city", "website", "focus", "aliases", "now_called", "founded", "founded_note"),
        *("kind", "label", "sources", "focus_sv", "note", "kommun", "kommun_code", "s3_area"),
        *("eccp_url", "last_seen", "note_sv"),
    ],
    "cluster_aliases": ["cluster_id", "position", "name"],
    "sources": ["cluster_id", "position", "url", "fields", "read", "caveat"],
    "events": [
        *("position", "cluster_id", "date", "event", "event_sv", "url", "sets", "caveat"),
    ],
}


def test_the_package_has_the_resources_and_columns_of_the_contract(
    cli: Cli, tmp_path: Path
) -> None:
    frictionless = interop("frictionless")
    target = tmp_path / "s3pilot.zip"
    cli("export", "-o", str(target))
    package = frictionless.Package(str(target))
    read = {resource.name: resource.schema.field_names for resource in package.resources}
    assert read == RESOURCES
    for name, columns in RESOURCES.items():
        with zipfile.ZipFile(target) as archive:
            header = archive.read(f"{name}.csv").decode("utf-8").splitlines()[0]
        assert header.split(",") == columns
