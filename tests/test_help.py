"""Help as people read it: `--help` in a terminal of any width, in English and Swedish (every
command's and option's name whole, nothing cut with "…", the lines within the terminal but an
example, which stays on one line, to copy), paragraphs that break only where the terminal
wraps, arguments named in one style, the exit codes, and no colour where none is wanted."""

import itertools
import os
import re
import subprocess
from pathlib import Path

import pytest
import typer

from s3pilot_cli.cli.app import app
from tests.conftest import (
    Cli,
    Server,
    in_terminal,
    installed_command,
)

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


@pytest.mark.slow
@pytest.mark.parametrize("asked", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_a_dumb_terminal_hold_for_every_command(
    tmp_path: Path, home: Path, server: Server, registry_text: str, asked: dict[str, str]
) -> None:
    """No escape sequence reaches the terminal from any command: no colour, no bold, no
    progress bar, not even Click's green line of --install-completion (it was coloured)."""
    registry = tmp_path / "local.toml"
    text = registry_text.replace("https://tillvaxtverket.se/klusterprogram.html", server.url("/ok"))
    registry.write_text(text.replace("https://compare.se", server.url("/ok")), encoding="utf-8")
    assert "https://" not in registry.read_text(encoding="utf-8")  # nothing leaves 127.0.0.1
    lines = [
        "--help", "list", "list --region Uppsala", "show paper", "contacts", "info", "regions",
        "validate", "diff", "list --bogus", "--install-completion bash", "list --help",
        f"check-links --registry {registry} --timeout 2",
    ]  # fmt: skip
    assert "\x1b[" in in_terminal("s3pilot --install-completion bash", cwd=tmp_path)
    for line in lines:
        shown = in_terminal(f"s3pilot {line}", env={"HOME": str(home), **asked}, cwd=tmp_path)
        assert "\x1b" not in shown, line
    assert (home / ".bash_completions" / "s3pilot.sh").is_file()  # installed in the test's home


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


# Click's and Typer's fixed English, which Typer's own copy of Click has no gettext for.
_CLICK_ENGLISH = (
    "Usage:",
    "Show this message",
    "Install completion",
    "Show completion",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "<str>",
)


@pytest.mark.parametrize("columns", [40, 100])
@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_swedish_help_has_none_of_click_s_english(
    cli: Cli, command: str | None, columns: int
) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    env = {"COLUMNS": str(columns), "S3PILOT_LANG": "sv", "NO_COLOR": "1"}
    shown = cli(*args, env=env).stdout
    for words in _CLICK_ENGLISH:
        assert words not in shown, f"{' '.join(args)} at {columns}: {words}"
    assert "Användning: s3pilot" in shown
    assert "[FLAGGOR]" in shown
    if columns == 100:  # the help option's line, unwrapped
        assert "Visa den här hjälptexten och avsluta." in shown


def test_swedish_help_shows_the_completion_options_in_swedish(cli: Cli) -> None:
    shown = cli("--help", env={"COLUMNS": "120", "S3PILOT_LANG": "sv"}).stdout
    assert "Installera kompletteringen för det skal du använder." in shown
    assert "Visa kompletteringen för det skal du använder" in shown


@pytest.mark.parametrize(
    ("lang", "command", "expected"),
    [
        ("en", "list", ["-r, --region REGION", "-s, --search TEXT", "--fields FIELDS"]),
        ("sv", "list", ["-r, --region LÄN", "-s, --search TEXT", "--fields FÄLT"]),
        ("en", "map", ["--title TEXT", "-o, --output FILE", "Write to FILE"]),
        ("sv", "map", ["--title TEXT", "-o, --output FIL", "Skriv till FIL"]),
        ("en", "timeline", ["-c, --cluster CLUSTER"]),
        ("sv", "check-links", ["--timeout SEKUNDER", "--registry SÖKVÄG"]),
    ],
)
def test_every_placeholder_is_in_capitals_in_either_language(
    lang: str, command: str, expected: list[str]
) -> None:
    """One style of placeholder, as the usage line's: no `<str>` beside FORMAT and PATH. In a
    process of its own: the app's placeholders are chosen when it is imported."""
    for columns in (40, 200):
        env = {**os.environ, "COLUMNS": str(columns), "S3PILOT_LANG": lang, "NO_COLOR": "1"}
        done = subprocess.run(
            [installed_command(), command, "--help"],
            check=False,
            capture_output=True,
            text=True,
            env=env,
        )
        shown = done.stdout
        assert not re.search(r"<(str|int|float)>", shown), f"{command} at {columns} in {lang}"
        if columns == 40:  # Click's plain layout: each name with its placeholder, no columns
            for words in expected:
                assert words in " ".join(shown.split()), f"{command} in {lang}: {words}"
