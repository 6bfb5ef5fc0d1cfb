"""The output contract, held by the installed `s3pilot` run as a shell script runs it.

stdout is data and only data; a pipe gets tab-separated lines; a terminal gets a table;
errors are one line on stderr with a documented exit code.
"""

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from s3pilot_cli.formats.delimited import write_plain
from s3pilot_cli.records import Records
from tests.conftest import generated_registry, in_terminal, installed_command

Sh = Callable[..., subprocess.CompletedProcess[str]]


def test_the_main_job_in_a_pipe(sh: Sh) -> None:
    done = sh("list", "--region", "Värmland")
    assert (done.returncode, done.stdout, done.stderr) == (0, "Compare\nPaper Province\n", "")


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["export", "--format", "csv"],
        ["list", "--format", "table"],
        ["map"],
        ["--help"],
        ["--version"],
        ["export", "--help"],
    ],
)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(args: list[str]) -> None:
    """/dev/full refuses every write, as a full disk does: a write error, not an unexpected one,
    and nothing more from Python's own flush at exit."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [installed_command(), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (done.returncode, done.stderr) == (
        1,
        "s3pilot: error: standard output could not be written (No space left on device);"
        " check where it goes (a full disk?)\n",
    )


CLOSED_STDOUT = (
    "s3pilot: error: standard output is closed; send it somewhere (> FILE, | less), or give a"
    " file with -o where the command has it\n"
)


def closed(stream: int, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`s3pilot ARGS >&-` (stream 1) or `2>&-` (stream 2), as a shell runs it."""
    redirect = {1: ">&-", 2: "2>&-"}[stream]
    line = " ".join([f'"{installed_command()}"', *(f"'{arg}'" for arg in args), redirect])
    return subprocess.run(
        ["bash", "-c", f'{line}; echo "exit $?" >&{3 - stream}'],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [["list"], ["--help"], ["export", "--format", "csv"], ["list", "--format", "table"]]
)
def test_a_closed_stdout_is_a_write_error_without_a_traceback(args: list[str]) -> None:
    done = closed(1, *args)
    assert (done.stdout, done.stderr) == ("", CLOSED_STDOUT + "exit 1\n")


@pytest.mark.slow
def test_a_closed_stdout_does_not_matter_with_o(tmp_path: Path) -> None:
    done = closed(1, "export", "-o", "out.json", cwd=tmp_path)
    assert (done.stdout, done.stderr) == ("", "exit 0\n")
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("[")
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list"], 0),
        (["list", "--region", "Varmlnd"], 2),
        (["show", "nosuch"], 3),
        (["--registry", "/nonexistent/clusters.toml", "list"], 4),
        (["list", "--bogus"], 2),
    ],
)
def test_a_closed_stderr_keeps_the_exit_code(args: list[str], code: int) -> None:
    done = closed(2, *args)
    assert done.stdout.endswith(f"exit {code}\n"), done
    assert "Traceback" not in done.stdout


@pytest.mark.slow
def test_plain_lines_feed_cut_and_read(tmp_path: Path) -> None:
    script = (
        f'"{installed_command()}" list --region Dalarna --fields id,name,city |'
        ' while IFS=$\'\\t\' read -r id name city; do printf \'%s|%s|%s\\n\' "$id" "$name" "$city";'
        f' done; "{installed_command()}" regions | cut -f1 | head -2'
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == (
        "triple-steelix|Triple Steelix|\nvisit-dalarna|Visit Dalarna|\nStockholm\nUppsala\n"
    )
    assert done.stderr == ""


def test_a_tab_or_newline_in_a_value_never_breaks_a_line() -> None:
    """Registries forbid them, so this is the writer's own guarantee: escapes, as in TSV."""
    out = io.StringIO()
    write_plain(out, Records(("a", "b"), (("x\ty", "line\nbreak\\"),)))
    assert out.getvalue() == "x\\ty\tline\\nbreak\\\\\n"


def test_plain_escapes_every_character_that_draws_nothing() -> None:
    out = io.StringIO()
    write_plain(out, Records(("a", "b"), (("Mob\u00adile", "x\u200dy\U000e0041\ufe0f"),)))
    assert out.getvalue() == "Mob\\xadile\tx\\u200dy\\U000e0041\\ufe0f\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "bytes_kept"),
    [("list", "-1"), ("export --format json", "-c 10"), ("contacts --format vcard", "-c 5")],
)
def test_a_reader_that_stops_early_ends_quietly(command: str, bytes_kept: str) -> None:
    script = f'set -o pipefail; "{installed_command()}" {command} | head {bytes_kept}'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout


