"""Help as people read it: paragraphs that break only where the terminal wraps, and arguments
named in one style."""

import itertools
import re

import pytest

from tests.conftest import Cli

# --- An empty result says so to a person, and nothing to a pipe -------------------------------


# --- --excel means csv ------------------------------------------------------------------------


# --- --registry at an export is told so ------------------------------------------------------


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


# --- A value people copy is never cut -------------------------------------------------------
