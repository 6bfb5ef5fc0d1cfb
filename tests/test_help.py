"""Help as people read it: paragraphs that break only where the terminal wraps, and arguments
named in one style."""

import itertools
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import (
    Cli,
    in_terminal,
    installed_command,
)

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


@pytest.mark.parametrize(
    "command",
    ["list", "regions", "show", "contacts", "export", "info", "validate", "init", "diff", "schema"],
)
def test_every_command_has_help_with_an_example(cli: Cli, command: str) -> None:
    run = cli(command, "--help", env={"COLUMNS": "200"})
    assert f"Usage: s3pilot {command}" in run.stdout
    assert "Example: s3pilot" in run.stdout


def test_top_level_help_lists_the_exit_codes(cli: Cli) -> None:
    text = cli("--help", env={"COLUMNS": "200"}).stdout
    for line in [
        "0  success, an empty result too",
        "1  unexpected error, or a file that could not be read or written",
        "2  usage: a bad option or value, an unknown region or format",
        "3  no such cluster (or the name matches several)",
        "4  the registry file is missing or invalid",
    ]:
        assert line in text


def test_no_command_shows_the_help(cli: Cli) -> None:
    run = cli(env={"COLUMNS": "200"})
    assert run.stdout.rstrip() == cli("--help", env={"COLUMNS": "200"}).stdout.rstrip()
    assert "Usage: s3pilot" in run.stdout


@pytest.mark.parametrize(
    "args",
    [["--help"], ["list", "--help"], ["list"], ["list", "--format", "table"], ["export"]],
    ids=" ".join,
)
def test_a_reader_gone_before_the_first_line_is_no_error(args: list[str]) -> None:
    """`s3pilot --help | head -1`, made certain: the pipe is closed before s3pilot writes."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [installed_command(), *args],
            stdout=write,
            stderr=subprocess.PIPE,
            env={**os.environ, "COLUMNS": "100"},
            check=False,
            timeout=60,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.slow
def test_no_color_leaves_no_escape_sequence_in_help(tmp_path: Path, home: Path) -> None:
    assert "\x1b[" in in_terminal("s3pilot --help", cwd=tmp_path)  # what NO_COLOR guards against
    for command in ("s3pilot --help", "s3pilot list --help", "s3pilot list --bogus"):
        shown = in_terminal(command, env={"NO_COLOR": "1"}, cwd=tmp_path)
        assert "Usage: s3pilot" in shown or "No such option" in shown
        assert "\x1b" not in shown, command


def test_the_exit_codes_in_help_are_a_line_each(cli: Cli) -> None:
    lines = [line.strip() for line in cli("--help", env={"COLUMNS": "200"}).stdout.splitlines()]
    start = lines.index("Exit codes:")
    assert lines[start + 1 : start + 8] == [
        "0  success, an empty result too",
        "1  unexpected error, or a file that could not be read or written",
        "2  usage: a bad option or value, an unknown region or format",
        "3  no such cluster (or the name matches several)",
        "4  the registry file is missing or invalid",
        "130  interrupted (Ctrl-C); a file being written is left as it was",
        "143  terminated (SIGTERM); a file being written is left as it was",
    ]