@pytest.mark.slow
def test_a_reader_that_stops_early_on_a_large_export(tmp_path: Path) -> None:
    """Large enough to fill the pipe, so the write really fails with EPIPE."""
    big = tmp_path / "big.toml"
    big.write_text(generated_registry(3000), encoding="utf-8")
    script = (
        f'set -o pipefail; "{installed_command()}" --registry "{big}" export --format registry-json'
        " | head -c 10"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, '{\n  "schem', "")


@pytest.mark.slow
def test_a_table_in_a_terminal() -> None:
    shown = in_terminal(["s3pilot", "list", "--region", "Värmland"])
    assert "\x1b[1m" in shown  # a bold header
    text = shown
    assert "─" in text
    assert "Paper Province" in text
    assert "forest bioeconomy" in text


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals_get_no_escape_sequences(env: dict[str, str]) -> None:
    shown = in_terminal(["s3pilot", "list", "--region", "Värmland"], env=env)
    assert "\x1b" not in shown
    assert "Paper Province" in shown


@pytest.mark.slow
def test_an_empty_no_color_does_not_turn_colour_off() -> None:
    assert "\x1b[1m" in in_terminal(["s3pilot", "regions"], env={"NO_COLOR": ""})


def test_data_formats_ignore_the_terminal_width(sh: Sh) -> None:
    narrow = sh("list", "--format", "csv", env={"COLUMNS": "20"}).stdout
    wide = sh("list", "--format", "csv", env={"COLUMNS": "300"}).stdout
    assert narrow == wide
    assert "mobile and digital technology (ICT)" in narrow


def test_output_is_utf8_under_lc_all_c() -> None:
    done = subprocess.run(
        [installed_command(), "list", "--region", "SE-M"],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        check=True,
    )
    assert done.stdout == "Mobile Heights\nIUC Skåne\n".encode()
    assert done.stderr == b""


def test_output_is_utf8_under_a_latin1_locale() -> None:
    done = subprocess.run(
        [installed_command(), "list", "--region", "SE-M"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
        check=True,
    )
    assert done.stdout == "Mobile Heights\nIUC Skåne\n".encode()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list"], 0),
        (["list", "--region", "Uppsala"], 0),
        (["export", "-o", "/nonexistent-folder/x.json"], 1),
        (["list", "--region", "Atlantis"], 2),
        (["list", "--bogus"], 2),
        (["show", "nothing-like-it"], 3),
        (["--registry", "/nonexistent.toml", "list"], 4),
    ],
)
def test_every_exit_code_as_a_script_sees_it(sh: Sh, args: list[str], code: int) -> None:
    done = sh(*args)
    assert done.returncode == code
    if code:
        assert done.stdout == ""
        assert done.stderr.startswith("s3pilot: error: ")
        assert done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "s3pilot_cli", "list", "-r", "Värmland"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "Compare\nPaper Province\n"


@pytest.mark.slow
def test_markup_in_data_prints_literally(tmp_path: Path, sh: Sh) -> None:
    text = (Path(__file__).parent / "registries" / "minimal.toml").read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(text.replace('"Compare"', '"[bold red]Compare[/] :smile:"'), encoding="utf-8")
    assert sh("--registry", str(mine), "list").stdout.splitlines()[0] == (
        "[bold red]Compare[/] :smile:"
    )
    shown = in_terminal(["s3pilot", "--registry", str(mine), "list", "--format", "table"])
    assert "[bold red]Compare[/] :smile:" in shown
    assert "\x1b[31m" not in shown


def test_shell_completion_of_regions_and_clusters(sh: Sh) -> None:
    regions = sh(
        env={"_S3PILOT_COMPLETE": "complete_bash", "COMP_WORDS": "s3pilot list -r Väst",
             "COMP_CWORD": "3"}
    )  # fmt: skip
    # The län first, then the kommuner in SCB's code order (0883 Västervik, 1980 Västerås),
    # then the landskap whose names are not a län's.
    assert regions.stdout.splitlines() == [
        "Västra\\ Götaland",  # bash puts it on the line as it is: the space escaped
        "Västmanland",
        "Västernorrland",
        "Västerbotten",
        "Västervik",
        "Västerås",
        "Västergötland",
    ]
    clusters = sh(
        env={"_S3PILOT_COMPLETE": "complete_bash", "COMP_WORDS": "s3pilot show auto",
             "COMP_CWORD": "2"}
    )  # fmt: skip
    assert clusters.stdout.splitlines() == ["automation-smaland", "automation-region"]


def test_completion_matches_the_start_as_typed(sh: Sh) -> None:
    """Typer keeps only candidates that start with the very text typed (a known limit)."""
    done = sh(
        env={"_S3PILOT_COMPLETE": "complete_bash", "COMP_WORDS": "s3pilot list -r vast",
             "COMP_CWORD": "3"}
    )  # fmt: skip
    assert done.stdout.strip() == ""
