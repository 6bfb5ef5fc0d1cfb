"""The command line as a whole, in-process: every command in every format it writes, formats and
options a command does not take, options where people put them, and the errors every command
shares. Each command's own behaviour is in its file (test_list.py, test_show.py, ...)."""

import csv
import io
import json
import os
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from s3pilot_cli import records
from s3pilot_cli.errors import ExitCode
from tests.conftest import (
    CLUSTER_FIELDS,
    MINIMAL,
    VARMLAND_CSV,
    Cli,
    fails,
    installed_command,
)


def test_format_is_case_insensitive(cli: Cli) -> None:
    assert cli("list", "-r", "SE-S", "--format", "CSV").stdout == VARMLAND_CSV


# A format a command does not write, or no format at all, is answered with that command's own.
OWN_FORMATS = [
    ("list", "vcard", "'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown'"),
    ("list", "xml", "'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown'"),
    ("contacts", "toml", "'table', 'plain', 'tsv', 'csv', 'json', 'jsonl', 'markdown', 'vcard'"),
    (
        "export",
        "table",
        "'tsv', 'csv', 'json', 'jsonl', 'markdown', 'toml', 'registry-json', 'sqlite', 'xlsx',"
        " 'geojson', 'datapackage', 'html'",
    ),
    ("info", "CSV", "'table', 'plain', 'json'"),
]


@pytest.mark.parametrize(("command", "fmt", "formats"), OWN_FORMATS)
def test_a_format_a_command_does_not_write(cli: Cli, command: str, fmt: str, formats: str) -> None:
    run = cli(command, "--format", fmt, exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr == (
        f"s3pilot: error: Invalid value for '--format' / '-f': '{fmt}' is not one of {formats}."
        f" (see 's3pilot {command} --help')\n"
    )


@pytest.mark.parametrize(
    ("command", "formats"),
    [
        ("list", "table, plain, tsv, csv, json, jsonl, markdown."),
        ("contacts", "table, plain, tsv, csv, json, jsonl, markdown, vcard."),
        (
            "export",
            "tsv, csv, json, jsonl, markdown, toml, registry-json, sqlite, xlsx, geojson,"
            " datapackage, html.",
        ),
        ("info", "table, plain, json."),
    ],
)
def test_the_help_of_format_lists_the_command_s_own(cli: Cli, command: str, formats: str) -> None:
    help_text = " ".join(cli(command, "--help", env={"COLUMNS": "300"}).stdout.split())
    assert f"Output format: {formats}" in help_text


def test_an_unknown_option(cli: Cli) -> None:
    run = cli("list", "--regoin", "x", exit_code=ExitCode.USAGE)
    assert run.stderr == (
        "s3pilot: error: No such option: --regoin (Possible options: --region, --registry)"
        " (see 's3pilot list --help')\n"
    )


@pytest.mark.parametrize(
    ("args", "option", "command"),
    [(["list", "--sort"], "--sort", "list"), (["--debug", "export", "-o"], "-o", "export")],
)
def test_an_option_without_its_value_points_at_its_command_s_help(
    cli: Cli, args: list[str], option: str, command: str
) -> None:
    run = cli(*args, exit_code=ExitCode.USAGE)
    assert run.stderr == (
        f"s3pilot: error: Option '{option}' requires an argument."
        f" (see 's3pilot {command} --help')\n"
    )


# --- Every command in every format it writes ------------------------------------------------

RECORD = ["table", "plain", "tsv", "csv", "json", "jsonl", "markdown"]
EXPORT = ["csv", "tsv", "json", "jsonl", "markdown", "toml", "registry-json"]
# command, its formats, how many records it writes, a value its output must show
MATRIX = [
    *((["list", "-r", "Skåne"], f, 2, "IUC Skåne") for f in RECORD),
    *((["regions"], f, 21, "Norrbotten") for f in RECORD),
    *((["show", "mobile-heights"], f, 1, "mobileheights.org") for f in RECORD),
    *((["contacts"], f, 2, "Cecilia Johansson") for f in [*RECORD, "vcard"]),
    *((["export", "-r", "Skåne"], f, 2, "IUC Skåne") for f in EXPORT),
    *((["info"], f, 1, "S3-piloten") for f in ["table", "plain", "json"]),
]  # fmt: skip


def _json_records(text: str) -> int:
    data = json.loads(text)
    if isinstance(data, list):
        return len(data)
    return len(data["clusters"]) if "clusters" in data else 1


# How many records an output holds, read back the way its format is read.
COUNT_RECORDS: dict[str, Callable[[str], int]] = {
    "json": _json_records,
    "registry-json": _json_records,
    "toml": lambda text: len(tomllib.loads(text)["clusters"]),
    "jsonl": lambda text: len([json.loads(line) for line in text.splitlines()]),
    "csv": lambda text: len(list(csv.reader(io.StringIO(text)))) - 1,
    "tsv": lambda text: len(list(csv.reader(io.StringIO(text), delimiter="\t"))) - 1,
    "markdown": lambda text: len(text.splitlines()) - 2,
    "vcard": lambda text: text.count("BEGIN:VCARD\r\n"),
    "plain": lambda text: len(text.splitlines()),
}


@pytest.mark.parametrize(("args", "fmt", "count", "shown"), MATRIX, ids=str)
def test_every_command_in_every_format(
    cli: Cli, args: list[str], fmt: str, count: int, shown: str
) -> None:
    run = cli(*args, "--format", fmt, env={"COLUMNS": "100"})
    assert run.stderr == ""
    assert shown in run.stdout
    assert run.stdout.endswith("\n")
    if fmt == "plain" and args[0] in ("show", "info"):
        # a field a line: the cluster fields, or the 16 fields of info (README)
        count = len(CLUSTER_FIELDS) + 1 if args[0] == "show" else 22
    if fmt in COUNT_RECORDS:
        assert COUNT_RECORDS[fmt](run.stdout) == count


# --- The version -----------------------------------------------------------------------------


def test_version(cli: Cli) -> None:
    from s3pilot_cli import __version__

    assert cli("--version").stdout == f"s3pilot {__version__}\n"


# --- Unexpected errors -----------------------------------------------------------------------


def _broken(*_: object) -> None:
    raise RuntimeError("a bug")


def test_an_unexpected_error_is_one_line_with_a_hint(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "regions", _broken)
    run = cli("regions", exit_code=ExitCode.FAILURE)
    assert run.stdout == ""
    assert run.stderr == (
        "s3pilot: error: unexpected RuntimeError: a bug; rerun with --debug to see where,"
        " and report it\n"
    )


def test_debug_shows_the_traceback(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "regions", _broken)
    run = cli("--debug", "regions", exit_code=ExitCode.FAILURE)
    assert run.stdout == ""
    assert run.stderr.startswith("Traceback (most recent call last):")
    assert run.stderr.endswith("RuntimeError: a bug\n")


# --- Options where people put them -----------------------------------------------------------


def test_registry_and_debug_after_the_command(cli: Cli, tmp_path: Path) -> None:
    # MINIMAL holds two clusters, both in Värmland; the bundled registry 22.
    assert cli("list", "--registry", str(MINIMAL)).stdout == "Compare\nPaper Province\n"
    run = cli("export", "--format", "csv", "--registry", str(MINIMAL), "--debug")
    assert [row[0] for row in csv.reader(io.StringIO(run.stdout))] == [
        "id",
        "compare",
        "paper-province",
    ]
    assert cli("show", "paper", "--debug", "--registry", str(MINIMAL), "-f", "json").stdout


def test_registry_after_the_command_wins_over_one_before(cli: Cli) -> None:
    run = cli("--registry", "no/such/file.toml", "regions", "--registry", str(MINIMAL))
    assert run.stdout == "Värmland\t2\nUppsala\t0\n"


# --- Errors that say where and what to do ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--registry", "", "list"], ["list", "--registry", ""], ["info", "--registry="]],
)
def test_an_empty_registry_path_is_a_usage_error(cli: Cli, args: list[str]) -> None:
    run = cli(*args, exit_code=ExitCode.USAGE)
    assert run.stdout == ""
    assert run.stderr.startswith(
        "s3pilot: error: Invalid value for '--registry': is empty; give the path of a registry"
    )
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "name"),
    [(["diff", ""], "[OLD]"), (["diff", "", ""], "[OLD]"), (["validate", ""], "[PATH]")],
)
def test_an_empty_registry_file_argument_is_a_usage_error(
    cli: Cli, sh: Callable[..., Any], args: list[str], name: str
) -> None:
    said = "is empty; give the path of a registry file, or leave it out"
    given = cli("--registry", "", "list", exit_code=ExitCode.USAGE).stderr
    assert f"Invalid value for '--registry': {said}" in given
    for run in (cli(*args, exit_code=ExitCode.USAGE), sh(*args)):
        assert run.stdout == ""
        assert f"s3pilot: error: Invalid value for '{name}': {said}" in run.stderr
    assert sh(*args).returncode == ExitCode.USAGE


