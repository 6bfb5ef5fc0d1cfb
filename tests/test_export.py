"""`s3pilot export`: the whole registry or its records, to stdout or a file."""

import csv
import io
import json
import tomllib
from pathlib import Path

from tests.conftest import (
    BUNDLED,
    CLUSTER_FIELDS,
    VARMLAND_CSV,
    Cli,
    fails,
)


def test_export_registry_json_is_the_whole_registry_document(cli: Cli) -> None:
    document = json.loads(cli("export", "--format", "registry-json").stdout)
    assert document == tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    assert list(document) == [
        "schema_version",
        "program",
        "contacts",
        "regions",
        "clusters",
        "region_sources",
    ]


def test_export_toml_reads_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    first = cli("export", "--format", "toml").stdout
    assert tomllib.loads(first) == tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    copy = tmp_path / "copy.toml"
    copy.write_text(first, encoding="utf-8")
    assert cli("--registry", str(copy), "export", "--format", "toml").stdout == first


def test_export_registry_json_reads_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    first = cli("export", "--format", "registry-json").stdout
    copy = tmp_path / "copy.json"
    copy.write_text(first, encoding="utf-8")
    assert cli("--registry", str(copy), "export", "--format", "registry-json").stdout == first


def test_export_a_region_keeps_the_document_whole_but_its_clusters(cli: Cli) -> None:
    document = json.loads(cli("export", "-f", "registry-json", "--region", "Dalarna").stdout)
    assert [c["id"] for c in document["clusters"]] == ["triple-steelix", "visit-dalarna"]
    assert len(document["regions"]) == 21


def test_export_csv_is_a_row_a_cluster(cli: Cli) -> None:
    run = cli("export", "--format", "csv", "--region", "Värmland")
    assert run.stdout == VARMLAND_CSV
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert len(rows) == 22
    assert rows[1]["aliases"] == "IUC Syd"


def test_export_markdown_and_jsonl(cli: Cli) -> None:
    lines = cli("export", "--format", "markdown", "-r", "Norrbotten").stdout.splitlines()
    assert lines[0] == "| " + " | ".join(CLUSTER_FIELDS) + " |"
    assert lines[2].startswith("| datacenter | Datacenter | Norrbotten | SE-BD | 25 |")
    jsonl = cli("export", "--format", "jsonl", "-r", "Norrbotten").stdout
    assert json.loads(jsonl)["focus"] == "data centres"


def test_export_to_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "clusters.csv"
    run = cli("export", "--format", "csv", "-r", "Värmland", "-o", str(target))
    assert (run.stdout, run.stderr) == ("", "")
    assert target.read_bytes().decode("utf-8") == VARMLAND_CSV
    assert [p.name for p in tmp_path.iterdir()] == ["clusters.csv"]


def test_export_dash_means_stdout(cli: Cli) -> None:
    assert cli("export", "-f", "csv", "-r", "SE-S", "-o", "-").stdout == VARMLAND_CSV


def test_unknown_region_writes_no_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    message = fails(cli, "export", "-f", "csv", "-r", "Atlantis", "-o", str(target), code=2)
    assert message.startswith("unknown region 'Atlantis'")
    assert target.read_text(encoding="utf-8") == "old\n"
