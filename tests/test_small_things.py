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
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
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


# --- A value people copy is never cut -------------------------------------------------------


@pytest.mark.parametrize("columns", [40, 80, 100])
def test_info_folds_the_source_url_and_the_registry_path_whole(
    sh: Callable[..., subprocess.CompletedProcess[str]], columns: int
) -> None:
    facts = json.loads(sh("info", "--format", "json").stdout)
    screen = in_pty([installed_command(), "info"], columns=columns, env={"NO_COLOR": "1"})
    lines = screen.shown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["source_url"])
    end = next(i for i, line in enumerate(lines) if line.split()[:1] == ["registry_reason"])
    assert "…" not in "".join(lines)
    # Folded at the column's edge: the pieces, one after the other, are the values.
    pieces = [token for line in lines[start:end] for token in line.split()]
    assert pieces[0] == "source_url"
    at = pieces.index("registry")
    assert "".join(pieces[1:at]) == facts["source_url"]
    assert "".join(pieces[at + 1 :]) == facts["registry"]


@pytest.mark.parametrize("columns", [40, 80, 100])
@pytest.mark.parametrize("cluster", ["paper-province", "mobile-heights"])
def test_show_wraps_the_sources_between_their_urls_and_folds_a_long_one_whole(
    cli: Cli, cluster: str, columns: int
) -> None:
    urls = json.loads(cli("show", cluster, "--format", "json").stdout)["sources"]
    shown = cli(
        "show", cluster, "--format", "table", env={"COLUMNS": str(columns), "NO_COLOR": "1"}
    ).stdout
    lines = shown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["sources"])
    column = lines[start].index("http")
    value_width = columns - column - 1  # the table's one cell of padding at the right
    end = next(  # the next field's row: its label in the first column
        (i for i in range(start + 1, len(lines)) if lines[i][:column].strip()), len(lines)
    )
    values = [line[column:].rstrip() for line in lines[start:end]]
    assert "…" not in shown
    # Folded at the column's edge: the pieces, one after the other, are the URLs.
    assert "".join(piece for line in values for piece in line.split()) == ";".join(urls)
    # A URL that fits the column is on one line, never split between two.
    for url in urls:
        if len(url) + 1 <= value_width:
            assert any(url in line for line in values), (url, values)