def test_unknown_format(cli: Cli) -> None:
    message = fails(cli, "export", "--format", "parquet", code=ExitCode.USAGE)
    assert message.startswith("Invalid value for '--format' / '-f': 'parquet' is not one of")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["list", "--format", "xyz"],
            "ogiltigt värde för ”--format” / ”-f”: ”xyz” finns inte bland ”table”, ”plain”,"
            " ”tsv”, ”csv”, ”json”, ”jsonl”, ”markdown”. (se 's3pilot list --help')",
        ),
        (
            ["list", "--regoin", "x"],
            "okänd flagga: --regoin (möjliga flaggor: --region, --registry)"
            " (se 's3pilot list --help')",
        ),
        (["show"], "argumentet ”KLUSTER...” saknas (se 's3pilot show --help')"),
        (["list", "--region"], "flaggan ”--region” behöver ett värde (se 's3pilot list --help')"),
        (["export", "--excel=1"], "flaggan ”--excel” tar inget värde (se 's3pilot export --help')"),
        (["info", "a", "b"], "oväntade argument på slutet (a b) (se 's3pilot info --help')"),
    ],
)
def test_click_s_usage_errors_are_swedish_in_swedish(args: list[str], said: str) -> None:
    """In a process of its own: the app's placeholders are chosen when it is imported."""
    env = {**os.environ, "S3PILOT_LANG": "sv"}
    run = subprocess.run(
        [installed_command(), *args], check=False, capture_output=True, text=True, env=env
    )
    assert (run.returncode, run.stderr) == (ExitCode.USAGE, f"s3pilot: fel: {said}\n")
