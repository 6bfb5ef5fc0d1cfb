"""Issue 18's small things a user meets: what an empty result, a short option or help says."""

import csv
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.errors import ExitCode
from tests.conftest import Cli, in_pty, installed_command

# --- An empty result says so to a person, and nothing to a pipe -------------------------------


def test_empty_result_in_a_terminal_says_no_cluster_matched() -> None:
    # Uppsala län has no cluster in the programme (shared/reference/clusters.md).
    screen = in_pty([installed_command(), "list", "--region", "Uppsala"])
    assert "s3pilot: no cluster matched --region Uppsala" in screen.shown
    assert screen.returncode == 0


def test_empty_result_in_a_pipe_stays_empty(
    sh: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = sh("list", "--region", "Uppsala")
    assert (done.stdout, done.stderr, done.returncode) == ("", "", 0)


def test_search_without_match_in_a_terminal() -> None:
    screen = in_pty([installed_command(), "list", "--search", "zzzz"])
    assert "s3pilot: no cluster matched --search zzzz" in screen.shown


# --- --excel means csv ------------------------------------------------------------------------


def test_excel_alone_means_csv(cli: Cli) -> None:
    text = cli("export", "--excel", "-r", "Värmland").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [row["name"] for row in rows] == ["Compare", "Paper Province"]


# --- --registry at an export is told so ------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        (["export", "--format", "sqlite", "-o", "{file}"], "an SQLite database"),
        (
            ["export", "--format", "xlsx", "-o", "{file}"],
            "a zip file: an xlsx workbook or a data package",
        ),
        (["export", "--format", "csv", "-o", "{file}"], "records in csv"),
        (["export", "--format", "csv", "--excel", "-o", "{file}"], "records in csv for Excel"),
        (["export", "--format", "tsv", "-o", "{file}"], "records in tsv"),
        (["export", "--format", "markdown", "-o", "{file}"], "records in Markdown"),
        (["export", "--format", "json", "-o", "{file}"], "JSON records"),
        (["export", "--format", "jsonl", "-o", "{file}"], "JSON lines"),
        (["contacts", "--format", "csv"], "records in csv"),
        (["regions", "--format", "csv"], "records in csv"),
        (["contacts", "--format", "vcard"], "vCard contacts"),
    ],
)
def test_registry_at_an_export_is_told_so(
    cli: Cli, tmp_path: Path, command: list[str], kind: str
) -> None:
    target = tmp_path / "export.out"
    run = cli(*(arg.replace("{file}", str(target)) for arg in command))
    if "-o" not in command:
        target.write_text(run.stdout, encoding="utf-8")
    failed = cli("--registry", str(target), "list", exit_code=ExitCode.BAD_REGISTRY)
    assert failed.stderr == (
        f"s3pilot: error: {target}: this is an export ({kind}), not a registry; --registry"
        " reads toml or registry-json ('s3pilot export --format toml -o clusters.toml'"
        " writes one)\n"
    )


def test_the_registry_exports_still_read(cli: Cli, tmp_path: Path) -> None:
    for fmt in ("toml", "registry-json"):
        target = tmp_path / f"mine.{fmt}"
        cli("export", "--format", fmt, "-o", str(target))
        assert cli("--registry", str(target), "validate").stdout.startswith("ok\t")
