"""Issue 18's small things a user meets: what an empty result, a short option or help says."""

import csv
import io
import itertools
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.cli import fastpath
from s3pilot_cli.errors import ExitCode
from tests.conftest import Cli, in_pty, installed_command

# --- An empty result says so to a person, and nothing to a pipe -------------------------------


def test_empty_result_in_a_terminal_prints_only_the_message() -> None:
    # Uppsala län has no cluster in the programme (shared/reference/clusters.md).
    screen = in_pty([installed_command(), "list", "--region", "Uppsala"], env={"NO_COLOR": "1"})
    assert screen.shown == (
        "s3pilot: no cluster in Uppsala; 's3pilot regions' shows how many each län has\n"
    )  # no table header above it
    assert screen.returncode == 0


def test_empty_result_in_a_pipe_stays_empty(
    sh: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = sh("list", "--region", "Uppsala")
    assert (done.stdout, done.stderr, done.returncode) == ("", "", 0)


def test_search_without_match_gives_a_hint_about_the_search() -> None:
    screen = in_pty([installed_command(), "list", "--search", "zzzz"])
    assert screen.shown == (
        "s3pilot: no cluster's name, other names, city or focus contains 'zzzz'; try a"
        " shorter part of a word, or 's3pilot list' for them all\n"
    )
    assert "regions" not in screen.shown  # it was "'s3pilot regions' shows where they are"


def test_search_in_a_region_without_match_suggests_all_regions() -> None:
    screen = in_pty([installed_command(), "list", "-r", "Värmland", "-s", "steel"])
    assert screen.shown == (
        "s3pilot: no cluster in Värmland has 'steel' in its name, other names, city or focus;"
        " try without --region to search them all\n"
    )


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
        (["export", "--format", "geojson", "-o", "{file}"], "GeoJSON"),
        (["map"], "an SVG map"),
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


# --- Help: paragraphs that wrap where the terminal does, argument names in one style ---------

SUBCOMMANDS: tuple[str, ...] = ("list", "regions", "show", "contacts", "export", "info")
SUBCOMMANDS += ("validate", "init", "diff", "schema", "map")


def _help(cli: Cli, command: str, columns: int) -> list[str]:
    shown = cli(command, "--help", env={"COLUMNS": str(columns), "NO_COLOR": "1"}).stdout
    return [line.rstrip() for line in shown.splitlines()]


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_help_paragraphs_break_only_where_the_terminal_wraps(
    cli: Cli, command: str, columns: int
) -> None:
    lines = _help(cli, command, columns)
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Usage:"))
    # The options' panel (Rich), or their heading (Click's plain layout, in a narrow terminal).
    end = next(i for i, line in enumerate(lines) if re.match(r"╭|\w+:$", line))
    text = lines[start + 1 : end]
    for line, following in itertools.pairwise(text):
        if line.strip() and following.strip() and not line.lstrip().startswith("Usage:"):
            word = following.split()[0]
            # The next line's first word would have fitted: a line break of the source.
            assert len(line) + 1 + len(word) > columns - 1, f"{line!r} / {following!r}"


def test_help_names_arguments_in_one_style(cli: Cli) -> None:
    """UPPER CASE; an optional one in [ ], a required one in { } (Typer's usage line)."""
    seen = {}
    for command in SUBCOMMANDS:
        usage = next(line for line in _help(cli, command, 200) if "Usage:" in line)
        for token in usage.split("[OPTIONS]")[1].split():
            assert re.fullmatch(r"(\[[A-Z]+\]|\{[A-Z]+(\.\.\.)?\})(\.\.\.)?", token), usage
            seen[command] = token
    assert seen == {
        "list": "[REGION]...",
        "show": "{CLUSTER...}",
        "validate": "[PATH]",
        "diff": "[NEW]",
    }


# --- show takes a name of several words without quotes -------------------------------------


def test_show_takes_several_words_as_one_name(cli: Cli) -> None:
    quoted = cli("show", "Paper Province", "--format", "json").stdout
    assert json.loads(quoted)["id"] == "paper-province"
    assert cli("show", "Paper", "Province", "--format", "json").stdout == quoted
    # `-fjson` is a spelling the fast path leaves to Typer: both parsers take the words.
    assert fastpath.parse(["show", "-fjson", "Paper", "Province"]) is None
    assert cli("show", "-fjson", "Paper", "Province").stdout == quoted
    taken = fastpath.parse(["show", "Paper", "Province"])
    assert taken is not None
    assert taken.arguments["cluster"] == ["Paper", "Province"]


def test_show_without_a_name_is_still_a_usage_error(cli: Cli) -> None:
    assert "Missing argument 'CLUSTER...'" in cli("show", exit_code=ExitCode.USAGE).stderr
