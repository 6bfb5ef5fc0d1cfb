"""`--help` in a terminal of any width, in English and Swedish: every command's and option's
name whole, nothing cut with "…", and the lines within the terminal (but an example, which
stays on one line, to copy)."""

import re

import pytest
import typer

from s3pilot_cli.cli.app import app
from tests.conftest import Cli

COMMAND = typer.main.get_command(app)
SUBCOMMANDS = sorted(COMMAND.commands)  # type: ignore[attr-defined]


def names(command: str | None) -> list[str]:
    """The names the help of `command` (None: s3pilot's own) must show whole: its options',
    and for s3pilot its commands'."""
    found = COMMAND if command is None else COMMAND.commands[command]  # type: ignore[attr-defined]
    shown = [name for param in found.params for name in (*param.opts, *param.secondary_opts)]
    shown = [name for name in shown if name.startswith("-")]
    return shown + (SUBCOMMANDS if command is None else [])


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("columns", [40, 50, 60, 69, 70, 80, 120])
@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_help_keeps_every_name_whole(
    cli: Cli, command: str | None, columns: int, lang: str
) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": lang, "NO_COLOR": "1"}
    shown = cli(*args, env=env).stdout
    where = f"{' '.join(args)} at {columns} in {lang}"
    for name in names(command):
        assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", shown), f"{where}: {name}"
    assert "…" not in shown, where
    assert not re.search(r"[a-zåäö,]\.\.\.", shown), f"{where}: a command's help cut short"
    for line in shown.splitlines():
        example = line.strip().startswith(("Example:", "Exempel:"))
        assert len(line) <= columns or example, f"{where}: {line!r} is wider than the terminal"


def test_list_help_at_40_columns_names_sort_s_choices_whole(cli: Cli) -> None:
    """It was `<name|r` and `egion>` on two lines, and `--regis…`."""
    for lang in ("en", "sv"):
        env = {"COLUMNS": "40", "S3PILOT_LANG": lang}
        shown = cli("list", "--help", env=env).stdout
        assert "--sort <name|region>" in shown
        assert "--registry PATH" in shown


def test_narrow_help_keeps_the_exit_codes_a_code_a_line(cli: Cli) -> None:
    """Click's layout rewraps a paragraph: the exit-code table keeps its lines, each meaning
    wrapped under its own text."""
    lines = cli("--help", env={"COLUMNS": "40"}).stdout.splitlines()
    start = lines.index("  Exit codes:")
    codes = [line.split()[0] for line in lines[start + 1 : start + 20] if line[:5].strip()]
    assert codes[:7] == ["0", "1", "2", "3", "4", "130", "143"]
    assert lines[start + 3] == "       could not be read or written"
